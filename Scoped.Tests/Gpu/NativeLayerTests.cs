using System.Runtime.InteropServices;
using Scoped.Backends.Gpu;
using Scoped.Backends.Gpu.Native;

namespace Scoped.Tests.Gpu;

/// <summary>The native layer's logic that needs no GPU: where the libraries are looked for, how errors are named,
/// the compiled-kernel disk cache, and how kernel arguments are laid out for cuLaunchKernel.</summary>
[TestClass]
public sealed class NativeLibraryProbeTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [TestMethod]
    public void Linux_driver_candidates_start_with_the_bare_name_then_LD_LIBRARY_PATH_then_CUDA_PATH_then_the_usual_folders()
    {
        var candidates = NativeLibraryProbe.Candidates(CudaLibrary.Driver, Env(("LD_LIBRARY_PATH", "/a:/b"), ("CUDA_PATH", "/opt/cuda")), windows: false, home: null);

        Assert.AreEqual("libcuda.so.1", candidates[0]);
        int a = IndexOf(candidates, "/a/libcuda.so.1"), b = IndexOf(candidates, "/b/libcuda.so.1"), cuda = IndexOf(candidates, "/opt/cuda/lib64/libcuda.so.1");
        int usual = IndexOf(candidates, "/usr/local/cuda/lib64/libcuda.so.1"), distro = IndexOf(candidates, "/usr/lib/x86_64-linux-gnu/libcuda.so.1");
        int nvidia = IndexOf(candidates, "/usr/local/nvidia/lib64/libcuda.so.1"), targets = IndexOf(candidates, "/usr/local/cuda/targets/x86_64-linux/lib/libcuda.so.1");
        Assert.IsTrue(0 < a && a < b && b < cuda && cuda < usual && usual < targets && targets < distro && distro < nvidia, string.Join("\n", candidates));
        Assert.IsFalse(candidates.Any(c => c.Contains("nvrtc")), "the driver probe does not look for NVRTC");
        Assert.AreEqual(candidates.Count, candidates.Distinct().Count(), "no candidate twice");
    }

    [TestMethod]
    public void Nvrtc_candidates_prefer_13_to_12_and_include_CUDA_HOME_and_python_wheels()
    {
        var home = Directory.CreateTempSubdirectory("scoped-home-").FullName;
        try
        {
            var site = Path.Combine(home, ".local", "lib", "python3.12", "site-packages");
            Directory.CreateDirectory(site);
            var candidates = NativeLibraryProbe.Candidates(CudaLibrary.Nvrtc, Env(("CUDA_HOME", "/cuda"), ("VIRTUAL_ENV", "/venv")), windows: false, home);

            Assert.AreEqual("libnvrtc.so.13", candidates[0]);
            Assert.AreEqual("libnvrtc.so.12", candidates[1]);
            Assert.IsTrue(IndexOf(candidates, "/cuda/lib64/libnvrtc.so.13") > 0);
            Assert.IsTrue(IndexOf(candidates, "/cuda/targets/x86_64-linux/lib/libnvrtc.so.12") > 0);
            Assert.IsTrue(IndexOf(candidates, Path.Combine(site, "nvidia", "cu13", "lib", "libnvrtc.so.13")) > 0, string.Join("\n", candidates));
            Assert.IsTrue(IndexOf(candidates, Path.Combine(site, "nvidia", "cuda_nvrtc", "lib", "libnvrtc.so.12")) > 0);
        }
        finally { Directory.Delete(home, recursive: true); }
    }

    [TestMethod]
    public void Versioned_nvrtc_files_are_found_newest_first_and_builtins_and_other_majors_are_not()
    {
        var folder = Directory.CreateTempSubdirectory("scoped-nvrtc-").FullName;
        try
        {
            foreach (var name in new[] { "libnvrtc.so.12.4.127", "libnvrtc.so.12.10.2", "libnvrtc.so.11.8.89", "libnvrtc-builtins.so.12.4", "libnvrtc.so.13.0.48" })
                File.WriteAllText(Path.Combine(folder, name), "");
            var candidates = NativeLibraryProbe.Candidates(CudaLibrary.Nvrtc, Env(("LD_LIBRARY_PATH", folder)), windows: false, home: null);

            var found = candidates.Where(c => c.StartsWith(folder, StringComparison.Ordinal) && !NativeLibraryProbe.FileNames(CudaLibrary.Nvrtc, false).Contains(Path.GetFileName(c)))
                .Select(Path.GetFileName).ToList();
            CollectionAssert.AreEqual(new[] { "libnvrtc.so.13.0.48", "libnvrtc.so.12.10.2", "libnvrtc.so.12.4.127" }, found);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void Nvrtc_newer_than_the_driver_is_left_out()
    {
        var folder = Directory.CreateTempSubdirectory("scoped-nvrtc-").FullName;
        try
        {
            foreach (var name in new[] { "libnvrtc.so.12.4.127", "libnvrtc.so.13.0.48" })
                File.WriteAllText(Path.Combine(folder, name), "");
            var candidates = NativeLibraryProbe.Candidates(CudaLibrary.Nvrtc, Env(("LD_LIBRARY_PATH", folder)), windows: false, home: null, maximumMajor: 12);
            var windows = NativeLibraryProbe.Candidates(CudaLibrary.Nvrtc, Env(), windows: true, home: null, maximumMajor: 12);

            Assert.AreEqual("libnvrtc.so.12", candidates[0]);
            Assert.IsFalse(candidates.Any(c => c.Contains("so.13")), string.Join("\n", candidates));
            CollectionAssert.Contains(candidates.ToList(), Path.Combine(folder, "libnvrtc.so.12.4.127"));
            Assert.AreEqual("nvrtc64_120_0.dll", windows[0]);
            Assert.AreEqual(13, NativeLibraryProbe.MajorOf("nvrtc64_130_0.dll"));
            Assert.AreEqual(12, NativeLibraryProbe.MajorOf("libnvrtc.so.12"));
            Assert.AreEqual(-1, NativeLibraryProbe.MajorOf("libnvrtc.so"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void Windows_candidates_use_the_dll_names_and_CUDA_PATH_bin()
    {
        var driver = NativeLibraryProbe.Candidates(CudaLibrary.Driver, Env(), windows: true, home: null);
        var nvrtc = NativeLibraryProbe.Candidates(CudaLibrary.Nvrtc, Env(("CUDA_PATH", @"C:\CUDA")), windows: true, home: null);

        Assert.AreEqual("nvcuda.dll", driver[0]);
        Assert.AreEqual("nvrtc64_130_0.dll", nvrtc[0]);
        Assert.AreEqual("nvrtc64_120_0.dll", nvrtc[1]);
        Assert.IsTrue(nvrtc.Any(c => c.Contains("CUDA") && c.EndsWith("nvrtc64_120_0.dll", StringComparison.Ordinal) && c.Contains("bin")));
    }

    [TestMethod]
    public void Load_tries_bare_names_and_existing_files_in_order_and_returns_the_first_that_loads()
    {
        var folder = Directory.CreateTempSubdirectory("scoped-probe-").FullName;
        try
        {
            var present = Path.Combine(folder, "libcuda.so.1");
            File.WriteAllText(present, "");
            var tried = new List<string>();
            var candidates = new[] { "libcuda.so.1", Path.Combine(folder, "missing", "libcuda.so.1"), present };

            var result = NativeLibraryProbe.Load(CudaLibrary.Driver, candidates, path => { tried.Add(path); return path == present ? 42 : 0; });

            CollectionAssert.AreEqual(new[] { "libcuda.so.1", present }, tried, "a path to a missing file is not tried");
            Assert.IsTrue(result.Found);
            Assert.AreEqual(present, result.Path);
            Assert.AreEqual((nint)42, result.Handle);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void A_file_that_is_not_a_library_is_not_loaded_and_the_reason_lists_the_folders()
    {
        var folder = Directory.CreateTempSubdirectory("scoped-probe-").FullName;
        try
        {
            var fileName = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
            File.WriteAllText(Path.Combine(folder, fileName), "not a shared library");
            var candidates = new[] { Path.Combine(folder, fileName) };

            var result = NativeLibraryProbe.Load(CudaLibrary.Driver, candidates);
            var reason = NativeLibraryProbe.NotFoundReason(CudaLibrary.Driver, result.Searched, OperatingSystem.IsWindows());

            Assert.IsFalse(result.Found);
            Assert.AreEqual($"{fileName} was not found (searched: the system's library search, {folder}); install the NVIDIA driver, or add the folder holding it to {(OperatingSystem.IsWindows() ? "PATH" : "LD_LIBRARY_PATH")}", reason);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void The_nvrtc_reason_names_both_versions()
    {
        var reason = NativeLibraryProbe.NotFoundReason(CudaLibrary.Nvrtc, ["libnvrtc.so.13", "/usr/local/cuda/lib64/libnvrtc.so.13"], windows: false);

        StringAssert.StartsWith(reason, "NVRTC (libnvrtc.so.13/.12) was not found (searched: the system's library search, /usr/local/cuda/lib64)");
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }
}

[TestClass]
public sealed class CudaErrorTests
{
    [TestMethod]
    public void Driver_errors_name_the_call_the_error_and_its_description_from_the_table_when_the_driver_cannot_say()
    {
        var failure = CudaErrors.DriverFailure("cuMemAlloc_v2", 2, _ => throw new EntryPointNotFoundException("cuGetErrorName"));

        Assert.AreEqual("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)", failure.Message);
        Assert.AreEqual("cuMemAlloc_v2", failure.Call);
        Assert.AreEqual(2, failure.Code);
        Assert.AreEqual("CUDA_ERROR_OUT_OF_MEMORY", failure.ErrorName);
    }

    [TestMethod]
    public void The_drivers_own_words_are_preferred_and_missing_parts_come_from_the_table()
    {
        var asked = CudaErrors.DriverFailure("cuLaunchKernel", 719, _ => ("CUDA_ERROR_LAUNCH_FAILED", "the driver's words"));
        var half = CudaErrors.DriverFailure("cuInit", 100, _ => (null, null));

        Assert.AreEqual("cuLaunchKernel failed: CUDA_ERROR_LAUNCH_FAILED (the driver's words)", asked.Message);
        Assert.AreEqual("cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)", half.Message);
    }

    [TestMethod]
    public void Codes_the_table_lacks_still_get_a_name()
    {
        var failure = CudaErrors.DriverFailure("cuCtxSetCurrent", 12345);

        Assert.AreEqual("CUDA_ERROR_12345", failure.ErrorName);
        StringAssert.Contains(failure.Message, "12345");
        Assert.AreEqual("NVRTC_ERROR_99", CudaErrors.Nvrtc(99));
    }

    [TestMethod]
    public void Common_codes_have_their_cuda_h_names()
    {
        Assert.AreEqual("CUDA_ERROR_ILLEGAL_ADDRESS", CudaErrors.Driver(700).Name);
        Assert.AreEqual("CUDA_ERROR_NO_BINARY_FOR_GPU", CudaErrors.Driver(209).Name);
        Assert.AreEqual("CUDA_ERROR_NOT_FOUND", CudaErrors.Driver(500).Name);
        Assert.AreEqual("CUDA_ERROR_INSUFFICIENT_DRIVER", CudaErrors.Driver(35).Name);
        Assert.AreEqual("NVRTC_ERROR_COMPILATION", CudaErrors.Nvrtc(6));
        Assert.AreEqual("NVRTC_ERROR_INVALID_OPTION", CudaErrors.Nvrtc(5));
    }

    [TestMethod]
    public void A_failed_compile_carries_the_nvrtc_log_in_the_message()
    {
        var log = "filters.cu(12): error: identifier \"widht\" is undefined\n";
        var failure = CudaErrors.NvrtcFailure("nvrtcCompileProgram (filters.cu for sm_90)", 6, _ => throw new DllNotFoundException(), log);

        StringAssert.StartsWith(failure.Message, "nvrtcCompileProgram (filters.cu for sm_90) failed: NVRTC_ERROR_COMPILATION (");
        StringAssert.Contains(failure.Message, "identifier \"widht\" is undefined");
        Assert.AreEqual(log, failure.Log);
    }

    [TestMethod]
    public void Reasons_say_what_is_wrong_and_what_is_needed()
    {
        Assert.AreEqual("the driver supports CUDA 11.4; Scoped needs 12.0 or newer (update the NVIDIA driver)", CudaReasons.DriverTooOld(11040));
        Assert.AreEqual("cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)", CudaReasons.InitFailed(CudaErrors.DriverFailure("cuInit", 100)));
        StringAssert.StartsWith(CudaReasons.NoDevice, "no CUDA device");
        Assert.AreEqual("12.8", CudaReasons.VersionText(12080));
    }

    [TestMethod]
    public void Kernels_are_compiled_for_the_device_without_fast_math()
    {
        var options = Nvrtc.Options("sm_90");

        CollectionAssert.Contains(options.ToList(), "--gpu-architecture=sm_90");
        CollectionAssert.Contains(options.ToList(), "-default-device");
        CollectionAssert.Contains(options.ToList(), "--std=c++17");
        Assert.IsFalse(options.Any(o => o.Contains("fast_math") || o.Contains("fast-math")), "fast math changes float rounding");
    }

    [TestMethod]
    public void A_device_newer_than_nvrtc_gets_ptx_for_the_newest_architecture_nvrtc_knows()
    {
        Assert.AreEqual(("sm_90", false), NvrtcCompiler.Target(90, [75, 80, 86, 89, 90]));
        Assert.AreEqual(("compute_90", true), NvrtcCompiler.Target(120, [75, 80, 86, 89, 90]));
        Assert.AreEqual(("compute_86", true), NvrtcCompiler.Target(87, [75, 80, 86, 89, 90]));
        Assert.AreEqual(("sm_86", false), NvrtcCompiler.Target(86, []), "when NVRTC cannot list its architectures, try the device's own");
    }
}

[TestClass]
public sealed class KernelDiskCacheTests
{
    private static readonly KernelSource Source = new("demo", "extern \"C\" __global__ void k(float* p) { p[0] = 1; }");

    private sealed class CountingCompiler(string version = "12.4") : IKernelCompiler
    {
        public int Compiles { get; private set; }
        public string Version { get; } = version;

        public CompiledKernel Compile(KernelSource source, int computeMajor, int computeMinor)
        {
            Compiles++;
            return new CompiledKernel(System.Text.Encoding.UTF8.GetBytes($"{source.Hash}/sm_{computeMajor}{computeMinor}/{Compiles}"), IsPtx: computeMajor > 10);
        }
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "scoped-cache-" + Guid.NewGuid().ToString("N"));

    [TestMethod]
    public void The_first_load_compiles_and_writes_the_next_reads_the_same_bytes_back()
    {
        var folder = NewFolder();
        try
        {
            var compiler = new CountingCompiler();
            var first = new KernelDiskCache(folder).GetOrCompile(Source, 9, 0, compiler);
            var secondCache = new KernelDiskCache(folder);   // as a later process would
            var second = secondCache.GetOrCompile(Source, 9, 0, compiler);

            Assert.AreEqual(1, compiler.Compiles);
            CollectionAssert.AreEqual(first.Image, second.Image);
            Assert.AreEqual(1, secondCache.Hits);
            Assert.AreEqual(0, secondCache.Misses);
            var file = Path.GetFileName(Directory.GetFiles(folder).Single());
            Assert.AreEqual($"demo-{Source.Hash}-sm_90-nvrtc12.4.bin", file);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    [TestMethod]
    public void Another_architecture_compiler_version_or_source_is_a_miss()
    {
        var folder = NewFolder();
        try
        {
            var compiler = new CountingCompiler();
            var cache = new KernelDiskCache(folder);
            cache.GetOrCompile(Source, 9, 0, compiler);
            cache.GetOrCompile(Source, 8, 6, compiler);
            cache.GetOrCompile(Source, 9, 0, new CountingCompiler("13.0"));
            cache.GetOrCompile(new KernelSource("demo", Source.Code + " "), 9, 0, compiler);

            Assert.AreEqual(4, cache.Misses);
            Assert.AreEqual(4, Directory.GetFiles(folder).Length);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    [TestMethod]
    public void Ptx_entries_come_back_as_ptx()
    {
        var folder = NewFolder();
        try
        {
            var compiler = new CountingCompiler();
            new KernelDiskCache(folder).GetOrCompile(Source, 12, 0, compiler);
            var back = new KernelDiskCache(folder).GetOrCompile(Source, 12, 0, compiler);

            Assert.IsTrue(back.IsPtx);
            Assert.AreEqual(1, compiler.Compiles);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    [TestMethod]
    public void Corrupt_truncated_or_foreign_entries_are_recompiled_and_rewritten()
    {
        var folder = NewFolder();
        try
        {
            var compiler = new CountingCompiler();
            var cache = new KernelDiskCache(folder);
            cache.GetOrCompile(Source, 9, 0, compiler);
            var path = cache.PathFor(Source, "sm_90", "12.4")!;
            var good = File.ReadAllBytes(path);

            var damages = new Func<byte[], byte[]>[]
            {
                b => { var c = (byte[])b.Clone(); c[^1] ^= 0xff; return c; },   // a flipped payload bit
                b => b[..(b.Length - 3)],                                        // truncated
                _ => "garbage"u8.ToArray(),                                      // not ours
                _ => [],                                                         // empty
            };
            foreach (var damage in damages)
            {
                File.WriteAllBytes(path, damage(good));
                int before = compiler.Compiles;
                var result = new KernelDiskCache(folder).GetOrCompile(Source, 9, 0, compiler);

                Assert.AreEqual(before + 1, compiler.Compiles, "a damaged entry is compiled again");
                var reread = new KernelDiskCache(folder);
                CollectionAssert.AreEqual(result.Image, reread.GetOrCompile(Source, 9, 0, compiler).Image);
                Assert.AreEqual(1, reread.Hits, "and rewritten whole");
            }
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    [TestMethod]
    public void Writes_leave_no_temporary_files_and_an_unwritable_cache_is_not_fatal()
    {
        var folder = NewFolder();
        try
        {
            var compiler = new CountingCompiler();
            new KernelDiskCache(folder).GetOrCompile(Source, 9, 0, compiler);
            Assert.AreEqual(0, Directory.GetFiles(folder, "*.tmp").Length);

            // A file where the folder should be: nothing can be written, and the call still gets its kernel.
            var blocked = Path.Combine(folder, "blocked");
            File.WriteAllText(blocked, "");
            var cache = new KernelDiskCache(Path.Combine(blocked, "kernels"));
            var compiled = cache.GetOrCompile(Source, 9, 0, compiler);

            Assert.IsTrue(compiled.Image.Length > 0);
            Assert.IsNotNull(cache.LastProblem);
            StringAssert.Contains(cache.LastProblem, "could not write");
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    [TestMethod]
    public void Without_a_folder_every_load_compiles()
    {
        var compiler = new CountingCompiler();
        var cache = new KernelDiskCache(null);
        cache.GetOrCompile(Source, 9, 0, compiler);
        cache.GetOrCompile(Source, 9, 0, compiler);

        Assert.AreEqual(2, compiler.Compiles);
        Assert.IsNull(cache.PathFor(Source, "sm_90", "12.4"));
    }

    [TestMethod]
    public void The_folder_is_the_option_then_SCOPED_GPU_CACHE_then_the_user_cache()
    {
        Func<string, string?> none = _ => null;
        Func<string, string?> variable = name => name == "SCOPED_GPU_CACHE" ? "/from/env" : null;

        Assert.AreEqual("/configured", KernelDiskCache.DefaultFolder("/configured", variable));
        Assert.AreEqual("/from/env", KernelDiskCache.DefaultFolder(null, variable));
        var fallback = KernelDiskCache.DefaultFolder(null, none);
        Assert.IsNotNull(fallback);
        StringAssert.EndsWith(fallback, Path.Combine("scoped", "kernels"));
        if (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS())
            Assert.AreEqual(Path.Combine("/xdg", "scoped", "kernels"), KernelDiskCache.DefaultFolder(null, n => n == "XDG_CACHE_HOME" ? "/xdg" : null));
    }
}

[TestClass]
public sealed class LaunchParametersTests
{
    private static nint Slot(LaunchParameters parameters, int index) => Marshal.ReadIntPtr(parameters.Address, index * IntPtr.Size);

    [TestMethod]
    public void Each_pointer_points_at_its_parameters_value_in_an_eight_byte_slot()
    {
        var arguments = new KernelArguments().Pointer(new DevicePointer(0x7f00_0000_1000)).Int(-3).Float(1.5f).Double(-2.25).Long(1L << 40);

        using var parameters = new LaunchParameters(arguments);

        Assert.AreEqual(5, parameters.Count);
        Assert.AreEqual(0x7f00_0000_1000L, Marshal.ReadInt64(Slot(parameters, 0)));
        Assert.AreEqual(-3, Marshal.ReadInt32(Slot(parameters, 1)));
        Assert.AreEqual(1.5f, BitConverter.Int32BitsToSingle(Marshal.ReadInt32(Slot(parameters, 2))));
        Assert.AreEqual(-2.25, BitConverter.Int64BitsToDouble(Marshal.ReadInt64(Slot(parameters, 3))));
        Assert.AreEqual(1L << 40, Marshal.ReadInt64(Slot(parameters, 4)));
        for (int i = 0; i < 5; i++)
        {
            Assert.AreEqual(0, (long)Slot(parameters, i) % 8, "aligned for any parameter type");
            if (i > 0) Assert.AreEqual(8, (long)(Slot(parameters, i) - Slot(parameters, i - 1)), "one slot per parameter");
        }
    }

    [TestMethod]
    public void A_kernel_without_parameters_gets_a_null_array()
    {
        using var parameters = new LaunchParameters(new KernelArguments());

        Assert.AreEqual(0, parameters.Count);
        Assert.AreEqual((nint)0, parameters.Address);
    }

    [TestMethod]
    public void The_values_are_copies_so_later_changes_to_the_arguments_do_not_reach_a_launch()
    {
        var arguments = new KernelArguments().Int(7);
        using var parameters = new LaunchParameters(arguments);
        arguments.Int(8);

        Assert.AreEqual(1, parameters.Count);
        Assert.AreEqual(7, Marshal.ReadInt32(Slot(parameters, 0)));
    }
}
