using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Scoped.Backends.Gpu;
using Scoped.Backends.Gpu.Native;

namespace Scoped.Tests.Gpu.Emulation;

/// <summary>
/// A GPU that is the CPU: the backend's real CUDA C kernels, compiled by g++ with tools/gpu/emulate/emu_runtime.h
/// (cooperative threads per block, __syncthreads as a barrier, CUDA's rounding intrinsics), run through the real host
/// wrappers. Device memory is native host memory (the device pointer is the address), with guard bytes on both sides
/// of each allocation that are checked after every launch, and new memory filled with 0xff bytes (NaN as floats) so
/// a kernel that reads what nobody wrote shows it. Each module is compiled once into a shared library, cached by the
/// hash of its source and the emulator's headers in a temporary folder.
/// What it proves: indexing, bounds, boundary modes, tiling, barriers, reductions and the order of float operations.
/// What it does not: NVRTC compilation, the device's own transcendental functions' last bits, races that only a
/// parallel schedule would expose, or speed.
/// </summary>
internal sealed unsafe partial class EmulatedGpuRuntime : IGpuRuntime
{
    private const int GuardBytes = 256;   // also keeps the 256-byte alignment cudaMalloc gives
    private const byte GuardValue = 0xa5;
    private static readonly string ShimFolder = Path.Combine(AppContext.BaseDirectory, "Gpu", "Emulation");
    private static readonly ConcurrentDictionary<string, Lazy<Module>> s_modules = new();
    // The compiled modules keep the launch in progress in globals: one launch at a time in the process.
    private static readonly Lock s_launchGate = new();
    private static readonly Lazy<string?> s_unavailable = new(FindCompiler);

    private readonly ConcurrentDictionary<ulong, long> _live = new();
    // Frees (a finalizer may free on its own thread) wait while the guards are read, so no guard is read after its free.
    private readonly Lock _freeGate = new();
    private readonly ConcurrentDictionary<nint, (Module Module, string Entry)> _functions = new();
    private int _nextFunction;

    /// <summary>Why the emulator cannot run here (no g++), or null.</summary>
    public static string? UnavailableReason => s_unavailable.Value;

    public GpuDeviceInfo Info { get; } = new("CPU emulation (g++)", 8, 0, 8L << 30, 12040);

    /// <summary>Allocations not freed yet.</summary>
    public int LiveAllocations => _live.Count;

    /// <summary>
    /// SCOPED_GPU_EMULATE_GUARD=pages: each allocation ends (to within 8 bytes) at an inaccessible page, so a kernel
    /// that reads past the end of an array crashes the test process at once. Off by default, being a crash rather
    /// than a failed test; a bug hunt turns it on.
    /// </summary>
    private static readonly bool s_guardPages = Environment.GetEnvironmentVariable("SCOPED_GPU_EMULATE_GUARD") == "pages";
    private readonly ConcurrentDictionary<ulong, (nint Base, nuint Length)> _mappings = new();

