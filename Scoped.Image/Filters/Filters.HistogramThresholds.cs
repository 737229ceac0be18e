using Scoped.Image.Kernels;

namespace Scoped.Image;

// threshold_isodata, threshold_triangle, threshold_minimum and threshold_multiotsu: each from the image's histogram
// (Histogram.ImageRange, the one place that bins as skimage.exposure.histogram does), in scikit-image's precision.
public static partial class Filters
{
    /// <summary>
    /// skimage.filters.threshold_isodata (Ridler-Calvard): the lowest bin centre t whose class means (at or below t,
    /// above t) average to within one bin above t. Counts in float32 as scikit-image keeps them.
    /// </summary>
    /// <param name="image">Grayscale image, any rank.</param>
    /// <param name="nbins">Number of bins for float images, &gt;= 2 (ignored for integer images).</param>
    public static double ThresholdIsodata(NDArray image, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        if (nbins < 2) throw new ArgumentException($"nbins must be >= 2; got {nbins}.", nameof(nbins));
        return Methods.ThresholdIsodata.Invoke(image, nbins);
    }

    /// <summary>
    /// skimage.filters.threshold_triangle (Zack): the bin farthest below the line from the histogram's peak to the end
    /// of its longer tail.
    /// </summary>
    /// <param name="image">Grayscale image, any rank, not constant.</param>
    /// <param name="nbins">Number of bins for float images, &gt;= 2 (ignored for integer images).</param>
    public static double ThresholdTriangle(NDArray image, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        if (nbins < 2) throw new ArgumentException($"nbins must be >= 2; got {nbins}.", nameof(nbins));
        return Methods.ThresholdTriangle.Invoke(image, nbins);
    }

    /// <summary>
    /// skimage.filters.threshold_minimum (Prewitt-Mendelsohn): the histogram is smoothed with a 3-bin mean until it has
    /// two maxima; the threshold is the lowest bin between them. An image whose histogram does not reach two maxima
    /// within <paramref name="maxNumIter"/> smoothings is refused (scikit-image raises RuntimeError).
    /// </summary>
    /// <param name="image">Grayscale image, any rank.</param>
    /// <param name="nbins">Number of bins for float images, &gt;= 2 (ignored for integer images).</param>
    /// <param name="maxNumIter">The most smoothing passes, &gt;= 1.</param>
    public static double ThresholdMinimum(NDArray image, int nbins = 256, int maxNumIter = 10000)
    {
        Guard.AnyRank(image, nameof(image));
        if (nbins < 2) throw new ArgumentException($"nbins must be >= 2; got {nbins}.", nameof(nbins));
        if (maxNumIter < 1) throw new ArgumentException($"maxNumIter must be >= 1; got {maxNumIter}.", nameof(maxNumIter));
        return Methods.ThresholdMinimum.Invoke(image, nbins, maxNumIter);
    }

    /// <summary>
    /// skimage.filters.threshold_multiotsu: the <paramref name="classes"/> - 1 thresholds (bin centres, increasing) that
    /// maximise the between-class variance of the histogram (Liao, Chen and Chung), searched over every combination
    /// in float32 as scikit-image does. np.digitize(image, thresholds) gives the classes.
    /// </summary>
    /// <param name="image">Grayscale image, any rank, with at least <paramref name="classes"/> distinct values.</param>
    /// <param name="classes">Number of classes, 2..5 (each more one multiplies the search by the number of bins).</param>
    /// <param name="nbins">Number of bins for float images, &gt;= 2 (ignored for integer images).</param>
    public static double[] ThresholdMultiotsu(NDArray image, int classes = 3, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        if (classes is < 2 or > 5) throw new ArgumentException($"classes must be in [2, 5]; got {classes}.", nameof(classes));
        if (nbins < 2) throw new ArgumentException($"nbins must be >= 2; got {nbins}.", nameof(nbins));
        return Methods.ThresholdMultiotsu.Invoke(image, classes, nbins);
    }

