using Scoped.Image.Primitives;
using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

public static partial class Filters
{
    public static partial class Methods
    {
        // Reach: half the block (mean, median), or the radius of the Gaussian scikit-image derives from it.
        internal static int[] ThresholdLocalReach(DispatchCall call)
        {
            var block = call.Argument<int[]>("blockSize");
            var param = call.Argument<double?>("param");
            return call.Argument<string>("method") == "gaussian"
                ? Array.ConvertAll(block, b => Reaches.Gaussian(param ?? (b - 1) / 6.0, 4.0))
                : Array.ConvertAll(block, b => b / 2);
        }
    }

    /// <summary>
    /// skimage.filters.threshold_otsu: the threshold maximising the between-class variance of the image histogram
    /// (integer images: one bin per value; float images: <paramref name="nbins"/> bins over [min, max]); the result is
    /// the centre of the first best bin. A constant image returns its value.
    /// </summary>
    /// <param name="image">Grayscale image (2-D; a 3-D image is flattened, as scikit-image does).</param>
    /// <param name="nbins">Number of bins for float images, &gt;= 2 (ignored for integer images).</param>
    public static double ThresholdOtsu(NDArray image, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        if (nbins < 2) throw new ArgumentException($"nbins must be >= 2; got {nbins}.", nameof(nbins));
        return Methods.ThresholdOtsu.Invoke(image, nbins);
    }

    /// <summary>skimage.filters.threshold_yen: Yen's maximum-correlation threshold over the image histogram (as <see cref="ThresholdOtsu"/>).</summary>
    /// <inheritdoc cref="ThresholdOtsu"/>
    public static double ThresholdYen(NDArray image, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        if (nbins < 2) throw new ArgumentException($"nbins must be >= 2; got {nbins}.", nameof(nbins));
        return Methods.ThresholdYen.Invoke(image, nbins);
    }

    /// <summary>
    /// skimage.filters.threshold_li: Li's iterative minimum cross-entropy threshold. NaN pixels are ignored; a constant
    /// image returns its value; float images iterate in their own precision.
    /// </summary>
    /// <param name="image">Grayscale image.</param>
    /// <param name="tolerance">Stop when the threshold moves less than this; null (or 0) for half the smallest gap between values (0.5 for integers).</param>
    /// <param name="initialGuess">Starting threshold strictly inside (min, max); null for the image mean.</param>
    public static double ThresholdLi(NDArray image, double? tolerance = null, double? initialGuess = null)
    {
        Guard.AnyRank(image, nameof(image));
        if (tolerance is { } t) Guard.NonNegative(t, nameof(tolerance));
        if (initialGuess is { } g) Guard.Finite(g, nameof(initialGuess));
        return Methods.ThresholdLi.Invoke(image, tolerance, initialGuess);
    }

    /// <summary>
    /// skimage.filters.threshold_local with one odd block size for every axis.
    /// </summary>
    /// <inheritdoc cref="ThresholdLocal(NDArray, int[], string, double, BoundaryMode, double?, double)"/>
    public static NDArray ThresholdLocal(NDArray image, int blockSize = 3, string method = "gaussian", double offset = 0,
        BoundaryMode mode = BoundaryMode.Reflect, double? param = null, double cval = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ThresholdLocal(image, Enumerable.Repeat(blockSize, Math.Max(image.Rank, 1)).ToArray(), method, offset, mode, param, cval);
    }

