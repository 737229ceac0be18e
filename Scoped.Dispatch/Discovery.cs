using System.Collections.ObjectModel;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
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

/// <summary>A backend found by discovery, not yet loaded.</summary>
/// <param name="Info">Its metadata, read from the attribute.</param>
/// <param name="AssemblyPath">The assembly file.</param>
/// <param name="TypeName">The backend type's full name.</param>
public sealed record DiscoveredBackend(BackendInfo Info, string AssemblyPath, string TypeName)
{
    internal DispatchBackend Load()
    {
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
    private static readonly string AttributeName = typeof(ScopedBackendAttribute).FullName!;
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

        // A cheap first pass with System.Reflection.Metadata: only assemblies that reference Scoped.Dispatch can carry the attribute.
        var candidates = new List<string>();
        foreach (var file in files)
        {
            try
            {
                if (ReferencesDispatch(file)) candidates.Add(file);
            }
            catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                failures.Add(new DiscoveryFailure(file, MessageText.Escape($"not a readable .NET assembly ({ex.Message})")));
            }
        }

        var backends = new List<DiscoveredBackend>();
        if (candidates.Count > 0)
        {
            var runtime = Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
            var resolverPaths = runtime.Concat(files).Append(typeof(ScopedBackendAttribute).Assembly.Location)
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First());
            using var context = new MetadataLoadContext(new PathAssemblyResolver(resolverPaths));
            foreach (var file in candidates)
            {
                try
                {
                    backends.AddRange(ReadAttributes(context.LoadFromAssemblyPath(file), file));
                }
                catch (Exception ex) when (ex is BadImageFormatException or IOException or FileLoadException or TypeLoadException or InvalidOperationException or ArgumentException)
                {
                    failures.Add(new DiscoveryFailure(file, MessageText.Escape(ex.Message)));
                }
            }
        }
        return new DiscoveryResult(backends, failures);
    }

    private static bool ReferencesDispatch(string file)
    {
        using var stream = File.OpenRead(file);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata) throw new BadImageFormatException("it has no .NET metadata");
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Any(h => reader.StringComparer.Equals(reader.GetAssemblyReference(h).Name, DispatchAssemblyName));
    }

    private static IEnumerable<DiscoveredBackend> ReadAttributes(Assembly assembly, string file)
    {
        var version = assembly.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType.FullName == typeof(AssemblyInformationalVersionAttribute).FullName)?.ConstructorArguments[0].Value as string
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        foreach (var data in assembly.GetCustomAttributesData().Where(a => a.AttributeType.FullName == AttributeName))
        {
            var name = data.ConstructorArguments[0].Value as string;
            var type = data.ConstructorArguments[1].Value as Type;
            var domains = Strings(data.ConstructorArguments[2].Value);
            DispatchBackend.ValidateName(name, "name");
            ArgumentNullException.ThrowIfNull(name);
            if (type is null) throw new InvalidOperationException($"the backend '{name}' names no backend type");
            foreach (var d in domains) Domain.Validate(d, "domains");
            if (domains.Length == 0) throw new InvalidOperationException($"the backend '{name}' names no domain");
            string[] owned = [], functions = [];
            string? description = null;
            foreach (var named in data.NamedArguments)
            {
                switch (named.MemberName)
                {
                    case nameof(ScopedBackendAttribute.OwnedTypes): owned = Types(named.TypedValue.Value); break;
                    case nameof(ScopedBackendAttribute.Functions): functions = Strings(named.TypedValue.Value); break;
                    case nameof(ScopedBackendAttribute.Description): description = named.TypedValue.Value as string; break;
                }
            }
            var info = new BackendInfo(name, description ?? name, version, domains, functions, owned) { AssemblyPath = file };
            yield return new DiscoveredBackend(info, file, type.FullName!);
        }

        static string[] Strings(object? value) =>
            value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? [.. items.Select(i => (string)i.Value!)] : [];
        static string[] Types(object? value) =>
            value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? [.. items.Select(i => ((Type)i.Value!).FullName!)] : [];
    }
}
