using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Scoped.Dispatch;

/// <summary>The one configuration section every Scoped option lives under: <c>Scoped:&lt;Section&gt;:&lt;Key&gt;</c>
/// (<c>Scoped:Parallel:MinimumElements</c>; as an environment variable <c>Scoped__Parallel__MinimumElements</c>).
/// Every key is listed in docs/configuration.md.</summary>
public static class ScopedConfiguration
{
    /// <summary>The name of the root section, "Scoped".</summary>
    public const string SectionName = "Scoped";
}

/// <summary>A rule an options value breaks, found by an options class's validation: the property, the rule and the
/// value. <see cref="ScopedOptionsSection{TOptions}"/> turns it into a message naming the full key, e.g.
/// "Scoped:Parallel:MinimumElements must be &gt;= 0; got -5".</summary>
/// <param name="Property">The options property.</param>
/// <param name="Rule">The rule, worded to follow the key: "must be &gt;= 0".</param>
/// <param name="Value">The offending value.</param>
public readonly record struct OptionProblem(string Property, string Rule, object? Value);

/// <summary>What the CLI and hosts need to know of one section of the Scoped configuration, whatever its options type.</summary>
public interface IScopedOptionsSection
{
    /// <summary>The section's name under <see cref="ScopedConfiguration.SectionName"/>: "Parallel".</summary>
    string Name { get; }

    /// <summary>The section's full path: "Scoped:Parallel".</summary>
    string Path { get; }

    /// <summary>The keys the section accepts, in declaration order.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>Reads the section from <paramref name="configuration"/> (the root, holding "Scoped") on top of the
    /// options in force, and validates the result. Nothing is applied until <see cref="ScopedOptionsUpdate.Apply"/>.</summary>
    /// <param name="configuration">The configuration root.</param>
    ScopedOptionsUpdate Read(IConfiguration configuration);
}

/// <summary>Options read from configuration and validated, not yet in force.</summary>
public sealed class ScopedOptionsUpdate
{
    private readonly Func<Action>? _apply;

    internal ScopedOptionsUpdate(bool hasKeys, IReadOnlyList<string> problems, Func<Action>? apply)
    {
        HasKeys = hasKeys;
        Problems = problems;
        _apply = apply;
    }

    /// <summary>Whether the configuration sets any key of the section; when not, <see cref="Apply"/> changes nothing.</summary>
    public bool HasKeys { get; }

    /// <summary>Every problem found, each naming its full key; empty when the options can be applied.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Puts the options in force and returns an action that puts the previous ones back (so a command run
    /// in-process leaves the process as it found it).</summary>
    /// <exception cref="InvalidOperationException">There are <see cref="Problems"/>.</exception>
    public Action Apply()
    {
        if (Problems.Count > 0) throw new InvalidOperationException(string.Join(Environment.NewLine, Problems));
        return HasKeys && _apply is not null ? _apply() : static () => { };
    }
}

/// <summary>
/// One section of the Scoped configuration bound to an options class: <c>Scoped:Parallel</c> to
/// <c>ParallelBackendOptions</c>. Each public settable property of a simple type (number, bool, enum, string, their
/// nullable forms, a list of strings) is a key of the same name, unless renamed. Binding reports each bad key by its full
/// path (an unknown key, a value of the wrong type), and validation reports each broken rule the same way. Declaring a
/// section is one line in the backend (see <c>ParallelBackend.ConfigurationSection</c>); hosts register it with
/// <c>services.AddScopedOptions(section, configure)</c>, the CLI lists it once.
/// </summary>
/// <typeparam name="TOptions">The options class.</typeparam>
public sealed class ScopedOptionsSection<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions> : IScopedOptionsSection where TOptions : class
{
    private readonly Dictionary<string, PropertyInfo> _properties;
    private readonly Dictionary<string, string> _keyOfProperty;
    private readonly Func<TOptions> _current;
    private readonly Action<TOptions> _apply;
    private readonly Func<TOptions, IEnumerable<OptionProblem>> _validate;
    // Binding problems of an options instance built by a host, kept until its validation reports them.
    private readonly ConditionalWeakTable<TOptions, List<string>> _bindingProblems = [];

