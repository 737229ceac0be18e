using System.Reflection;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Cli;

/// <summary>One parameter of one overload, as the command line sees it.</summary>
internal sealed class CliParameter
{
    /// <param name="name">The C# parameter name.</param>
    /// <param name="type">Its type.</param>
    /// <param name="hasDefault">Whether it is optional.</param>
    /// <param name="defaultValue">Its default (of its type; null for none).</param>
    /// <param name="module">The module class the method belongs to.</param>
    public CliParameter(string name, Type type, bool hasDefault, object? defaultValue, Type module)
    {
        Name = Names.Snake(name);
        Type = type;
        IsArray = typeof(NDArray).IsAssignableFrom(Type);
        IsFootprint = IsArray && Name is "footprint" or "selem";
        HasDefault = hasDefault;
        Default = HasDefault ? Normalize(defaultValue, Type) : null;
        UsesNumPyModes = Type == typeof(BoundaryMode) && module == typeof(Transform);
    }

    /// <summary>A parameter read by reflection (catalogs of assemblies other than Scoped.Image: the tests' fakes).</summary>
    public static CliParameter FromReflection(ParameterInfo info) =>
        new(info.Name ?? $"arg{info.Position}", info.ParameterType, info.HasDefaultValue, info.HasDefaultValue ? info.DefaultValue : null, info.Member.DeclaringType!);

    /// <summary>A transform function's mode: scikit-image names it as NumPy does (edge, symmetric, reflect).</summary>
    public bool UsesNumPyModes { get; }

    /// <summary>The default as the command line would write it.</summary>
    public string DefaultText => UsesNumPyModes && Default is BoundaryMode m ? Values.NumPyModeName(m) : Values.Format(Default);

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

/// <summary>One public static method behind a command-line function: its parameters and a direct call.</summary>
/// <param name="module">The module class.</param>
/// <param name="methodName">The C# method name.</param>
/// <param name="returnType">What it returns.</param>
/// <param name="order">Its place among the module's methods (declaration order).</param>
/// <param name="parameters">Its parameters.</param>
/// <param name="invoke">Calls it with one argument per parameter; its exceptions are not wrapped.</param>
internal sealed class CliOverload(Type module, string methodName, Type returnType, int order, IReadOnlyList<CliParameter> parameters, Func<object?[], object?> invoke)
{
    public Type Module { get; } = module;
    public string MethodName { get; } = methodName;
    public Type ReturnType { get; } = returnType;
    public int Order { get; } = order;
    public IReadOnlyList<CliParameter> Parameters { get; } = parameters;

    /// <summary>Calls the method.</summary>
    public object? Invoke(object?[] arguments) => invoke(arguments);

    /// <summary>An overload read by reflection (catalogs of assemblies other than Scoped.Image: the tests' fakes).</summary>
    public static CliOverload FromReflection(MethodInfo method, int order) =>
        new(method.DeclaringType!, method.Name, method.ReturnType, order, [.. method.GetParameters().Select(CliParameter.FromReflection)],
            args => method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null));

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

    public string ReturnText => Values.TypeText(ReturnType);
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
/// Every function of Scoped.Image: the public static methods of its modules (the public static classes of namespace
/// Scoped.Image with a nested <c>Methods</c> class), from the table Scoped's source generator writes at build time
/// (<see cref="ImageFunctionTable"/>): nothing is listed by hand, and nothing is looked up by reflection.
/// </summary>
internal static class FunctionCatalog
{
    private static readonly Lazy<IReadOnlyList<CliFunction>> s_all = new(() => Build(ImageFunctionTable.Overloads, Declarations.All.Select(d => d.Method)));

    public static IReadOnlyList<CliFunction> All => s_all.Value;

    /// <summary>The function named "module.function" (case and '-' are forgiven), or null.</summary>
    public static CliFunction? Find(string name) => Find(All, name);

    /// <summary>The function named "module.function" among <paramref name="functions"/>, or null.</summary>
    public static CliFunction? Find(IReadOnlyList<CliFunction> functions, string name)
    {
        var key = Names.Normalize(name);
        return functions.FirstOrDefault(f => string.Equals(f.FullName, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Functions from overloads: grouped by module and snake_case name, each with its multimethod (matched by
    /// domain and function name, ignoring case and underscores) when it has one. A dispatched function takes its
    /// multimethod's name, scikit-image's spelling (deltaE_cie76 for DeltaECie76).</summary>
    public static IReadOnlyList<CliFunction> Build(IEnumerable<CliOverload> overloads, IEnumerable<Multimethod> multimethods)
    {
        static string Key(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        var byName = multimethods.GroupBy(m => (m.DomainName, Key(m.Function))).ToDictionary(g => g.Key, g => g.First());
        var functions = new List<CliFunction>();
        foreach (var group in overloads.GroupBy(o => (o.Module, Name: Names.Snake(o.MethodName))))
        {
            string module = group.Key.Module.Name.ToLowerInvariant();
            byName.TryGetValue((Domains.Root + "." + module, Key(group.Key.Name)), out var mm);
            functions.Add(new CliFunction(module, mm?.Function ?? group.Key.Name, group.Key.Module, [.. group.OrderBy(o => o.Order)], mm));
        }
        return [.. functions.OrderBy(f => f.FullName, StringComparer.Ordinal)];
    }

    /// <summary>The same catalog read by reflection from another assembly's modules (the tests' fake module).</summary>
    public static IReadOnlyList<CliFunction> Build(Assembly assembly)
    {
        var modules = assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: true, IsSealed: true, IsNested: false, Namespace: "Scoped.Image" } && t.GetNestedType("Methods", BindingFlags.Public) is not null);
        var overloads = new List<CliOverload>();
        var multimethods = new List<Multimethod>();
        foreach (var type in modules)
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition && m.ReturnType != typeof(void)
                            && m.GetParameters().All(p => !p.ParameterType.IsByRef && !p.IsOut))
                .OrderBy(m => m.MetadataToken).ToList();
            overloads.AddRange(methods.Select((m, i) => CliOverload.FromReflection(m, i)));
            var holder = type.GetNestedType("Methods", BindingFlags.Public)!;
            multimethods.AddRange(holder.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetValue(null)).OfType<Multimethod>());
        }
        return Build(overloads, multimethods);
    }
}

/// <summary>Scoped.Image's functions for the command line; the generator fills <c>Overloads</c>.</summary>
[FunctionTable]
internal static partial class ImageFunctionTable;

/// <summary>Marks the class Scoped's source generator writes the function table into.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class FunctionTableAttribute : Attribute;
