using Scoped.Dispatch;

namespace Scoped.Image;

/// <summary>
/// skimage.transform (domain scoped.image.transform): resize, rescale, rotate, warp with a 3x3 matrix, pyramid_reduce.
/// Modes use ndimage's names (<see cref="BoundaryMode"/>); scikit-image's transform functions name them after
/// numpy.pad: its 'reflect' is <see cref="BoundaryMode.Mirror"/>, 'symmetric' is <see cref="BoundaryMode.Reflect"/>,
/// 'edge' is <see cref="BoundaryMode.Nearest"/>, 'constant' and 'wrap' keep their names (as scipy's grid-constant
/// and grid-wrap: outside samples are interpolated with cval / the periodic copy).
/// Interpolation orders 0 (nearest) and 1 (linear) are supported; higher orders are declined with an ArgumentException.
/// </summary>
public static partial class Transform
{
    /// <summary>
    /// skimage.transform.resize: Gaussian anti-aliasing (when any axis shrinks and the image is not bool, unless
    /// <paramref name="antiAliasing"/> says otherwise; sigma = max(0, (factor - 1) / 2) per axis), then
    /// ndimage.zoom with half-pixel centres. Order 0 keeps the element type; order 1 gives float32 for float32
    /// and float64 otherwise (img_as_float, or a plain cast with <paramref name="preserveRange"/>). The result is
    /// clipped to the input's range when <paramref name="clip"/> (extended to cval in constant mode when the
    /// output reaches it, as scikit-image does).
    /// </summary>
    /// <param name="image">An image of 2 or more axes: (rows, cols), (rows, cols, channels), a volume, a stack...</param>
    /// <param name="outputShape">One length per axis, or one fewer (the last axis, e.g. channels, is kept), as in
    /// scikit-image. Every axis is resampled alike; a 3-D image whose last axis keeps its length is (rows, cols, channels).</param>
    /// <param name="order">0 (nearest) or 1 (linear); default 0 for bool images, 1 otherwise.</param>
    /// <param name="mode">Edge handling; the default <see cref="BoundaryMode.Mirror"/> is scikit-image's 'reflect'.</param>
    /// <param name="cval">Value outside the image for <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="clip">Clip the output to the input's value range.</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    /// <param name="antiAliasing">Smooth before shrinking; default: true when any axis shrinks and the image is not bool.</param>
    /// <param name="antiAliasingSigma">One sigma for every spatial axis, or one per axis of the output shape (0 for channels).</param>
    public static NDArray Resize(NDArray image, int[] outputShape, int? order = null, BoundaryMode mode = BoundaryMode.Mirror, double cval = 0,
        bool clip = true, bool preserveRange = false, bool? antiAliasing = null, double[]? antiAliasingSigma = null)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        CheckDType(image);
        var full = ResizeOutputShape(image, outputShape, nameof(outputShape));
        CheckOrder(image, order, nameof(order));
        Guard.Finite(cval, nameof(cval));
        if (image.DType == DType.Bool && antiAliasing == true)
            throw new ArgumentException("antiAliasing must be false for boolean images.", nameof(antiAliasing));
        if (antiAliasingSigma is not null)
        {
            if (antiAliasingSigma.Length != 1 && antiAliasingSigma.Length != image.Rank && !(image.Rank == 3 && antiAliasingSigma.Length == 2))
                throw new ArgumentException($"antiAliasingSigma must have 1 value or one per axis; got {antiAliasingSigma.Length}.", nameof(antiAliasingSigma));
            foreach (var s in antiAliasingSigma) { Guard.NonNegative(s, nameof(antiAliasingSigma)); Guard.GaussianKernel(s, 4.0, nameof(antiAliasingSigma)); }
        }
        return Methods.Resize.Invoke(image, full, order, mode, cval, clip, preserveRange, antiAliasing, antiAliasingSigma);
    }

    /// <summary>
    /// skimage.transform.rescale: <see cref="Resize"/> to max(1, round(shape * scale)) (NumPy's round half to even).
    /// Without <paramref name="channelAxis"/>, a 3-D image's last axis is scaled too, which is only supported when
    /// that leaves the channel count unchanged.
    /// </summary>
    /// <param name="image">2-D (rows, cols) or 3-D (rows, cols, channels).</param>
    /// <param name="scale">One factor for every (spatial) axis, or one per spatial axis.</param>
    /// <param name="order">0 (nearest) or 1 (linear); default 0 for bool images, 1 otherwise.</param>
    /// <param name="mode">Edge handling; the default <see cref="BoundaryMode.Mirror"/> is scikit-image's 'reflect'.</param>
    /// <param name="cval">Value outside the image for <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="clip">Clip the output to the input's value range.</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    /// <param name="antiAliasing">Smooth before shrinking; default: true when any axis shrinks and the image is not bool.</param>
    /// <param name="antiAliasingSigma">One sigma for every spatial axis, or one per spatial axis.</param>
    /// <param name="channelAxis">The channel axis (any axis; negative counts from the end), or null: every axis is scaled.</param>
    public static NDArray Rescale(NDArray image, double[] scale, int? order = null, BoundaryMode mode = BoundaryMode.Mirror, double cval = 0,
        bool clip = true, bool preserveRange = false, bool? antiAliasing = null, double[]? antiAliasingSigma = null, int? channelAxis = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(scale);
        int? channels = Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis));
        int spatial = Guard.Spatial(image, nameof(image), channels, minRank: image.Rank == 2 ? 2 : 1).SpatialRank;
        if (scale.Length != 1 && scale.Length != spatial)
            throw new ArgumentException($"scale must be one value or one per spatial axis ({spatial}); got {scale.Length}.", nameof(scale));
        foreach (var s in scale) Guard.Positive(s, nameof(scale));
        var shape = new int[image.Rank];
        for (int i = 0, k = 0; i < image.Rank; i++)
        {
            if (i == channels) { shape[i] = image.Shape[i]; continue; }
            double s = scale.Length == 1 ? scale[0] : scale[k];
            k++;
            double n = Math.Max(Math.Round(s * image.Shape[i], MidpointRounding.ToEven), 1);
            shape[i] = n > int.MaxValue ? int.MaxValue : (int)n;
        }
        Guard.OutputShape(shape, nameof(scale));
        // A sigma per spatial axis gets 0 on the channel axis, as scikit-image inserts it.
        if (channels is { } c && antiAliasingSigma is { Length: > 1 } perAxis && perAxis.Length == spatial)
            antiAliasingSigma = [.. perAxis[..c], 0, .. perAxis[c..]];
        return Resize(image, shape, order, mode, cval, clip, preserveRange, antiAliasing, antiAliasingSigma);
    }

    /// <inheritdoc cref="Rescale(NDArray, double[], int?, BoundaryMode, double, bool, bool, bool?, double[], int?)"/>
    public static NDArray Rescale(NDArray image, double scale, int? order = null, BoundaryMode mode = BoundaryMode.Mirror, double cval = 0,
        bool clip = true, bool preserveRange = false, bool? antiAliasing = null, double[]? antiAliasingSigma = null, int? channelAxis = null) =>
        Rescale(image, [scale], order, mode, cval, clip, preserveRange, antiAliasing, antiAliasingSigma, channelAxis);

    /// <summary>
    /// skimage.transform.rotate: counter-clockwise by <paramref name="angle"/> degrees about <paramref name="center"/>
    /// (default (cols / 2 - 0.5, rows / 2 - 0.5)), through <see cref="Warp(NDArray, double[], int[], int?, BoundaryMode, double, bool, bool)"/>
    /// with scikit-image's SimilarityTransform matrix. With <paramref name="resize"/>, the output grows to hold the whole rotated image.
    /// </summary>
    /// <param name="image">2-D (rows, cols) or 3-D (rows, cols, channels).</param>
    /// <param name="angle">Degrees, counter-clockwise; finite.</param>
    /// <param name="resize">Enlarge the output so the rotated image fits.</param>
    /// <param name="center">(col, row) of the centre of rotation — note the order, as in scikit-image.</param>
    /// <param name="order">0 (nearest) or 1 (bilinear); default 0 for bool images, 1 otherwise.</param>
    /// <param name="mode">Edge handling; default <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="cval">Value outside the image.</param>
    /// <param name="clip">Clip the output to the input's value range (extended to cval when the output reaches it).</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    public static NDArray Rotate(NDArray image, double angle, bool resize = false, double[]? center = null, int? order = null,
        BoundaryMode mode = BoundaryMode.Constant, double cval = 0, bool clip = true, bool preserveRange = false)
    {
        Guard.Image(image, nameof(image));
        CheckDType(image);
        Guard.Finite(angle, nameof(angle));
        if (center is not null)
        {
            if (center.Length != 2) throw new ArgumentException($"center must be (col, row); got {center.Length} values.", nameof(center));
            foreach (var c in center) Guard.Finite(c, nameof(center));
        }
        CheckOrder(image, order, nameof(order));
        Guard.Finite(cval, nameof(cval));
        return Methods.Rotate.Invoke(image, angle, resize, center, order, mode, cval, clip, preserveRange);
    }

    /// <summary>
    /// skimage.transform.warp with a 3x3 homogeneous matrix that maps output (col, row, 1) to input coordinates
    /// (scikit-image's ProjectiveTransform / AffineTransform params of the inverse map). Order 1 works as
    /// scikit-image's _warp_fast (coordinates in the image's float type: float32 for float32 images); order 0 as
    /// ndimage.map_coordinates and keeps the element type.
    /// </summary>
    /// <param name="image">2-D (rows, cols) or 3-D (rows, cols, channels).</param>
    /// <param name="inverseMap">The 3x3 matrix, row-major (9 values), finite and invertible.</param>
    /// <param name="outputShape">(rows, cols) of the output (channels are kept); default: the input's.</param>
    /// <param name="order">0 (nearest) or 1 (bilinear); default 0 for bool images, 1 otherwise.</param>
    /// <param name="mode">Edge handling; default <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="cval">Value outside the image.</param>
    /// <param name="clip">Clip the output to the input's value range (extended to cval when the output reaches it).</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    public static NDArray Warp(NDArray image, double[] inverseMap, int[]? outputShape = null, int? order = null,
        BoundaryMode mode = BoundaryMode.Constant, double cval = 0, bool clip = true, bool preserveRange = false)
    {
        Guard.Image(image, nameof(image));
        CheckDType(image);
        CheckMatrix(inverseMap, nameof(inverseMap));
        int[]? shape = null;
        if (outputShape is not null)
        {
            var full = FullOutputShape(image, outputShape, nameof(outputShape));
            shape = [full[0], full[1]];
        }
        CheckOrder(image, order, nameof(order));
        Guard.Finite(cval, nameof(cval));
        return Methods.Warp.Invoke(image, (double[])inverseMap.Clone(), shape, order, mode, cval, clip, preserveRange);
    }

    /// <summary>skimage.transform.warp with the matrix as a 3x3 array.</summary>
    /// <inheritdoc cref="Warp(NDArray, double[], int[], int?, BoundaryMode, double, bool, bool)"/>
    public static NDArray Warp(NDArray image, double[,] inverseMap, int[]? outputShape = null, int? order = null,
        BoundaryMode mode = BoundaryMode.Constant, double cval = 0, bool clip = true, bool preserveRange = false)
    {
        ArgumentNullException.ThrowIfNull(inverseMap);
        if (inverseMap.GetLength(0) != 3 || inverseMap.GetLength(1) != 3)
            throw new ArgumentException($"inverseMap must be 3x3; got {inverseMap.GetLength(0)}x{inverseMap.GetLength(1)}.", nameof(inverseMap));
        var flat = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) flat[i * 3 + j] = inverseMap[i, j];
        return Warp(image, flat, outputShape, order, mode, cval, clip, preserveRange);
    }

    /// <summary>
    /// skimage.transform.pyramid_reduce: Gaussian smoothing (sigma default 2 * downscale / 6, truncate 4) then
    /// <see cref="Resize"/> to ceil(shape / downscale) without anti-aliasing. As in scikit-image, the smoothing
    /// reads the mode name literally in ndimage: the default <see cref="BoundaryMode.Mirror"/> (scikit-image's
    /// 'reflect') smooths with ndimage's half-sample reflect and resizes with mirror. Only Mirror, Constant and
    /// Wrap are valid here (scikit-image raises for the others).
    /// </summary>
    /// <param name="image">2-D (rows, cols), or 3-D (rows, cols, channels) with <paramref name="channelAxis"/>.</param>
    /// <param name="downscale">Factor &gt; 1.</param>
    /// <param name="sigma">Gaussian sigma; default 2 * downscale / 6.</param>
    /// <param name="order">0 or 1.</param>
    /// <param name="mode">Mirror (scikit-image's 'reflect'), Constant or Wrap.</param>
    /// <param name="cval">Value outside the image for Constant.</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    /// <param name="channelAxis">The channel axis of a 3-D image (-1 or 2), or null.</param>
    public static NDArray PyramidReduce(NDArray image, double downscale = 2, double? sigma = null, int order = 1,
        BoundaryMode mode = BoundaryMode.Mirror, double cval = 0, bool preserveRange = false, int? channelAxis = null)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        CheckDType(image);
        if (!double.IsFinite(downscale) || downscale <= 1)
            throw new ArgumentException($"downscale must be a finite factor > 1; got {downscale}.", nameof(downscale));
        if (sigma is { } s) Guard.NonNegative(s, nameof(sigma));
        Guard.GaussianKernel(sigma ?? 2 * downscale / 6, 4.0, sigma is null ? nameof(downscale) : nameof(sigma));
        if (order is not (0 or 1))
            throw new ArgumentException($"order must be 0 or 1 (higher spline orders are not supported); got {order}.", nameof(order));
        if (mode is not (BoundaryMode.Mirror or BoundaryMode.Constant or BoundaryMode.Wrap))
            throw new ArgumentException($"mode must be Mirror (scikit-image 'reflect'), Constant or Wrap for pyramid_reduce; got {mode}.", nameof(mode));
        Guard.Finite(cval, nameof(cval));
        int? channels = Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis));
        Guard.Spatial(image, nameof(image), channels, minRank: 1);
        return Methods.PyramidReduce.Invoke(image, downscale, sigma, order, mode, cval, preserveRange, channels);
    }

    private static void CheckDType(NDArray image) =>
        Guard.DTypeIn(image, nameof(image), DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32, DType.Bool);

    private static void CheckOrder(NDArray image, int? order, string name)
    {
        if (order is null) return;
        if (order is < 0 or > 5) throw new ArgumentException($"{name} must be in 0-5; got {order}.", name);
        if (order > 1) throw new ArgumentException($"{name} {order} is not supported; only 0 (nearest) and 1 (linear) are.", name);
        if (image.DType == DType.Bool && order != 0)
            throw new ArgumentException($"{name} must be 0 for a bool image (interpolation is not defined for bool); got {order}.", name);
    }

    /// <summary>resize's output shape: one length per axis, or one fewer with the last axis kept (a 2-D image takes 2).</summary>
    private static int[] ResizeOutputShape(NDArray image, int[] outputShape, string name)
    {
        ArgumentNullException.ThrowIfNull(outputShape, name);
        int rank = image.Rank;
        if (outputShape.Length != rank && !(rank > 2 && outputShape.Length == rank - 1))
            throw new ArgumentException(rank == 2
                ? $"{name} must be (rows, cols) for a 2-D image; got {outputShape.Length} values."
                : $"{name} must have {rank} values, or {rank - 1} to keep the last axis; got {outputShape.Length}.", name);
        foreach (var n in outputShape)
            if (n <= 0) throw new ArgumentException($"{name} values must be > 0; got ({string.Join(", ", outputShape)}).", name);
        int[] full = outputShape.Length == rank ? (int[])outputShape.Clone() : [.. outputShape, image.Shape[^1]];
        Guard.OutputShape(full, name);
        return full;
    }

    private static int[] FullOutputShape(NDArray image, int[] outputShape, string name)
    {
        ArgumentNullException.ThrowIfNull(outputShape, name);
        if (outputShape.Length < 2 || outputShape.Length > 3)
            throw new ArgumentException($"{name} must be (rows, cols) or (rows, cols, channels); got {outputShape.Length} values.", name);
        foreach (var n in outputShape)
            if (n <= 0) throw new ArgumentException($"{name} values must be > 0; got ({string.Join(", ", outputShape)}).", name);
        if (outputShape.Length == 3 && image.Rank == 2)
            throw new ArgumentException($"{name} has 3 values but the image is 2-D.", name);
        if (image.Rank == 3)
        {
            if (outputShape.Length == 3 && outputShape[2] != image.Shape[2])
                throw new ArgumentException($"{name} changes the channel count ({image.Shape[2]} -> {outputShape[2]}); interpolation across channels is not supported.", name);
        }
        int[] full = image.Rank == 3 ? [outputShape[0], outputShape[1], image.Shape[2]] : [outputShape[0], outputShape[1]];
        Guard.OutputShape(full, name);
        return full;
    }

    private static void CheckMatrix(double[] matrix, string name)
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        if (matrix.Length != 9) throw new ArgumentException($"{name} must be a 3x3 matrix (9 values, row-major); got {matrix.Length}.", name);
        foreach (var v in matrix)
            if (!double.IsFinite(v)) throw new ArgumentException($"{name} must be finite; got {v}.", name);
        if (Determinant(matrix) == 0) throw new ArgumentException($"{name} is not invertible (determinant 0).", name);
    }

    private static double Determinant(double[] m) =>
        m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
