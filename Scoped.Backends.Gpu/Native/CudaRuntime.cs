using System.Collections.Concurrent;
using System.Text;

namespace Scoped.Backends.Gpu.Native;

/// <summary>Why the CUDA runtime could not be created, worded for <see cref="GpuDevice.DefaultUnavailableReason"/>.</summary>
internal static class CudaReasons
{
    /// <summary>The oldest driver API the backend is written against (CUDA 12.0).</summary>
    public const int MinimumDriverVersion = 12000;

    public static string VersionText(int version) => $"{version / 1000}.{version % 1000 / 10}";

    public static string InitFailed(CudaException failure) => $"cuInit failed: {failure.ErrorName} ({failure.Description})";

    public static string DriverTooOld(int version) =>
        $"the driver supports CUDA {VersionText(version)}; Scoped needs {VersionText(MinimumDriverVersion)} or newer (update the NVIDIA driver)";

    public const string NoDevice = "no CUDA device: the driver loaded but reports no GPU";

    public static string MissingEntryPoint(string library, Exception failure) =>
        $"{library} lacks an entry point the backend needs ({failure.Message}); it is too old or not NVIDIA's library";

    public static string SetupFailed(CudaException failure) => $"the CUDA device could not be set up: {failure.Message}";
}

/// <summary>
/// <see cref="IGpuRuntime"/> over the CUDA driver API: device 0, its primary context (made current on whichever thread
/// calls), one non-blocking stream for all work, kernels compiled by NVRTC once per process and cached on disk.
/// Uploads and downloads wait for their copy (and a download for all work queued before it); copies, fills, frees and
/// launches are queued on the stream. Memory comes from the device's stream-ordered pool where the device has one, so
/// freeing a temporary does not stall the stream.
/// </summary>
internal sealed unsafe class CudaRuntime : IGpuRuntime
{
    private readonly int _device;
    private readonly nint _context;
    private readonly nint _stream;
    private readonly bool _pooled;
    private readonly IKernelCompiler _compiler;
    private readonly ConcurrentDictionary<string, Lazy<nint>> _modules = new();
    private KernelDiskCache? _diskCache;
    private int _disposed;

    private CudaRuntime(int device, nint context, nint stream, bool pooled, GpuDeviceInfo info, IKernelCompiler compiler)
    {
        _device = device;
        _context = context;
        _stream = stream;
        _pooled = pooled;
        Info = info;
        _compiler = compiler;
    }

    /// <inheritdoc />
    public GpuDeviceInfo Info { get; }

    /// <summary>The NVRTC version kernels are compiled with.</summary>
    public string CompilerVersion => _compiler.Version;

    /// <summary>The disk cache in use (its folder follows <see cref="GpuBackendOptions.KernelCachePath"/>).</summary>
    internal KernelDiskCache DiskCache
    {
        get
        {
            var folder = KernelDiskCache.DefaultFolder(GpuBackend.CurrentOptions.KernelCachePath, Environment.GetEnvironmentVariable);
            var cache = Volatile.Read(ref _diskCache);
            if (cache is null || cache.Folder != folder) Volatile.Write(ref _diskCache, cache = new KernelDiskCache(folder));
            return cache;
        }
    }