    /// <summary>
    /// skimage.filters.threshold_local: a per-pixel threshold, the weighted mean ('gaussian'), mean ('mean') or median
    /// ('median') of the block around each pixel, minus <paramref name="offset"/>. The values are not rescaled:
    /// integer images give float64 in their own range, float32 stays float32.
    /// </summary>
    /// <param name="image">Grayscale image of 2 or more axes (a volume: 3-D blocks).</param>
    /// <param name="blockSize">Odd block size per axis, each &gt;= 1.</param>
    /// <param name="method">"gaussian" (sigma = (block - 1) / 6 unless <paramref name="param"/> gives it), "mean" or "median".</param>
    /// <param name="offset">Subtracted from the local statistic.</param>
    /// <param name="mode">Edge handling (scikit-image's default: reflect).</param>
    /// <param name="param">The Gaussian sigma for method "gaussian" (&gt;= 0); unused by the other methods.</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>.</param>
    public static NDArray ThresholdLocal(NDArray image, int[] blockSize, string method = "gaussian", double offset = 0,
        BoundaryMode mode = BoundaryMode.Reflect, double? param = null, double cval = 0)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        ArgumentNullException.ThrowIfNull(blockSize);
        if (blockSize.Length != image.Rank)
            throw new ArgumentException($"blockSize must have one value per axis ({image.Rank}); got {blockSize.Length}.", nameof(blockSize));
        foreach (var b in blockSize)
            if (b < 1 || b % 2 == 0) throw new ArgumentException($"blockSize must be odd and >= 1; got ({string.Join(", ", blockSize)}).", nameof(blockSize));
        ArgumentNullException.ThrowIfNull(method);
        if (method is not ("gaussian" or "mean" or "median"))
            throw new ArgumentException(method == "generic"
                ? "method 'generic' needs a Python callable and is not supported; use 'gaussian', 'mean' or 'median'."
                : $"method must be 'gaussian', 'mean' or 'median'; got '{method}'.", nameof(method));
        Guard.Finite(offset, nameof(offset));
        if (param is { } p) Guard.NonNegative(p, nameof(param));
        Guard.Finite(cval, nameof(cval));
        switch (method)
        {
            case "gaussian":
                foreach (var b in blockSize) Guard.GaussianKernel(param ?? (b - 1) / 6.0, 4.0, param is null ? nameof(blockSize) : nameof(param));
                break;
            case "mean":
                foreach (var b in blockSize) Guard.Elements(b, nameof(blockSize), "a box kernel");
                break;
            default:
                Guard.Elements(blockSize.Aggregate(1L, (n, b) => n * b), nameof(blockSize), "a median footprint");
                break;
        }
        return Methods.ThresholdLocal.Invoke(image, blockSize, method, offset, mode, param, cval);
    }

    /// <summary>Histogram counts as double, as scikit-image's thresholding uses them.</summary>
    private static double[] AsDouble(long[] counts)
    {
        var result = new double[counts.Length];
        for (int i = 0; i < counts.Length; i++) result[i] = counts[i];
        return result;
    }

    [Function(Domains.Filters + ":threshold_otsu", FunctionKind.Reduction, RunsInBands = true, Signature = "HistogramThresholdFunction", MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdOtsuCpu(NDArray image, int nbins)
    {
        var host = Guard.Host(image, nameof(image));
        return OtsuThreshold(Histogram.ImageRange(host, nbins, nameof(image)));
    }

    /// <summary>Otsu's threshold from the image's histogram (shared with backends that count the bins themselves).</summary>
    internal static double OtsuThreshold(HistogramBins bins)
    {
        if (bins.ConstantValue is { } value) return value; // scikit-image returns a constant image's value
        var (counts, centers) = (AsDouble(bins.Counts), bins.Centers);
        int n = counts.Length;
        var weight1 = new double[n];
        var weight2 = new double[n];
        var mean1 = new double[n];
        var mean2 = new double[n];
        double w = 0, s = 0;
        for (int i = 0; i < n; i++)
        {
            w += counts[i];
            s += counts[i] * centers[i];
            weight1[i] = w;
            mean1[i] = s / w;
        }
        w = 0; s = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            w += counts[i];
            s += counts[i] * centers[i];
            weight2[i] = w;
            mean2[i] = s / w;
        }
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int i = 0; i < n - 1; i++)
        {
            double d = mean1[i] - mean2[i + 1];
            double variance = weight1[i] * weight2[i + 1] * (d * d);
            if (double.IsNaN(variance)) { best = i; break; }
            if (variance > bestValue) { bestValue = variance; best = i; }
        }
        return centers[best];
    }

    [Function(Domains.Filters + ":threshold_yen", FunctionKind.Reduction, RunsInBands = true, Signature = "HistogramThresholdFunction", MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdYenCpu(NDArray image, int nbins)
    {
        var bins = Histogram.ImageRange(Guard.Host(image, nameof(image)), nbins, nameof(image));
        var (counts, centers) = (AsDouble(bins.Counts), bins.Centers);
        int n = counts.Length;
        if (n == 1) return centers[0];
        // float32 throughout, as scikit-image computes the probability mass function in float32.
        double total = 0;
        foreach (var c in counts) total += c;
        float totalF = (float)total;
        var pmf = new float[n];
        for (int i = 0; i < n; i++) pmf[i] = (float)counts[i] / totalF;
        var p1 = new float[n];
        var p1Sq = new float[n];
        var p2Sq = new float[n];
        float a = 0, b = 0;
        for (int i = 0; i < n; i++) { a += pmf[i]; b += pmf[i] * pmf[i]; p1[i] = a; p1Sq[i] = b; }
        b = 0;
        for (int i = n - 1; i >= 0; i--) { b += pmf[i] * pmf[i]; p2Sq[i] = b; }
        int best = 0;
        float bestValue = float.NegativeInfinity;
        for (int i = 0; i < n - 1; i++)
        {
            float spread = p1[i] * (1f - p1[i]);
            float crit = MathF.Log(1f / (p1Sq[i] * p2Sq[i + 1]) * (spread * spread));
            if (float.IsNaN(crit)) { best = i; break; }
            if (crit > bestValue) { bestValue = crit; best = i; }
        }
        return centers[best];
    }

    [Function(Domains.Filters + ":threshold_li", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ThresholdLiCpu(NDArray image, double? tolerance, double? initialGuess)
    {
        var host = Guard.Host(image, nameof(image));
        return host switch
        {
            HostArray<float> f => LiFloat(FlatBands.Flatten(f.Flat()), tolerance, initialGuess),
            HostArray<double> d => LiFloat(FlatBands.Flatten(d.Flat()), tolerance, initialGuess),
            HostArray<bool> => throw new ArgumentException("image is bool; threshold_li needs a numeric image.", nameof(image)),
            _ => LiInteger(Histogram.Compute(host, null, 0, dtypeRange: false, nameof(image), long.MaxValue), tolerance, initialGuess),
        };
    }

    private readonly struct NotNaN<T> : IElementTest<T> where T : IFloatingPointIeee754<T> { public bool Keep(T v) => !T.IsNaN(v); }
    private readonly struct Finite<T> : IElementTest<T> where T : IFloatingPointIeee754<T> { public bool Keep(T v) => T.IsFinite(v); }
    private readonly struct Above<T>(T cut) : IElementTest<T> where T : IFloatingPointIeee754<T> { public bool Keep(T v) => v > cut; }

    /// <summary>
    /// Li on a float image as scikit-image computes it: NumPy pairwise means over the (order-kept) non-NaN, finite
    /// values, iterated in T. Every pass is in bands and exact for any cut: order-keeping partitions (counts per band,
    /// then writes at the band's offset), min/max and the smallest gap merged with T.Min, a sort, and the pairwise sums
    /// split along their own fixed recursion.
    /// </summary>
    private static double LiFloat<T>(T[] all, double? tolerance, double? initialGuess) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[all.Length];
        int n = FlatBands.Partition(all, all.Length, default(NotNaN<T>), values, null).Kept;
        if (n == 0) return double.NaN;
        T first = values[0];
        if (AllInBands(n, i => values[i] == first)) return double.CreateTruncating(first);
        var finite = new T[n];
        n = FlatBands.Partition(values, n, default(Finite<T>), finite, null).Kept;
        if (n == 0) return 0;
        values = finite; // values[0..n)
        var (min, max) = MinMaxInBands(values, n);
        Bands.For(n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) => { for (int i = start; i < end; i++) values[i] -= min; });
        max -= min;
        double tol = tolerance is { } t && t != 0 ? t : double.CreateTruncating(SmallestGap(values, n)) / 2;

        double next;
        if (initialGuess is { } guess)
        {
            next = guess - double.CreateTruncating(min);
            if (!(0 < next && next < double.CreateTruncating(max)))
                throw new ArgumentException($"initialGuess must be within the range of the image; got {guess} for image min {min} and max {max + min}.", nameof(initialGuess));
        }
        else next = double.CreateTruncating(Pairwise.MeanInBands(values, n));

        double current = -2 * tol;
        var fore = new T[n];
        var back = new T[n];
        T nextT = T.CreateTruncating(next);
        while (Math.Abs(next - current) > tol)
        {
            current = next;
            var (nf, nb) = FlatBands.Partition(values, n, new Above<T>(T.CreateTruncating(current)), fore, back);
            T meanFore = Pairwise.MeanInBands(fore, nf), meanBack = Pairwise.MeanInBands(back, nb);
            nextT = (meanBack - meanFore) / (T.Log(meanBack) - T.Log(meanFore));
            next = double.CreateTruncating(nextT);
        }
        return double.CreateTruncating(nextT + min);
    }

    /// <summary>Whether <paramref name="test"/> holds for every item in [0, n), per band.</summary>
    private static bool AllInBands(int n, Func<int, bool> test)
    {
        int count = Bands.Count(n);
        var all = new bool[count];
        Bands.For(n, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            for (int i = start; i < end; i++) if (!test(i)) return;
            all[band] = true;
        });
        return Array.TrueForAll(all, a => a);
    }

    /// <summary>T.Min / T.Max over the values, per band then merged (both are exact and associative).</summary>
    private static (T Min, T Max) MinMaxInBands<T>(T[] values, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Bands.Count(n);
        var partial = new (T Min, T Max)[count];
        Bands.For(n, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            T min = values[start], max = values[start];
            for (int i = start; i < end; i++) { min = T.Min(min, values[i]); max = T.Max(max, values[i]); }
            partial[band] = (min, max);
        });
        var (lo, hi) = partial[0];
        foreach (var (min, max) in partial) { lo = T.Min(lo, min); hi = T.Max(hi, max); }
        return (lo, hi);
    }

    /// <summary>The smallest difference between distinct values: sorted (in bands), then the gaps per band merged with T.Min.</summary>
    private static T SmallestGap<T>(T[] values, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sorted = FlatBands.Sorted(values.AsSpan(0, n).ToArray());
        int count = Bands.Count(sorted.Length);
        var gaps = new T[count];
        Bands.For(sorted.Length, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            T gap = T.PositiveInfinity;
            for (int i = Math.Max(start, 1); i < end; i++)
                if (sorted[i] != sorted[i - 1]) gap = T.Min(gap, sorted[i] - sorted[i - 1]);
            gaps[band] = gap;
        });
        T smallest = T.PositiveInfinity;
        foreach (var g in gaps) smallest = T.Min(smallest, g);
        return smallest;
    }

    private static double LiInteger(HistogramBins bins, double? tolerance, double? initialGuess)
    {
        double min = bins.IntegerMin, max = bins.IntegerMin + bins.Counts.Length - 1;
        if (min == max) return min;
        long span = bins.Counts.Length;
        var hist = AsDouble(bins.Counts);
        double sum = 0;
        for (long c = 0; c < span; c++) sum += c * hist[c];
        long n = bins.Total;
        double tol = tolerance is { } t && t != 0 ? t : 0.5;
        double next;
        if (initialGuess is { } guess)
        {
            next = guess - min;
            if (!(0 < next && next < max - min))
                throw new ArgumentException($"initialGuess must be within the range of the image; got {guess} for image min {min} and max {max}.", nameof(initialGuess));
        }
        else next = sum / n;
        double current = -2 * tol;
        while (Math.Abs(next - current) > tol)
        {
            current = next;
            double wf = 0, sf = 0, wb = 0, sb = 0;
            for (long c = 0; c < span; c++)
            {
                if (c > current) { wf += hist[c]; sf += c * hist[c]; }
                else { wb += hist[c]; sb += c * hist[c]; }
            }
            double meanFore = sf / wf, meanBack = sb / wb;
            next = (meanBack - meanFore) / (Math.Log(meanBack) - Math.Log(meanFore));
        }
        return next + min;
    }

    [Function(Domains.Filters + ":threshold_local", FunctionKind.Separable, RunsInBands = true, Reach = nameof(Methods.ThresholdLocalReach),
        MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ThresholdLocalCpu(NDArray image, int[] blockSize, string method, double offset, BoundaryMode mode, double? param, double cval)
    {
        var host = Guard.Host(image, nameof(image));
        // _supported_float_type: float32 stays float32, everything else is cast (not rescaled) to float64.
        HostArray floats = host is HostArray<float> or HostArray<double> ? host : host.AsType(DType.Float64);
        return floats switch
        {
            HostArray<float> f => LocalThreshold(f, blockSize, method, offset, mode, param, cval),
            HostArray<double> d => LocalThreshold(d, blockSize, method, offset, mode, param, cval),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static HostArray<T> LocalThreshold<T>(HostArray<T> image, int[] blockSize, string method, double offset, BoundaryMode mode, double? param, double cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (image.Rank != 2) return LocalThresholdVolume(image, blockSize, method, offset, mode, param, cval);
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        var src = image.Rows();
        var dst = result.Rows();
        switch (method)
        {
            case "gaussian":
                double sy = param ?? (blockSize[0] - 1) / 6.0, sx = param ?? (blockSize[1] - 1) / 6.0;
                Separable.Correlate(src, dst, Separable.GaussianWeights(sy, 4.0), Separable.GaussianWeights(sx, 4.0), mode, T.CreateTruncating(cval));
                break;
            case "mean":
                Separable.Correlate(src, dst, Box(blockSize[0]), Box(blockSize[1]), mode, T.CreateTruncating(cval));
                break;
            default:
                var footprint = new bool[blockSize[0], blockSize[1]];
                for (int i = 0; i < blockSize[0]; i++) for (int j = 0; j < blockSize[1]; j++) footprint[i, j] = true;
                if (blockSize[0] == 3 && blockSize[1] == 3) Kernels.Median.Filter3x3(src, dst, mode, T.CreateTruncating(cval));
                else if (blockSize[0] == 5 && blockSize[1] == 5) Kernels.Median.Filter5x5(src, dst, mode, T.CreateTruncating(cval));
                else Kernels.Median.FilterFootprint(src, dst, footprint, mode, T.CreateTruncating(cval));
                break;
        }
        if (offset != 0)
        {
            T off = T.CreateTruncating(offset);
            Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int y = start; y < end; y++)
                {
                    var row = dst.Row(y);
                    System.Numerics.Tensors.TensorPrimitives.Subtract(row, off, row);
                }
            });
        }
        return result;
    }

    /// <summary>threshold_local of an image of 3 or more axes: the N-D Gaussian, box or median over the block.</summary>
    private static HostArray<T> LocalThresholdVolume<T>(HostArray<T> image, int[] blockSize, string method, double offset, BoundaryMode mode, double? param, double cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = image.Dense();
        var shape = dense.Shape.ToArray();
        T c = T.CreateTruncating(cval);
        HostArray<T> result;
        if (method == "median")
        {
            long size = blockSize.Aggregate(1L, (n, b) => n * b);
            var box = new Kernels.FlatFootprint((int[])blockSize.Clone(), Enumerable.Repeat(true, (int)size).ToArray());
            result = HostArray<T>.Allocate(shape);
            Kernels.MedianVolume.Filter(dense.Lines(), result.Lines(), shape, box, mode, c);
        }
        else
        {
            var weights = Array.ConvertAll(blockSize, b => method == "gaussian" ? Separable.GaussianWeights(param ?? (b - 1) / 6.0, 4.0) : Box(b));
            result = Separable.CorrelateAxes(dense, shape, 1, weights, mode, c);
        }
        if (offset != 0)
        {
            T off = T.CreateTruncating(offset);
            var rows = result.Lines();
            Bands.For(rows.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int y = start; y < end; y++) System.Numerics.Tensors.TensorPrimitives.Subtract(rows.Row(y), off, rows.Row(y));
            });
        }
        return result;
    }

    private static double[] Box(int size)
    {
        var weights = new double[size];
        Array.Fill(weights, 1.0 / size);
        return weights;
    }
}
