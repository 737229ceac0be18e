using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Image;

namespace Scoped.Backends.Gpu;

/// <summary>
/// The GPU kind of <see cref="NDArray"/>: elements in device memory, C order, contiguous. The "gpu" backend owns this
/// type, so a Scoped.Image call given GPU arrays runs on the GPU with no scope, and its result stays there.
/// Dispose arrays when done (device memory is scarce); one that is forgotten is freed by the finalizer.
/// Views (<see cref="GpuArray{T}.Rows"/>) share the memory, which is freed when the last of them is disposed.
/// </summary>
public abstract class GpuArray : NDArray, IDisposable
{
    private readonly DeviceAllocation _allocation;
    private readonly long _offset;
    private int _disposed;

    private protected GpuArray(DeviceAllocation allocation, long offset, DType dtype, ReadOnlySpan<int> shape) : base(dtype, shape)
    {
        _allocation = allocation;
        _offset = offset;
    }

    /// <inheritdoc />
    public override string Kind => "gpu";

    /// <summary>The device the elements live on.</summary>
    public GpuDevice Device => _allocation.Device;

    /// <summary>The bytes the elements take.</summary>
    public long ByteCount => Size * DType.ItemSize();

    /// <summary>The address of the first element.</summary>
    /// <exception cref="ObjectDisposedException">The array was disposed.</exception>
    public DevicePointer Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _allocation.Pointer.Offset(_offset);
        }
    }

    internal DeviceAllocation Allocation => _allocation;
    internal long Offset => _offset;

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Copies a host array to the device (the process's <see cref="GpuDevice.Default"/> unless given).</summary>
    /// <param name="host">Any host array; strided views are packed first.</param>
    /// <param name="device">The device, or null for the default.</param>
    /// <exception cref="GpuUnavailableException">No device was given and there is no usable GPU.</exception>
    public static GpuArray Upload(HostArray host, GpuDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host switch
        {
            HostArray<float> a => GpuArray<float>.Upload(a, device),
            HostArray<double> a => GpuArray<double>.Upload(a, device),
            HostArray<byte> a => GpuArray<byte>.Upload(a, device),
            HostArray<ushort> a => GpuArray<ushort>.Upload(a, device),
            HostArray<int> a => GpuArray<int>.Upload(a, device),
            HostArray<bool> a => GpuArray<bool>.Upload(a, device),
            _ => throw new ArgumentException($"host has element type {host.DType.NumPyName()}, which GPU arrays do not hold.", nameof(host)),
        };
    }

    /// <summary><see cref="Upload(HostArray, GpuDevice?)"/> on the thread pool.</summary>
    /// <param name="host">Any host array.</param>
    /// <param name="device">The device, or null for the default.</param>
    /// <param name="cancellationToken">Cancels before the copy starts.</param>
    public static Task<GpuArray> UploadAsync(HostArray host, GpuDevice? device = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Task.Run(() => Upload(host, device), cancellationToken);
    }

    /// <summary>Copies the elements to a new host array of the same dtype and shape.</summary>
    public HostArray Download() => DownloadCore();

    private protected abstract HostArray DownloadCore();

    /// <summary><see cref="Download"/> on the thread pool.</summary>
    /// <param name="cancellationToken">Cancels before the copy starts.</param>
    public Task<HostArray> DownloadAsync(CancellationToken cancellationToken = default) => Task.Run(Download, cancellationToken);

    /// <summary>Releases this array's hold on the device memory (freed when no view holds it either). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _allocation.Release();
    }
}

/// <summary>A GPU array of <typeparamref name="T"/> elements.</summary>
/// <typeparam name="T">float, double, byte, ushort, int or bool, as for host arrays.</typeparam>
public sealed class GpuArray<T> : GpuArray where T : unmanaged
{
    internal GpuArray(DeviceAllocation allocation, long offset, ReadOnlySpan<int> shape) : base(allocation, offset, DTypes.Of<T>(), shape) { }

    /// <summary>A new array whose elements are not initialised.</summary>
    /// <param name="device">The device.</param>
    /// <param name="shape">The shape.</param>
    public static GpuArray<T> Allocate(GpuDevice device, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(shape);
        long size = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"shape[{i}] is {shape[i]}; axis lengths must not be negative.", nameof(shape));
            size = checked(size * shape[i]);
        }
        return new GpuArray<T>(device.Allocate(size * Unsafe.SizeOf<T>()), 0, shape);
    }

    /// <summary>A new zero-filled array.</summary>
    /// <param name="device">The device.</param>
    /// <param name="shape">The shape.</param>
    public static GpuArray<T> Zeros(GpuDevice device, params int[] shape)
    {
        var array = Allocate(device, shape);
        if (array.ByteCount > 0) device.Runtime.Fill(array.Pointer, 0, array.ByteCount);
        return array;
    }

    /// <summary>Copies a host array to the device.</summary>
    /// <param name="host">The host array; a strided view is packed first.</param>
    /// <param name="device">The device, or null for <see cref="GpuDevice.Default"/>.</param>
    public static GpuArray<T> Upload(HostArray<T> host, GpuDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        // A cancelled flow (Limits.Use with a token: a timed-out request) stops at the copies; kernels are short.
        Limits.ThrowIfCancelled();
        device ??= GpuDevice.Default;
        var array = Allocate(device, host.Shape.ToArray());
        try
        {
            if (array.ByteCount == 0) return array;
            if (IsCOrder(host.Tensor))
            {
                ref T first = ref TensorMarshal.GetReference(host.Tensor.AsTensorSpan());
                unsafe
                {
                    fixed (T* source = &first) device.Upload(array.Pointer, (nint)source, array.ByteCount);
                }
            }
            else
            {
                var packed = host.ToArray();
                unsafe
                {
                    fixed (T* source = packed) device.Upload(array.Pointer, (nint)source, array.ByteCount);
                }
            }
            return array;
        }
        catch
        {
            array.Dispose();   // a failed copy must not leave the allocation behind
            throw;
        }
    }

    /// <summary>Whether the view's elements lie in memory in C order with no gaps, so they can be copied as one block.</summary>
    private static bool IsCOrder(Tensor<T> tensor)
    {
        nint expected = 1;
        for (int axis = tensor.Rank - 1; axis >= 0; axis--)
        {
            if (tensor.Lengths[axis] != 1 && tensor.Strides[axis] != expected) return false;
            expected *= tensor.Lengths[axis];
        }
        return true;
    }

    /// <summary>Copies the elements to a new host array.</summary>
    public new HostArray<T> Download()
    {
        Limits.ThrowIfCancelled();
        var data = new T[Size];
        if (data.Length > 0)
        {
            unsafe
            {
                fixed (T* destination = data) Device.Download((nint)destination, Pointer, ByteCount);
            }
        }
        return HostArray.Create(data, Shape.ToArray());
    }

    private protected override HostArray DownloadCore() => Download();

    /// <summary>A view of rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), every column
    /// and channel: contiguous, so it shares this array's memory.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows.</param>
    public GpuArray<T> Rows(int start, int count)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (Rank < 1) throw new InvalidOperationException("A 0-d array has no rows.");
        if (start < 0 || count < 0 || start > Shape[0] - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows [{start}, {start} + {count}) are outside 0..{Shape[0]}.");
        long rowBytes = Size == 0 ? 0 : ByteCount / Shape[0];
        var shape = Shape.ToArray();
        shape[0] = count;
        Allocation.AddReference();
        return new GpuArray<T>(Allocation, Offset + start * rowBytes, shape);
    }
}
