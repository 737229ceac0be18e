namespace Scoped.Image;

// montage: a stack of equally shaped images laid out in a grid, row by row, on a filled background.
public static partial class Util
{
    /// <summary>
    /// skimage.util.montage: the images of <paramref name="arrIn"/> (K, rows, cols), or (K, rows, cols, channels) with
    /// a <paramref name="channelAxis"/>, tiled row by row into a grid of <paramref name="gridShape"/> (default: the
    /// smallest square that holds them), <paramref name="paddingWidth"/> elements apart and around, on a background of
    /// <paramref name="fill"/>. The element type is the input's; colour comes back with channels last. Unlike
    /// scikit-image, <paramref name="rescaleIntensity"/> does not write the rescaled images back into the input.
    /// </summary>
    /// <param name="arrIn">uint8, uint16, int32, float32 or float64: 3-D, or 4-D with a channel axis.</param>
    /// <param name="fill">The background: null for the mean of every image per channel; one value for every channel,
    /// or one per channel. Cast to the element type as NumPy casts it (integers truncate), so it must lie in its range.</param>
    /// <param name="rescaleIntensity">Rescale each image first with exposure.rescale_intensity's defaults.</param>
    /// <param name="gridShape">(rows, columns) of the grid, enough to hold every image; null for a square.</param>
    /// <param name="paddingWidth">Elements between the images and around them, &gt;= 0.</param>
    /// <param name="channelAxis">The channel axis of a 4-D <paramref name="arrIn"/>; null for grey images.</param>
    public static NDArray Montage(NDArray arrIn, double[]? fill = null, bool rescaleIntensity = false, int[]? gridShape = null,
        int paddingWidth = 0, int? channelAxis = null)
    {
        ArgumentNullException.ThrowIfNull(arrIn);
        Guard.DTypeIn(arrIn, nameof(arrIn), DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64);
        int wanted = channelAxis is null ? 3 : 4;
        if (arrIn.Rank != wanted)
            throw new ArgumentException($"arrIn must be 3-D (images, rows, cols) for grey images, or 4-D with a channelAxis; got {arrIn.Rank}-D {arrIn.ShapeText}" +
                                        (channelAxis is null ? "." : $" with channelAxis {channelAxis}."), nameof(arrIn));
        Guard.ChannelAxisOf(arrIn, channelAxis, nameof(channelAxis));
        if (arrIn.Size == 0) throw new ArgumentException($"arrIn must hold at least one image element; got shape {arrIn.ShapeText}.", nameof(arrIn));
        var (images, rows, cols, channels) = MontageLayout(arrIn, channelAxis);
        if (fill is not null)
        {
            if (fill.Length != 1 && fill.Length != channels)
                throw new ArgumentException($"fill must have one value or one per channel ({channels}); got {fill.Length}.", nameof(fill));
            var (min, max) = arrIn.DType.Range();
            foreach (var f in fill)
                if (arrIn.DType is not (DType.Float32 or DType.Float64) && !(f >= min && f <= max))
                    throw new ArgumentException($"fill values must lie in the range of {arrIn.DType} ([{min}, {max}]); got {f}.", nameof(fill));
        }
        if (paddingWidth < 0) throw new ArgumentException($"paddingWidth must be >= 0; got {paddingWidth}.", nameof(paddingWidth));
        var (gridRows, gridCols) = MontageGrid(images, gridShape);
        Guard.Elements(((long)(rows + paddingWidth) * gridRows + paddingWidth) * ((long)(cols + paddingWidth) * gridCols + paddingWidth) * channels,
            nameof(gridShape), "the montage");
        return Methods.Montage.Invoke(arrIn, fill, rescaleIntensity, gridShape, paddingWidth, channelAxis);
    }

    private static (int Images, int Rows, int Cols, int Channels) MontageLayout(NDArray arrIn, int? channelAxis)
    {
        var axes = MontageAxes(arrIn, channelAxis);
        return (axes.Spatial[0], axes.Spatial[1], axes.Spatial[2], axes.Channels);
    }

    private static ImageAxes MontageAxes(NDArray arrIn, int? channelAxis) =>
        ImageAxes.Of(arrIn, Guard.ChannelAxisOf(arrIn, channelAxis, nameof(channelAxis)));

    private static (int Rows, int Cols) MontageGrid(int images, int[]? gridShape)
    {
        if (gridShape is null)
        {
            int side = (int)Math.Ceiling(Math.Sqrt(images));
            return (side, side);
        }
        if (gridShape.Length != 2 || gridShape[0] < 0 || gridShape[1] < 0)
            throw new ArgumentException($"gridShape must be two non-negative values (rows, columns); got [{string.Join(", ", gridShape)}].", nameof(gridShape));
        if ((long)gridShape[0] * gridShape[1] < images)
            throw new ArgumentException($"gridShape {gridShape[0]}x{gridShape[1]} holds {(long)gridShape[0] * gridShape[1]} images; arrIn has {images}.", nameof(gridShape));
        return (gridShape[0], gridShape[1]);
    }

    [Function(Domains.Util + ":montage", FunctionKind.Geometric, MinRank = 3, MaxRank = 4)]
    private static NDArray MontageCpu(NDArray arrIn, double[]? fill, bool rescaleIntensity, int[]? gridShape, int paddingWidth, int? channelAxis)
    {
        var host = Guard.Host(arrIn, nameof(arrIn));
        var (images, rows, cols, channels) = MontageLayout(host, channelAxis);
        var (gridRows, gridCols) = MontageGrid(images, gridShape);
        // Channels last, as float64 (which holds every element type exactly), one image after another.
        var values = MontageAxes(host, channelAxis).ToKernel((HostArray<double>)host.AsType(DType.Float64)).ToArray();
        int imageSize = rows * cols * channels;
        if (rescaleIntensity)
        {
            for (int i = 0; i < images; i++)
            {
                var one = HostArray.Create(values.AsSpan(i * imageSize, imageSize).ToArray(), rows, cols, channels).AsType(host.DType);
                var rescaled = (double[])((HostArray)Exposure.RescaleIntensityCpu(one, "image", "dtype")).AsType(DType.Float64).ToFlatArray();
                rescaled.CopyTo(values, i * imageSize);
            }
        }
        // The background per channel: the given values, or the mean of every image's elements of that channel.
        var background = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            if (fill is not null) background[c] = fill.Length == 1 ? fill[0] : fill[c];
            else
            {
                double sum = 0;
                for (int i = c; i < values.Length; i += channels) sum += values[i];
                background[c] = sum / (values.Length / channels);
            }
            if (host.DType is not (DType.Float32 or DType.Float64)) background[c] = Math.Truncate(background[c]);
            else if (host.DType == DType.Float32) background[c] = (float)background[c];
        }
        int height = (rows + paddingWidth) * gridRows + paddingWidth, width = (cols + paddingWidth) * gridCols + paddingWidth;
        var output = new double[(long)height * width * channels];
        for (int i = 0; i < output.Length; i++) output[i] = background[i % channels];
        for (int image = 0; image < images; image++)
        {
            int top = paddingWidth + (rows + paddingWidth) * (image / gridCols);
            int left = paddingWidth + (cols + paddingWidth) * (image % gridCols);
            for (int r = 0; r < rows; r++)
                values.AsSpan(image * imageSize + r * cols * channels, cols * channels)
                    .CopyTo(output.AsSpan(((top + r) * width + left) * channels));
        }
        var result = HostArray.Create(output, channelAxis is null ? [height, width] : [height, width, channels]);
        return result.AsType(host.DType);
    }
}
