using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image;

/// <summary>A host array of <typeparamref name="T"/>: a <see cref="Tensor{T}"/> wrapped without copying.</summary>
public sealed class HostArray<T> : HostArray where T : unmanaged
{
    /// <summary>Wraps <paramref name="tensor"/> (shared, not copied; a strided view stays a view).</summary>
    public HostArray(Tensor<T> tensor) : base(DTypes.Of<T>(), ToShape(tensor)) => Tensor = tensor;

    /// <summary>The tensor underneath: writes to it are writes to this array.</summary>
    public Tensor<T> Tensor { get; }

    /// <summary>The element at (row, col) of a 2-D array.</summary>
    public ref T this[int row, int col] => ref Tensor[[(nint)row, col]];

    /// <summary>The element at (row, col, channel) of a 3-D array.</summary>
    public ref T this[int row, int col, int channel] => ref Tensor[[(nint)row, col, channel]];

    /// <summary>The tensor (not copied).</summary>
    public static implicit operator Tensor<T>(HostArray<T> array) => array.Tensor;

    /// <summary>Wraps a tensor (not copied).</summary>
    public static implicit operator HostArray<T>(Tensor<T> tensor) => new(tensor);

    /// <summary>The elements in C order.</summary>
    public T[] ToArray()
    {
        var result = new T[Size];
        // A dense array is one block copy; FlattenTo walks a view element by element.
        if (IsCContiguous && Size > 0)
            MemoryMarshal.CreateReadOnlySpan(ref TensorMarshal.GetReference(Tensor.AsTensorSpan()), result.Length).CopyTo(result);
        else Tensor.FlattenTo(result);
        return result;
    }

    /// <inheritdoc />
    public override Array ToFlatArray() => ToArray();

    /// <inheritdoc />
    public override HostArray AsType(DType dtype) => dtype switch
    {
        DType.Bool => Cast<bool>(),
        DType.UInt8 => Cast<byte>(),
        DType.UInt16 => Cast<ushort>(),
        DType.Int32 => Cast<int>(),
        DType.Float32 => Cast<float>(),
        _ => Cast<double>(),
    };

    private HostArray<TOut> Cast<TOut>() where TOut : unmanaged
    {
        var source = ToArray();
        var result = new TOut[source.Length];
        for (int i = 0; i < source.Length; i++) result[i] = Elements.From<TOut>(Elements.ToDouble(source[i]));
        return HostArray.Create(result, Shape.ToArray());
    }

    /// <summary>True when rows are contiguous: the last axis has stride 1 and, for 3-D, pixels are channel-interleaved.</summary>
    internal bool HasDenseRows
    {
        get
        {
            var strides = Tensor.Strides;
            var lengths = Tensor.Lengths;
            int r = Rank;
            if (r == 0) return true;
            if (lengths[r - 1] > 1 && strides[r - 1] != 1) return false;
            return r < 3 || lengths[r - 2] <= 1 || strides[r - 2] == lengths[r - 1];
        }
    }

    /// <summary>
    /// The rows of a 2-D (rows, cols) or 3-D (rows, cols, channels) array as spans. A view whose rows are not
    /// contiguous (a transposed or channel-sliced view) is first copied into a dense array of its own size.
    /// </summary>
    internal ImageRows<T> Rows()
    {
        if (Rank is < 2 or > 3) throw new InvalidOperationException($"Expected a 2-D or 3-D array, got {ShapeText}.");
        if (!HasDenseRows) return new HostArray<T>(Tensor.ToDenseTensor()).Rows();
        // The first element of this view (GetPinnableReference would give the backing array's first element).
        // The reference points into the managed array the tensor holds, so it may outlive the span local.
        // The first element of this view as a byte offset into the backing store, so the struct can be captured by the
        // bands of a parallel pass and each row's reference is recomputed, GC-safe, from the owning array.
        nint offset = Size == 0 ? 0 : Unsafe.ByteOffset(ref DataReference(), ref Unsafe.As<T, byte>(ref TensorMarshal.GetReference(Tensor.AsTensorSpan())));
        int channels = Rank == 3 ? Shape[2] : 1;
        return new ImageRows<T>(this, offset, Shape[0], Shape[1], channels, Shape[0] > 1 ? Tensor.Strides[0] : (nint)Shape[1] * channels);
    }

    /// <summary>True when the elements lie in C order without gaps: the layout the N-D kernels read as rows.</summary>
    internal bool IsCContiguous
    {
        get
        {
            var strides = Tensor.Strides;
            var lengths = Tensor.Lengths;
            nint expected = 1;
            for (int i = Rank - 1; i >= 0; i--)
            {
                if (lengths[i] > 1 && strides[i] != expected) return false;
                expected *= lengths[i];
            }
            return true;
        }
    }

    /// <summary>This array when it is C-contiguous, else a dense C-order copy of it.</summary>
    internal HostArray<T> Dense() => IsCContiguous ? this : new HostArray<T>(Tensor.ToDenseTensor());

    /// <summary>
    /// A C-contiguous array's elements read as <paramref name="height"/> rows of <paramref name="width"/> pixels of
    /// <paramref name="channels"/> elements (height * width * channels == Size): how an N-D kernel sees the lines
    /// along one axis, e.g. a (Z, Y, X) volume as Z rows of Y * X or as Z * Y rows of X.
    /// </summary>
    internal ImageRows<T> RowsOf(int height, int width, int channels)
    {
        if (!IsCContiguous) throw new InvalidOperationException($"RowsOf needs a C-contiguous array; got a strided view {ShapeText}.");
        if ((long)height * width * channels != Size) throw new ArgumentException($"{height} x {width} x {channels} does not cover {ShapeText}.");
        nint offset = Size == 0 ? 0 : Unsafe.ByteOffset(ref DataReference(), ref Unsafe.As<T, byte>(ref TensorMarshal.GetReference(Tensor.AsTensorSpan())));
        return new ImageRows<T>(this, offset, height, width, channels, (nint)width * channels);
    }

