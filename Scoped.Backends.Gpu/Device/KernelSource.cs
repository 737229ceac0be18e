using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Scoped.Backends.Gpu;

/// <summary>CUDA C source for one module of kernels, with a hash that keys the compiled-code cache.</summary>
public sealed class KernelSource
{
    /// <summary>A module from source text.</summary>
    /// <param name="name">A short name for messages and cache files ("gaussian").</param>
    /// <param name="code">CUDA C; kernels are declared extern "C".</param>
    /// <param name="headers">Headers the code includes by name (<c>#include "scoped_common.cuh"</c>), name to text.</param>
    public KernelSource(string name, string code, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Name = name;
        Code = code;
        Headers = headers is null ? new Dictionary<string, string>() : new Dictionary<string, string>(headers);
        // The hash covers the headers too, so a changed header recompiles every module that includes it.
        var all = new StringBuilder(code);
        foreach (var (header, text) in Headers.OrderBy(h => h.Key, StringComparer.Ordinal)) all.Append('\0').Append(header).Append('\0').Append(text);
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())));
    }

    /// <summary>The headers the code may include, by name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The module's name.</summary>
    public string Name { get; }

    /// <summary>The CUDA C text.</summary>
    public string Code { get; }

    /// <summary>SHA-256 of <see cref="Code"/> and <see cref="Headers"/>, lower-case hex.</summary>
    public string Hash { get; }

    /// <summary>Reads Kernels/NAME.cu embedded in this assembly, with every embedded .cuh header.</summary>
    /// <param name="name">The file name without extension.</param>
    internal static KernelSource Embedded(string name)
    {
        var assembly = typeof(KernelSource).Assembly;
        var names = assembly.GetManifestResourceNames();
        var resource = names.FirstOrDefault(r => r.EndsWith("." + name + ".cu", StringComparison.Ordinal))
                       ?? throw new InvalidOperationException($"The kernel source {name}.cu is not embedded in {assembly.GetName().Name}.");
        // Resource names are "Namespace.Kernels.file.cuh": the header's name is the last two dot-separated parts.
        var headers = names.Where(r => r.EndsWith(".cuh", StringComparison.Ordinal))
            .ToDictionary(r => r[(r.LastIndexOf('.', r.Length - 5) + 1)..], r => Read(assembly, r));
        return new KernelSource(name, Read(assembly, resource), headers);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}.cu ({Hash[..12]})";
}
