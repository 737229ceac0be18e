using System.Numerics.Tensors;

namespace Scoped.Image;

/// <summary>
/// The host kind of <see cref="NDArray"/>: elements in managed memory, held by a <see cref="Tensor{T}"/> that may be
/// a strided view of a larger one. The built-in CPU implementations run on host arrays; backends that add a faster
/// path for them do so only when the user opts in.
/// </summary>
public abstract class HostArray : NDArray
{
    private protected HostArray(DType dtype, ReadOnlySpan<int> shape) : base(dtype, shape) { }

    /// <inheritdoc />
    public override string Kind => "host";

    /// <summary>Wraps <paramref name="data"/> (C order, not copied) as an array of the given shape.</summary>
    public static HostArray<T> Create<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long size = Limits.Product(Array.ConvertAll(shape, n => (long)n));
        if (size != data.Length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {size} elements but data has {data.Length}.", nameof(shape));
        return new HostArray<T>(Tensor.Create(data, shape.Select(n => (nint)n).ToArray()));
    }

    /// <summary>A new zero-filled array.</summary>
    public static HostArray<T> Zeros<T>(params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var n in shape)
            if (n < 0) throw new ArgumentException($"shape must not have a negative axis; got ({string.Join(", ", shape)}).", nameof(shape));
        Guard.OutputShape(shape, nameof(shape), "an array");
        return Create(new T[Limits.Product(Array.ConvertAll(shape, n => (long)n))], shape);
    }

    /// <summary>A new array of the given dtype, zero-filled.</summary>
    public static HostArray Zeros(DType dtype, params int[] shape) => dtype switch
    {
        DType.Bool => Zeros<bool>(shape),
        DType.UInt8 => Zeros<byte>(shape),
        DType.UInt16 => Zeros<ushort>(shape),
        DType.Int32 => Zeros<int>(shape),
        DType.Float32 => Zeros<float>(shape),
        _ => Zeros<double>(shape),
    };

    /// <summary>The elements in C order, as a new array of the element type boxed in <see cref="Array"/>.</summary>
    public abstract Array ToFlatArray();

    /// <summary>The first byte of the backing store (not of this view), recomputed on each call so it stays GC-safe.</summary>
    internal abstract ref byte DataReference();

    /// <summary>A view of rows [row, row + rows) and columns [col, col + cols), every channel.</summary>
    internal abstract HostArray Window(int row, int col, int rows, int cols);

    /// <summary>Copies a window of this array into <paramref name="destination"/> (same dtype and channels) at (dstRow, dstCol).</summary>
    internal abstract void CopyWindowTo(HostArray destination, int row, int col, int rows, int cols, int dstRow, int dstCol);

    /// <summary>
    /// A copy converted to <paramref name="dtype"/> the way NumPy's <c>astype</c> does (floats truncate toward zero;
    /// anything non-zero becomes true). Not scikit-image's rescaling: see <see cref="Util.ImgAsFloat"/>.
    /// </summary>
    public abstract HostArray AsType(DType dtype);
}