    [Function(Domains.Filters + ":threshold_isodata", FunctionKind.Reduction, RunsInBands = true, Signature = "HistogramThresholdFunction", MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdIsodataCpu(NDArray image, int nbins)
    {
        var bins = Histogram.ImageRange(Guard.Host(image, nameof(image)), nbins, nameof(image));
        var centers = bins.Centers;
        int n = centers.Length;
        if (n == 1) return centers[0];
        // counts as float32; the running count in float32, the intensity sums (float32 count x centre) in float64.
        var csuml = new float[n];
        var csumIntensity = new double[n];
        float count = 0;
        double intensity = 0;
        for (int i = 0; i < n; i++)
        {
            float c = (float)(double)bins.Counts[i];
            count += c;
            intensity += c * centers[i];
            csuml[i] = count;
            csumIntensity[i] = intensity;
        }
        double binWidth = centers[1] - centers[0];
        for (int i = 0; i < n - 1; i++)
        {
            double lower = csumIntensity[i] / csuml[i];
            double higher = (csumIntensity[n - 1] - csumIntensity[i]) / (csuml[n - 1] - csuml[i]);
            double distance = (lower + higher) / 2.0 - centers[i];
            if (distance >= 0 && distance < binWidth) return centers[i];
        }
        throw new ArgumentException("image has no ISODATA threshold: no bin centre lies within one bin below the mean of its two class means.", nameof(image));
    }

    [Function(Domains.Filters + ":threshold_triangle", FunctionKind.Reduction, RunsInBands = true, Signature = "HistogramThresholdFunction", MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdTriangleCpu(NDArray image, int nbins)
    {
        var bins = Histogram.ImageRange(Guard.Host(image, nameof(image)), nbins, nameof(image));
        var hist = bins.Counts;
        int n = hist.Length, peak = 0, low = -1, high = -1;
        for (int i = 0; i < n; i++)
        {
            if (hist[i] > hist[peak]) peak = i;
            if (hist[i] > 0) { if (low < 0) low = i; high = i; }
        }
        long peakHeight = hist[peak];
        // Measured along the longer tail: flipped so that it always lies below the peak.
        bool flip = peak - low < high - peak;
        Func<int, long> at = flip ? i => hist[n - 1 - i] : i => hist[i];
        if (flip) { low = n - high - 1; peak = n - peak - 1; }
        int width = peak - low;
        if (width == 0)
            throw new ArgumentException("image is constant (its histogram is one peak); threshold_triangle needs at least two levels.", nameof(image));
        double norm = Math.Sqrt((double)(peakHeight * peakHeight + (long)width * width));
        double h = peakHeight / norm, w = width / norm;
        int best = 0;
        double bestLength = double.NegativeInfinity;
        for (int x = 0; x < width; x++)
        {
            double length = h * x - w * at(x + low);
            if (length > bestLength) { bestLength = length; best = x; }
        }
        int level = best + low;
        return bins.Centers[flip ? n - level - 1 : level];
    }

    [Function(Domains.Filters + ":threshold_minimum", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdMinimumCpu(NDArray image, int nbins, int maxNumIter)
    {
        var bins = Histogram.ImageRange(Guard.Host(image, nameof(image)), nbins, nameof(image));
        var smooth = AsDouble(bins.Counts);
        var next = new double[smooth.Length];
        var maxima = new List<int>();
        int counter = 0;
        for (; counter < maxNumIter; counter++)
        {
            UniformFilter.Line(smooth, next, 3);
            (smooth, next) = (next, smooth);
            LocalMaxima(smooth, maxima);
            if (maxima.Count < 3) break;
        }
        if (maxima.Count != 2)
            throw new ArgumentException($"image's histogram does not smooth to two maxima (it has {maxima.Count} after {Math.Min(counter + 1, maxNumIter)} passes); threshold_minimum needs a bimodal histogram.", nameof(image));
        if (counter == maxNumIter - 1) // scikit-image refuses a result found on the last allowed pass too
            throw new ArgumentException($"threshold_minimum reached maxNumIter ({maxNumIter}) smoothing the histogram.", nameof(maxNumIter));
        int best = maxima[0];
        for (int i = maxima[0]; i <= maxima[1]; i++) if (smooth[i] < smooth[best]) best = i;
        return bins.Centers[best];
    }

    /// <summary>The maxima of a histogram as scikit-image finds them: the last bin of each rise (plateaus included).</summary>
    private static void LocalMaxima(double[] hist, List<int> maxima)
    {
        maxima.Clear();
        bool rising = true;
        for (int i = 0; i < hist.Length - 1; i++)
        {
            if (rising) { if (hist[i + 1] < hist[i]) { rising = false; maxima.Add(i); } }
            else if (hist[i + 1] > hist[i]) rising = true;
        }
    }

    [Function(Domains.Filters + ":threshold_multiotsu", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double[] ThresholdMultiotsuCpu(NDArray image, int classes, int nbins)
    {
        var bins = Histogram.ImageRange(Guard.Host(image, nameof(image)), nbins, nameof(image));
        int n = bins.Counts.Length, values = 0;
        // The probabilities: counts / total in float64, stored as float32.
        var prob = new float[n];
        for (int i = 0; i < n; i++)
        {
            prob[i] = (float)(bins.Counts[i] / (double)bins.Total);
            if (prob[i] > 0) values++;
        }
        if (values < classes)
            throw new ArgumentException($"image has only {values} different values; it cannot be thresholded in {classes} classes.", nameof(image));
        double combinations = 1; // C(n - 1, classes - 1): the candidate threshold sets the search tries
        for (int k = 1; k < classes; k++) combinations = combinations * (n - k) / k;
        if (combinations > MaxMultiotsuCombinations)
            throw new ArgumentException($"classes = {classes} over {n} histogram bins is a search of {combinations:G3} threshold sets (at most {MaxMultiotsuCombinations:G3}); use fewer classes or, for a float image, fewer bins.", nameof(classes));
        var indices = new int[classes - 1];
        if (values == classes)
        {
            for (int i = 0, k = 0; i < n && k < indices.Length; i++) if (prob[i] > 0) indices[k++] = i;
        }
        else MultiotsuSearch(prob, indices);
        return Array.ConvertAll(indices, i => bins.Centers[i]);
    }

    // About a second of search on one core.
    private const double MaxMultiotsuCombinations = 1e9;

    /// <summary>
    /// The thresholds maximising the summed between-class variance S(i, j)² / P(i, j) over the classes, every
    /// combination tried in increasing order and the first maximum kept, in float32. The moments follow scikit-image's
    /// lookup table, quirks included: the first moment starts at prob[0] (not 0 x prob[0]) and the class [0, 0] counts 0.
    /// </summary>
    private static void MultiotsuSearch(float[] prob, int[] best)
    {
        int n = prob.Length, count = best.Length;
        var zeroth = new float[n];
        var first = new float[n];
        zeroth[0] = prob[0];
        first[0] = prob[0];
        for (int i = 1; i < n; i++)
        {
            zeroth[i] = zeroth[i - 1] + prob[i];
            first[i] = first[i - 1] + i * prob[i];
        }
        float Between(int i, int j)
        {
            if (i == 0)
                return j > 0 && zeroth[j] > 0 ? first[j] * first[j] / zeroth[j] : 0f;
            float z = zeroth[j] - zeroth[i - 1];
            if (!(z > 0)) return 0f;
            float f = first[j] - first[i - 1];
            return f * f / z;
        }
        var current = new int[count];
        float sigmaMax = 0;
        void Search(int from, int depth)
        {
            if (depth < count)
            {
                for (int idx = from; idx < n - count + depth; idx++)
                {
                    current[depth] = idx;
                    Search(idx + 1, depth + 1);
                }
                return;
            }
            float sigma = Between(0, current[0]) + Between(current[count - 1] + 1, n - 1);
            for (int k = 0; k < count - 1; k++) sigma += Between(current[k] + 1, current[k + 1]);
            if (sigma > sigmaMax) { sigmaMax = sigma; current.CopyTo(best, 0); }
        }
        Search(0, 0);
    }
}
