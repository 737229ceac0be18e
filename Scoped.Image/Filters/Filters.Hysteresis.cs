using Scoped.Image.Kernels;

namespace Scoped.Image;

// threshold_mean and apply_hysteresis_threshold, with NumPy's arithmetic where it decides the result.
public static partial class Filters
{
    /// <summary>
    /// skimage.filters.threshold_mean: the mean of the image, summed as NumPy's mean sums it (pairwise; float32 in float32;
    /// integers and bool cast to float64 in NumPy's buffers of 8192 elements, added one buffer after another).
    /// </summary>
    /// <param name="image">Any rank, any supported element type.</param>
    public static double ThresholdMean(NDArray image)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.ThresholdMean.Invoke(image);
    }

    /// <summary>
    /// skimage.filters.apply_hysteresis_threshold: true where the image is above <paramref name="low"/> and the
    /// face-connected region of such elements (ndimage.label's default structure) reaches above
    /// <paramref name="high"/>. low is first clipped to high. A float32 image is compared with the thresholds rounded
    /// to float32, as NumPy compares it.
    /// </summary>
    /// <param name="image">Any rank; bool, uint8, uint16, int32, float32 or float64.</param>
    /// <param name="low">The lower threshold (not NaN).</param>
    /// <param name="high">The upper threshold (not NaN).</param>
    public static NDArray ApplyHysteresisThreshold(NDArray image, double low, double high)
    {
        Guard.Spatial(image, nameof(image), null);
        if (double.IsNaN(low)) throw new ArgumentException("low must not be NaN.", nameof(low));
        if (double.IsNaN(high)) throw new ArgumentException("high must not be NaN.", nameof(high));
        return Methods.ApplyHysteresisThreshold.Invoke(image, low, high);
    }

    [Function(Domains.Filters + ":threshold_mean", FunctionKind.Reduction, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdMeanCpu(NDArray image)
    {
        var host = Guard.Host(image, nameof(image));
        long n = host.Size;
        switch (host)
        {
            case HostArray<float> f:
                // float32 accumulates in float32; the quotient is taken in float64 and stored as float32.
                return (float)(Metrics.PairwiseSum<float>(f.ToArray()) / (double)n);
            case HostArray<double> d:
                return Metrics.PairwiseSum<double>(d.ToArray()) / n;
            default:
                var values = (double[])host.AsType(DType.Float64).ToFlatArray();
                double sum = 0;
                for (int start = 0; start < values.Length; start += NumPyBuffer)
                    sum += Metrics.PairwiseSum<double>(values.AsSpan(start, Math.Min(NumPyBuffer, values.Length - start)));
                return sum / n;
        }
    }

    // NumPy's ufunc buffer: a reduction that casts its input works through it this many elements at a time.
    private const int NumPyBuffer = 8192;

    [Function(Domains.Filters + ":apply_hysteresis_threshold", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ApplyHysteresisThresholdCpu(NDArray image, double low, double high)
    {
        var host = Guard.Host(image, nameof(image));
        var shape = host.Shape.ToArray();
        low = Math.Min(low, high);
        var values = (double[])host.AsType(DType.Float64).ToFlatArray();
        double lowAs = AsComparedWith(host.DType, low), highAs = AsComparedWith(host.DType, high);
        var above = Array.ConvertAll(values, v => v > lowAs);
        var regions = (int[])Measure.LabelVolume(HostArray.Create(above, shape), 0, 1).ToFlatArray();
        int count = regions.Length == 0 ? 0 : regions.Max();
        var reachesHigh = new bool[count + 1];
        for (int i = 0; i < values.Length; i++) if (values[i] > highAs) reachesHigh[regions[i]] = true;
        reachesHigh[0] = false; // elements at or below low: ndi.sum over label 0 of high elements is 0 (high >= low)
        return HostArray.Create(Array.ConvertAll(regions, r => reachesHigh[r]), shape);
    }

    /// <summary>A float threshold as NumPy's value-based casting compares it with an array of <paramref name="dtype"/>:
    /// in float32 against float32 unless the value is too large for float32 (checked with NumPy 1.24), else in float64.</summary>
    private static double AsComparedWith(DType dtype, double value) =>
        dtype == DType.Float32 && (double.IsInfinity(value) || Math.Abs(value) <= float.MaxValue) ? (float)value : value;
}
