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

    /// <summary>The error for a mask that selects no pixels, as the default reports it.</summary>
    public static ArgumentException EmptyMask() => new("mask selects no pixels; the histogram would be empty.", "mask");
}
