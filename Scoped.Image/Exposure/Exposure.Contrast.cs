using System.Numerics;
using Scoped.Image.Primitives;

namespace Scoped.Image;

/// <summary>exposure.cumulative_distribution: the normalised cumulative histogram and the bin centres.</summary>
/// <param name="Cdf">1-D, ending at 1: float32 for a float32 image, float64 otherwise.</param>
/// <param name="BinCenters">The centre of each bin (the integer value itself for integer images).</param>
public sealed record CumulativeDistributionResult(NDArray Cdf, double[] BinCenters);

// exposure.cumulative_distribution, is_low_contrast and match_histograms.
public static partial class Exposure
{
    /// <summary>
    /// skimage.exposure.cumulative_distribution: the cumulative sum of <see cref="Histogram"/> divided by its last
    /// value (integer images: one bin per value; float images: <paramref name="nbins"/> bins over [min, max]).
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank.</param>
    /// <param name="nbins">Bins for float images, &gt;= 1.</param>
    public static CumulativeDistributionResult CumulativeDistribution(NDArray image, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        if (nbins < 1) throw new ArgumentException($"nbins must be >= 1; got {nbins}.", nameof(nbins));
        return Methods.CumulativeDistribution.Invoke(image, nbins);
    }

    /// <summary>
    /// skimage.exposure.is_low_contrast: whether the spread between the <paramref name="lowerPercentile"/> and
    /// <paramref name="upperPercentile"/> percentiles (np.percentile, linear) is below <paramref name="fractionThreshold"/>
    /// of the dtype's range (floats: [-1, 1]). bool images are low-contrast unless they hold both values; a 3-D image
    /// with 3 (or 4: RGBA, blended onto white first) elements on its last axis is taken as colour and made grey first,
    /// as scikit-image does. scikit-image's <c>method</c> argument is not passed on by 0.19 (always linear), so it is
    /// not offered.
    /// </summary>
    /// <param name="image">Any dtype, any rank.</param>
    /// <param name="fractionThreshold">The least spread, as a fraction of the dtype's range.</param>
    /// <param name="lowerPercentile">0..100.</param>
    /// <param name="upperPercentile">0..100.</param>
    public static bool IsLowContrast(NDArray image, double fractionThreshold = 0.05, double lowerPercentile = 1, double upperPercentile = 99)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.Finite(fractionThreshold, nameof(fractionThreshold));
        CheckPercent(lowerPercentile, nameof(lowerPercentile));
        CheckPercent(upperPercentile, nameof(upperPercentile));
        return Methods.IsLowContrast.Invoke(image, fractionThreshold, lowerPercentile, upperPercentile);
    }

    private static void CheckPercent(double value, string name)
    {
        if (!(value >= 0 && value <= 100)) throw new ArgumentException($"{name} must be in [0, 100]; got {value}.", name);
    }

    /// <summary>
    /// skimage.exposure.match_histograms: each value of <paramref name="image"/> replaced by the value of
    /// <paramref name="reference"/> at the same quantile (np.interp between the reference's cumulative fractions).
    /// Without a channel axis the result is float64 (float32 for a float32 image); with one, each channel is matched
    /// on its own and written back into the image's dtype (integers truncate), as scikit-image 0.19 does.
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank.</param>
    /// <param name="reference">Same rank (any shape, any numeric dtype); with a channel axis, as many channels.</param>
    /// <param name="channelAxis">The channel axis (negative counts from the end); null for none.</param>
    public static NDArray MatchHistograms(NDArray image, NDArray reference, int? channelAxis = null)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.AnyRank(reference, nameof(reference));
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        Guard.DTypeIn(reference, nameof(reference), Numeric.Types);
        if (image.Rank != reference.Rank)
            throw new ArgumentException($"reference must have as many axes as image ({image.Rank}); got shape {reference.ShapeText}.", nameof(reference));
        if (Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis)) is { } axis && image.Shape[axis] != reference.Shape[axis])
            throw new ArgumentException($"reference must have as many channels as image ({image.Shape[axis]}); got {reference.Shape[axis]}.", nameof(reference));
        return Methods.MatchHistograms.Invoke(image, reference, channelAxis);
    }

    // ---------------------------------------------------------------- implementations

    [Function(Domains.Exposure + ":cumulative_distribution", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static CumulativeDistributionResult CumulativeDistributionCpu(NDArray image, int nbins)
    {
        var bins = Kernels.Histogram.Compute(Guard.Host(image, nameof(image)), null, nbins, false, nameof(image));
        var cdf = Cdf(bins.Counts);
        NDArray result = image.DType == DType.Float32 ? HostArray.Create(Array.ConvertAll(cdf, v => (float)v), cdf.Length) : HostArray.Create(cdf, cdf.Length);
        return new CumulativeDistributionResult(result, bins.Centers);
    }

    [Function(Domains.Exposure + ":is_low_contrast", FunctionKind.Reduction, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static bool IsLowContrastCpu(NDArray image, double fractionThreshold, double lowerPercentile, double upperPercentile)
    {
        var host = Guard.Host(image, nameof(image));
        if (host is HostArray<bool> mask)
        {
            var values = mask.ToArray();
            return !(Array.IndexOf(values, true) >= 0 && Array.IndexOf(values, false) >= 0);
        }
        if (host.Rank == 3 && host.Shape[2] == 4) host = (HostArray)Color.Rgba2RgbHost(host, [1, 1, 1]);
        if (host.Rank == 3 && host.Shape[2] == 3) host = (HostArray)Color.Rgb2Gray(host);
        var (low, high) = host.DType.Range();
        return Numeric.Apply<double, Spread>(host, new(lowerPercentile, upperPercentile), nameof(image)) / (high - low) < fractionThreshold;
    }

    /// <summary>The difference of two percentiles.</summary>
    private readonly record struct Spread(double Lower, double Upper) : INumericFunc<double>
    {
        public double Invoke<T>(HostArray<T> image) where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var values = image.ToArray();
            return Quantiles.PercentileOfUnsorted<T>(values, Upper) - Quantiles.PercentileOfUnsorted<T>(values, Lower);
        }
    }

    [Function(Domains.Exposure + ":match_histograms", FunctionKind.Reduction, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray MatchHistogramsCpu(NDArray image, NDArray reference, int? channelAxis)
    {
        var source = Guard.Host(image, nameof(image));
        var template = Guard.Host(reference, nameof(reference));
        var shape = source.Shape.ToArray();
        if (Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis)) is not { } axis)
        {
            var matched = Matched(Flat(source), Flat(template));
            return source.DType == DType.Float32 ? HostArray.Create(Array.ConvertAll(matched, v => (float)v), shape) : HostArray.Create(matched, shape);
        }
        // Per channel, written back into the image's own dtype.
        var values = Flat(source);
        var refValues = Flat(template);
        var output = new double[values.Length];
        int channels = shape[axis];
        for (int c = 0; c < channels; c++)
        {
            var mine = Channel(values, source.Shape.ToArray(), axis, c);
            var theirs = Channel(refValues, template.Shape.ToArray(), axis, c);
            var matched = Matched(mine.Select(i => values[i]).ToArray(), theirs.Select(i => refValues[i]).ToArray());
            for (int k = 0; k < mine.Length; k++) output[mine[k]] = matched[k];
        }
        return HostArray.Create(output, shape).AsType(source.DType);
    }

    private static double[] Flat(HostArray array) => (double[])array.AsType(DType.Float64).ToFlatArray();

    /// <summary>The flat indices of channel <paramref name="c"/> along <paramref name="axis"/> of a C-order array.</summary>
    private static int[] Channel(double[] values, int[] shape, int axis, int c)
    {
        int inner = 1;
        for (int a = axis + 1; a < shape.Length; a++) inner *= shape[a];
        int n = shape[axis];
        var indices = new int[values.Length / n];
        for (int i = 0, k = 0; i < values.Length; i++)
            if (i / inner % n == c) indices[k++] = i;
        return indices;
    }

    /// <summary>scikit-image's _match_cumulative_cdf on float64 values (exact for every dtype it takes here).</summary>
    private static double[] Matched(double[] source, double[] template)
    {
        var (srcValues, srcCounts, inverse) = Unique(source, inverse: true);
        var (tmplValues, tmplCounts, _) = Unique(template, inverse: false);
        var tmplQuantiles = CumulativeFractions(tmplCounts, template.Length);
        var srcQuantiles = CumulativeFractions(srcCounts, source.Length);
        var mapped = new double[srcValues.Length];
        int j = 0;
        for (int u = 0; u < mapped.Length; u++) mapped[u] = Quantiles.Interp(srcQuantiles[u], tmplQuantiles, tmplValues, ref j);
        var result = new double[source.Length];
        for (int i = 0; i < result.Length; i++) result[i] = mapped[inverse![i]];
        return result;
    }

    private static double[] CumulativeFractions(long[] counts, int total)
    {
        var fractions = new double[counts.Length];
        long sum = 0;
        for (int i = 0; i < counts.Length; i++) { sum += counts[i]; fractions[i] = sum / (double)total; }
        return fractions;
    }

    /// <summary>np.unique(values, return_inverse, return_counts): the sorted distinct values, their counts and each
    /// value's place among them.</summary>
    private static (double[] Values, long[] Counts, int[]? Inverse) Unique(double[] values, bool inverse)
    {
        var keys = (double[])values.Clone();
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(keys, order);
        var distinct = new List<double>();
        var counts = new List<long>();
        var place = inverse ? new int[values.Length] : null;
        for (int k = 0; k < keys.Length; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1]) { distinct.Add(keys[k]); counts.Add(0); }
            counts[^1]++;
            if (place is not null) place[order[k]] = distinct.Count - 1;
        }
        return (distinct.ToArray(), counts.ToArray(), place);
    }
}
