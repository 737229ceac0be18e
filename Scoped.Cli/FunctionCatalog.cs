using System.Reflection;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Cli;

/// <summary>One parameter of one overload, as the command line sees it.</summary>
internal sealed class CliParameter
{
    public CliParameter(ParameterInfo info)
    {
        Info = info;
        Name = Names.Snake(info.Name ?? $"arg{info.Position}");
        Type = info.ParameterType;
        IsArray = typeof(NDArray).IsAssignableFrom(Type);
        IsFootprint = IsArray && Name is "footprint" or "selem";
        HasDefault = info.HasDefaultValue;
        Default = HasDefault ? Normalize(info.DefaultValue, Type) : null;
        UsesNumPyModes = Type == typeof(BoundaryMode) && info.Member.DeclaringType == typeof(Transform);
    }

    /// <summary>A transform function's mode: scikit-image names it as NumPy does (edge, symmetric, reflect).</summary>
    public bool UsesNumPyModes { get; }

    /// <summary>The default as the command line would write it.</summary>
    public string DefaultText => UsesNumPyModes && Default is BoundaryMode m ? Values.NumPyModeName(m) : Values.Format(Default);

    public ParameterInfo Info { get; }

    /// <summary>snake_case, as typed after "--".</summary>
    public string Name { get; }

    public Type Type { get; }

    /// <summary>An <see cref="NDArray"/> parameter: an input file, a footprint spec or a file named by option.</summary>
    public bool IsArray { get; }

    /// <summary>An array parameter named footprint/selem: given as <c>--footprint disk:3</c> (or a file), never positionally.</summary>
    public bool IsFootprint { get; }

    /// <summary>Filled from the positional INPUT files (unless given by option).</summary>
    public bool IsInput => IsArray && !IsFootprint;

    public bool HasDefault { get; }

    public object? Default { get; }

    /// <summary>"name: type = default" for listings.</summary>
    public string Describe() => HasDefault ? $"{Name}: {TypeText} = {DefaultText}" : $"{Name}: {TypeText}";

    public string TypeText => IsFootprint ? "footprint" : UsesNumPyModes ? string.Join('|', Values.NumPyModeNames) : Values.TypeText(Type);

    // Reflection reports an enum default as its underlying integer on some paths; make it the enum again.
    private static object? Normalize(object? value, Type type)
    {
        if (value is null || value is DBNull || value == Missing.Value) return null;
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum && value.GetType() != t) return Enum.ToObject(t, value);
        return value;
    }
}

/// <summary>One public static method behind a command-line function.</summary>
internal sealed class CliOverload(MethodInfo method)
{
    public MethodInfo Method { get; } = method;

    public IReadOnlyList<CliParameter> Parameters { get; } = [.. method.GetParameters().Select(p => new CliParameter(p))];

    public IEnumerable<CliParameter> Inputs => Parameters.Where(p => p.IsInput);

    /// <summary>A signature line: "IMAGE [MASK] [--sigma float = 1] ...".</summary>
    public string Usage()
    {
        var parts = new List<string>();
        foreach (var p in Parameters.Where(p => p.IsInput))
            parts.Add(p.HasDefault ? $"[{p.Name.ToUpperInvariant()}]" : p.Name.ToUpperInvariant());
        foreach (var p in Parameters.Where(p => !p.IsInput))
            parts.Add(p.HasDefault ? $"[--{p.Name} {p.TypeText} = {p.DefaultText}]" : $"--{p.Name} {p.TypeText}");
        return string.Join(' ', parts);
    }

    public string ReturnText => Values.TypeText(Method.ReturnType);
}

/// <summary>A scikit-image function: module.function, its overloads, and its multimethod when it has one.</summary>
internal sealed class CliFunction(string module, string name, Type moduleType, IReadOnlyList<CliOverload> overloads, Multimethod? multimethod)
{
    public string Module { get; } = module;
    public string Name { get; } = name;
    public string FullName => $"{Module}.{Name}";
    public Type ModuleType { get; } = moduleType;
    public IReadOnlyList<CliOverload> Overloads { get; } = overloads;