    public DevicePointer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        if (s_guardPages) return AllocateBeforeGuardPage(bytes);
        var block = (byte*)NativeMemory.AlignedAlloc((nuint)(bytes + 2 * GuardBytes), GuardBytes);
        new Span<byte>(block, GuardBytes).Fill(GuardValue);
        new Span<byte>(block + GuardBytes + bytes, GuardBytes).Fill(GuardValue);
        NativeMemory.Fill(block + GuardBytes, (nuint)bytes, 0xff);
        var address = (ulong)(block + GuardBytes);
        _live[address] = bytes;
        return new DevicePointer(address);
    }

    public void Free(DevicePointer pointer)
    {
        lock (_freeGate)
        {
            if (!_live.TryRemove(pointer.Address, out _))
                throw new InvalidOperationException($"Free of {pointer}, which is not a live allocation (freed twice, or never allocated).");
            if (_mappings.TryRemove(pointer.Address, out var mapping)) Munmap(mapping.Base, mapping.Length);
            else NativeMemory.AlignedFree((byte*)pointer.Address - GuardBytes);
        }
    }

    private DevicePointer AllocateBeforeGuardPage(long bytes)
    {
        nuint page = (nuint)Environment.SystemPageSize;
        nuint usable = ((nuint)(bytes + GuardBytes + 8) + page - 1) / page * page;
        nint mapped = Mmap(0, usable + page, 3 /* read | write */, 0x22 /* private | anonymous */, -1, 0);
        if (mapped == -1) throw new OutOfMemoryException($"mmap of {usable + page} bytes failed");
        if (Mprotect(mapped + (nint)usable, page, 0) != 0) throw new InvalidOperationException("mprotect failed");
        var start = (byte*)(((ulong)mapped + usable - (ulong)bytes) & ~7UL);
        new Span<byte>(start - GuardBytes, GuardBytes).Fill(GuardValue);
        new Span<byte>(start + bytes, (int)((byte*)(mapped + (nint)usable) - (start + bytes))).Fill(GuardValue);
        NativeMemory.Fill(start, (nuint)bytes, 0xff);
        _mappings[(ulong)start] = (mapped, usable + page);
        _live[(ulong)start] = bytes;
        return new DevicePointer((ulong)start);
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    public void Upload(DevicePointer destination, nint source, long bytes) =>
        Buffer.MemoryCopy((void*)source, Checked(destination, bytes, "Upload"), bytes, bytes);

    public void Download(nint destination, DevicePointer source, long bytes) =>
        Buffer.MemoryCopy(Checked(source, bytes, "Download"), (void*)destination, bytes, bytes);

    public void Copy(DevicePointer destination, DevicePointer source, long bytes) =>
        Buffer.MemoryCopy(Checked(source, bytes, "Copy"), Checked(destination, bytes, "Copy"), bytes, bytes);

    public void Fill(DevicePointer destination, byte value, long bytes) =>
        NativeMemory.Fill(Checked(destination, bytes, "Fill"), (nuint)bytes, value);

    public GpuFunction Load(KernelSource source, string entryPoint)
    {
        if (UnavailableReason is { } reason) throw new GpuUnavailableException(reason);
        var module = s_modules.GetOrAdd(source.Hash, _ => new Lazy<Module>(() => Module.Compile(source))).Value;
        if (module.Parameters(entryPoint) < 0)
            throw new InvalidOperationException($"{source.Name}.cu has no kernel {entryPoint}.");
        var handle = (nint)Interlocked.Increment(ref _nextFunction);
        _functions[handle] = (module, entryPoint);
        return new GpuFunction(source, entryPoint, handle);
    }

    public void Launch(GpuFunction function, LaunchShape shape, KernelArguments arguments)
    {
        if (!_functions.TryGetValue(function.Handle, out var loaded))
            throw new InvalidOperationException($"{function} was not loaded by this runtime.");
        using var parameters = new LaunchParameters(arguments);
        var sizes = arguments.Sizes.ToArray();
        lock (s_launchGate)
        {
            int status;
            fixed (int* sizePointer = sizes)
                status = loaded.Module.Launch(loaded.Entry, shape, parameters.Pointers, sizes.Length, sizePointer);
            if (status != 0) throw new InvalidOperationException($"Emulated launch of {function} failed: {loaded.Module.Error()}");
        }
        CheckGuards(function.ToString());
    }

    public void Synchronize() { }

    public void Dispose() { }

    /// <summary>The address of [pointer, pointer + bytes), checked to lie in one live allocation.</summary>
    private byte* Checked(DevicePointer pointer, long bytes, string operation)
    {
        foreach (var (start, length) in _live)
            if (pointer.Address >= start && pointer.Address + (ulong)bytes <= start + (ulong)length) return (byte*)pointer.Address;
        throw new ArgumentOutOfRangeException(nameof(pointer), $"{operation} of {bytes} bytes at {pointer} is outside every live allocation.");
    }

    /// <summary>Every allocation's guard bytes, checked after a launch: a kernel that wrote out of bounds is named.</summary>
    private void CheckGuards(string kernel)
    {
        lock (_freeGate)
            foreach (var (start, length) in _live)
                if (!GuardsIntact(start, length))
                    throw new InvalidOperationException($"{kernel} wrote outside the {length}-byte allocation at 0x{start:x}.");
    }

    private bool GuardsIntact(ulong start, long length)
    {
        // before a guard page only the few bytes up to it are guard bytes
        int after = _mappings.TryGetValue(start, out var m) ? (int)((ulong)m.Base + m.Length - (ulong)Environment.SystemPageSize - (start + (ulong)length)) : GuardBytes;
        return !new ReadOnlySpan<byte>((byte*)start - GuardBytes, GuardBytes).ContainsAnyExcept(GuardValue) &&
               !new ReadOnlySpan<byte>((byte*)start + length, after).ContainsAnyExcept(GuardValue);
    }

    private static string? FindCompiler()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("g++", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            process!.WaitForExit();
            return process.ExitCode == 0 ? null : "g++ --version failed";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "the GPU emulator needs g++, which is not on PATH";
        }
    }

    /// <summary>One kernel module compiled into a shared library, with its emu_launch.</summary>
    private sealed partial class Module
    {
        private readonly delegate* unmanaged<byte*, int> _parameters;
        private readonly delegate* unmanaged<byte*> _error;
        private readonly delegate* unmanaged<byte*, uint, uint, uint, uint, uint, uint, int, void**, int, int*, int> _launch;

        private Module(nint library)
        {
            _parameters = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(library, "emu_parameters");
            _error = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(library, "emu_error");
            _launch = (delegate* unmanaged<byte*, uint, uint, uint, uint, uint, uint, int, void**, int, int*, int>)NativeLibrary.GetExport(library, "emu_launch");
        }

        public int Parameters(string entry)
        {
            fixed (byte* name = Encoding.ASCII.GetBytes(entry + "\0")) return _parameters(name);
        }

        public string Error() => Marshal.PtrToStringAnsi((nint)_error()) ?? "";

        public int Launch(string entry, LaunchShape shape, void** arguments, int count, int* sizes)
        {
            fixed (byte* name = Encoding.ASCII.GetBytes(entry + "\0"))
                return _launch(name, shape.Grid.X, shape.Grid.Y, shape.Grid.Z, shape.Block.X, shape.Block.Y, shape.Block.Z,
                    shape.SharedBytes, arguments, count, sizes);
        }

        public static Module Compile(KernelSource source)
        {
            var shims = new[] { "emu_intrinsics.h", "emu_runtime.h" }.ToDictionary(n => n, n => File.ReadAllText(Path.Combine(ShimFolder, n)));
            var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
                source.Hash + string.Concat(shims.Select(s => "\0" + s.Key + "\0" + s.Value)) + "\0" + Flags)))[..24];
            var cache = Environment.GetEnvironmentVariable("SCOPED_GPU_EMULATE_CACHE") is { Length: > 0 } folder
                ? folder : Path.Combine(Path.GetTempPath(), "scoped-gpu-emulation");
            Directory.CreateDirectory(cache);
            var library = Path.Combine(cache, $"{source.Name}-{key}.so");
            if (!File.Exists(library)) Build(source, shims, library);
            return new Module(NativeLibrary.Load(library));
        }

        private const string Flags = "-std=c++20 -O1 -ffp-contract=off -fno-fast-math -fPIC -shared -fvisibility=hidden -w";

        private static void Build(KernelSource source, Dictionary<string, string> shims, string library)
        {
            var work = Directory.CreateTempSubdirectory("scoped-emu-");
            try
            {
                // On the GPU, `extern __shared__ T name[]` is the launch's dynamic shared memory; here it is a plain
                // array the generated file defines, while a static __shared__ array becomes a function static.
                foreach (var (name, text) in source.Headers.Append(new(source.Name + ".cu", source.Code)))
                    File.WriteAllText(Path.Combine(work.FullName, name), ExternShared().Replace(text, "extern "));
                foreach (var (name, text) in shims) File.WriteAllText(Path.Combine(work.FullName, name), text);
                var expanded = Run(work.FullName, $"-E -P -x c++ -std=c++20 -DEMU_SCAN -include emu_runtime.h -I . {source.Name}.cu");
                var kernels = KernelName().Matches(expanded).Select(m => m.Groups[1].Value).Distinct().ToList();
                var shared = DynamicShared().Matches(expanded).Select(m => (Type: m.Groups[1].Value.Trim(), Name: m.Groups[2].Value)).Distinct().ToList();
                if (kernels.Count == 0) throw new InvalidOperationException($"{source.Name}.cu declares no extern \"C\" __global__ kernel.");
                var generated = new StringBuilder()
                    .AppendLine($"#include \"{source.Name}.cu\"")
                    .AppendLine("// generated by EmulatedGpuRuntime: the module's dynamic shared arrays and its entry points");
                foreach (var (type, name) in shared) generated.AppendLine($"alignas(16) {type} {name}[emu::MaxDynamicShared / sizeof({type})];");
                generated.AppendLine($"void* const emu_shared[] = {{ {string.Join(", ", shared.Select(s => "(void*)" + s.Name).Append("nullptr"))} }};")
                    .AppendLine($"const int emu_shared_count = {shared.Count};")
                    .AppendLine($"const emu::Entry emu_entries[] = {{ {string.Join(", ", kernels.Select(k => $"EMU_ENTRY({k})"))} }};")
                    .AppendLine($"const int emu_entry_count = {kernels.Count};");
                File.WriteAllText(Path.Combine(work.FullName, "emu_module.cpp"), generated.ToString());
                var temporary = library + "." + Environment.ProcessId + ".tmp";
                Run(work.FullName, $"{Flags} -include emu_runtime.h -I . emu_module.cpp -o \"{temporary}\"");
                File.Move(temporary, library, overwrite: true);   // atomic, so a parallel test process never loads half a file
            }
            finally { work.Delete(recursive: true); }
        }

        private static string Run(string folder, string arguments)
        {
            var info = new ProcessStartInfo("g++", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"g++ {arguments} failed:\n{errors}");
            return output.Result;
        }

        [GeneratedRegex(@"extern\s+__shared__\s+")]
        private static partial Regex ExternShared();

        [GeneratedRegex(@"extern\s+""C""\s+EMU_KERNEL\s+void\s+(\w+)\s*\(")]
        private static partial Regex KernelName();

        [GeneratedRegex(@"(?<![\w""])extern\s+((?:unsigned\s+|signed\s+|const\s+)*[A-Za-z_]\w*)\s+(\w+)\s*\[\s*\]\s*;")]
        private static partial Regex DynamicShared();
    }
}
