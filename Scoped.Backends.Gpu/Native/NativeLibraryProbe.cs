using System.Runtime.InteropServices;

namespace Scoped.Backends.Gpu.Native;

/// <summary>The two native libraries the backend binds.</summary>
internal enum CudaLibrary
{
    /// <summary>The CUDA driver API: libcuda.so.1 / nvcuda.dll, installed with the NVIDIA driver.</summary>
    Driver,

    /// <summary>The run-time compiler: libnvrtc.so.13 or .12 / nvrtc64_*.dll, from the CUDA toolkit or a Python wheel.</summary>
    Nvrtc,
}

/// <summary>What a probe found: the handle, or every place it tried.</summary>
/// <param name="Library">Which library.</param>
/// <param name="Handle">The loaded library, or zero.</param>
/// <param name="Path">The candidate that loaded.</param>
/// <param name="Searched">Every candidate tried, in order.</param>
internal sealed record ProbeResult(CudaLibrary Library, nint Handle, string? Path, IReadOnlyList<string> Searched)
{
    public bool Found => Handle != 0;
}

/// <summary>
/// Finds the CUDA driver and NVRTC. The list of candidates is a pure function of the environment (tested here), and
/// loading tries them in order: first bare names, which the system's own search resolves (ld.so.cache, PATH, System32),
/// then files in the folders where CUDA is usually installed: LD_LIBRARY_PATH, CUDA_PATH / CUDA_HOME, /usr/local/cuda,
/// the distribution's library folder, the NVIDIA container folder, and Python wheels (nvidia/cuda_nvrtc/lib, nvidia/cu13/lib).
/// </summary>
internal static class NativeLibraryProbe
{
    /// <summary>The name the binding's LibraryImport attributes use for the driver; the resolver maps it to the probed handle.</summary>
    public const string DriverImportName = "scoped-cuda-driver";

    /// <summary>Likewise for NVRTC.</summary>
    public const string NvrtcImportName = "scoped-nvrtc";

    /// <summary>The file names to look for, most preferred first (NVRTC 13 before 12).</summary>
    public static IReadOnlyList<string> FileNames(CudaLibrary library, bool windows) => (library, windows) switch
    {
        (CudaLibrary.Driver, false) => ["libcuda.so.1", "libcuda.so"],
        (CudaLibrary.Driver, true) => ["nvcuda.dll"],
        (CudaLibrary.Nvrtc, false) => ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"],
        (CudaLibrary.Nvrtc, true) => ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll"],
        _ => throw new ArgumentOutOfRangeException(nameof(library)),
    };

    /// <summary>How the library is named in messages ("libcuda.so.1", "NVRTC (libnvrtc.so.13/.12)").</summary>
    public static string DisplayName(CudaLibrary library, bool windows) => (library, windows) switch
    {
        (CudaLibrary.Driver, false) => "libcuda.so.1",
        (CudaLibrary.Driver, true) => "nvcuda.dll",
        (CudaLibrary.Nvrtc, false) => "NVRTC (libnvrtc.so.13/.12)",
        _ => "NVRTC (nvrtc64_130_0.dll/nvrtc64_120_0.dll)",
    };

    /// <summary>The folders to look in, in order, from the environment (<paramref name="environment"/> reads a variable).</summary>
    /// <param name="library">Which library.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="windows">Whether to use Windows' layout.</param>
    /// <param name="home">The user's home folder, for ~/.local Python installs; null to skip.</param>
    public static IReadOnlyList<string> Folders(CudaLibrary library, Func<string, string?> environment, bool windows, string? home)
    {
        var folders = new List<string>();
        void AddList(string? list)
        {
            if (string.IsNullOrEmpty(list)) return;
            foreach (var part in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) folders.Add(part);
        }

        if (windows)
        {
            foreach (var variable in new[] { "CUDA_PATH", "CUDA_HOME" })
                if (environment(variable) is { Length: > 0 } root)
                {
                    folders.Add(Path.Combine(root, "bin", "x64"));   // CUDA 13 puts its DLLs here
                    folders.Add(Path.Combine(root, "bin"));
                }
            AddList(environment("PATH"));
        }
        else
        {
            AddList(environment("LD_LIBRARY_PATH"));
            foreach (var variable in new[] { "CUDA_PATH", "CUDA_HOME" })
                if (environment(variable) is { Length: > 0 } root)
                {
                    folders.Add(Path.Combine(root, "lib64"));
                    folders.Add(Path.Combine(root, "targets", "x86_64-linux", "lib"));
                    folders.Add(Path.Combine(root, "lib"));
                }
            folders.AddRange([
                "/usr/local/cuda/lib64",
                "/usr/local/cuda/targets/x86_64-linux/lib",
                "/usr/lib/x86_64-linux-gnu",
                "/usr/lib64",
                "/usr/local/nvidia/lib64",
                "/usr/local/nvidia/lib",
                "/usr/lib/wsl/lib",
            ]);
        }

        if (library == CudaLibrary.Nvrtc)
            foreach (var sitePackages in SitePackages(environment, windows, home))
                foreach (var wheel in new[] { "cu13", "cuda_nvrtc", "cu12" })
                    folders.Add(Path.Combine(sitePackages, "nvidia", wheel, windows ? "bin" : "lib"));

        return folders.Distinct(windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).ToList();
    }

