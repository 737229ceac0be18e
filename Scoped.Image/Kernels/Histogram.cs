using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Image.Primitives;

namespace Scoped.Image.Kernels;

/// <summary>
/// The one place that computes skimage.exposure.histogram's bins (np.bincount / np.histogram), shared by
/// exposure.histogram, equalize_hist and the thresholding functions: integer images get one bin per value from min
/// to max (or over the dtype's range); float images get <c>nbins</c> equal bins over [min, max] (or [-1, 1]) binned
/// exactly as np.histogram does (outer edges in the image type, an equal min and max widened by 0.5 either side,
/// edges from np.linspace in float64 rounded to the image type, counting by <see cref="HistogramKernels.CountUniform"/>).
/// An optional mask restricts both the range and the counts to the selected pixels.
/// </summary>
internal static class Histogram
{
    /// <summary>The most bins an integer image may need (one per value between its minimum and maximum).</summary>
    public const long MaxIntegerBins = 1 << 26;

    /// <summary>
    /// The histogram over the image's own range as the thresholding functions use it; bool images are binned as
    /// float64 0/1 values (np.histogram's path: scikit-image does not treat bool as an integer type).
    /// </summary>
    public static HistogramBins ImageRange(HostArray image, int nbins, string name) => image is HostArray<bool> b
        ? Bools(b, nbins, name)
        : Compute(image, null, nbins, dtypeRange: false, name);

