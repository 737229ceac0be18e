using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// threshold_niblack and threshold_sauvola: a per-pixel rule on the window's mean and standard deviation, taken from
// float64 integral images as scikit-image takes them (so the bits match, rounding of the running sums included). They
// declare no reach: a window's sum is a difference of running sums from the image's corner, so a tile cut out with
// its halo would round differently.
public static partial class Filters
{
    /// <summary>skimage.filters.threshold_niblack with one odd window size for every axis.</summary>
    /// <inheritdoc cref="ThresholdNiblack(NDArray, int[], double)"/>
    public static NDArray ThresholdNiblack(NDArray image, int windowSize = 15, double k = 0.2)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ThresholdNiblack(image, Enumerable.Repeat(windowSize, Math.Max(image.Rank, 1)).ToArray(), k);
    }

    /// <summary>
    /// skimage.filters.threshold_niblack: T = m - k s per pixel, m and s the mean and standard deviation over the window
    /// around it (the image mirrored at its edges, NumPy's 'reflect'). float32 images give float32, others float64.
    /// </summary>
    /// <param name="image">Grayscale image, any rank.</param>
    /// <param name="windowSize">Odd window size per axis, each &gt;= 1.</param>
    /// <param name="k">The weight of the standard deviation (finite).</param>
    public static NDArray ThresholdNiblack(NDArray image, int[] windowSize, double k = 0.2)
    {
        CheckWindowThreshold(image, windowSize, k);
        return Methods.ThresholdNiblack.Invoke(image, windowSize, k);
    }

    /// <summary>skimage.filters.threshold_sauvola with one odd window size for every axis.</summary>
    /// <inheritdoc cref="ThresholdSauvola(NDArray, int[], double, double?)"/>
    public static NDArray ThresholdSauvola(NDArray image, int windowSize = 15, double k = 0.2, double? r = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ThresholdSauvola(image, Enumerable.Repeat(windowSize, Math.Max(image.Rank, 1)).ToArray(), k, r);
    }

    /// <summary>
    /// skimage.filters.threshold_sauvola: T = m (1 + k (s / r - 1)) per pixel, with m and s as in
    /// <see cref="ThresholdNiblack(NDArray, int[], double)"/>.
    /// </summary>
    /// <param name="image">Grayscale image, any rank.</param>
    /// <param name="windowSize">Odd window size per axis, each &gt;= 1.</param>
    /// <param name="k">The weight of the standard deviation (finite).</param>
    /// <param name="r">The dynamic range of the standard deviation (finite); null for half the dtype's range (1 for floats, 127.5 for uint8).</param>
    public static NDArray ThresholdSauvola(NDArray image, int[] windowSize, double k = 0.2, double? r = null)
    {
        CheckWindowThreshold(image, windowSize, k);
        if (r is { } value) Guard.Finite(value, nameof(r));
        return Methods.ThresholdSauvola.Invoke(image, windowSize, k, r);
    }

    private static void CheckWindowThreshold(NDArray image, int[] windowSize, double k)
    {
        Guard.AnyRank(image, nameof(image));
        ArgumentNullException.ThrowIfNull(windowSize);
        if (windowSize.Length != image.Rank)
            throw new ArgumentException($"windowSize must have one value per axis ({image.Rank}); got {windowSize.Length}.", nameof(windowSize));
        var padded = new long[image.Rank + 1];
        padded[image.Rank] = 2; // two float64 integral images of the padded size
        for (int a = 0; a < image.Rank; a++)
        {
            if (windowSize[a] < 1 || windowSize[a] % 2 == 0)
                throw new ArgumentException($"windowSize must be odd and >= 1 on every axis; got ({string.Join(", ", windowSize)}).", nameof(windowSize));
            padded[a] = (long)image.Shape[a] + windowSize[a];
        }
        Guard.Elements(Limits.Product(padded), nameof(windowSize), "the integral images of the padded image");
        Guard.Finite(k, nameof(k));
    }

    [Function(Domains.Filters + ":threshold_niblack", FunctionKind.Neighbourhood, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ThresholdNiblackCpu(NDArray image, int[] windowSize, double k) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<float> f => WindowThreshold(f, windowSize, new NiblackRule<float>((float)k)),
        var other => WindowThreshold((HostArray<double>)other.AsType(DType.Float64), windowSize, new NiblackRule<double>(k)),
    };

    [Function(Domains.Filters + ":threshold_sauvola", FunctionKind.Neighbourhood, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ThresholdSauvolaCpu(NDArray image, int[] windowSize, double k, double? r)
    {
        var host = Guard.Host(image, nameof(image));
        var (min, max) = host.DType.Range();
        double range = r ?? 0.5 * (max - min);
        return host switch
        {
            HostArray<float> f => WindowThreshold(f, windowSize, new SauvolaRule<float>((float)k, (float)range)),
            var other => WindowThreshold((HostArray<double>)other.AsType(DType.Float64), windowSize, new SauvolaRule<double>(k, range)),
        };
    }

    /// <summary>The threshold from a window's mean and standard deviation, in the image's float type.</summary>
    private interface IWindowRule<T> { T Threshold(T mean, T std); }

    private readonly struct NiblackRule<T>(T k) : IWindowRule<T> where T : IFloatingPointIeee754<T>
    {
        public T Threshold(T mean, T std) => mean - k * std;
    }

    private readonly struct SauvolaRule<T>(T k, T r) : IWindowRule<T> where T : IFloatingPointIeee754<T>
    {
        public T Threshold(T mean, T std) => mean * (T.One + k * (std / r - T.One));
    }

    /// <summary>
    /// scikit-image's _mean_std, then the rule. The image (in T) is padded by w/2 + 1 before and w/2 after on each axis
    /// (mirrored); the integral images of it and of its squares (squared in T) are float64 running sums along each axis
    /// in turn; each window's sum is the 2^ndim corners added in itertools.product order with their signs. Every stage
    /// cuts into bands along lines that do not interact, so any cut gives the same bytes.
    /// </summary>
    private static HostArray<T> WindowThreshold<T, TRule>(HostArray<T> image, int[] window, TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : struct, IWindowRule<T>
    {
        var values = image.ToArray();
        var shape = image.Shape.ToArray();
        int rank = shape.Length;
        var padded = new int[rank];
        for (int a = 0; a < rank; a++) padded[a] = shape[a] + window[a];
        var sums = new double[Raster.Count(padded)];
        var squares = new double[sums.Length];
        FillPadded(values, shape, padded, window, sums, squares);
        for (int a = 0; a < rank; a++)
        {
            CumulativeSum(sums, padded, a);
            CumulativeSum(squares, padded, a);
        }
        // The corners' offsets and signs: product order (axis 0 slowest), sign + where the count of far corners has the
        // parity of ndim.
        var strides = Raster.Strides(padded);
        int corners = 1 << rank;
        var offsets = new long[corners];
        var negative = new bool[corners];
        for (int c = 0; c < corners; c++)
        {
            int far = 0;
            for (int a = 0; a < rank; a++)
                if ((c >> (rank - 1 - a) & 1) != 0) { offsets[c] += (long)window[a] * strides[a]; far++; }
            negative[c] = far % 2 != rank % 2;
        }
        T size = T.CreateTruncating(window.Aggregate(1L, (n, w) => n * w));
        var result = new T[values.Length];
        int width = shape[rank - 1], lines = values.Length / Math.Max(1, width);
        Bands.For(lines, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            var index = new int[rank];
            for (int line = start; line < end; line++)
            {
                Raster.Unravel(line, shape.AsSpan(0, rank - 1), index.AsSpan(0, rank - 1));
                long origin = 0;
                for (int a = 0; a < rank - 1; a++) origin += index[a] * strides[a];
                for (int x = 0; x < width; x++)
                {
                    double s1 = 0, s2 = 0;
                    for (int c = 0; c < corners; c++)
                    {
                        long at = origin + x + offsets[c];
                        if (c == 0) { s1 = negative[c] ? -sums[at] : sums[at]; s2 = negative[c] ? -squares[at] : squares[at]; }
                        else if (negative[c]) { s1 -= sums[at]; s2 -= squares[at]; }
                        else { s1 += sums[at]; s2 += squares[at]; }
                    }
                    T mean = T.CreateTruncating(s1) / size, meanSquare = T.CreateTruncating(s2) / size;
                    T variance = meanSquare - mean * mean;
                    T std = T.Sqrt(variance < T.Zero ? T.Zero : variance);
                    result[(long)line * width + x] = rule.Threshold(mean, std);
                }
            }
        });
        return HostArray.Create(result, shape);
    }

    /// <summary>The mirrored padding of the image (as float64) and of its squares taken in T, line by line.</summary>
    private static void FillPadded<T>(T[] values, int[] shape, int[] padded, int[] window, double[] sums, double[] squares)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = shape.Length, width = padded[rank - 1], lines = sums.Length / width;
        var strides = Raster.Strides(shape);
        Bands.For(lines, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            var index = new int[rank];
            for (int line = start; line < end; line++)
            {
                Raster.Unravel(line, padded.AsSpan(0, rank - 1), index.AsSpan(0, rank - 1));
                long source = 0;
                for (int a = 0; a < rank - 1; a++)
                    source += Border.Map(index[a] - (window[a] / 2 + 1), shape[a], BoundaryMode.Mirror) * strides[a];
                int before = window[rank - 1] / 2 + 1, n = shape[rank - 1];
                for (int x = 0; x < width; x++)
                {
                    T v = values[source + Border.Map(x - before, n, BoundaryMode.Mirror)];
                    long at = (long)line * width + x;
                    sums[at] = double.CreateTruncating(v);
                    squares[at] = double.CreateTruncating(v * v);
                }
            }
        });
    }

    /// <summary>NumPy's cumsum along <paramref name="axis"/> in place: each element plus the running sum before it on
    /// its line (the lines in bands).</summary>
    private static void CumulativeSum(double[] data, int[] shape, int axis)
    {
        long outer = 1, inner = 1;
        for (int a = 0; a < axis; a++) outer *= shape[a];
        for (int a = axis + 1; a < shape.Length; a++) inner *= shape[a];
        int length = shape[axis];
        Bands.ForLines(outer, inner, (o, from, to) => Accumulate(data, o * length * inner, length, inner, from, to));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(double[] data, long origin, int length, long inner, long from, long to)
    {
        for (int k = 1; k < length; k++)
        {
            var row = data.AsSpan((int)(origin + k * inner + from), (int)(to - from));
            var previous = data.AsSpan((int)(origin + (k - 1) * inner + from), (int)(to - from));
            for (int j = 0; j < row.Length; j++) row[j] += previous[j];
        }
    }
}