    /// <summary>Declares a section.</summary>
    /// <param name="name">The name under "Scoped": "Parallel".</param>
    /// <param name="current">A fresh, editable copy of the options in force (the CLI binds on top of it).</param>
    /// <param name="apply">Puts options in force (e.g. <c>ParallelBackend.Configure</c>).</param>
    /// <param name="validate">The rules the options break; empty when valid.</param>
    /// <param name="renames">Keys that differ from their property's name, key to property: ("Backends", "Priority").</param>
    public ScopedOptionsSection(string name, Func<TOptions> current, Action<TOptions> apply, Func<TOptions, IEnumerable<OptionProblem>> validate,
        IReadOnlyDictionary<string, string>? renames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(validate);
        if (name.Contains(':')) throw new ArgumentException($"A section name is one level under {ScopedConfiguration.SectionName}, without ':'; got '{name}'.", nameof(name));
        Name = name;
        Path = ScopedConfiguration.SectionName + ":" + name;
        _current = current;
        _apply = apply;
        _validate = validate;
        var propertyToKey = (renames ?? new Dictionary<string, string>()).ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        _properties = new(StringComparer.OrdinalIgnoreCase);
        _keyOfProperty = new(StringComparer.Ordinal);
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || !IsBindable(property.PropertyType)) continue;
            var key = propertyToKey.GetValueOrDefault(property.Name, property.Name);
            _properties[key] = property;
            _keyOfProperty[property.Name] = key;
        }
        var missing = propertyToKey.Keys.Where(p => !_keyOfProperty.ContainsKey(p)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"{typeof(TOptions).Name} has no bindable property {string.Join(", ", missing)}.", nameof(renames));
        Keys = [.. _keyOfProperty.Values];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The full key of a property: "Scoped:Parallel:MinimumElements".</summary>
    /// <param name="property">The property's name.</param>
    public string KeyOf(string property) => $"{Path}:{_keyOfProperty.GetValueOrDefault(property, property)}";

    /// <summary>Sets <paramref name="options"/> from the section's keys in <paramref name="configuration"/> (the root);
    /// keys that are absent leave their property alone.</summary>
    /// <param name="configuration">The configuration root.</param>
    /// <param name="options">The options to set.</param>
    /// <returns>A problem naming its key for each key that is unknown or whose value does not convert; those keys are skipped.</returns>
    public IReadOnlyList<string> Bind(IConfiguration configuration, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var child in configuration.GetSection(Path).GetChildren())
        {
            if (!_properties.TryGetValue(child.Key, out var property))
            {
                problems.Add($"{child.Path} is not a setting; the keys of {Path} are {string.Join(", ", Keys)}");
                continue;
            }
            if (TryConvert(child, property.PropertyType, out var value, out var expected)) property.SetValue(options, value);
            else problems.Add($"{child.Path} must be {expected}; got {Quote(child.Value)}");
        }
        return problems;
    }

    /// <summary>Each broken rule of <paramref name="options"/>, naming the full key: "Scoped:Parallel:MinimumElements must be &gt;= 0; got -5".</summary>
    /// <param name="options">The options.</param>
    public IReadOnlyList<string> Validate(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = _bindingProblems.TryGetValue(options, out var binding) ? [.. binding] : new List<string>();
        problems.AddRange(_validate(options).Select(p => $"{KeyOf(p.Property)} {p.Rule}; got {Format(p.Value)}"));
        return problems;
    }

    /// <summary>Puts options in force (the action given when declaring the section).</summary>
    /// <param name="options">The options.</param>
    public void Apply(TOptions options) => _apply(options);

    /// <inheritdoc />
    public ScopedOptionsUpdate Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetSection(Path).GetChildren().Any()) return new ScopedOptionsUpdate(false, [], null);
        var options = _current();
        var problems = Bind(configuration, options).ToList();
        problems.AddRange(_validate(options).Select(p => $"{KeyOf(p.Property)} {p.Rule}; got {Format(p.Value)}"));
        return new ScopedOptionsUpdate(true, problems, () =>
        {
            var previous = _current();
            _apply(options);
            return () => _apply(previous);
        });
    }

    /// <summary>Binds for a host: the problems are kept with the instance and reported by <see cref="Validate"/>, so that
    /// ValidateOnStart lists them all at once.</summary>
    internal void BindForHost(IConfiguration configuration, TOptions options)
    {
        var problems = Bind(configuration, options);
        if (problems.Count > 0) _bindingProblems.AddOrUpdate(options, [.. problems]);
    }

    private static bool IsBindable(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan)
               || type == typeof(IList<string>) || type == typeof(string[]) || type == typeof(List<string>);
    }

    private static bool TryConvert(IConfigurationSection section, Type type, out object? value, out string expected)
    {
        expected = Describe(type);
        value = null;
        if (type == typeof(IList<string>) || type == typeof(string[]) || type == typeof(List<string>))
        {
            // A list is an array in JSON (children 0, 1, ...) or one comma-separated value (environment, --set).
            var items = section.Value is { } text
                ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
            value = type == typeof(string[]) ? items : new List<string>(items);
            return true;
        }
        if (section.Value is null) return false; // an object where a value belongs
        var underlying = Nullable.GetUnderlyingType(type);
        if ((underlying is not null || type == typeof(string)) && section.Value.Trim() is "" or "null" or "none")
            return true; // an empty value clears an optional setting
        if (type == typeof(string)) { value = section.Value; return true; }
        value = Parsers.TryGetValue(underlying ?? type, out var parse) ? parse(section.Value.Trim())
            : (underlying ?? type).IsEnum && Enum.TryParse(underlying ?? type, section.Value.Trim(), ignoreCase: true, out var member) ? member
            : null;
        return value is not null;
    }

    // The scalar types IsBindable admits, each parsed as configuration text is (invariant culture), without the
    // reflection-based ConfigurationBinder, so that trimmed and native AOT programs bind the same way.
    private static readonly Dictionary<Type, Func<string, object?>> Parsers = new()
    {
        [typeof(bool)] = Parse<bool>, [typeof(byte)] = Parse<byte>, [typeof(sbyte)] = Parse<sbyte>, [typeof(char)] = Parse<char>,
        [typeof(short)] = Parse<short>, [typeof(ushort)] = Parse<ushort>, [typeof(int)] = Parse<int>, [typeof(uint)] = Parse<uint>,
        [typeof(long)] = Parse<long>, [typeof(ulong)] = Parse<ulong>, [typeof(nint)] = Parse<nint>, [typeof(nuint)] = Parse<nuint>,
        [typeof(float)] = Parse<float>, [typeof(double)] = Parse<double>, [typeof(decimal)] = Parse<decimal>, [typeof(TimeSpan)] = Parse<TimeSpan>,
    };

    private static object? Parse<T>(string text) where T : IParsable<T> =>
        T.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;


    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var text = t.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(t))
            : t == typeof(bool) ? "true or false"
            : t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(byte) || t == typeof(uint) || t == typeof(ulong) ? $"a whole number ({t.Name})"
            : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? "a number"
            : t == typeof(TimeSpan) ? "a time span (hh:mm:ss)"
            : t == typeof(string) ? "a string"
            : t.Name;
        return Nullable.GetUnderlyingType(type) is not null ? text + " or empty" : text;
    }

    private static string Quote(string? value) => value is null ? "a section, not a value" : $"'{value}'";

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IEnumerable<string> list => "[" + string.Join(", ", list) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>What trimming must keep on an options class: its constructor (the options system creates it) and the
/// public properties a section binds by name.</summary>
internal static class OptionsMembers
{
    public const DynamicallyAccessedMemberTypes Kept = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;
}