    /// <summary>
    /// A bool image binned as float64 0/1 without converting it: only 0 and 1 can occur, so the bins (edges, centres,
    /// which bin each value falls in) come from the histogram of the values present, one of each, and the counts from
    /// counting the true pixels (exact integer partials per band).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static HistogramBins Bools(HostArray<bool> image, int nbins, string name)
    {
        var rows = image.Flat().Reinterpret<byte>();
        long total = (long)rows.Height * rows.RowLength;
        if (total == 0) return Compute(image.AsType(DType.Float64), null, nbins, dtypeRange: false, name); // the empty-image error
        int count = Bands.Count(rows.Height);
        var trues = new long[count];
        Bands.For(rows.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            long n = 0;
            for (int y = start; y < end; y++) { var row = rows.Row(y); n += row.Length - row.Count((byte)0); }
            trues[band] = n;
        });
        long ones = 0;
        foreach (var n in trues) ones += n;
        long zeros = total - ones;
        double[] present = zeros > 0 && ones > 0 ? [0.0, 1.0] : ones > 0 ? [1.0] : [0.0];
        var bins = Compute(HostArray.Create(present, 1, present.Length), null, nbins, dtypeRange: false, name);
        // 0 lies in the first occupied bin, 1 in the last (the same bin when only one value is present or nbins is 1).
        int zeroBin = Array.FindIndex(bins.Counts, c => c > 0), oneBin = Array.FindLastIndex(bins.Counts, c => c > 0);
        var counts = new long[bins.Counts.Length];
        counts[zeroBin] += zeros;
        counts[oneBin] += ones;
        return bins with { Counts = counts, Total = total };
    }

    /// <summary>
    /// skimage.exposure.histogram's bins for a uint8, uint16, int32, float32 or float64 image; <paramref name="dtypeRange"/>
    /// selects source_range='dtype'. NaN or infinite values in a float image's range are rejected.
    /// </summary>
    public static HistogramBins Compute(HostArray image, HostArray<bool>? mask, int nbins, bool dtypeRange, string name, long maxIntegerBins = MaxIntegerBins) => image switch
    {
        HostArray<byte> a => Integers(a.Flat(), mask, dtypeRange, name, maxIntegerBins),
        HostArray<ushort> a => Integers(a.Flat(), mask, dtypeRange, name, maxIntegerBins),
        HostArray<int> a => Integers(a.Flat(), mask, dtypeRange, name, maxIntegerBins),
        HostArray<float> a => Floats(a.Flat(), mask, nbins, dtypeRange, name),
        HostArray<double> a => Floats(a.Flat(), mask, nbins, dtypeRange, name),
        _ => throw new ArgumentException($"{name} has unsupported element type {image.DType}.", name),
    };

    /// <summary>One bin per integer value: [min, max] of the (masked) image, or the dtype's range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HistogramBins Integers<T>(ImageRows<T> rows, HostArray<bool>? mask, bool dtypeRange, string name, long maxBins = MaxIntegerBins)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        long lo, hi;
        if (dtypeRange) (lo, hi) = (long.CreateTruncating(T.MinValue), long.CreateTruncating(T.MaxValue));
        else
        {
            var (min, max) = MinMax(rows, mask);
            (lo, hi) = (long.CreateTruncating(min), long.CreateTruncating(max));
        }
        long span = hi - lo + 1;
        if (span > maxBins)
            throw new ArgumentException($"{name} values span {span} integers (from {lo} to {hi}); one bin per value would need too much memory.", name);
        // One count array per band (exact integers, summed afterwards), fewer bands when the value range is wide.
        int count = Math.Max(1, Math.Min(Bands.Count(rows.Height), (int)Math.Min(int.MaxValue, (1L << 24) / span)));
        var partial = new long[count][];
        var totals = new long[count];
        var maskRows = mask is null ? default : mask.Flat();
        bool masked = mask is not null;
        Bands.For(rows.Height, count, (band, start, end) =>
        {
            var bandCounts = partial[band] = new long[span];
            totals[band] = CountIntegers(rows, maskRows, masked, lo, bandCounts, start, end);
        });
        var counts = partial[0];
        long total = totals[0];
        for (int b = 1; b < count; b++)
        {
            var more = partial[b];
            for (long v = 0; v < span; v++) counts[v] += more[v];
            total += totals[b];
        }
        var centers = new double[span];
        for (long v = 0; v < span; v++) centers[v] = lo + v;
        return new HistogramBins(counts, centers, total, lo, true, !dtypeRange && span == 1 ? lo : null);
    }

    /// <summary>Adds rows [start, end) (where the mask is set) to counts[value - lo]; returns how many were counted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long CountIntegers<T>(ImageRows<T> rows, ImageRows<bool> maskRows, bool masked, long lo, long[] counts, int start, int end)
        where T : unmanaged, IBinaryInteger<T>
    {
        long total = 0;
        for (int y = start; y < end; y++)
        {
            ReadOnlySpan<T> row = rows.Row(y);
            if (!masked)
            {
                for (int i = 0; i < row.Length; i++) counts[long.CreateTruncating(row[i]) - lo]++;
                total += row.Length;
            }
            else
            {
                ReadOnlySpan<bool> m = maskRows.Row(y);
                for (int i = 0; i < row.Length; i++)
                {
                    if (!m[i]) continue;
                    counts[long.CreateTruncating(row[i]) - lo]++;
                    total++;
                }
            }
        }
        return total;
    }

    /// <summary>np.histogram(values, nbins, range): equal bins, edges from linspace in float64 cast to T, last bin closed.</summary>
    public static HistogramBins Floats<T>(ImageRows<T> rows, HostArray<bool>? mask, int nbins, bool dtypeRange, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // nbins sizes the counts, the edges and the centres; refused before the image is even scanned.
        Guard.Elements(nbins, "nbins", "a histogram");
        T first, last;
        if (dtypeRange) (first, last) = (-T.One, T.One);
        else
        {
            (first, last) = MinMax(rows, mask);
            if (!T.IsFinite(first) || !T.IsFinite(last))
                throw new ArgumentException($"{name} must hold only finite values for a histogram; its range is [{first}, {last}].", name);
        }
        double? constant = !dtypeRange && first == last ? double.CreateTruncating(first) : null;
        var (edges, centers) = UniformBins(first, last, nbins);
        var counts = new long[nbins];
        long total = HistogramKernels.CountUniform(rows, mask is null ? default : mask.Flat(), mask is not null, edges, counts);
        return new HistogramBins(counts, centers, total, 0, false, constant);
    }

    /// <summary>
    /// np.histogram's nbins equal bins over [first, last] (an equal first and last widened by 0.5 either side, in T):
    /// the nbins + 1 edges from np.linspace in float64 rounded to T, and the bin centres. Shared with backends that
    /// count the bins themselves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (T[] Edges, double[] Centers) UniformBins<T>(T first, T last, int nbins) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // np.histogram widens an empty range by 0.5 either side, in the image's own type.
        if (first == last) { first -= T.CreateTruncating(0.5); last += T.CreateTruncating(0.5); }
        double lo = double.CreateTruncating(first), hi = double.CreateTruncating(last);
        // np.linspace(lo, hi, nbins + 1) in float64, then rounded to the image type.
        var edges = new T[nbins + 1];
        double step = (hi - lo) / nbins;
        for (int i = 0; i < nbins; i++) edges[i] = T.CreateTruncating(i * step + lo);
        edges[nbins] = last;
        var centers = new double[nbins];
        T two = T.CreateTruncating(2);
        for (int i = 0; i < nbins; i++) centers[i] = double.CreateTruncating((edges[i] + edges[i + 1]) / two);
        return (edges, centers);
    }

    /// <summary>
    /// The smallest and largest (selected) element; for a float image NaN when any selected value is NaN, as NumPy's
    /// min/max give.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (T Min, T Max) MinMax<T>(ImageRows<T> rows, HostArray<bool>? mask) where T : unmanaged, INumber<T>
    {
        // Per band, merged in band order: T.Min/T.Max are exact and propagate NaN (and order -0 below +0), so any cut
        // gives the same pair.
        int count = Bands.Count(rows.Height);
        var partial = new (T Min, T Max, bool Any)[count];
        var maskRows = mask is null ? default : mask.Flat();
        bool masked = mask is not null;
        Bands.For(rows.Height, count, (band, start, end) => partial[band] = MinMaxRows(rows, maskRows, masked, start, end));
        T min = T.Zero, max = T.Zero;
        bool any = false;
        foreach (var p in partial)
        {
            if (!p.Any) continue;
            (min, max) = any ? (T.Min(min, p.Min), T.Max(max, p.Max)) : (p.Min, p.Max);
            any = true;
        }
        if (!any) throw HistogramBins.EmptyMask();
        return (min, max);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (T Min, T Max, bool Any) MinMaxRows<T>(ImageRows<T> rows, ImageRows<bool> maskRows, bool masked, int start, int end) where T : unmanaged, INumber<T>
    {
        T min = T.Zero, max = T.Zero;
        bool any = false;
        for (int y = start; y < end; y++)
        {
            ReadOnlySpan<T> row = rows.Row(y);
            if (!masked)
            {
                if (row.IsEmpty) continue;
                var (rowMin, rowMax) = Extrema.Of<T, NaNPropagates<T>>(row);
                (min, max) = any ? (T.Min(min, rowMin), T.Max(max, rowMax)) : (rowMin, rowMax);
                any = true;
                continue;
            }
            ReadOnlySpan<bool> m = maskRows.Row(y);
            for (int i = 0; i < row.Length; i++)
            {
                if (!m[i]) continue;
                T v = row[i];
                (min, max) = any ? (T.Min(min, v), T.Max(max, v)) : (v, v);
                any = true;
            }
        }
        return (min, max, any);
    }
}
