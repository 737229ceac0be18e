using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

public static partial class Filters
{
    public static partial class Methods
    {
        // Reach: the blur's Gaussian radius (truncate 4) on every spatial axis.
        internal static int[] UnsharpMaskReach(DispatchCall call)
        {
            var image = call.Argument<NDArray>(0);
            int r = Reaches.Gaussian(call.Argument<double>("radius"), 4.0);
            return Enumerable.Repeat(r, image.Rank - (call.Argument<int?>("channelAxis") is null ? 0 : 1)).ToArray();
        }

        // Reach: the wider of the two Gaussians, per spatial axis.
        internal static int[] DifferenceOfGaussiansReach(DispatchCall call)
        {
            var (low, high, truncate) = (call.Argument<double[]>("lowSigma"), call.Argument<double[]>("highSigma"), call.Argument<double>("truncate"));
            var reach = new int[low.Length];
            for (int i = 0; i < reach.Length; i++) reach[i] = Math.Max(Reaches.Gaussian(low[i], truncate), Reaches.Gaussian(high[i], truncate));
            return reach;
        }
    }

    /// <summary>
    /// skimage.filters.unsharp_mask: image + (image - gaussian(image, radius, mode='reflect')) * amount. Without
    /// <paramref name="preserveRange"/> the image goes through img_as_float and the result is clipped to [0, 1]
    /// (or [-1, 1] when it has negative values); with it, values are cast to float and not clipped. Integer images
    /// give float64; float32 stays float32. A 3-D image whose last axis has length 3 is taken as RGB.
    /// </summary>
    /// <param name="image">An array of 1 or more spatial axes, optionally with a channel axis.</param>
    /// <param name="radius">The Gaussian sigma, finite and &gt;= 0.</param>
    /// <param name="amount">How much of the detail to add (may be negative), finite.</param>
    /// <param name="preserveRange">Keep the original value range (no scaling, no clipping).</param>
    /// <param name="channelAxis">The channel axis (any axis; negative counts from the end), or null.</param>
    public static NDArray UnsharpMask(NDArray image, double radius = 1.0, double amount = 1.0, bool preserveRange = false, int? channelAxis = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        // scikit-image blurs through gaussian, whose (M, N, 3) guess applies when no channel axis is given.
        int? channels = Guard.ChannelAxisOrRgbGuess(image, channelAxis, nameof(channelAxis));
        Guard.Spatial(image, nameof(image), channels);
        Guard.NonNegative(radius, nameof(radius));
        Guard.GaussianKernel(radius, 4.0, nameof(radius));
        Guard.Finite(amount, nameof(amount));
        return Methods.UnsharpMask.Invoke(image, radius, amount, preserveRange, channels);
    }

    /// <summary>skimage.filters.difference_of_gaussians with the same sigmas on both spatial axes.</summary>
    /// <inheritdoc cref="DifferenceOfGaussians(NDArray, double[], double[], BoundaryMode, double, int?, double)"/>
    public static NDArray DifferenceOfGaussians(NDArray image, double lowSigma, double? highSigma = null, BoundaryMode mode = BoundaryMode.Nearest,
        double cval = 0, int? channelAxis = null, double truncate = 4.0) =>
        DifferenceOfGaussians(image, PerSpatialAxis(image, lowSigma, channelAxis), highSigma is { } h ? PerSpatialAxis(image, h, channelAxis) : null,
            mode, cval, channelAxis, truncate);

