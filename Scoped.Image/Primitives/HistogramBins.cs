using System.Numerics;

namespace Scoped.Image.Primitives;

/// <summary>
/// A histogram as Scoped.Image bins it (np.histogram's uniform bins for floats, one bin per value for integers), the
/// shared step of histogram, equalize_hist and the histogram thresholds: a backend that counts the bins itself (on a
/// device) hands them to <see cref="OtsuThreshold"/> or <see cref="Cdf"/> and gets the default's numbers.
/// </summary>
/// <param name="Counts">Counts per bin.</param>
/// <param name="Centers">Bin centres.</param>
/// <param name="Total">The number of values counted.</param>
/// <param name="IntegerMin">The first bin's value (integer images).</param>
/// <param name="Integer">Whether the bins are one per integer value.</param>
/// <param name="ConstantValue">The image's value when the (selected part of the) image is constant.</param>
public readonly record struct HistogramBins(long[] Counts, double[] Centers, long Total, long IntegerMin, bool Integer, double? ConstantValue)
{
    /// <summary>filters.threshold_otsu's threshold from these bins.</summary>
    public double OtsuThreshold() => Filters.OtsuThreshold(this);

    /// <summary>exposure.cumulative_distribution of these bins (float64, normalised to end at 1).</summary>
    public double[] Cdf() => Exposure.Cdf(Counts);

    /// <summary>equalize_hist's np.interp tables for a float image of element type <typeparamref name="T"/>: the cdf
    /// rounded to T (as scikit-image stores it) at the bin centres, and the slope of each interval.</summary>
    public (double[] Fp, double[] Slopes) InterpTables<T>() where T : unmanaged, IFloatingPointIeee754<T> => Exposure.InterpTables<T>(this);

    /// <summary>np.histogram's <paramref name="nbins"/> equal bins over [<paramref name="first"/>, <paramref name="last"/>]
    /// (an equal first and last widened by 0.5 either side, in T): the nbins + 1 edges from np.linspace in float64 rounded
    /// to T, and the bin centres.</summary>
    public static (T[] Edges, double[] Centers) UniformEdges<T>(T first, T last, int nbins) where T : unmanaged, IFloatingPointIeee754<T> =>
        Kernels.Histogram.UniformBins(first, last, nbins);

    /// <summary>How the default assigns a value to one of those bins: the scale of the first guess, nbins / (last edge -
    /// first edge) in T, then a correction against bin k's bounds (open at both ends; index nbins is the "not counted"
    /// sentinel whose NaN bounds never move a value out of it).</summary>
    public static (T Norm, T[] Lower, T[] Upper) CountingBounds<T>(T[] edges) where T : unmanaged, IFloatingPointIeee754<T> =>
        HistogramKernels.UniformBounds(edges);

    /// <summary>1 / the mean spacing of bin centres <paramref name="centers"/> (0 for one bin): the scale of np.interp's
    /// first guess at the interval, as the default's equalize_hist uses it.</summary>
    public static double InverseStep(double[] centers) => HistogramKernels.InverseStep(centers);

    /// <summary>The error for a mask that selects no pixels, as the default reports it.</summary>
    public static ArgumentException EmptyMask() => new("mask selects no pixels; the histogram would be empty.", "mask");
}
