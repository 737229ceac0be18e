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
    public KernelSource(string name, string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Name = name;
        Code = code;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
    }

    /// <summary>The module's name.</summary>
    public string Name { get; }

    /// <summary>The CUDA C text.</summary>
    public string Code { get; }

    /// <summary>SHA-256 of <see cref="Code"/>, lower-case hex.</summary>
    public string Hash { get; }

    /// <summary>Reads a .cu file embedded in this assembly (Kernels/NAME.cu).</summary>
    /// <param name="name">The file name without extension.</param>
    internal static KernelSource Embedded(string name)
    {
        var assembly = typeof(KernelSource).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(r => r.EndsWith("." + name + ".cu", StringComparison.Ordinal))
                       ?? throw new InvalidOperationException($"The kernel source {name}.cu is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new KernelSource(name, reader.ReadToEnd());
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}.cu ({Hash[..12]})";
}