    private static double[] PerSpatialAxis(NDArray image, double value, int? channelAxis)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Enumerable.Repeat(value, Guard.Spatial(image, nameof(image), Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis))).SpatialRank).ToArray();
    }

    /// <summary>
    /// skimage.filters.difference_of_gaussians: gaussian(image, lowSigma) - gaussian(image, highSigma) on
    /// img_as_float(image) (integers give float64, float32 stays float32). Channels are filtered independently.
    /// </summary>
    /// <param name="image">An array of 1 or more spatial axes, optionally with a channel axis (no RGB guess: an
    /// (M, N, 3) array without <paramref name="channelAxis"/> is a volume, as in scikit-image).</param>
    /// <param name="lowSigma">Sigma of the narrower Gaussian per spatial axis, each &gt;= 0.</param>
    /// <param name="highSigma">Sigma of the wider Gaussian per axis, each &gt;= the matching low sigma; null for 1.6 * lowSigma.</param>
    /// <param name="mode">Edge handling (scikit-image's default: nearest).</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="channelAxis">The channel axis (any axis; negative counts from the end), or null.</param>
    /// <param name="truncate">Kernel radius in sigmas.</param>
    public static NDArray DifferenceOfGaussians(NDArray image, double[] lowSigma, double[]? highSigma = null, BoundaryMode mode = BoundaryMode.Nearest,
        double cval = 0, int? channelAxis = null, double truncate = 4.0)
    {
        ArgumentNullException.ThrowIfNull(image);
        int? channels = Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis));
        int rank = Guard.Spatial(image, nameof(image), channels).SpatialRank;
        Guard.PerAxis(lowSigma, rank, nameof(lowSigma));
        highSigma ??= Array.ConvertAll(lowSigma, s => s * 1.6);
        Guard.PerAxis(highSigma, rank, nameof(highSigma));
        for (int i = 0; i < rank; i++)
            if (highSigma[i] < lowSigma[i])
                throw new ArgumentException($"highSigma must be >= lowSigma on every axis; got {highSigma[i]} < {lowSigma[i]} on axis {i}.", nameof(highSigma));
        Guard.Positive(truncate, nameof(truncate));
        for (int i = 0; i < rank; i++)
        {
            Guard.GaussianKernel(lowSigma[i], nameof(lowSigma), truncate, nameof(truncate));
            Guard.GaussianKernel(highSigma[i], nameof(highSigma), truncate, nameof(truncate));
        }
        Guard.Finite(cval, nameof(cval));
        return Methods.DifferenceOfGaussians.Invoke(image, lowSigma, highSigma, mode, cval, channels, truncate);
    }

    [Function(Domains.Filters + ":unsharp_mask", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.UnsharpMaskReach),
        MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray UnsharpMaskCpu(NDArray image, double radius, double amount, bool preserveRange, int? channelAxis) =>
        FloatImages.ToFloat(Guard.Host(image, nameof(image)), preserveRange) switch
        {
            HostArray<float> f => Unsharp(f, radius, amount, preserveRange, channelAxis),
            HostArray<double> d => Unsharp(d, radius, amount, preserveRange, channelAxis),
            _ => throw new InvalidOperationException("unreachable"),
        };

    private static HostArray<T> Unsharp<T>(HostArray<T> image, double radius, double amount, bool preserveRange, int? channelAxis)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        image = image.Dense();
        var weights = Separable.GaussianWeights(radius, 4.0);
        var result = Correlate(image, Enumerable.Repeat(weights, image.Rank - (channelAxis is null ? 0 : 1)).ToArray(), channelAxis, BoundaryMode.Reflect, T.Zero);
        var src = image.Lines();
        var dst = result.Lines();
        T scale = T.CreateTruncating(amount);
        // "Has a negative value" is decided per row (a row whose minimum is NaN does not count, as before), one flag per
        // band, OR-ed: the same answer for any cut.
        int count = Bands.Count(src.Height);
        var negative = new bool[count];
        Bands.For(src.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            for (int y = start; y < end && !negative[band]; y++) negative[band] = Extrema.Of<T, NaNPropagates<T>>(src.Row(y)).Min < T.Zero;
        });
        T low = Array.IndexOf(negative, true) >= 0 ? -T.One : T.Zero;
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                ReadOnlySpan<T> s = src.Row(y);
                Span<T> d = dst.Row(y);
                // image + (image - blurred) * amount, then clipped unless the range is preserved.
                TensorPrimitives.Subtract(s, d, d);
                TensorPrimitives.Multiply(d, scale, d);
                TensorPrimitives.Add(s, d, d);
                if (!preserveRange) TensorPrimitives.Clamp(d, low, T.One, d);
            }
        });
        return result;
    }

    [Function(Domains.Filters + ":difference_of_gaussians", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.DifferenceOfGaussiansReach),
        MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray DifferenceOfGaussiansCpu(NDArray image, double[] lowSigma, double[] highSigma, BoundaryMode mode, double cval, int? channelAxis, double truncate) =>
        FloatImages.ToFloat(Guard.Host(image, nameof(image))) switch
        {
            HostArray<float> f => Dog(f, lowSigma, highSigma, mode, cval, channelAxis, truncate),
            HostArray<double> d => Dog(d, lowSigma, highSigma, mode, cval, channelAxis, truncate),
            _ => throw new InvalidOperationException("unreachable"),
        };

    private static HostArray<T> Dog<T>(HostArray<T> image, double[] lowSigma, double[] highSigma, BoundaryMode mode, double cval, int? channelAxis, double truncate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(cval);
        var low = Correlate(image, Array.ConvertAll(lowSigma, s => Separable.GaussianWeights(s, truncate)), channelAxis, mode, c);
        var high = Correlate(image, Array.ConvertAll(highSigma, s => Separable.GaussianWeights(s, truncate)), channelAxis, mode, c);
        var l = low.Lines();
        var h = high.Lines();
        Bands.For(l.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++) TensorPrimitives.Subtract<T>(l.Row(y), h.Row(y), l.Row(y));
        });
        return low;
    }
}
