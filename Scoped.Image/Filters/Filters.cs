using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>skimage.filters (domain scoped.image.filters).</summary>
public static partial class Filters
{
    public static partial class Methods
    {
        // Reach: the Gaussian's radius per axis.
        internal static int[] GaussianReach(DispatchCall call)
        {
            var sigma = call.Argument<double[]>("sigma");
            var truncate = call.Argument<double>("truncate");
            return [Reaches.Gaussian(sigma[0], truncate), Reaches.Gaussian(sigma[1], truncate)];
        }
    }

    /// <summary>
    /// skimage.filters.gaussian: a Gaussian blur with the same sigma on both spatial axes. Integer images are converted
    /// with img_as_float (or cast, with <paramref name="preserveRange"/>) and give float64; float32 stays float32.
    /// A 3-D image whose last axis has length 3 is taken as RGB when <paramref name="channelAxis"/> is not given, as
    /// scikit-image 0.19 does; channels are never mixed.
    /// </summary>
    /// <param name="image">2-D (rows, cols) or 3-D (rows, cols, channels).</param>
    /// <param name="sigma">Standard deviation in pixels, finite and &gt;= 0.</param>
    /// <param name="mode">Edge handling (scikit-image's default: nearest).</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>.</param>
    /// <param name="preserveRange">Keep integer values as they are instead of scaling to [0, 1].</param>
    /// <param name="truncate">Kernel radius in sigmas: radius = (int)(truncate * sigma + 0.5).</param>
    /// <param name="channelAxis">The channel axis of a 3-D image (-1 or 2), or null.</param>
    public static NDArray Gaussian(NDArray image, double sigma = 1, BoundaryMode mode = BoundaryMode.Nearest, double cval = 0,
        bool preserveRange = false, double truncate = 4.0, int? channelAxis = null) =>
        Gaussian(image, [sigma, sigma], mode, cval, preserveRange, truncate, channelAxis);

    /// <summary>skimage.filters.gaussian with one sigma per spatial axis (rows, cols).</summary>
    /// <inheritdoc cref="Gaussian(NDArray, double, BoundaryMode, double, bool, double, int?)"/>
    public static NDArray Gaussian(NDArray image, double[] sigma, BoundaryMode mode = BoundaryMode.Nearest, double cval = 0,
        bool preserveRange = false, double truncate = 4.0, int? channelAxis = null)
    {
        Guard.Image(image, nameof(image));
        ArgumentNullException.ThrowIfNull(sigma);
        if (sigma.Length != 2) throw new ArgumentException($"sigma must have one value per spatial axis (2); got {sigma.Length}.", nameof(sigma));
        foreach (var s in sigma) Guard.NonNegative(s, nameof(sigma));
        Guard.Positive(truncate, nameof(truncate));
        foreach (var s in sigma) Guard.GaussianKernel(s, nameof(sigma), truncate, nameof(truncate));
        Guard.Finite(cval, nameof(cval));
        if (image.Rank == 3 && channelAxis is null && image.Shape[2] != 3)
            throw new ArgumentException($"image is 3-D with {image.Shape[2]} channels; pass channelAxis: -1 (3-D volumes are not supported).", nameof(image));
        Guard.ChannelAxis(image, channelAxis, nameof(channelAxis));
        return Methods.Gaussian.Invoke(image, sigma, mode, cval, preserveRange, truncate, channelAxis);
    }

    [Function(Domains.Filters + ":gaussian", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.GaussianReach))]
    private static NDArray GaussianCpu(NDArray image, double[] sigma, BoundaryMode mode, double cval, bool preserveRange, double truncate, int? channelAxis)
    {
        var rowWeights = Separable.GaussianWeights(sigma[0], truncate);
        var colWeights = Separable.GaussianWeights(sigma[1], truncate);
        return FloatImages.ToFloat(Guard.Host(image, nameof(image)), preserveRange) switch
        {
            HostArray<float> f => Correlate(f, rowWeights, colWeights, mode, (float)cval),
            HostArray<double> d => Correlate(d, rowWeights, colWeights, mode, cval),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static HostArray<T> Correlate<T>(HostArray<T> image, double[] rowWeights, double[] colWeights, BoundaryMode mode, T cval)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        Separable.Correlate(image.Rows(), result.Rows(), rowWeights, colWeights, mode, cval);
        return result;
    }
}