    /// <summary>
    /// Rows that cover every element once, for kernels that treat elements alike wherever they sit (pointwise maps,
    /// histograms): a 2-D or 3-D array's <see cref="Rows"/> (a crop stays a view), any other rank as dense rows of
    /// its last two axes (a 0-d or 1-D array is one row). Result arrays allocated with the same shape get the same rows.
    /// </summary>
    internal ImageRows<T> Flat()
    {
        if (Rank is 2 or 3) return Rows();
        var dense = Dense();
        if (Rank <= 1) return dense.RowsOf(1, (int)Size, 1);
        int width = Shape[^2] * Shape[^1];
        return dense.RowsOf(width == 0 ? 0 : (int)(Size / width), width, 1);
    }

    /// <summary>A C-contiguous array as rows along its last axis (a 0-d array is one row of one element).</summary>
    internal ImageRows<T> Lines()
    {
        int width = Rank == 0 ? 1 : Shape[^1];
        return RowsOf(width == 0 ? 0 : (int)(Size / width), width, 1);
    }

    /// <summary>A dense copy with axis <paramref name="source"/> moved to <paramref name="destination"/> (np.moveaxis,
    /// then a C-order copy); this array itself when nothing moves and it is dense.</summary>
    internal HostArray<T> MoveAxis(int source, int destination)
    {
        if (source == destination) return Dense();
        var order = Enumerable.Range(0, Rank).Where(a => a != source).ToList();
        order.Insert(destination, source);
        return new HostArray<T>(System.Numerics.Tensors.Tensor.PermuteDimensions(Tensor, order.ToArray()).ToDenseTensor());
    }

    internal override ref byte DataReference() => ref Unsafe.As<T, byte>(ref Tensor.GetPinnableReference());

    internal override HostArray WindowCore(int row, int col, int rows, int cols)
    {
        var ranges = new NRange[Rank];
        ranges[0] = new NRange(row, row + rows);
        ranges[1] = new NRange(col, col + cols);
        if (Rank == 3) ranges[2] = NRange.All;
        return new HostArray<T>(Tensor.Slice(ranges));
    }

    internal override void CopyWindowToCore(HostArray destination, int row, int col, int rows, int cols, int dstRow, int dstCol)
    {
        var src = Rows();
        var dst = ((HostArray<T>)destination).Rows();
        int channels = src.Channels;
        for (int y = 0; y < rows; y++)
            src.Row(row + y).Slice(col * channels, cols * channels).CopyTo(dst.Row(dstRow + y).Slice(dstCol * channels));
    }

    /// <summary>Rows over the first height * width elements of a plain buffer (scratch rented by a kernel).</summary>
    internal static ImageRows<T> RowsOver(T[] buffer, int height, int width) =>
        new HostArray<T>(System.Numerics.Tensors.Tensor.Create(buffer, 0, [height, width], [width, 1])).Rows();

    /// <summary>A new dense array, uninitialized, of the given shape.</summary>
    internal static HostArray<T> Allocate(params int[] shape) =>
        new(System.Numerics.Tensors.Tensor.CreateFromShapeUninitialized<T>(shape.Select(n => (nint)n).ToArray()));

    private static int[] ToShape(Tensor<T> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var lengths = tensor.Lengths;
        var shape = new int[lengths.Length];
        for (int i = 0; i < shape.Length; i++)
            shape[i] = lengths[i] <= int.MaxValue ? (int)lengths[i] : throw new ArgumentException("Axis lengths above int.MaxValue are not supported.", nameof(tensor));
        return shape;
    }
}

/// <summary>
/// Rows of an image as spans: <see cref="Height"/> rows of <see cref="Width"/> pixels of <see cref="Channels"/>
/// interleaved elements, <see cref="RowStride"/> elements apart. Kernels work on these, so a crop of a larger image
/// is processed in place without a copy.
/// </summary>
internal readonly struct ImageRows<T>
{
    private readonly HostArray _owner;
    private readonly nint _byteOffset;

    public ImageRows(HostArray owner, nint byteOffset, int height, int width, int channels, nint rowStride)
    {
        _owner = owner;
        _byteOffset = byteOffset;
        Height = height;
        Width = width;
        Channels = channels;
        RowStride = rowStride;
    }

    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }

    /// <summary>Elements from one row to the next.</summary>
    public nint RowStride { get; }

    /// <summary>Elements per row: Width * Channels.</summary>
    public int RowLength => Width * Channels;

    public Span<T> Row(int y) => MemoryMarshal.CreateSpan(
        ref Unsafe.As<byte, T>(ref Unsafe.Add(ref _owner.DataReference(), _byteOffset + y * RowStride * Unsafe.SizeOf<T>())), RowLength);

    /// <summary>The same rows read as <typeparamref name="TOther"/>, an element type of the same size (bool as byte).</summary>
    public ImageRows<TOther> Reinterpret<TOther>()
    {
        if (Unsafe.SizeOf<TOther>() != Unsafe.SizeOf<T>()) throw new InvalidOperationException($"{typeof(T).Name} and {typeof(TOther).Name} differ in size.");
        return new ImageRows<TOther>(_owner, _byteOffset, Height, Width, Channels, RowStride);
    }
}
