using Scoped.Image;

namespace Contoso.Imaging;

/// <summary>
/// Contoso's 8-bit grayscale bitmap: <see cref="Height"/> rows of <see cref="Width"/> bytes, each row starting
/// <see cref="Stride"/> bytes after the previous one (rows are padded to 4 bytes, as bitmap formats do). It derives from
/// <see cref="NDArray"/> (uint8, shape (height, width)), so Scoped.Image's functions accept it; the Contoso backend owns it.
/// </summary>
public sealed class Gray8Image : NDArray
{
    /// <summary>A black image with rows padded to a multiple of 4 bytes.</summary>
    /// <param name="width">Pixels per row, &gt;= 1.</param>
    /// <param name="height">Rows, &gt;= 1.</param>
    public Gray8Image(int width, int height)
        : this(new byte[checked(PaddedStride(width) * Math.Max(height, 0))], width, height, PaddedStride(width)) { }

    /// <summary>Wraps existing pixels (not copied): row <c>y</c> starts at <c>y * stride</c>.</summary>
    /// <param name="pixels">The buffer, at least <c>stride * (height - 1) + width</c> bytes.</param>
    /// <param name="width">Pixels per row, &gt;= 1.</param>
    /// <param name="height">Rows, &gt;= 1.</param>
    /// <param name="stride">Bytes from one row to the next, &gt;= <paramref name="width"/>.</param>
    public Gray8Image(byte[] pixels, int width, int height, int stride) : base(DType.UInt8, CheckedShape(width, height))
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (stride < width) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be >= width ({width}).");
        long needed = (long)stride * (height - 1) + width;
        if (pixels.Length < needed)
            throw new ArgumentException($"pixels holds {pixels.Length} bytes; {height} rows of {width} at stride {stride} need {needed}.", nameof(pixels));
        Pixels = pixels;
        Width = width;
        Height = height;
        Stride = stride;
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>Bytes from the start of one row to the start of the next.</summary>
    public int Stride { get; }

    /// <summary>The pixel buffer, padding included.</summary>
    public byte[] Pixels { get; }

    /// <summary>The name dispatch traces and messages show for this kind of array.</summary>
    public override string Kind => "contoso";

    /// <summary>The pixels of row <paramref name="y"/> (without padding).</summary>
    public Span<byte> Row(int y)
    {
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y), y, $"y must be in [0, {Height}).");
        return Pixels.AsSpan(y * Stride, Width);
    }

    /// <summary>The pixel in column <paramref name="x"/> of row <paramref name="y"/>.</summary>
    public ref byte this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x), x, $"x must be in [0, {Width}).");
            return ref Row(y)[x];
        }
    }

    /// <summary>Copies a 2-D uint8 host array into a new bitmap.</summary>
    /// <param name="image">A (rows, cols) uint8 array; views with any strides are fine.</param>
    public static Gray8Image FromHost(HostArray<byte> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Rank != 2)
            throw new ArgumentException($"image must be 2-D (rows, cols): a Gray8Image holds one channel; got shape {image.ShapeText}.", nameof(image));
        var result = new Gray8Image(image.Shape[1], image.Shape[0]);
        var tensor = image.Tensor;
        for (int y = 0; y < result.Height; y++)
        {
            if (tensor.TryGetSpan([y, 0], result.Width, out ReadOnlySpan<byte> row)) row.CopyTo(result.Row(y));
            else for (int x = 0; x < result.Width; x++) result[x, y] = image[y, x]; // a view whose columns are not adjacent
        }
        return result;
    }

    /// <summary>Copies the pixels into a new dense (rows, cols) uint8 host array.</summary>
    public HostArray<byte> ToHost()
    {
        var data = new byte[Width * Height];
        for (int y = 0; y < Height; y++) Row(y).CopyTo(data.AsSpan(y * Width, Width));
        return HostArray.Create(data, Height, Width);
    }

    /// <summary>NDArray's shape (rows, cols), checked before the base constructor sees it.</summary>
    private static int[] CheckedShape(int width, int height)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be >= 1.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be >= 1.");
        return [height, width];
    }

    private static int PaddedStride(int width) => width < 1
        ? throw new ArgumentOutOfRangeException(nameof(width), width, "width must be >= 1.")
        : checked((width + 3) & ~3);
}
