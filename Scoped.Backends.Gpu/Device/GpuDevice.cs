using System.Collections.Concurrent;

namespace Scoped.Backends.Gpu;

/// <summary>Counts of what a device has done since it was created (tests and diagnostics read them).</summary>
public sealed class GpuStatistics
{
    internal long uploads, downloads, bytesUploaded, bytesDownloaded, allocations, frees, liveBytes, launches;

    /// <summary>Host-to-device copies.</summary>
    public long Uploads => Interlocked.Read(ref uploads);
    /// <summary>Device-to-host copies.</summary>
    public long Downloads => Interlocked.Read(ref downloads);
    /// <summary>Bytes copied to the device.</summary>
    public long BytesUploaded => Interlocked.Read(ref bytesUploaded);
    /// <summary>Bytes copied to the host.</summary>
    public long BytesDownloaded => Interlocked.Read(ref bytesDownloaded);
    /// <summary>Allocations made.</summary>
    public long Allocations => Interlocked.Read(ref allocations);
    /// <summary>Allocations freed.</summary>
    public long Frees => Interlocked.Read(ref frees);
    /// <summary>Allocations not freed yet.</summary>
    public long LiveAllocations => Allocations - Frees;
    /// <summary>Bytes allocated and not freed yet.</summary>
    public long LiveBytes => Interlocked.Read(ref liveBytes);
    /// <summary>Kernel launches.</summary>
    public long Launches => Interlocked.Read(ref launches);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Uploads} uploads ({BytesUploaded} B), {Downloads} downloads ({BytesDownloaded} B), {Launches} launches, {LiveAllocations} live allocations ({LiveBytes} B)";
}

/// <summary>Thrown when the GPU backend is used where no usable GPU is; the message says why (no driver, no device, ...).</summary>
public sealed class GpuUnavailableException(string reason) : InvalidOperationException($"No usable CUDA GPU: {reason}")
{
    /// <summary>Why there is no GPU.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// One GPU as the backend uses it: a <see cref="IGpuRuntime"/> plus what the backend adds on top, the same on a real
/// device and a mocked one: allocations that are freed exactly once (by <c>Dispose</c>, or by the finalizer when an
/// array is forgotten), counts of transfers and launches, and a cache of loaded kernels.
/// <see cref="Default"/> is the process's CUDA device.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private static readonly Lazy<(GpuDevice? Device, string? Reason)> s_default = new(CreateDefault, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ConcurrentDictionary<(string Hash, string Entry), GpuFunction> _functions = new();
    private int _disposed;

    /// <summary>A device over a runtime (the CUDA one, or a test double).</summary>
    /// <param name="runtime">The runtime; owned by this device from now on.</param>
    public GpuDevice(IGpuRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Runtime = runtime;
        Info = runtime.Info ?? throw new ArgumentException("The runtime reports no device information.", nameof(runtime));
    }

    /// <summary>The process's CUDA device (device 0), created on first use.</summary>
    /// <exception cref="GpuUnavailableException">There is no usable GPU; the message says why.</exception>
    public static GpuDevice Default => s_default.Value.Device ?? throw new GpuUnavailableException(s_default.Value.Reason!);

    /// <summary>Why <see cref="Default"/> cannot be had (null when it can). Probing loads the driver once.</summary>
    public static string? DefaultUnavailableReason => s_default.Value.Reason;

    /// <summary>The runtime underneath.</summary>
    public IGpuRuntime Runtime { get; }

    /// <summary>The device.</summary>
    public GpuDeviceInfo Info { get; }

    /// <summary>What this device has done.</summary>
    public GpuStatistics Statistics { get; } = new();

    private static (GpuDevice?, string?) CreateDefault() =>
        Native.CudaRuntime.TryCreate(out var runtime, out var reason) ? (new GpuDevice(runtime!), null) : (null, reason);

    internal DeviceAllocation Allocate(long bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var pointer = Runtime.Allocate(Math.Max(1, bytes));
        Interlocked.Increment(ref Statistics.allocations);
        Interlocked.Add(ref Statistics.liveBytes, bytes);
        return new DeviceAllocation(this, pointer, bytes);
    }

    internal void Free(DevicePointer pointer, long bytes)
    {
        Runtime.Free(pointer);
        Interlocked.Increment(ref Statistics.frees);
        Interlocked.Add(ref Statistics.liveBytes, -bytes);
    }

    internal void Upload(DevicePointer destination, nint source, long bytes)
    {
        Runtime.Upload(destination, source, bytes);
        Interlocked.Increment(ref Statistics.uploads);
        Interlocked.Add(ref Statistics.bytesUploaded, bytes);
    }

    internal void Download(nint destination, DevicePointer source, long bytes)
    {
        Runtime.Download(destination, source, bytes);
        Interlocked.Increment(ref Statistics.downloads);
        Interlocked.Add(ref Statistics.bytesDownloaded, bytes);
    }

    /// <summary>The kernel, compiled (or read from the disk cache) the first time it is asked for on this device.</summary>
    internal GpuFunction Function(KernelSource source, string entryPoint) =>
        _functions.GetOrAdd((source.Hash, entryPoint), static (_, state) => state.Runtime.Load(state.source, state.entryPoint), (Runtime, source, entryPoint));

    internal void Launch(GpuFunction function, LaunchShape shape, KernelArguments arguments)
    {
        Runtime.Launch(function, shape, arguments);
        Interlocked.Increment(ref Statistics.launches);
    }

    /// <summary>Releases the runtime. Arrays still alive on this device must not be used afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Runtime.Dispose();
    }

    internal bool IsDisposed => _disposed != 0;

    /// <inheritdoc />
    public override string ToString() => $"{Info.Name} ({Info.Architecture})";
}

/// <summary>
/// One device allocation shared by an array and its views. Each holder takes a reference; the memory is freed when
/// the last one is released, or by the finalizer if every holder was forgotten. Freed exactly once either way.
/// </summary>
internal sealed class DeviceAllocation
{
    private int _references = 1;
    private int _freed;

    public DeviceAllocation(GpuDevice device, DevicePointer pointer, long bytes)
    {
        Device = device;
        Pointer = pointer;
        Bytes = bytes;
    }

    public GpuDevice Device { get; }
    public DevicePointer Pointer { get; }
    public long Bytes { get; }
    public bool IsFreed => Volatile.Read(ref _freed) != 0;

    public void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            throw new ObjectDisposedException(nameof(DeviceAllocation), "The device memory was already freed.");
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) FreeOnce();
    }

    private void FreeOnce()
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0) return;
        GC.SuppressFinalize(this);
        if (!Device.IsDisposed) Device.Free(Pointer, Bytes);
    }

    ~DeviceAllocation()
    {
        // A forgotten array: free its memory rather than leak it. A failure here must not take the process down.
        try { FreeOnce(); }
        catch (Exception) { }
    }
}