    /// <summary>Python site-packages folders that may hold NVIDIA's wheels: the active virtual or conda environment,
    /// PYTHONPATH, the user's and the system's Python installs, and virtual environments under /opt.</summary>
    private static IEnumerable<string> SitePackages(Func<string, string?> environment, bool windows, string? home)
    {
        var roots = new List<string>();
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (environment(variable) is { Length: > 0 } prefix) roots.Add(prefix);
        if (environment("PYTHONPATH") is { Length: > 0 } pythonPath)
            foreach (var part in pythonPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) yield return part;

        if (windows)
        {
            foreach (var root in roots) yield return Path.Combine(root, "Lib", "site-packages");
            yield break;
        }

        if (home is not null) roots.Add(Path.Combine(home, ".local"));
        roots.AddRange(["/usr/local", "/usr"]);
        // Virtual environments that images put under /opt (e.g. /opt/torch/.venv).
        foreach (var opt in SafeDirectories("/opt"))
        {
            roots.Add(Path.Combine(opt, ".venv"));
            roots.Add(Path.Combine(opt, "venv"));
        }
        foreach (var root in roots)
        {
            foreach (var python in SafeDirectories(Path.Combine(root, "lib"), "python3*").Order(StringComparer.Ordinal).Reverse())
            {
                yield return Path.Combine(python, "site-packages");
                yield return Path.Combine(python, "dist-packages");
            }
        }
    }