    /// <summary>The dispatcher's multimethod behind it ("scoped.image.filters:gaussian"), or null for a plain helper.</summary>
    public Multimethod? Multimethod { get; } = multimethod;

    /// <summary>Every parameter name over all overloads, in first-seen order.</summary>
    public IReadOnlyList<string> ParameterNames => [.. Overloads.SelectMany(o => o.Parameters).Select(p => p.Name).Distinct()];

    /// <summary>The parameters merged over the overloads: name, the types it takes, its default, and whether it is an input.</summary>
    public IEnumerable<(string Name, IReadOnlyList<string> Types, CliParameter First)> MergedParameters() =>
        Overloads.SelectMany(o => o.Parameters).GroupBy(p => p.Name)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(p => p.TypeText).Distinct()], g.First()));
}

/// <summary>
/// Every function of Scoped.Image found by reflection: the public static classes of namespace Scoped.Image that have a
/// nested <c>Methods</c> class (the modules: Filters, Util, ...), and their public static methods. Nothing is listed by hand,
/// so functions added to the library appear here as they are written.
/// </summary>
internal static class FunctionCatalog
{
    private static readonly Lazy<IReadOnlyList<CliFunction>> s_all = new(() => Build(typeof(NDArray).Assembly));

    public static IReadOnlyList<CliFunction> All => s_all.Value;

    /// <summary>The function named "module.function" (case and '-' are forgiven), or null.</summary>
    public static CliFunction? Find(string name) => Find(All, name);

    /// <summary>The function named "module.function" among <paramref name="functions"/>, or null.</summary>
    public static CliFunction? Find(IReadOnlyList<CliFunction> functions, string name)
    {
        var key = Names.Normalize(name);
        return functions.FirstOrDefault(f => f.FullName == key);
    }

    /// <summary>The module classes of an assembly (public static classes of namespace Scoped.Image with a nested Methods class).</summary>
    public static IEnumerable<Type> Modules(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: true, IsSealed: true, IsNested: false, Namespace: "Scoped.Image" }
                        && t.GetNestedType("Methods", BindingFlags.Public) is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static IReadOnlyList<CliFunction> Build(Assembly assembly)
    {
        var functions = new List<CliFunction>();
        foreach (var type in Modules(assembly))
        {
            string module = type.Name.ToLowerInvariant();
            var multimethods = MultimethodsOf(type);
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition && m.ReturnType != typeof(void)
                            && m.GetParameters().All(p => !p.ParameterType.IsByRef && !p.IsOut))
                .OrderBy(m => m.MetadataToken);
            foreach (var group in methods.GroupBy(m => Names.Snake(m.Name)))
            {
                multimethods.TryGetValue(group.Key, out var mm);
                functions.Add(new CliFunction(module, group.Key, type, [.. group.Select(m => new CliOverload(m))], mm));
            }
        }
        return [.. functions.OrderBy(f => f.FullName, StringComparer.Ordinal)];
    }

    /// <summary>The multimethods declared in a module's Methods class, by function name.</summary>
    private static Dictionary<string, Multimethod> MultimethodsOf(Type module)
    {
        var result = new Dictionary<string, Multimethod>(StringComparer.Ordinal);
        var holder = module.GetNestedType("Methods", BindingFlags.Public);
        if (holder is null) return result;
        foreach (var field in holder.GetFields(BindingFlags.Public | BindingFlags.Static))
            if (typeof(Multimethod).IsAssignableFrom(field.FieldType) && field.GetValue(null) is Multimethod m)
                result.TryAdd(m.Function, m);
        foreach (var property in holder.GetProperties(BindingFlags.Public | BindingFlags.Static))
            if (typeof(Multimethod).IsAssignableFrom(property.PropertyType) && property.GetValue(null) is Multimethod m)
                result.TryAdd(m.Function, m);
        return result;
    }
}
