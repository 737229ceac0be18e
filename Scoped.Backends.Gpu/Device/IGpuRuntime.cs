namespace Scoped.Backends.Gpu;

/// <summary>A device address (a CUdeviceptr). Zero is the null pointer.</summary>
/// <param name="Address">The address on the device.</param>
public readonly record struct DevicePointer(ulong Address)
{
    /// <summary>Whether this is the null pointer.</summary>
    public bool IsNull => Address == 0;

    /// <summary>The address <paramref name="bytes"/> further on.</summary>
    /// <param name="bytes">A byte offset, not negative.</param>
    public DevicePointer Offset(long bytes) =>
        bytes >= 0 ? new(Address + (ulong)bytes) : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "The offset must not be negative.");

    /// <inheritdoc />
    public override string ToString() => $"0x{Address:x}";
}

/// <summary>A grid or block size, as CUDA's dim3.</summary>
/// <param name="X">Along x (columns).</param>
/// <param name="Y">Along y (rows).</param>
/// <param name="Z">Along z.</param>
public readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1);

/// <summary>How a kernel is launched: the grid of blocks, the threads of a block, and dynamic shared memory.</summary>
/// <param name="Grid">Blocks in the grid.</param>
/// <param name="Block">Threads in a block.</param>
/// <param name="SharedBytes">Dynamic shared memory per block.</param>
public readonly record struct LaunchShape(Dim3 Grid, Dim3 Block, int SharedBytes = 0)
{
    /// <summary>A 2-D launch that covers <paramref name="width"/> × <paramref name="height"/> threads with blocks of
    /// <paramref name="blockX"/> × <paramref name="blockY"/>.</summary>
    public static LaunchShape Covering(int width, int height, uint blockX = 32, uint blockY = 8, int sharedBytes = 0) =>
        new(new Dim3(CeilDiv(width, blockX), CeilDiv(height, blockY)), new Dim3(blockX, blockY), sharedBytes);

    /// <summary>A 1-D launch over <paramref name="count"/> threads.</summary>
    public static LaunchShape Linear(long count, uint block = 256, int sharedBytes = 0) =>
        new(new Dim3((uint)Math.Max(1, (count + block - 1) / block)), new Dim3(block), sharedBytes);

    private static uint CeilDiv(int n, uint d) => (uint)Math.Max(1, (n + d - 1) / d);
}

/// <summary>What the backend knows about the device it runs on.</summary>
/// <param name="Name">The device's name ("NVIDIA H100 80GB HBM3").</param>
/// <param name="ComputeMajor">Compute capability, major.</param>
/// <param name="ComputeMinor">Compute capability, minor.</param>
/// <param name="TotalMemory">Device memory in bytes.</param>
/// <param name="DriverVersion">The driver's CUDA version as the driver reports it (12040 for 12.4).</param>
public sealed record GpuDeviceInfo(string Name, int ComputeMajor, int ComputeMinor, long TotalMemory, int DriverVersion)
{
    /// <summary>"sm_90" and so on: the architecture kernels are compiled for.</summary>
    public string Architecture => $"sm_{ComputeMajor}{ComputeMinor}";
}

/// <summary>A kernel entry point compiled for a device. The handle is the runtime's own (a CUfunction for CUDA).</summary>
/// <param name="Source">The source it came from.</param>
/// <param name="EntryPoint">The extern "C" name of the kernel.</param>
/// <param name="Handle">The runtime's handle.</param>
public sealed record GpuFunction(KernelSource Source, string EntryPoint, nint Handle)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source.Name}:{EntryPoint}";
}

/// <summary>
/// The operations the GPU backend needs from a device: the seam between the backend's logic and the CUDA driver.
/// <see cref="GpuDevice"/> builds everything on it (allocation tracking, transfer counts, the kernel cache), so the
/// backend is tested here with a mocked runtime, and runs on a GPU with the CUDA one. Implementations make their
/// context current on whichever thread calls; every method may be called from any thread, including the finalizer's.
/// Host memory is passed as an address and a length: the caller keeps it pinned for the duration of the call.
/// </summary>
public interface IGpuRuntime : IDisposable
{
    /// <summary>The device.</summary>
    GpuDeviceInfo Info { get; }

    /// <summary>Allocates device memory (not initialised).</summary>
    /// <param name="bytes">At least 1.</param>
    DevicePointer Allocate(long bytes);

    /// <summary>Frees memory from <see cref="Allocate"/>.</summary>
    /// <param name="pointer">The pointer <see cref="Allocate"/> returned.</param>
    void Free(DevicePointer pointer);

    /// <summary>Copies host memory to the device; returns when the copy is complete.</summary>
    /// <param name="destination">Device address.</param>
    /// <param name="source">Pinned host address.</param>
    /// <param name="bytes">Bytes to copy.</param>
    void Upload(DevicePointer destination, nint source, long bytes);

    /// <summary>Copies device memory to the host, after all work queued before it; returns when the copy is complete.</summary>
    /// <param name="destination">Pinned host address.</param>
    /// <param name="source">Device address.</param>
    /// <param name="bytes">Bytes to copy.</param>
    void Download(nint destination, DevicePointer source, long bytes);

    /// <summary>Queues a device-to-device copy.</summary>
    /// <param name="destination">Device address.</param>
    /// <param name="source">Device address.</param>
    /// <param name="bytes">Bytes to copy.</param>
    void Copy(DevicePointer destination, DevicePointer source, long bytes);

    /// <summary>Queues setting <paramref name="bytes"/> bytes to <paramref name="value"/>.</summary>
    /// <param name="destination">Device address.</param>
    /// <param name="value">The byte value.</param>
    /// <param name="bytes">Bytes to set.</param>
    void Fill(DevicePointer destination, byte value, long bytes);

    /// <summary>Compiles <paramref name="source"/> for this device (or loads it from a cache) and returns one entry point.</summary>
    /// <param name="source">CUDA C source.</param>
    /// <param name="entryPoint">The extern "C" kernel name.</param>
    GpuFunction Load(KernelSource source, string entryPoint);

    /// <summary>Queues a kernel launch.</summary>
    /// <param name="function">From <see cref="Load"/>.</param>
    /// <param name="shape">Grid, block and shared memory.</param>
    /// <param name="arguments">The kernel's parameters, in order.</param>
    void Launch(GpuFunction function, LaunchShape shape, KernelArguments arguments);

    /// <summary>Waits until all queued work is done, and reports any error it raised.</summary>
    void Synchronize();
}
