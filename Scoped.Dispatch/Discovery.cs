using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;

namespace Scoped.Dispatch;

/// <summary>
/// Marks an assembly as holding a Scoped backend. Discovery reads it from metadata alone, without running the
/// assembly's code; the backend type (a <see cref="DispatchBackend"/> with a public parameterless constructor) is
/// created on first use.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ScopedBackendAttribute : Attribute
{
    /// <summary>Declares a backend.</summary>
    /// <param name="name">The backend's name (must equal the instance's <see cref="DispatchBackend.Name"/>).</param>
    /// <param name="backendType">The <see cref="DispatchBackend"/> subclass to instantiate.</param>
    /// <param name="domains">The domains it serves.</param>
    public ScopedBackendAttribute(string name, Type backendType, params string[] domains)
    {
        Name = name;
        BackendType = backendType;
        Domains = domains;
    }

    /// <summary>The backend's name.</summary>
    public string Name { get; }
    /// <summary>The backend's type.</summary>
    public Type BackendType { get; }
    /// <summary>The domains it serves.</summary>
    public string[] Domains { get; }
    /// <summary>The array types it owns (calls with them reach it without a scope).</summary>
    public Type[] OwnedTypes { get; set; } = [];
    /// <summary>The multimethods it implements, "domain:function".</summary>
    public string[] Functions { get; set; } = [];
    /// <summary>One line for people.</summary>
    public string? Description { get; set; }
}

/// <summary>
/// Has the build write this assembly's <see cref="ScopedBackendAttribute"/>, its <c>Functions</c> being the list a
/// referenced library publishes as a constant (names "domain:function" separated by ';'), for a backend that implements
/// whatever that library declares it can (the parallel backend: every function declared to run in bands). Scoped's
/// source generator reads it; discovery reads the attribute it writes.
/// </summary>
/// <param name="name">The backend's name.</param>
/// <param name="backendType">The backend type.</param>
/// <param name="domain">The domain it serves.</param>
/// <param name="functionsFrom">The type holding the list.</param>
/// <param name="functionList">The name of the constant on it.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ScopedBackendManifestAttribute(string name, Type backendType, string domain, Type functionsFrom, string functionList) : Attribute
{
    /// <summary>The backend's name.</summary>
    public string Name { get; } = name;
    /// <summary>The backend type.</summary>
    public Type BackendType { get; } = backendType;
    /// <summary>The domain it serves.</summary>
    public string Domain { get; } = domain;
    /// <summary>The type holding the list.</summary>
    public Type FunctionsFrom { get; } = functionsFrom;
    /// <summary>The name of the constant on it.</summary>
    public string FunctionList { get; } = functionList;
    /// <summary>One line for people.</summary>
    public string? Description { get; set; }
}

/// <summary>A backend found by discovery, not yet loaded.</summary>
/// <param name="Info">Its metadata, read from the attribute.</param>
/// <param name="AssemblyPath">The assembly file.</param>
/// <param name="TypeName">The backend type's full name.</param>
public sealed record DiscoveredBackend(BackendInfo Info, string AssemblyPath, string TypeName)
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Off (and removed by the trimmer) in trimmed programs: DiscoveryFeature.IsSupported is false there.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "As above: loading by path only runs in programs that are not trimmed.")]
    internal DispatchBackend Load()
    {
        if (!DiscoveryFeature.IsSupported)
            throw new NotSupportedException(
                $"loading backends from their files is off in this program ({DiscoveryFeature.Switch}=false, the setting for trimmed and native AOT programs, " +
                "whose code is fixed when they are published): register the backend with Backend.Register(new ...()) instead");
        var name = AssemblyName.GetAssemblyName(AssemblyPath);
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name))
                       ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(AssemblyPath));
        var type = assembly.GetType(TypeName, throwOnError: false)
                   ?? throw new TypeLoadException($"the assembly has no type {TypeName}");
        if (!typeof(DispatchBackend).IsAssignableFrom(type)) throw new InvalidCastException($"{TypeName} does not derive from {nameof(DispatchBackend)}");
        var backend = (DispatchBackend)(Activator.CreateInstance(type) ?? throw new MissingMethodException($"{TypeName} could not be created"));
        if (!string.Equals(backend.Name, Info.Name, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"the attribute names the backend '{Info.Name}' but {TypeName} calls itself '{backend.Name}'");
        return backend;
    }
}

