using Scoped.Image;

namespace Scoped.Backends.Gpu;

/// <summary>Element types as the rank, morphology, pointwise, histogram and reduction kernels name and number them.</summary>
internal static class GpuElementTypes
{
    /// <summary>The types these kernels take (bool is read as its 0/1 bytes).</summary>
    public static bool IsSupported(DType dtype) => dtype is DType.UInt8 or DType.Bool or DType.UInt16 or DType.Int32 or DType.Float32 or DType.Float64;

    /// <summary>The entry-point suffix of a type's kernel ("f32", ...).</summary>
    public static string Suffix(DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => "u8",
        DType.UInt16 => "u16",
        DType.Int32 => "i32",
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        _ => throw new ArgumentException($"The GPU kernels do not take {dtype.NumPyName()} elements.", nameof(dtype)),
    };

    /// <summary>The type's number in scoped_types.cuh (SCOPED_U8 ...).</summary>
    public static int Code(DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 0,
        DType.UInt16 => 1,
        DType.Int32 => 2,
        DType.Float32 => 3,
        DType.Float64 => 4,
        _ => throw new ArgumentException($"The GPU kernels do not take {dtype.NumPyName()} elements.", nameof(dtype)),
    };

    /// <summary>A new uninitialised array of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static GpuArray Allocate(GpuDevice device, DType dtype, int[] shape) => dtype switch
    {
        DType.Float32 => GpuArray<float>.Allocate(device, shape),
        DType.Float64 => GpuArray<double>.Allocate(device, shape),
        DType.UInt8 => GpuArray<byte>.Allocate(device, shape),
        DType.UInt16 => GpuArray<ushort>.Allocate(device, shape),
        DType.Int32 => GpuArray<int>.Allocate(device, shape),
        DType.Bool => GpuArray<bool>.Allocate(device, shape),
        _ => throw new ArgumentException($"GPU arrays do not hold {dtype.NumPyName()} elements.", nameof(dtype)),
    };
}

/// <summary>
/// A temporary device buffer (tables, counts, partial sums): freed by Dispose, which every caller does in a finally
/// (or a using), so no path leaves it behind.
/// </summary>
internal sealed class ScratchBuffer : IDisposable
{
    private readonly DeviceAllocation _allocation;
    private int _disposed;

    private ScratchBuffer(DeviceAllocation allocation) => _allocation = allocation;

    public GpuDevice Device => _allocation.Device;
    public DevicePointer Pointer => _allocation.Pointer;
    public long Bytes => _allocation.Bytes;

    /// <summary>An uninitialised buffer of <paramref name="bytes"/> bytes.</summary>
    public static ScratchBuffer Allocate(GpuDevice device, long bytes) => new(device.Allocate(bytes));

    /// <summary>A zero-filled buffer (counts a kernel adds to).</summary>
    public static ScratchBuffer Zeros(GpuDevice device, long bytes)
    {
        var buffer = Allocate(device, bytes);
        try
        {
            device.Runtime.Fill(buffer.Pointer, 0, bytes);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>A buffer holding <paramref name="values"/>.</summary>
    public static unsafe ScratchBuffer Upload<T>(GpuDevice device, T[] values) where T : unmanaged
    {
        long bytes = (long)values.Length * sizeof(T);
        var buffer = Allocate(device, bytes);
        try
        {
            fixed (T* source = values) device.Upload(buffer.Pointer, (nint)source, bytes);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>The first <paramref name="count"/> elements, copied to the host.</summary>
    public unsafe T[] Download<T>(int count) where T : unmanaged
    {
        var values = new T[count];
        if (count == 0) return values;
        fixed (T* destination = values) Device.Download((nint)destination, Pointer, (long)count * sizeof(T));
        return values;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _allocation.Release();
    }
}

/// <summary>Launch helpers shared by these kernel modules.</summary>
internal static class GpuLaunch
{
    /// <summary>Threads per block of the 1-D kernels (the reductions' shared arrays are this long).</summary>
    public const int BlockSize = 256;

    /// <summary>Most blocks of a striding 1-D launch: enough to fill any current GPU, few enough that per-block partials stay small.</summary>
    public const int MaxBlocks = 1024;

    /// <summary>Loads (or finds in the device's cache) <paramref name="entry"/> of <paramref name="source"/> and queues it.</summary>
    public static void Run(GpuDevice device, KernelSource source, string entry, LaunchShape shape, KernelArguments arguments) =>
        device.Launch(device.Function(source, entry), shape, arguments);

    /// <summary>A 1-D grid of 256-thread blocks striding over <paramref name="count"/> elements: at most <see cref="MaxBlocks"/> blocks.</summary>
    public static LaunchShape Striding(long count, int sharedBytes = 0) =>
        new(new Dim3((uint)Math.Clamp((count + BlockSize - 1) / BlockSize, 1, MaxBlocks)), new Dim3(BlockSize), sharedBytes);

    /// <summary>The device an operation's arrays live on; every GPU argument must be on the same one.</summary>
    public static GpuDevice SameDevice(GpuArray first, GpuArray second, string name)
    {
        if (!ReferenceEquals(first.Device, second.Device))
            throw new ArgumentException($"{name} is on {second.Device}, the image on {first.Device}; copy it to the image's device first.", name);
        return first.Device;
    }
}
