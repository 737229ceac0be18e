using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>skimage.filters (domain scoped.image.filters).</summary>
public static partial class Filters
{
    public static partial class Methods
    {
        // Reach: the Gaussian's radius per spatial axis.
        internal static int[] GaussianReach(DispatchCall call)
        {
            var truncate = call.Argument<double>("truncate");
            return Array.ConvertAll(call.Argument<double[]>("sigma"), s => Reaches.Gaussian(s, truncate));
        }
    }

    /// <summary>
    /// skimage.filters.gaussian: a Gaussian blur with the same sigma on every spatial axis, in any number of dimensions
    /// (a 2-D image, a 3-D volume, a 4-D time series...). Integer images are converted with img_as_float (or cast,
    /// with <paramref name="preserveRange"/>) and give float64; float32 stays float32. A 3-D image whose last axis has
    /// length 3 is taken as RGB when <paramref name="channelAxis"/> is not given, as scikit-image 0.19 does (pass
    /// one sigma per axis, all three, to blur such a volume); channels are never mixed.
    /// </summary>
    /// <param name="image">An array of 1 or more spatial axes, optionally with a channel axis.</param>
    /// <param name="sigma">Standard deviation in pixels, finite and &gt;= 0.</param>
    /// <param name="mode">Edge handling (scikit-image's default: nearest).</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    /// <param name="truncate">Kernel radius in sigmas: radius = (int)(truncate * sigma + 0.5).</param>
    /// <param name="channelAxis">The channel axis (any axis; negative counts from the end), or null.</param>
    public static NDArray Gaussian(NDArray image, double sigma = 1, BoundaryMode mode = BoundaryMode.Nearest, double cval = 0,
        bool preserveRange = false, double truncate = 4.0, int? channelAxis = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var axes = Guard.Spatial(image, nameof(image), Guard.ChannelAxisOrRgbGuess(image, channelAxis, nameof(channelAxis)));
        return Gaussian(image, Enumerable.Repeat(sigma, axes.SpatialRank).ToArray(), mode, cval, preserveRange, truncate, channelAxis);
    }

    /// <summary>skimage.filters.gaussian with one sigma per spatial axis, in array order (the channel axis skipped).
    /// A 3-D image of last axis 3 given three sigmas is a volume, blurred on all three axes.</summary>
    /// <inheritdoc cref="Gaussian(NDArray, double, BoundaryMode, double, bool, double, int?)"/>
    public static NDArray Gaussian(NDArray image, double[] sigma, BoundaryMode mode = BoundaryMode.Nearest, double cval = 0,
        bool preserveRange = false, double truncate = 4.0, int? channelAxis = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(sigma);
        // scikit-image: a sigma for every axis of an (M, N, 3) image (channel_axis not given) filters all three axes.
        int? channels = channelAxis is null && image.Rank == 3 && sigma.Length == 3 ? null : Guard.ChannelAxisOrRgbGuess(image, channelAxis, nameof(channelAxis));
        var axes = Guard.Spatial(image, nameof(image), channels);
        Guard.PerAxis(sigma, axes.SpatialRank, nameof(sigma));
        Guard.Positive(truncate, nameof(truncate));
        foreach (var s in sigma) Guard.GaussianKernel(s, nameof(sigma), truncate, nameof(truncate));
        Guard.Finite(cval, nameof(cval));
        return Methods.Gaussian.Invoke(image, sigma, mode, cval, preserveRange, truncate, channels);
    }

    /// <remarks>Backends receive <paramref name="channelAxis"/> resolved: 0..rank-1, or null for none (never the RGB guess).</remarks>
    [Function(Domains.Filters + ":gaussian", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.GaussianReach),
        MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray GaussianCpu(NDArray image, double[] sigma, BoundaryMode mode, double cval, bool preserveRange, double truncate, int? channelAxis)
    {
        var weights = Array.ConvertAll(sigma, s => Separable.GaussianWeights(s, truncate));
        return FloatImages.ToFloat(Guard.Host(image, nameof(image)), preserveRange) switch
        {
            HostArray<float> f => Correlate(f, weights, channelAxis, mode, (float)cval),
            HostArray<double> d => Correlate(d, weights, channelAxis, mode, cval),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    /// <summary>A 2-D (rows, cols[, channels last]) image correlated with one kernel per axis.</summary>
    private static HostArray<T> Correlate<T>(HostArray<T> image, double[] rowWeights, double[] colWeights, BoundaryMode mode, T cval)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Correlate(image, [rowWeights, colWeights], image.Rank == 3 ? 2 : null, mode, cval);

    /// <summary>An N-D image correlated with one kernel per spatial axis (channels, on any axis, never mixed).</summary>
    internal static HostArray<T> Correlate<T>(HostArray<T> image, double[][] weights, int? channelAxis, BoundaryMode mode, T cval)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var axes = ImageAxes.Of(image, channelAxis);
        return axes.FromKernel(Separable.CorrelateAxes(axes.ToKernel(image), axes.Spatial, axes.Channels, weights, mode, cval));
    }
}