/// <summary>Whether discovered backends may be loaded from their files. Off in trimmed and native AOT programs (the
/// switch is set when they are published), where an assembly loaded by path could miss code trimmed away, or cannot run.</summary>
internal static class DiscoveryFeature
{
    public const string Switch = "Scoped.Dispatch.Discovery.IsSupported";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var on) || on;
}

/// <summary>A file discovery could not read, and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">What went wrong.</param>
public sealed record DiscoveryFailure(string Path, string Reason);

/// <summary>What discovery found.</summary>
/// <param name="Backends">Backends declared by assembly attributes.</param>
/// <param name="Failures">Files that could not be read, with the reason.</param>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredBackend> Backends, IReadOnlyList<DiscoveryFailure> Failures);

/// <summary>Finds backend assemblies by their <see cref="ScopedBackendAttribute"/> without running their code.</summary>
public static class BackendDiscovery
{
    private const string AttributeNamespace = "Scoped.Dispatch";
    private const string AttributeName = nameof(ScopedBackendAttribute);
    private static readonly string DispatchAssemblyName = typeof(ScopedBackendAttribute).Assembly.GetName().Name!;

    /// <summary>Scans assembly files, and the *.dll files directly inside folders.</summary>
    /// <param name="paths">Folders or assembly files.</param>
    public static DiscoveryResult Scan(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var failures = new List<DiscoveryFailure>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(Directory.EnumerateFiles(path, "*.dll").Order(StringComparer.Ordinal));
            else if (File.Exists(path)) files.Add(path);
            else failures.Add(new DiscoveryFailure(path, "no such file or folder"));
        }

