using Scoped.Image;

namespace Contoso.Imaging;

/// <summary>
/// Contoso's 8-bit histogram: one pass over the bytes into 256 counters, and Otsu's threshold read straight off
/// those counters with exact integer sums. Scoped's default builds a general histogram (min/max pass, then one bin per
/// value between them, in doubles); for uint8 the two give the same numbers as scikit-image, which the tests check.
/// </summary>
internal sealed class ByteHistogram
{
    // Four counter tables: runs of equal bytes (flat image areas) then update different memory, instead of each
    // increment waiting for the previous one to the same counter.
    private readonly int[] _tables = new int[4 * 256];
    private readonly long[] _counts = new long[256];
    private long _pending;

    /// <summary>Counts every byte of <paramref name="values"/>.</summary>
    public void Add(ReadOnlySpan<byte> values)
    {
        // The int tables are emptied into the long counts before any could overflow (a span holds at most int.MaxValue).
        if (_pending + values.Length > int.MaxValue) Flush();
        _pending += values.Length;
        var t = _tables;
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            t[values[i]]++;
            t[256 + values[i + 1]]++;
            t[512 + values[i + 2]]++;
            t[768 + values[i + 3]]++;
        }
        for (; i < values.Length; i++) t[values[i]]++;
    }

    /// <summary>The count of each value 0..255.</summary>
    public long[] Counts()
    {
        Flush();
        return (long[])_counts.Clone();
    }

    private void Flush()
    {
        for (int v = 0; v < 256; v++)
        {
            _counts[v] += (long)_tables[v] + _tables[256 + v] + _tables[512 + v] + _tables[768 + v];
            _tables[v] = _tables[256 + v] = _tables[512 + v] = _tables[768 + v] = 0;
        }
        _pending = 0;
    }

    /// <summary>The first and last values that occur (the image's min and max).</summary>
    public static (int Min, int Max) Range(ReadOnlySpan<long> counts)
    {
        int min = 0, max = 255;
        while (min < 255 && counts[min] == 0) min++;
        while (max > 0 && counts[max] == 0) max--;
        return (min, max);
    }

    /// <summary>
    /// skimage.filters.threshold_otsu on these counts: the value maximising the between-class variance
    /// w1 * w2 * (m1 - m2)^2 over thresholds between the image's min and max, the first one on ties; a constant image
    /// gives its value. Class weights and sums are exact integers; each mean is one division, as in NumPy.
    /// </summary>
    public static double Otsu(ReadOnlySpan<long> counts)
    {
        var (min, max) = Range(counts);
        if (min >= max) return min;
        long totalWeight = 0, totalSum = 0;
        for (int v = min; v <= max; v++) { totalWeight += counts[v]; totalSum += counts[v] * v; }

        long weight1 = 0, sum1 = 0;
        int best = min;
        double bestVariance = double.NegativeInfinity;
        for (int v = min; v < max; v++)
        {
            weight1 += counts[v];
            sum1 += counts[v] * v;
            long weight2 = totalWeight - weight1, sum2 = totalSum - sum1;
            double difference = (double)sum1 / weight1 - (double)sum2 / weight2;
            double variance = (double)(weight1 * weight2) * (difference * difference);
            if (variance > bestVariance) { bestVariance = variance; best = v; }
        }
        return best;
    }

    /// <summary>The count of each value 0..255 in a bitmap (row padding is not counted).</summary>
    public static long[] Count(Gray8Image image)
    {
        var histogram = new ByteHistogram();
        for (int y = 0; y < image.Height; y++) histogram.Add(image.Row(y));
        return histogram.Counts();
    }

    /// <summary>skimage.exposure.histogram of a uint8 image: one bin per value over the image's [min, max] ("image")
    /// or [0, 255] ("dtype"); int32 counts, or float64 fractions with <paramref name="normalize"/>. nbins does not apply
    /// to integer images.</summary>
    public static HistogramResult Histogram(HostArray<byte> image, string sourceRange, bool normalize)
    {
        var counts = Count(image);
        var (min, max) = sourceRange == "dtype" ? (0, 255) : Range(counts);
        int bins = max - min + 1;
        var centers = new double[bins];
        for (int i = 0; i < bins; i++) centers[i] = min + i;
        if (normalize)
        {
            double total = image.Size;
            var fractions = new double[bins];
            for (int i = 0; i < bins; i++) fractions[i] = counts[min + i] / total;
            return new HistogramResult(HostArray.Create(fractions, bins), centers);
        }
        var ints = new int[bins];
        for (int i = 0; i < bins; i++) ints[i] = (int)counts[min + i];
        return new HistogramResult(HostArray.Create(ints, bins), centers);
    }

    /// <summary>Counts the values of a 2-D or 3-D array row by row, straight from its tensor; a view whose rows are
    /// not contiguous (a transposed one, say) is copied into C order first.</summary>
    public static long[] Count(HostArray<byte> image)
    {
        var tensor = image.Tensor;
        int rows = image.Shape[0];
        int rowLength = (int)(image.Size / rows);
        var start = new nint[image.Rank];
        var histogram = new ByteHistogram();
        for (int y = 0; y < rows; y++)
        {
            start[0] = y;
            if (!tensor.TryGetSpan(start, rowLength, out ReadOnlySpan<byte> row))
            {
                histogram = new ByteHistogram();
                histogram.Add(image.ToArray());
                break;
            }
            histogram.Add(row);
        }
        return histogram.Counts();
    }
}