    /// <summary>Loads the driver, picks device 0 and retains its primary context; or says precisely why it cannot.</summary>
    /// <param name="runtime">The runtime, when it returns true.</param>
    /// <param name="reason">Why not, when it returns false.</param>
    public static bool TryCreate(out IGpuRuntime? runtime, out string? reason)
    {
        runtime = null;
        bool windows = OperatingSystem.IsWindows();
        int driverVersion;
        var driver = CudaLibraryResolver.Load(CudaLibrary.Driver);
        if (!driver.Found)
        {
            reason = NativeLibraryProbe.NotFoundReason(CudaLibrary.Driver, driver.Searched, windows);
            return false;
        }
        try
        {
            int result = CudaDriver.cuInit(0);
            if (result != 0)
            {
                reason = CudaReasons.InitFailed(CudaDriver.Failure("cuInit", result));
                return false;
            }
            CudaDriver.Check(CudaDriver.cuDriverGetVersion(out var version), "cuDriverGetVersion");
            if (version < CudaReasons.MinimumDriverVersion)
            {
                reason = CudaReasons.DriverTooOld(version);
                return false;
            }
            driverVersion = version;
            CudaDriver.Check(CudaDriver.cuDeviceGetCount(out var count), "cuDeviceGetCount");
            if (count == 0)
            {
                reason = CudaReasons.NoDevice;
                return false;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or BadImageFormatException)
        {
            reason = CudaReasons.MissingEntryPoint(driver.Path!, ex);
            return false;
        }
        catch (CudaException ex)
        {
            reason = CudaReasons.SetupFailed(ex);
            return false;
        }

        // An NVRTC newer than the driver can emit code the driver cannot load: take one of the driver's major or older.
        var nvrtc = CudaLibraryResolver.Load(CudaLibrary.Nvrtc, maximumMajor: driverVersion / 1000);
        if (!nvrtc.Found)
        {
            reason = NativeLibraryProbe.NotFoundReason(CudaLibrary.Nvrtc, nvrtc.Searched, windows);
            if (driverVersion / 1000 < 13) reason += $" (the driver supports CUDA {CudaReasons.VersionText(driverVersion)}, so NVRTC 13 is not used)";
            return false;
        }
        try
        {
            runtime = Create(new NvrtcCompiler());
            reason = null;
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or BadImageFormatException)
        {
            reason = CudaReasons.MissingEntryPoint($"{driver.Path} or {nvrtc.Path}", ex);
            return false;
        }
        catch (CudaException ex)
        {
            reason = CudaReasons.SetupFailed(ex);
            return false;
        }
    }

    private static CudaRuntime Create(IKernelCompiler compiler)
    {
        CudaDriver.Check(CudaDriver.cuDriverGetVersion(out var version), "cuDriverGetVersion");
        CudaDriver.Check(CudaDriver.cuDeviceGet(out var device, 0), "cuDeviceGet");
        var nameBytes = new byte[256];
        fixed (byte* name = nameBytes) CudaDriver.Check(CudaDriver.cuDeviceGetName(name, nameBytes.Length, device), "cuDeviceGetName");
        int nameLength = Array.IndexOf(nameBytes, (byte)0);
        var deviceName = Encoding.UTF8.GetString(nameBytes, 0, nameLength < 0 ? nameBytes.Length : nameLength);
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out var major, CudaDriver.AttributeComputeCapabilityMajor, device), "cuDeviceGetAttribute");
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out var minor, CudaDriver.AttributeComputeCapabilityMinor, device), "cuDeviceGetAttribute");
        CudaDriver.Check(CudaDriver.cuDeviceTotalMem_v2(out var totalMemory, device), "cuDeviceTotalMem_v2");
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out var pools, CudaDriver.AttributeMemoryPoolsSupported, device), "cuDeviceGetAttribute");

        CudaDriver.Check(CudaDriver.cuDevicePrimaryCtxRetain(out var context, device), "cuDevicePrimaryCtxRetain");
        try
        {
            CudaDriver.Check(CudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            CudaDriver.Check(CudaDriver.cuStreamCreate(out var stream, CudaDriver.StreamNonBlocking), "cuStreamCreate");
            bool pooled = pools != 0 && KeepPoolMemory(device);
            var info = new GpuDeviceInfo(deviceName, major, minor, (long)totalMemory, version);
            return new CudaRuntime(device, context, stream, pooled, info, compiler);
        }
        catch
        {
            CudaDriver.cuDevicePrimaryCtxRelease_v2(device);
            throw;
        }
    }

    /// <summary>By default the pool gives freed memory back to the driver at every synchronisation, which makes the next
    /// allocation slow; keeping it (the threshold at its maximum) makes temporaries cheap. False if the pool refuses.</summary>
    private static bool KeepPoolMemory(int device)
    {
        if (CudaDriver.cuDeviceGetDefaultMemPool(out var pool, device) != 0) return false;
        ulong keepAll = ulong.MaxValue;
        return CudaDriver.cuMemPoolSetAttribute(pool, CudaDriver.MemPoolAttributeReleaseThreshold, &keepAll) == 0;
    }

    /// <summary>Makes the primary context current on this thread unless it already is. Asking the driver (a thread-local
    /// read) rather than remembering per thread keeps this right when other CUDA code on the thread switches contexts.</summary>
    private void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (CudaDriver.cuCtxGetCurrent(out var current) == 0 && current == _context) return;
        CudaDriver.Check(CudaDriver.cuCtxSetCurrent(_context), "cuCtxSetCurrent");
    }

    /// <inheritdoc />
    public DevicePointer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        MakeCurrent();
        ulong pointer;
        if (_pooled) CudaDriver.Check(CudaDriver.cuMemAllocAsync(out pointer, (nuint)bytes, _stream), "cuMemAllocAsync");
        else CudaDriver.Check(CudaDriver.cuMemAlloc_v2(out pointer, (nuint)bytes), "cuMemAlloc_v2");
        return new DevicePointer(pointer);
    }

    /// <inheritdoc />
    public void Free(DevicePointer pointer)
    {
        if (pointer.IsNull || _disposed != 0) return;   // after Dispose the context's memory is gone with it
        MakeCurrent();
        if (_pooled)
        {
            // Queued after the work that may still read it, so the stream never waits here.
            CudaDriver.Check(CudaDriver.cuMemFreeAsync(pointer.Address, _stream), "cuMemFreeAsync");
        }
        else
        {
            CudaDriver.Check(CudaDriver.cuStreamSynchronize(_stream), "cuStreamSynchronize");
            CudaDriver.Check(CudaDriver.cuMemFree_v2(pointer.Address), "cuMemFree_v2");
        }
    }

    /// <inheritdoc />
    public void Upload(DevicePointer destination, nint source, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuMemcpyHtoDAsync_v2(destination.Address, (void*)source, (nuint)bytes, _stream), "cuMemcpyHtoDAsync_v2");
        CudaDriver.Check(CudaDriver.cuStreamSynchronize(_stream), "cuStreamSynchronize");
    }

    /// <inheritdoc />
    public void Download(nint destination, DevicePointer source, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuMemcpyDtoHAsync_v2((void*)destination, source.Address, (nuint)bytes, _stream), "cuMemcpyDtoHAsync_v2");
        CudaDriver.Check(CudaDriver.cuStreamSynchronize(_stream), "cuStreamSynchronize");
    }

    /// <inheritdoc />
    public void Copy(DevicePointer destination, DevicePointer source, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuMemcpyDtoDAsync_v2(destination.Address, source.Address, (nuint)bytes, _stream), "cuMemcpyDtoDAsync_v2");
    }

    /// <inheritdoc />
    public void Fill(DevicePointer destination, byte value, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuMemsetD8Async(destination.Address, value, (nuint)bytes, _stream), "cuMemsetD8Async");
    }

    /// <inheritdoc />
    public GpuFunction Load(KernelSource source, string entryPoint)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(entryPoint);
        MakeCurrent();
        var module = _modules.GetOrAdd(source.Hash, _ => new Lazy<nint>(() => LoadModule(source), LazyThreadSafetyMode.ExecutionAndPublication));
        nint handle;
        try { handle = module.Value; }
        catch
        {
            _modules.TryRemove(source.Hash, out _);   // a failed compile is not remembered: the next call tries again
            throw;
        }
        int result = CudaDriver.cuModuleGetFunction(out var function, handle, entryPoint);
        if (result != 0)
        {
            var failure = CudaDriver.Failure($"cuModuleGetFunction (\"{entryPoint}\" in {source.Name}.cu)", result);
            throw new CudaException(failure.Call, failure.Code, failure.ErrorName,
                failure.Description + $"; is {entryPoint} declared extern \"C\" __global__ in {source.Name}.cu?");
        }
        return new GpuFunction(source, entryPoint, function);
    }

    private nint LoadModule(KernelSource source)
    {
        MakeCurrent();
        var compiled = DiskCache.GetOrCompile(source, Info.ComputeMajor, Info.ComputeMinor, _compiler);
        if (TryLoadImage(compiled.Image, out var module, out var result)) return module;
        // A cached image the driver rejects (a different driver, a damaged file that kept its checksum): compile afresh once.
        var fresh = _compiler.Compile(source, Info.ComputeMajor, Info.ComputeMinor);
        if (TryLoadImage(fresh.Image, out module, out result)) return module;
        throw CudaDriver.Failure($"cuModuleLoadData ({source.Name}.cu, {(fresh.IsPtx ? "PTX" : "cubin")} for {Info.Architecture})", result);
    }

    private static bool TryLoadImage(byte[] image, out nint module, out int result)
    {
        fixed (byte* data = image) result = CudaDriver.cuModuleLoadData(out module, data);
        return result == 0;
    }

    /// <inheritdoc />
    public void Launch(GpuFunction function, LaunchShape shape, KernelArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        MakeCurrent();
        if (shape.SharedBytes > CudaDriver.DefaultSharedBytesLimit)
        {
            // Above 48 kB a kernel must opt in to more dynamic shared memory.
            int raised = CudaDriver.cuFuncSetAttribute(function.Handle, CudaDriver.FunctionAttributeMaxDynamicSharedBytes, shape.SharedBytes);
            if (raised != 0) throw CudaDriver.Failure($"cuFuncSetAttribute ({function}, {shape.SharedBytes} bytes of shared memory)", raised);
        }
        using var parameters = new LaunchParameters(arguments);
        int result = CudaDriver.cuLaunchKernel(function.Handle, shape.Grid.X, shape.Grid.Y, shape.Grid.Z, shape.Block.X, shape.Block.Y, shape.Block.Z,
            (uint)shape.SharedBytes, _stream, parameters.Pointers, null);
        if (result != 0) throw CudaDriver.Failure($"cuLaunchKernel ({function}, grid {shape.Grid}, block {shape.Block})", result);
    }

    /// <inheritdoc />
    public void Synchronize()
    {
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuStreamSynchronize(_stream), "cuStreamSynchronize");
    }

    /// <summary>
    /// Times device work with CUDA events on the runtime's stream: records an event, runs <paramref name="work"/>
    /// (which queues kernels), records another, waits for it, and returns the milliseconds between the two. Host time
    /// spent queueing counts only where the device waited for it. Used by the GPU benchmark.
    /// </summary>
    internal double TimeMilliseconds(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuEventCreate(out var start, CudaDriver.EventDefault), "cuEventCreate");
        try
        {
            CudaDriver.Check(CudaDriver.cuEventCreate(out var end, CudaDriver.EventDefault), "cuEventCreate");
            try
            {
                CudaDriver.Check(CudaDriver.cuEventRecord(start, _stream), "cuEventRecord");
                work();
                CudaDriver.Check(CudaDriver.cuEventRecord(end, _stream), "cuEventRecord");
                CudaDriver.Check(CudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
                CudaDriver.Check(CudaDriver.cuEventElapsedTime(out var milliseconds, start, end), "cuEventElapsedTime");
                return milliseconds;
            }
            finally { CudaDriver.cuEventDestroy_v2(end); }
        }
        finally { CudaDriver.cuEventDestroy_v2(start); }
    }

    /// <summary>Waits for queued work, unloads modules, destroys the stream and releases the primary context.</summary>
    public void Dispose()
    {
        if (_disposed != 0) return;
        try { MakeCurrent(); CudaDriver.cuStreamSynchronize(_stream); }
        catch (CudaException) { }   // a device in an error state still releases what it can
        Interlocked.Exchange(ref _disposed, 1);
        foreach (var module in _modules.Values)
            if (module.IsValueCreated) CudaDriver.cuModuleUnload(module.Value);
        _modules.Clear();
        CudaDriver.cuStreamDestroy_v2(_stream);
        CudaDriver.cuDevicePrimaryCtxRelease_v2(_device);
    }
}