        // One pass over each file's metadata with System.Reflection.Metadata: no assembly is loaded and nothing is
        // resolved, so a process that discovers pays milliseconds, not a MetadataLoadContext over the runtime folder.
        var backends = new List<DiscoveredBackend>();
        foreach (var file in files)
        {
            try
            {
                using var stream = File.OpenRead(file);
                using var pe = new PEReader(stream);
                if (!pe.HasMetadata) throw new BadImageFormatException("it has no .NET metadata");
                var reader = pe.GetMetadataReader();
                if (!reader.IsAssembly) throw new BadImageFormatException("it is a module, not an assembly");
                // Only assemblies that reference Scoped.Dispatch can carry the attribute.
                if (!reader.AssemblyReferences.Any(h => reader.StringComparer.Equals(reader.GetAssemblyReference(h).Name, DispatchAssemblyName))) continue;
                backends.AddRange(ReadAttributes(reader, file));
            }
            catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                failures.Add(new DiscoveryFailure(file, MessageText.Escape($"not a readable .NET assembly ({ex.Message})")));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                failures.Add(new DiscoveryFailure(file, MessageText.Escape(ex.Message)));
            }
        }
        return new DiscoveryResult(backends, failures);
    }

    private static IEnumerable<DiscoveredBackend> ReadAttributes(MetadataReader reader, string file)
    {
        var assembly = reader.GetAssemblyDefinition();
        string? informational = null;
        var declared = new List<CustomAttributeValue<AttributeArgumentType>>();
        foreach (var handle in assembly.GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            var (ns, name) = AttributeTypeName(reader, attribute);
            if (ns == AttributeNamespace && name == AttributeName) declared.Add(Decode(attribute));
            else if (ns == "System.Reflection" && name == nameof(AssemblyInformationalVersionAttribute))
                informational = Decode(attribute).FixedArguments.FirstOrDefault().Value as string;
        }
        var version = informational ?? assembly.Version.ToString();
        foreach (var data in declared)
        {
            if (data.FixedArguments.Length != 3) throw new InvalidOperationException($"a {AttributeName} has {data.FixedArguments.Length} constructor arguments, not 3");
            var name = data.FixedArguments[0].Value as string;
            var type = TypeValue(data.FixedArguments[1].Value);
            var domains = Strings(data.FixedArguments[2].Value);
            DispatchBackend.ValidateName(name, "name");
            ArgumentNullException.ThrowIfNull(name);
            if (type is null) throw new InvalidOperationException($"the backend '{name}' names no backend type");
            foreach (var d in domains) Domain.Validate(d, "domains");
            if (domains.Length == 0) throw new InvalidOperationException($"the backend '{name}' names no domain");
            string[] owned = [], functions = [];
            string? description = null;
            foreach (var named in data.NamedArguments)
            {
                switch (named.Name)
                {
                    case nameof(ScopedBackendAttribute.OwnedTypes): owned = [.. Strings(named.Value).Select(TypeFullName)]; break;
                    case nameof(ScopedBackendAttribute.Functions): functions = Strings(named.Value); break;
                    case nameof(ScopedBackendAttribute.Description): description = named.Value as string; break;
                }
            }
            var info = new BackendInfo(name, description ?? name, version, domains, functions, owned) { AssemblyPath = file };
            yield return new DiscoveredBackend(info, file, TypeFullName(type));
        }

        static string[] Strings(object? value) =>
            value is ImmutableArray<CustomAttributeTypedArgument<AttributeArgumentType>> items ? [.. items.Select(i => TypeValue(i.Value) ?? "")] : [];
        // The decoder gives a System.Type value as the provider's type for its serialized name.
        static string? TypeValue(object? value) => value is AttributeArgumentType t ? t.Name : value as string;
    }

    private static CustomAttributeValue<AttributeArgumentType> Decode(CustomAttribute attribute)
    {
        try { return attribute.DecodeValue(AttributeArgumentTypes.Instance); }
        catch (BadImageFormatException ex) { throw new InvalidOperationException($"an assembly attribute cannot be decoded ({ex.Message})", ex); }
    }

    /// <summary>The namespace and name of the attribute's type, from its constructor's parent.</summary>
    private static (string Namespace, string Name) AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                if (parent.Kind != HandleKind.TypeReference) return ("", "");
                var reference = reader.GetTypeReference((TypeReferenceHandle)parent);
                return (reader.GetString(reference.Namespace), reader.GetString(reference.Name));
            case HandleKind.MethodDefinition:
                var definition = reader.GetTypeDefinition(reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType());
                return (reader.GetString(definition.Namespace), reader.GetString(definition.Name));
            default:
                return ("", "");
        }
    }

    /// <summary>A type argument is stored as its serialized name ("Ns.Type, Assembly, Version=..." or "Ns.Outer+Inner");
    /// the full name is the part before the assembly, outside any generic brackets.</summary>
    private static string TypeFullName(string serialized)
    {
        int depth = 0;
        for (int i = 0; i < serialized.Length; i++)
        {
            if (serialized[i] == '[') depth++;
            else if (serialized[i] == ']') depth--;
            else if (serialized[i] == ',' && depth == 0) return serialized[..i].Trim();
        }
        return serialized.Trim();
    }

    /// <summary>The few argument types the attributes read here use: strings, System.Type (as its serialized name),
    /// arrays of them, and primitives.</summary>
    private readonly record struct AttributeArgumentType(string Name, bool IsType = false);

    private sealed class AttributeArgumentTypes : ICustomAttributeTypeProvider<AttributeArgumentType>
    {
        public static readonly AttributeArgumentTypes Instance = new();

        public AttributeArgumentType GetPrimitiveType(PrimitiveTypeCode typeCode) => new(typeCode.ToString());
        public AttributeArgumentType GetSystemType() => new("System.Type", IsType: true);
        public AttributeArgumentType GetSZArrayType(AttributeArgumentType elementType) => new(elementType.Name + "[]");
        public AttributeArgumentType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var definition = reader.GetTypeDefinition(handle);
            return Named(reader.GetString(definition.Namespace), reader.GetString(definition.Name));
        }
        public AttributeArgumentType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = reader.GetTypeReference(handle);
            return Named(reader.GetString(reference.Namespace), reader.GetString(reference.Name));
        }
        // A constructor parameter of type System.Type arrives as a reference to it, not through GetSystemType.
        private static AttributeArgumentType Named(string ns, string name) => new(ns + "." + name, IsType: ns == "System" && name == "Type");
        public AttributeArgumentType GetTypeFromSerializedName(string name) => new(name);
        public bool IsSystemType(AttributeArgumentType type) => type.IsType;
        // An enum argument would need its underlying type from the enum's own assembly; the attributes read here have none.
        public PrimitiveTypeCode GetUnderlyingEnumType(AttributeArgumentType type) =>
            throw new BadImageFormatException($"an enum argument of type {type.Name}, which a {AttributeName} does not have");
    }
}