    /// <summary>Every candidate, in the order they are tried: the bare file names (the system's search), then each folder
    /// with each name, then versioned files found in the folders (libnvrtc.so.12.4.127), newest first.</summary>
    /// <param name="library">Which library.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="windows">Whether to use Windows' names and layout.</param>
    /// <param name="home">The user's home folder, or null.</param>
    /// <param name="maximumMajor">For NVRTC: leave out versions above this major (code from an NVRTC newer than the
    /// driver may not load); null for no limit.</param>
    public static IReadOnlyList<string> Candidates(CudaLibrary library, Func<string, string?> environment, bool windows, string? home, int? maximumMajor = null)
    {
        var names = FileNames(library, windows);
        var folders = Folders(library, environment, windows, home);
        var candidates = new List<string>(names);
        foreach (var folder in folders)
            foreach (var name in names)
                candidates.Add(Path.Combine(folder, name));
        // Installs without the short symbolic links still have the fully versioned file.
        if (library == CudaLibrary.Nvrtc)
        {
            foreach (var folder in folders)
            {
                var pattern = windows ? "nvrtc64_*.dll" : "libnvrtc.so.*";
                var versioned = SafeFiles(folder, pattern)
                    .Where(f => !Path.GetFileName(f).Contains("builtins", StringComparison.OrdinalIgnoreCase) && !names.Contains(Path.GetFileName(f)))
                    .Where(f => windows || MajorOf(Path.GetFileName(f)) is 12 or 13)
                    .OrderByDescending(f => Path.GetFileName(f), VersionedNameComparer.Instance);
                candidates.AddRange(versioned);
            }
        }
        return candidates.Distinct(windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
            .Where(c => maximumMajor is null || MajorOf(Path.GetFileName(c)) <= maximumMajor)
            .ToList();
    }

    /// <summary>Tries each candidate with <paramref name="tryLoad"/> (NativeLibrary.TryLoad by default) until one loads.</summary>
    /// <param name="library">Which library.</param>
    /// <param name="candidates">From <see cref="Candidates"/>.</param>
    /// <param name="tryLoad">Loads a library, returning zero on failure.</param>
    public static ProbeResult Load(CudaLibrary library, IReadOnlyList<string> candidates, Func<string, nint>? tryLoad = null)
    {
        tryLoad ??= static path => NativeLibrary.TryLoad(path, out var handle) ? handle : 0;
        foreach (var candidate in candidates)
        {
            // A bare name goes to the system's search; a path is tried only if the file is there (keeps probing quick).
            if (Path.IsPathRooted(candidate) && !File.Exists(candidate)) continue;
            var handle = tryLoad(candidate);
            if (handle != 0) return new ProbeResult(library, handle, candidate, candidates);
        }
        return new ProbeResult(library, 0, null, candidates);
    }

    /// <summary>Probes with this process's environment.</summary>
    public static ProbeResult Load(CudaLibrary library, int? maximumMajor = null)
    {
        bool windows = OperatingSystem.IsWindows();
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Load(library, Candidates(library, Environment.GetEnvironmentVariable, windows, string.IsNullOrEmpty(home) ? null : home, maximumMajor));
    }

    /// <summary>"libcuda.so.1 was not found (searched: the system's library search, /usr/local/cuda/lib64, ...)": the
    /// folders, not every file name, so the reason stays readable.</summary>
    public static string NotFoundReason(CudaLibrary library, IReadOnlyList<string> searched, bool windows)
    {
        var folders = searched.Where(Path.IsPathRooted).Select(p => Path.GetDirectoryName(p)!).Distinct().ToList();
        var where = folders.Count == 0 ? "the system's library search" : "the system's library search, " + string.Join(", ", folders);
        var hint = library == CudaLibrary.Driver
            ? "install the NVIDIA driver, or add the folder holding it to " + (windows ? "PATH" : "LD_LIBRARY_PATH")
            : "install the CUDA toolkit 12 or 13 (or the nvidia-cuda-nvrtc wheel), or set CUDA_PATH";
        return $"{DisplayName(library, windows)} was not found (searched: {where}); {hint}";
    }

    /// <summary>The major version in "libnvrtc.so.12.4.127" (12) or "nvrtc64_130_0.dll" (13); -1 when the name has none.</summary>
    internal static int MajorOf(string fileName)
    {
        if (fileName.StartsWith("libnvrtc.so.", StringComparison.Ordinal))
        {
            var rest = fileName["libnvrtc.so.".Length..];
            int dot = rest.IndexOf('.');
            return int.TryParse(dot < 0 ? rest : rest[..dot], out var major) ? major : -1;
        }
        if (fileName.StartsWith("nvrtc64_", StringComparison.OrdinalIgnoreCase))
        {
            var digits = new string(fileName["nvrtc64_".Length..].TakeWhile(char.IsAsciiDigit).ToArray());
            return digits.Length >= 2 && int.TryParse(digits, out var code) ? code / 10 : -1;
        }
        return -1;
    }

    private static IEnumerable<string> SafeDirectories(string folder, string pattern = "*")
    {
        try { return Directory.Exists(folder) ? Directory.GetDirectories(folder, pattern) : []; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return []; }
    }

    private static IEnumerable<string> SafeFiles(string folder, string pattern)
    {
        try { return Directory.Exists(folder) ? Directory.GetFiles(folder, pattern) : []; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return []; }
    }

    /// <summary>Orders "libnvrtc.so.12.10" after "libnvrtc.so.12.9": numbers compared as numbers.</summary>
    private sealed class VersionedNameComparer : IComparer<string>
    {
        public static readonly VersionedNameComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Numbers(x ?? "");
            var b = Numbers(y ?? "");
            for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
                if (a[i] != b[i]) return a[i].CompareTo(b[i]);
            return a.Count.CompareTo(b.Count);
        }

        private static List<long> Numbers(string name)
        {
            var numbers = new List<long>();
            long current = -1;
            foreach (var c in name)
            {
                if (char.IsAsciiDigit(c)) current = (current < 0 ? 0 : current * 10) + (c - '0');
                else if (current >= 0) { numbers.Add(current); current = -1; }
            }
            if (current >= 0) numbers.Add(current);
            return numbers;
        }
    }
}

/// <summary>
/// Maps the binding's import names to the libraries the probe loaded, so the LibraryImport declarations never depend
/// on where the files are. Installed once per assembly; a name not probed yet resolves to nothing (DllNotFoundException).
/// </summary>
internal static class CudaLibraryResolver
{
    private static nint s_driver, s_nvrtc;
    private static int s_installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) != 0) return;
        NativeLibrary.SetDllImportResolver(typeof(CudaLibraryResolver).Assembly, static (name, _, _) => name switch
        {
            NativeLibraryProbe.DriverImportName => Volatile.Read(ref s_driver),
            NativeLibraryProbe.NvrtcImportName => Volatile.Read(ref s_nvrtc),
            _ => 0,
        });
    }

    /// <summary>Loads the library (once; later calls return the first result) and makes the imports resolve to it.</summary>
    /// <param name="library">Which library.</param>
    /// <param name="maximumMajor">For NVRTC, the newest major version to accept (the driver's CUDA major).</param>
    public static ProbeResult Load(CudaLibrary library, int? maximumMajor = null)
    {
        Install();
        lock (s_lock)
        {
            if (s_results.TryGetValue(library, out var known)) return known;
            var result = NativeLibraryProbe.Load(library, maximumMajor);
            s_results[library] = result;
            if (result.Found)
            {
                if (library == CudaLibrary.Driver) Volatile.Write(ref s_driver, result.Handle);
                else Volatile.Write(ref s_nvrtc, result.Handle);
            }
            return result;
        }
    }

    private static readonly object s_lock = new();
    private static readonly Dictionary<CudaLibrary, ProbeResult> s_results = [];
}
