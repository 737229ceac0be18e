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
        // Reach: the blur's Gaussian radius (truncate 4).
        internal static int[] UnsharpMaskReach(DispatchCall call)
        {
            int r = Reaches.Gaussian(call.Argument<double>("radius"), 4.0);
            return [r, r];
        }

        // Reach: the wider of the two Gaussians, per axis.
        internal static int[] DifferenceOfGaussiansReach(DispatchCall call)
        {
            var (low, high, truncate) = (call.Argument<double[]>("lowSigma"), call.Argument<double[]>("highSigma"), call.Argument<double>("truncate"));
            return [Math.Max(Reaches.Gaussian(low[0], truncate), Reaches.Gaussian(high[0], truncate)),
                    Math.Max(Reaches.Gaussian(low[1], truncate), Reaches.Gaussian(high[1], truncate))];
        }
    }

    /// <summary>
    /// skimage.filters.unsharp_mask: image + (image - gaussian(image, radius, mode='reflect')) * amount. Without
    /// <paramref name="preserveRange"/> the image goes through img_as_float and the result is clipped to [0, 1]
    /// (or [-1, 1] when it has negative values); with it, values are cast to float and not clipped. Integer images
    /// give float64; float32 stays float32. A 3-D image whose last axis has length 3 is taken as RGB.
    /// </summary>
    /// <param name="image">2-D or 3-D (rows, cols, channels) image.</param>
    /// <param name="radius">The Gaussian sigma, finite and &gt;= 0.</param>
    /// <param name="amount">How much of the detail to add (may be negative), finite.</param>
    /// <param name="preserveRange">Keep the original value range (no scaling, no clipping).</param>
    /// <param name="channelAxis">The channel axis of a 3-D image (-1 or 2), or null.</param>
    public static NDArray UnsharpMask(NDArray image, double radius = 1.0, double amount = 1.0, bool preserveRange = false, int? channelAxis = null)
    {
        Guard.Image(image, nameof(image));
        Guard.NonNegative(radius, nameof(radius));
        Guard.GaussianKernel(radius, 4.0, nameof(radius));
        Guard.Finite(amount, nameof(amount));
        if (image.Rank == 3 && channelAxis is null && image.Shape[2] != 3)
            throw new ArgumentException($"image is 3-D with {image.Shape[2]} channels; pass channelAxis: -1 (3-D volumes are not supported).", nameof(image));
        Guard.ChannelAxis(image, channelAxis, nameof(channelAxis));
        return Methods.UnsharpMask.Invoke(image, radius, amount, preserveRange, channelAxis);
    }

    /// <summary>skimage.filters.difference_of_gaussians with the same sigmas on both spatial axes.</summary>
    /// <inheritdoc cref="DifferenceOfGaussians(NDArray, double[], double[], BoundaryMode, double, int?, double)"/>
    public static NDArray DifferenceOfGaussians(NDArray image, double lowSigma, double? highSigma = null, BoundaryMode mode = BoundaryMode.Nearest,
        double cval = 0, int? channelAxis = null, double truncate = 4.0) =>
        DifferenceOfGaussians(image, [lowSigma, lowSigma], highSigma is { } h ? [h, h] : null, mode, cval, channelAxis, truncate);

    /// <summary>
    /// skimage.filters.difference_of_gaussians: gaussian(image, lowSigma) - gaussian(image, highSigma) on
    /// img_as_float(image) (integers give float64, float32 stays float32). Channels are filtered independently.
    /// </summary>
    /// <param name="image">2-D image, or 3-D (rows, cols, channels) with <paramref name="channelAxis"/>.</param>
    /// <param name="lowSigma">Sigma of the narrower Gaussian per spatial axis (rows, cols), each &gt;= 0.</param>
    /// <param name="highSigma">Sigma of the wider Gaussian per axis, each &gt;= the matching low sigma; null for 1.6 * lowSigma.</param>
    /// <param name="mode">Edge handling (scikit-image's default: nearest).</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="channelAxis">The channel axis of a 3-D image (-1 or 2), or null.</param>
    /// <param name="truncate">Kernel radius in sigmas.</param>
    public static NDArray DifferenceOfGaussians(NDArray image, double[] lowSigma, double[]? highSigma = null, BoundaryMode mode = BoundaryMode.Nearest,
        double cval = 0, int? channelAxis = null, double truncate = 4.0)
    {
        Guard.Image(image, nameof(image));
        ArgumentNullException.ThrowIfNull(lowSigma);
        if (lowSigma.Length != 2) throw new ArgumentException($"lowSigma must have one value per spatial axis (2); got {lowSigma.Length}.", nameof(lowSigma));
        foreach (var s in lowSigma) Guard.NonNegative(s, nameof(lowSigma));
        highSigma ??= [lowSigma[0] * 1.6, lowSigma[1] * 1.6];
        if (highSigma.Length != 2) throw new ArgumentException($"highSigma must have one value per spatial axis (2); got {highSigma.Length}.", nameof(highSigma));
        for (int i = 0; i < 2; i++)
        {
            Guard.NonNegative(highSigma[i], nameof(highSigma));
            if (highSigma[i] < lowSigma[i])
                throw new ArgumentException($"highSigma must be >= lowSigma on every axis; got {highSigma[i]} < {lowSigma[i]} on axis {i}.", nameof(highSigma));
        }
        Guard.Positive(truncate, nameof(truncate));
        for (int i = 0; i < 2; i++)
        {
            Guard.GaussianKernel(lowSigma[i], nameof(lowSigma), truncate, nameof(truncate));
            Guard.GaussianKernel(highSigma[i], nameof(highSigma), truncate, nameof(truncate));
        }
        Guard.Finite(cval, nameof(cval));
        Guard.Positive(truncate, nameof(truncate));
        if (image.Rank == 3 && channelAxis is null)
            throw new ArgumentException($"image is 3-D; pass channelAxis: -1 for (rows, cols, channels) (3-D volumes are not supported).", nameof(image));
        Guard.ChannelAxis(image, channelAxis, nameof(channelAxis));
        return Methods.DifferenceOfGaussians.Invoke(image, lowSigma, highSigma, mode, cval, channelAxis, truncate);
    }

    [Function(Domains.Filters + ":unsharp_mask", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.UnsharpMaskReach))]
    private static NDArray UnsharpMaskCpu(NDArray image, double radius, double amount, bool preserveRange, int? channelAxis) =>
        FloatImages.ToFloat(Guard.Host(image, nameof(image)), preserveRange) switch
        {
            HostArray<float> f => Unsharp(f, radius, amount, preserveRange),
            HostArray<double> d => Unsharp(d, radius, amount, preserveRange),
            _ => throw new InvalidOperationException("unreachable"),
        };

    private static HostArray<T> Unsharp<T>(HostArray<T> image, double radius, double amount, bool preserveRange) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weights = Separable.GaussianWeights(radius, 4.0);
        var result = Correlate(image, weights, weights, BoundaryMode.Reflect, T.Zero);
        var src = image.Rows();
        var dst = result.Rows();
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

    [Function(Domains.Filters + ":difference_of_gaussians", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.DifferenceOfGaussiansReach))]
    private static NDArray DifferenceOfGaussiansCpu(NDArray image, double[] lowSigma, double[] highSigma, BoundaryMode mode, double cval, int? channelAxis, double truncate) =>
        FloatImages.ToFloat(Guard.Host(image, nameof(image))) switch
        {
            HostArray<float> f => Dog(f, lowSigma, highSigma, mode, cval, truncate),
            HostArray<double> d => Dog(d, lowSigma, highSigma, mode, cval, truncate),
            _ => throw new InvalidOperationException("unreachable"),
        };

    private static HostArray<T> Dog<T>(HostArray<T> image, double[] lowSigma, double[] highSigma, BoundaryMode mode, double cval, double truncate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(cval);
        var low = Correlate(image, Separable.GaussianWeights(lowSigma[0], truncate), Separable.GaussianWeights(lowSigma[1], truncate), mode, c);
        var high = Correlate(image, Separable.GaussianWeights(highSigma[0], truncate), Separable.GaussianWeights(highSigma[1], truncate), mode, c);
        var l = low.Rows();
        var h = high.Rows();
        Bands.For(l.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++) TensorPrimitives.Subtract<T>(l.Row(y), h.Row(y), l.Row(y));
        });
        return low;
    }
}
