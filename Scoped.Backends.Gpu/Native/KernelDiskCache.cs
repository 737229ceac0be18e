using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Scoped.Backends.Gpu.Native;

/// <summary>Compiled code for one kernel module: a cubin, or PTX for the driver to finish.</summary>
/// <param name="Image">The bytes cuModuleLoadData takes (PTX includes its terminating NUL).</param>
/// <param name="IsPtx">Whether <paramref name="Image"/> is PTX.</param>
internal sealed record CompiledKernel(byte[] Image, bool IsPtx);

/// <summary>Turns CUDA C into device code (NVRTC on a GPU machine; a fake in tests).</summary>
internal interface IKernelCompiler
{
    /// <summary>The compiler's version ("12.4"); part of the cache key, since another compiler may emit other code.</summary>
    string Version { get; }

    /// <summary>Compiles <paramref name="source"/> for a device of compute capability major.minor.</summary>
    CompiledKernel Compile(KernelSource source, int computeMajor, int computeMinor);
}

/// <summary>
/// Compiled kernels on disk, so a process after the first skips NVRTC. One file per (source hash, architecture,
/// compiler version); each file carries a checksum of its contents. A missing, unreadable, truncated or corrupt file
/// is compiled again and rewritten; a cache that cannot be written is skipped. The cache never makes a call fail.
/// Writes go to a temporary file in the same folder, then a rename, so a reader never sees half a file.
/// </summary>
internal sealed class KernelDiskCache
{
    private static readonly byte[] s_magic = "SCOPEDK1"u8.ToArray();
    private const int HeaderBytes = 8 + 1 + 4 + 32;   // magic, kind, length, SHA-256

    /// <summary>A cache in <paramref name="folder"/>, or none (every load compiles) when it is null.</summary>
    public KernelDiskCache(string? folder) => Folder = folder;

    /// <summary>The folder, or null when caching is off.</summary>
    public string? Folder { get; }

    private int _hits, _misses;

    /// <summary>Loads answered from disk.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Loads that compiled.</summary>
    public int Misses => Volatile.Read(ref _misses);

    /// <summary>Why the last read or write of the cache failed (diagnostics; never thrown).</summary>
    public string? LastProblem { get; private set; }

    /// <summary>The default folder: GpuBackendOptions.KernelCachePath, else $SCOPED_GPU_CACHE, else the user's cache
    /// folder ($XDG_CACHE_HOME or ~/.cache on Linux, LocalApplicationData elsewhere) + scoped/kernels.</summary>
    /// <param name="configured">GpuBackendOptions.KernelCachePath.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static string? DefaultFolder(string? configured, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(configured)) return configured;
        if (environment("SCOPED_GPU_CACHE") is { Length: > 0 } fromEnvironment) return fromEnvironment;
        string? root;
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        else if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg) root = xdg;
        else
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            root = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache");
        }
        return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "scoped", "kernels");
    }

    /// <summary>The file for a source on an architecture with a compiler version.</summary>
    public string? PathFor(KernelSource source, string architecture, string compilerVersion) =>
        Folder is null ? null : Path.Combine(Folder, $"{Sanitize(source.Name)}-{source.Hash}-{architecture}-nvrtc{Sanitize(compilerVersion)}.bin");

    /// <summary>The compiled module, from disk when a sound entry is there, else from <paramref name="compiler"/> (then stored).</summary>
    public CompiledKernel GetOrCompile(KernelSource source, int computeMajor, int computeMinor, IKernelCompiler compiler)
    {
        var path = PathFor(source, $"sm_{computeMajor}{computeMinor}", compiler.Version);
        if (path is not null && TryRead(path) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        var compiled = compiler.Compile(source, computeMajor, computeMinor);
        if (path is not null) TryWrite(path, compiled);
        return compiled;
    }

    private CompiledKernel? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < HeaderBytes || !bytes.AsSpan(0, 8).SequenceEqual(s_magic) || bytes[8] > 1)
                return Corrupt(path, "not a Scoped kernel cache file");
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(9, 4));
            if (length < 0 || length != bytes.Length - HeaderBytes) return Corrupt(path, "truncated");
            var image = bytes.AsSpan(HeaderBytes).ToArray();
            if (!SHA256.HashData(image).AsSpan().SequenceEqual(bytes.AsSpan(13, 32))) return Corrupt(path, "checksum mismatch");
            return new CompiledKernel(image, bytes[8] == 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LastProblem = $"could not read {path}: {ex.Message}";
            return null;
        }
    }

    private CompiledKernel? Corrupt(string path, string why)
    {
        LastProblem = $"{path} is unusable ({why}); compiling again";
        return null;
    }

    private void TryWrite(string path, CompiledKernel compiled)
    {
        string? temporary = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new byte[HeaderBytes + compiled.Image.Length];
            s_magic.CopyTo(bytes, 0);
            bytes[8] = compiled.IsPtx ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(9, 4), compiled.Image.Length);
            SHA256.HashData(compiled.Image).CopyTo(bytes, 13);
            compiled.Image.CopyTo(bytes, HeaderBytes);
            // Another process may write the same entry at the same time: each writes its own temporary file, and the
            // last rename wins with identical contents.
            temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
            temporary = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            LastProblem = $"could not write {path}: {ex.Message}";
        }
        finally
        {
            if (temporary is not null)
            {
                try { File.Delete(temporary); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            }
        }
    }

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        return builder.ToString();
    }
}
