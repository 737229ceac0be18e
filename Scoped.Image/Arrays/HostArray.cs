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

    /// <summary>A view (no copy) of rows [row, row + rows) and columns [col, col + cols) of a 2-D image, or of a 3-D one
    /// with its channels last, every channel: what a backend working in tiles reads.</summary>
    /// <param name="row">First row.</param>
    /// <param name="col">First column.</param>
    /// <param name="rows">Rows in the window.</param>
    /// <param name="cols">Columns in the window.</param>
    /// <exception cref="ArgumentException">The array is not 2-D or 3-D, or the window does not lie inside it.</exception>
    public HostArray Window(int row, int col, int rows, int cols)
    {
        CheckWindow(this, row, col, rows, cols, "array", nameof(row));
        return WindowCore(row, col, rows, cols);
    }

    /// <summary>Copies a window of this array into <paramref name="destination"/> at (dstRow, dstCol).</summary>
    /// <param name="destination">An array of the same element type, rank and channel count.</param>
    /// <param name="row">First row of the window here.</param>
    /// <param name="col">First column of the window here.</param>
    /// <param name="rows">Rows in the window.</param>
    /// <param name="cols">Columns in the window.</param>
    /// <param name="dstRow">Where its first row goes in the destination.</param>
    /// <param name="dstCol">Where its first column goes in the destination.</param>
    /// <exception cref="ArgumentException">The arrays differ in element type, rank or channels, or a window does not lie inside its array.</exception>
    public void CopyWindowTo(HostArray destination, int row, int col, int rows, int cols, int dstRow, int dstCol)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DType != DType || destination.Rank != Rank || (Rank == 3 && destination.Shape[2] != Shape[2]))
            throw new ArgumentException($"destination is a {destination.DType.NumPyName()} array {destination.ShapeText}; a window of this {DType.NumPyName()} array {ShapeText} needs the same element type, rank and channels.", nameof(destination));
        CheckWindow(this, row, col, rows, cols, "source", nameof(row));
        CheckWindow(destination, dstRow, dstCol, rows, cols, nameof(destination), nameof(dstRow));
        CopyWindowToCore(destination, row, col, rows, cols, dstRow, dstCol);
    }

    private static void CheckWindow(HostArray array, int row, int col, int rows, int cols, string what, string parameter)
    {
        if (array.Rank is not (2 or 3)) throw new ArgumentException($"windows are taken of 2-D images or 3-D ones with channels last; the {what} is {array.ShapeText}.", parameter);
        if (row < 0 || col < 0 || rows < 0 || cols < 0 || (long)row + rows > array.Shape[0] || (long)col + cols > array.Shape[1])
            throw new ArgumentException($"the window of {rows}×{cols} at ({row}, {col}) does not lie inside the {what} {array.ShapeText}.", parameter);
    }

    internal abstract HostArray WindowCore(int row, int col, int rows, int cols);

    internal abstract void CopyWindowToCore(HostArray destination, int row, int col, int rows, int cols, int dstRow, int dstCol);

    /// <summary>
    /// A copy converted to <paramref name="dtype"/> the way NumPy's <c>astype</c> does (floats truncate toward zero;
    /// anything non-zero becomes true). Not scikit-image's rescaling: see <see cref="Util.ImgAsFloat"/>.
    /// </summary>
    public abstract HostArray AsType(DType dtype);
}
