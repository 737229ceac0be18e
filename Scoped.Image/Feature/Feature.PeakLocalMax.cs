using System.Numerics;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>skimage.feature (domain scoped.image.feature).</summary>
public static partial class Feature
{
    /// <summary>
    /// skimage.feature.peak_local_max: coordinates (row, col) of the local maxima as an int32 (N, 2) array, highest
    /// first, in scikit-image 0.19's order (NumPy's quicksort of the negated intensities, so ties come out as NumPy
    /// orders them). A peak equals the maximum over <paramref name="footprint"/> (default: a (2 * minDistance + 1)
    /// square; outside the image counts as 0), exceeds the threshold, lies outside the excluded border, and is at
    /// Chebyshev (or <paramref name="pNorm"/>) distance &gt;= <paramref name="minDistance"/> from every higher peak kept.
    /// </summary>
    /// <param name="image">2-D float32, float64, uint8, uint16 or int32 image.</param>
    /// <param name="minDistance">Minimal distance between peaks (&gt;= 0).</param>
    /// <param name="thresholdAbs">Minimum intensity; null = the image minimum.</param>
    /// <param name="thresholdRel">Minimum intensity as a fraction of the image maximum; null = none.</param>
    /// <param name="excludeBorder">Which border is excluded from the search: <c>true</c> (the default)
    /// <paramref name="minDistance"/> pixels, <c>false</c> none, an int a width in pixels, or an int[] one width per
    /// axis (a <see cref="BorderExclusion"/>, converted implicitly from each).</param>
    /// <param name="numPeaks">Maximum number of peaks (double.PositiveInfinity = all).</param>
    /// <param name="footprint">2-D neighbourhood (non-zero = in), or null.</param>
    /// <param name="labels">Optional 2-D uint8/uint16/int32 labels (same shape): peaks are searched per label.</param>
    /// <param name="numPeaksPerLabel">Maximum number of peaks per label.</param>
    /// <param name="pNorm">Minkowski p of the distance: 1, 2 or double.PositiveInfinity.</param>
    public static NDArray PeakLocalMax(NDArray image, int minDistance = 1, double? thresholdAbs = null, double? thresholdRel = null,
        BorderExclusion excludeBorder = default, double numPeaks = double.PositiveInfinity, NDArray? footprint = null, NDArray? labels = null,
        double numPeaksPerLabel = double.PositiveInfinity, double pNorm = double.PositiveInfinity)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        Guard.DTypeIn(image, nameof(image), DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32);
        if (minDistance < 0) throw new ArgumentException($"minDistance must be >= 0; got {minDistance}.", nameof(minDistance));
        // Without a footprint, the maximum filter's window is a (2 * minDistance + 1) cube.
        if (footprint is null)
        {
            double window = Math.Pow(2.0 * minDistance + 1, image.Rank);
            Guard.Elements(window >= long.MaxValue ? long.MaxValue : (long)window, nameof(minDistance), "a maximum-filter window");
        }
        int[] borderWidths = excludeBorder.Widths(minDistance, rank: image.Rank, nameof(excludeBorder));
        if (thresholdAbs is { } ta) Guard.Finite(ta, nameof(thresholdAbs));
        if (thresholdRel is { } tr) Guard.Finite(tr, nameof(thresholdRel));
        if (double.IsNaN(numPeaks) || numPeaks < 0) throw new ArgumentException($"numPeaks must be >= 0; got {numPeaks}.", nameof(numPeaks));
        if (double.IsNaN(numPeaksPerLabel) || numPeaksPerLabel < 0)
            throw new ArgumentException($"numPeaksPerLabel must be >= 0; got {numPeaksPerLabel}.", nameof(numPeaksPerLabel));
        if (pNorm is not (1 or 2 or double.PositiveInfinity))
            throw new ArgumentException($"pNorm must be 1, 2 or infinity; got {pNorm}.", nameof(pNorm));
        if (footprint is not null)
        {
            if (footprint.Rank != image.Rank || footprint.Size == 0)
                throw new ArgumentException($"footprint must be a non-empty array with as many axes as the image ({image.Rank}); got shape {footprint.ShapeText}.", nameof(footprint));
        }
        if (labels is not null)
        {
            Guard.Spatial(labels, nameof(labels), null, minRank: 2);
            Guard.DTypeIn(labels, nameof(labels), DType.UInt8, DType.UInt16, DType.Int32);
            Guard.SameShape(image, nameof(image), labels, nameof(labels));
        }
        return Methods.PeakLocalMax.Invoke(image, minDistance, thresholdAbs, thresholdRel, borderWidths, numPeaks, footprint, labels, numPeaksPerLabel, pNorm);
    }

    [Function(Domains.Feature + ":peak_local_max", FunctionKind.Neighbourhood, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray PeakLocalMaxCpu(NDArray image, int minDistance, double? thresholdAbs, double? thresholdRel,
        int[] excludeBorder, double numPeaks, NDArray? footprint, NDArray? labels, double numPeaksPerLabel, double pNorm)
    {
        var host = Guard.Host(image, nameof(image));
        int rank = host.Rank;
        var fp = footprint is null
            ? new FlatFootprint(Enumerable.Repeat(2 * minDistance + 1, rank).ToArray(), Enumerable.Repeat(true, (int)Math.Pow(2 * minDistance + 1, rank)).ToArray())
            : new FlatFootprint(footprint.Shape.ToArray(), (bool[])Guard.Host(footprint, nameof(footprint)).AsType(DType.Bool).ToFlatArray());
        int[] peaks = host switch
        {
            HostArray<float> a => Peaks(a, minDistance, thresholdAbs, thresholdRel, excludeBorder, numPeaks, fp, labels, numPeaksPerLabel, pNorm),
            HostArray<double> a => Peaks(a, minDistance, thresholdAbs, thresholdRel, excludeBorder, numPeaks, fp, labels, numPeaksPerLabel, pNorm),
            HostArray<byte> a => Peaks(a, minDistance, thresholdAbs, thresholdRel, excludeBorder, numPeaks, fp, labels, numPeaksPerLabel, pNorm),
            HostArray<ushort> a => Peaks(a, minDistance, thresholdAbs, thresholdRel, excludeBorder, numPeaks, fp, labels, numPeaksPerLabel, pNorm),
            HostArray<int> a => Peaks(a, minDistance, thresholdAbs, thresholdRel, excludeBorder, numPeaks, fp, labels, numPeaksPerLabel, pNorm),
            _ => throw new ArgumentException($"image has element type {host.DType.NumPyName()}; not supported.", nameof(image)),
        };
        return HostArray.Create(peaks, peaks.Length / rank, rank);
    }

    /// <summary>peak_local_max's threshold: thresholdAbs (default the minimum), raised to thresholdRel * maximum;
    /// compared in float32 for float32 images (NumPy casts the scalar down), else in float64.</summary>
    private static double Threshold<T>(T[] values, double? thresholdAbs, double? thresholdRel) where T : unmanaged, INumber<T>
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values) { double d = double.CreateTruncating(v); min = Math.Min(min, d); max = Math.Max(max, d); }
        double threshold = thresholdAbs ?? min;
        if (thresholdRel is { } rel) threshold = Math.Max(threshold, rel * max);
        return typeof(T) == typeof(float) ? (float)threshold : threshold;
    }

    /// <summary>-value in the image's own dtype (unsigned and int32 negation wrap as in NumPy), as a sort key.</summary>
    private static double NegatedKey<T>(T value) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(byte)) return (byte)(-(byte)(object)value);
        if (typeof(T) == typeof(ushort)) return (ushort)(-(ushort)(object)value);
        if (typeof(T) == typeof(int)) return unchecked(-(int)(object)value);
        if (typeof(T) == typeof(float)) return -(float)(object)value;
        return -double.CreateTruncating(value);
    }

    /// <summary>peak_local_max in any rank: the maximum filter (constant 0 outside), the threshold, the border per
    /// axis, then the highest peaks kept greedily at the minimum distance; with labels, per label inside its bounding box.</summary>
    private static int[] Peaks<T>(HostArray<T> image, int minDistance, double? thresholdAbs, double? thresholdRel, int[] border,
        double numPeaks, FlatFootprint fp, NDArray? labels, double numPeaksPerLabel, double pNorm) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var dense = image.Dense();
        var shape = dense.Shape.ToArray();
        int rank = shape.Length;
        var values = dense.ToArray();
        double threshold = Threshold(values, thresholdAbs, thresholdRel);
        // Which elements lie outside the excluded border on every axis.
        var inside = new bool[values.Length];
        var index = new int[rank];
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) Raster.Next(index, shape);
            bool keep = true;
            for (int a = 0; a < rank && keep; a++) keep = index[a] >= border[a] && index[a] < shape[a] - border[a];
            inside[i] = keep;
        }
        if (labels is null)
        {
            var mask = PeakMask(values, shape, fp, threshold, null);
            for (int i = 0; i < mask.Length; i++) mask[i] &= inside[i];
            return HighestPeaks(values, mask, shape, numPeaks, minDistance, pNorm);
        }
        var lab = (int[])Guard.Host(labels, nameof(labels)).AsType(DType.Int32).ToFlatArray();
        int maxLabel = 0;
        foreach (var l in lab) maxLabel = Math.Max(maxLabel, l);
        // Bounding boxes of the labels with the border excluded (find_objects of the zeroed labels): low, then high, per axis.
        var low = new int[(maxLabel + 1) * rank];
        var high = new int[(maxLabel + 1) * rank];
        Array.Fill(low, int.MaxValue);
        Array.Fill(high, -1);
        Array.Clear(index);
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) Raster.Next(index, shape);
            int l = lab[i];
            if (l <= 0 || !inside[i]) continue;
            for (int a = 0; a < rank; a++) { low[l * rank + a] = Math.Min(low[l * rank + a], index[a]); high[l * rank + a] = Math.Max(high[l * rank + a], index[a]); }
        }
        T background = T.MinValue;
        if (typeof(T) == typeof(float)) background = (T)(object)float.MinValue;
        if (typeof(T) == typeof(double)) background = (T)(object)double.MinValue;
        var all = new List<int>();
        var box = new int[rank];
        var at = new int[rank];
        for (int l = 1; l <= maxLabel; l++)
        {
            if (high[l * rank] < 0) continue;
            long size = 1;
            for (int a = 0; a < rank; a++) { box[a] = high[l * rank + a] - low[l * rank + a] + 1; size *= box[a]; }
            var roi = new T[size];
            var inLabel = new bool[size];
            Array.Clear(at);
            for (long j = 0; j < size; j++)
            {
                if (j > 0) for (int a = rank - 1; a >= 0; a--) { if (++at[a] < box[a]) break; at[a] = 0; }
                long i = 0;
                for (int a = 0; a < rank; a++) i = i * shape[a] + at[a] + low[l * rank + a];
                inLabel[j] = lab[i] == l;
                roi[j] = inLabel[j] ? values[i] : background;
            }
            var mask = PeakMask(roi, (int[])box.Clone(), fp, threshold, inLabel);
            var found = HighestPeaks(roi, mask, (int[])box.Clone(), numPeaksPerLabel, minDistance, pNorm);
            for (int k = 0; k < found.Length; k++) all.Add(found[k] + low[l * rank + k % rank]);
        }
        if (all.Count / rank > numPeaks)
        {
            var mask = new bool[values.Length];
            for (int k = 0; k < all.Count; k += rank)
            {
                long i = 0;
                for (int a = 0; a < rank; a++) i = i * shape[a] + all[k + a];
                mask[i] = true;
            }
            return HighestPeaks(values, mask, shape, numPeaks, minDistance, pNorm);
        }
        return all.ToArray();
    }

    /// <summary>ndi.maximum_filter(mode='constant'), centred at n / 2: the fused 2-D kernel for images, the N-D one otherwise.</summary>
    private static T[] MaximumFilter<T>(T[] values, int[] shape, FlatFootprint fp) where T : unmanaged, INumber<T>
    {
        var source = HostArray.Create(values, shape);
        if (shape.Length == 2)
        {
            var grid = new bool[fp.Shape[0], fp.Shape[1]];
            for (int y = 0; y < fp.Shape[0]; y++) for (int x = 0; x < fp.Shape[1]; x++) grid[y, x] = fp.Values[y * fp.Shape[1] + x];
            return Morphology.Grey(source, grid, new MinMaxPlacement(fp.Shape[0] / 2, fp.Shape[1] / 2, false, BoundaryMode.Constant, 0), max: true).ToArray();
        }
        var maxima = HostArray<T>.Allocate(shape);
        var centre = Array.ConvertAll(fp.Shape, n => n / 2);
        MinMaxVolume.Filter<T, MaxOp<T>>(source.Lines(), maxima.Lines(), shape, fp, centre, false, BoundaryMode.Constant, T.Zero);
        return maxima.ToArray();
    }

    /// <summary>skimage's _get_peak_mask in any rank: equal to the footprint maximum (constant 0 outside), above the
    /// threshold; a trivial image (or label) has no peaks but, in a label, its isolated pixels.</summary>
    private static bool[] PeakMask<T>(T[] values, int[] shape, FlatFootprint fp, double threshold, bool[]? inLabel)
        where T : unmanaged, INumber<T>
    {
        var mask = new bool[values.Length];
        if (fp.Values.Length == 1 || values.Length == 1)
        {
            for (int i = 0; i < values.Length; i++) mask[i] = double.CreateTruncating(values[i]) > threshold;
            return mask;
        }
        var m = MaximumFilter(values, shape, fp);
        bool trivial = true;
        for (int i = 0; i < values.Length; i++)
        {
            mask[i] = values[i] == m[i];
            if (!mask[i] && (inLabel is null || inLabel[i])) trivial = false;
        }
        if (trivial)
        {
            Array.Clear(mask);
            if (inLabel is not null)
            {
                // Isolated pixels of the label: the label minus its binary opening (the cross, border 0).
                var cross = FlatFootprint.Connectivity(shape.Length, 1);
                var one = Enumerable.Repeat(1, shape.Length).ToArray();
                var labelBytes = HostArray.Create(Array.ConvertAll(inLabel, b => b ? (byte)1 : (byte)0), shape);
                var eroded = HostArray<byte>.Allocate(shape);
                var opened = HostArray<byte>.Allocate(shape);
                MinMaxVolume.Filter<byte, MinOp<byte>>(labelBytes.Lines(), eroded.Lines(), shape, cross, one, false, BoundaryMode.Constant, 0);
                MinMaxVolume.Filter<byte, MaxOp<byte>>(eroded.Lines(), opened.Lines(), shape, cross, one, true, BoundaryMode.Constant, 0);
                var o = opened.ToArray();
                for (int i = 0; i < mask.Length; i++) mask[i] = inLabel[i] ^ (o[i] != 0);
            }
        }
        for (int i = 0; i < values.Length; i++) mask[i] &= double.CreateTruncating(values[i]) > threshold;
        return mask;
    }

    /// <summary>
    /// skimage's _get_high_intensity_peaks: the candidates in raster order, sorted by NumPy's argsort of the negated
    /// intensities, then kept greedily when no kept peak lies closer than <paramref name="minDistance"/> (the kept
    /// peaks hashed in cells of minDistance, the 3^ndim cells around a candidate searched).
    /// </summary>
    private static int[] HighestPeaks<T>(T[] values, bool[] mask, int[] shape, double numPeaks, int minDistance, double pNorm)
        where T : unmanaged, INumber<T>
    {
        int rank = shape.Length;
        var index = new List<int>();
        for (int i = 0; i < mask.Length; i++) if (mask[i]) index.Add(i);
        int n = index.Count;
        var keys = new double[n];
        for (int k = 0; k < n; k++) keys[k] = NegatedKey(values[index[k]]);
        var order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        NumPySort.ArgQuickSort(keys, order);
        int limit = double.IsPositiveInfinity(numPeaks) ? int.MaxValue : (int)numPeaks;
        var result = new List<int>();
        if (limit == 0) return [];
        int cell = Math.Max(1, minDistance);
        var cells = new Dictionary<long, List<int[]>>();
        var grid = Array.ConvertAll(shape, s => s / cell + 1);
        long Key(ReadOnlySpan<int> c) { long key = 0; for (int a = 0; a < rank; a++) key = key * grid[a] + c[a]; return key; }
        var point = new int[rank];
        var around = new int[rank];
        int neighbourCells = (int)Math.Pow(3, rank);
        int kept = 0;
        foreach (var k in order)
        {
            Raster.Unravel(index[k], shape, point);
            bool near = false;
            for (int c = 0; c < neighbourCells && !near && minDistance > 0; c++)
            {
                bool inside = true;
                for (int a = rank - 1, rest = c; a >= 0; a--, rest /= 3)
                {
                    around[a] = point[a] / cell + rest % 3 - 1;
                    inside &= around[a] >= 0 && around[a] < grid[a];
                }
                if (!inside || !cells.TryGetValue(Key(around), out var list)) continue;
                foreach (var other in list)
                    if (Closer(other, point, minDistance, pNorm)) { near = true; break; }
            }
            if (near) continue;
            var copy = (int[])point.Clone();
            for (int a = 0; a < rank; a++) around[a] = point[a] / cell;
            long own = Key(around);
            if (!cells.TryGetValue(own, out var mine)) cells[own] = mine = [];
            mine.Add(copy);
            result.AddRange(copy);
            if (++kept >= limit) break;
        }
        return result.ToArray();
    }

    private static bool Closer(int[] a, int[] b, int spacing, double pNorm)
    {
        long sum = 0, largest = 0;
        for (int i = 0; i < a.Length; i++)
        {
            long d = Math.Abs(a[i] - b[i]);
            sum += pNorm == 2 ? d * d : d;
            largest = Math.Max(largest, d);
        }
        if (pNorm == 1) return sum < spacing;
        if (pNorm == 2) return sum < (long)spacing * spacing;
        return largest < spacing;
    }
}
