using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

public static partial class Feature
{
    /// <summary>
    /// skimage.feature.canny: the Canny edge detector of scikit-image 0.19. The image is converted with img_as_float
    /// (float32 stays float32) and smoothed by a Gaussian that ignores masked-out pixels (normalised convolution);
    /// gradients are unnormalised Sobel derivatives (mode reflect), the magnitude their hypot; interpolated
    /// non-maximum suppression thins the edges; hysteresis keeps the 8-connected chains of pixels at or above
    /// <paramref name="lowThreshold"/> that hold a pixel at or above <paramref name="highThreshold"/>. A one-pixel
    /// border (and every pixel next to a masked-out one) is never an edge.
    /// </summary>
    /// <param name="image">2-D (rows, cols); float32, float64, uint8, uint16, int32 or bool.</param>
    /// <param name="sigma">Standard deviation of the Gaussian, finite and &gt;= 0.</param>
    /// <param name="lowThreshold">Hysteresis low bound in the image's dtype units (divided by the dtype's maximum: 255 for
    /// uint8, 1 for floats); default 10% of the range. With <paramref name="useQuantiles"/>, a quantile in [0, 1].</param>
    /// <param name="highThreshold">Hysteresis high bound, same units; default 20% of the range. Must be &gt;= the low bound.</param>
    /// <param name="mask">Optional 2-D array of the image's shape; non-zero marks the pixels to use.</param>
    /// <param name="useQuantiles">Treat the thresholds as quantiles of the gradient magnitude.</param>
    /// <param name="mode">Edge handling of the Gaussian (scikit-image's default: constant).</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>.</param>
    /// <returns>A bool edge map of the image's shape.</returns>
    public static NDArray Canny(NDArray image, double sigma = 1.0, double? lowThreshold = null, double? highThreshold = null,
        NDArray? mask = null, bool useQuantiles = false, BoundaryMode mode = BoundaryMode.Constant, double cval = 0.0)
    {
        Guard.Image(image, nameof(image), allowChannels: false);
        Guard.DTypeIn(image, nameof(image), DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32, DType.Bool);
        Guard.NonNegative(sigma, nameof(sigma));
        Guard.GaussianKernel(sigma, 4.0, nameof(sigma));
        Guard.Finite(cval, nameof(cval));
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"mode must be a BoundaryMode value; got {(int)mode}.", nameof(mode));
        if (mask is not null)
        {
            Guard.Image(mask, nameof(mask), allowChannels: false);
            Guard.SameShape(image, nameof(image), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64);
        }
        CannyThresholds(image.DType, lowThreshold, highThreshold, useQuantiles);
        return Methods.Canny.Invoke(image, sigma, lowThreshold, highThreshold, mask, useQuantiles, mode, cval);
    }

    /// <summary>
    /// The thresholds as scikit-image 0.19 resolves them: defaults 0.1 / 0.2 (in img_as_float units, or as quantiles);
    /// given values divided by the dtype's maximum unless they are quantiles. Throws for the combinations it rejects.
    /// </summary>
    internal static (double Low, double High) CannyThresholds(DType dtype, double? lowThreshold, double? highThreshold, bool useQuantiles)
    {
        double dtypeMax = dtype.Range().Max;
        double low = Resolve(lowThreshold, 0.1, nameof(lowThreshold));
        double high = Resolve(highThreshold, 0.2, nameof(highThreshold));
        if (high < low)
            throw new ArgumentException($"lowThreshold must not be above highThreshold; got {low} and {high} (in img_as_float units).", nameof(highThreshold));
        return (low, high);

        double Resolve(double? value, double fallback, string name)
        {
            if (value is not double v) return fallback;
            if (double.IsNaN(v)) throw new ArgumentException($"{name} must be a number; got NaN.", name);
            if (!useQuantiles) return v / dtypeMax;
            if (!(v >= 0 && v <= 1)) throw new ArgumentException($"{name} is a quantile (useQuantiles) and must be in [0, 1]; got {v}.", name);
            return v;
        }
    }

    [Function(Domains.Feature + ":canny", FunctionKind.Neighbourhood, RunsInBands = true)]
    private static NDArray CannyCpu(NDArray image, double sigma, double? lowThreshold, double? highThreshold, NDArray? mask,
        bool useQuantiles, BoundaryMode mode, double cval)
    {
        var host = Guard.Host(image, nameof(image));
        var (low, high) = CannyThresholds(image.DType, lowThreshold, highThreshold, useQuantiles);
        bool[]? use = mask is null ? null : ((HostArray<bool>)Guard.Host(mask, nameof(mask)).AsType(DType.Bool)).ToArray();
        return FloatImages.ToFloat(host) switch
        {
            HostArray<float> f => CannyCore(f, sigma, low, high, use, useQuantiles, mode, cval),
            HostArray<double> d => CannyCore(d, sigma, low, high, use, useQuantiles, mode, cval),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static HostArray<bool> CannyCore<T>(HostArray<T> image, double sigma, double low, double high, bool[]? mask,
        bool useQuantiles, BoundaryMode mode, double cval) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = image.Shape[0], width = image.Shape[1], n = height * width;
        var weights = Separable.GaussianWeights(sigma, 4.0);

        // Every linear step runs in float64 and is stored in the image's float type, pass by pass, as ndimage does:
        // Canny's suppression compares neighbours for >=, so a rounding difference would move edges on exact ties.
        // Smoothing: gaussian(image * mask) / (gaussian(mask) + eps).
        var smoothed = GC.AllocateUninitializedArray<double>(n);
        Correlate1D<T>.RunBoth(image.Rows(), mask, smoothed, weights, mode, cval, mask is not null ? null
            : (y, row) => DivideByUnmaskedWeight<T>(row, y, height, weights, mode, cval));
        if (mask is not null)
        {
            var values = GC.AllocateUninitializedArray<double>(n);
            var scratch = GC.AllocateUninitializedArray<double>(n);
            Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) => { for (int i = start * width; i < end * width; i++) values[i] = mask[i] ? 1.0 : 0.0; });
            Correlate1D<double>.Run(values, scratch, height, width, 0, weights, mode, cval);
            Correlate1D<double>.Run(scratch, values, height, width, 1, weights, mode, cval);
            Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int i = start * width; i < end * width; i++) smoothed[i] = Correlate1D<T>.Round(smoothed[i] / (values[i] + Eps));
            });
        }

        // Unnormalised Sobel derivatives (ndimage.sobel, mode reflect: the derivative pass first) and their hypot.
        var isobel = GC.AllocateUninitializedArray<T>(n);
        var jsobel = GC.AllocateUninitializedArray<T>(n);
        var magnitude = GC.AllocateUninitializedArray<T>(n);
        Sobel(smoothed, height, width, isobel, jsobel, magnitude);

        if (useQuantiles) (low, high) = Percentiles(magnitude, low, high);
        T lowT = T.CreateTruncating(low), highT = T.CreateTruncating(high);

        bool[]? eroded = mask is null ? null : Erode(mask, height, width);
        // Suppression reads only the magnitude and the derivatives, so rows go in bands; each band collects its own
        // seeds and they are joined in band order, which is raster order, as one pass would find them.
        var candidate = new byte[n];
        int bands = Bands.Count(height);
        var seeds = new Stack[bands];
        Bands.For(height, bands, (band, start, end) =>
            seeds[band] = SuppressRows(magnitude, isobel, jsobel, eroded, lowT, highT, candidate, height, width, start, end));
        var stack = seeds[0];
        for (int b = 1; b < bands; b++) for (int k = 0; k < seeds[b].Count; k++) stack.Push(seeds[b][k]);
        // Hysteresis follows 8-connected chains across the whole image: it stays one sequential pass.
        return HostArray.Create(Hysteresis(candidate, stack, width), height, width);
    }

    /// <summary>Non-maximum suppression of rows [<paramref name="start"/>, <paramref name="end"/>): marks the candidates and returns the seeds in raster order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Stack SuppressRows<T>(T[] magnitude, T[] isobel, T[] jsobel, bool[]? eroded, T lowT, T highT, byte[] candidate,
        int height, int width, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vLow = new Vector<T>(lowT);
        var stack = new Stack(Math.Max(16, (end - start) * width / 64));
        for (int y = Math.Max(start, 1); y < Math.Min(end, height - 1); y++)
        {
            for (int x = 1; x < width - 1; x++)
            {
                int i = y * width + x;
                // Skip runs of weak pixels a vector at a time.
                if (Vector.IsHardwareAccelerated && x + Vector<T>.Count < width
                    && !Vector.GreaterThanOrEqualAny(Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(magnitude), (nuint)i), vLow))
                {
                    x += Vector<T>.Count - 1;
                    continue;
                }
                T m = magnitude[i];
                // Only pixels at or above the low threshold can be edges, so suppression is tested only there.
                if (!(m >= lowT) || !(m > T.Zero)) continue;
                if (eroded is not null && !eroded[i]) continue;
                if (!IsLocalMaximum(magnitude, isobel[i], jsobel[i], i, width)) continue;
                candidate[i] = 1;
                if (m >= highT) stack.Push(i);
            }
        }
        return stack;
    }

    private static readonly double[] Derivative = [-1, 0, 1];
    private static readonly double[] Smoothing = [1, 2, 1];

    /// <summary>NumPy's float64 machine epsilon, added to the smoothed mask before the division.</summary>
    private const double Eps = 2.220446049250313e-16;

    private static HostArray<T> Dense<T>(T[] data, int height, int width) where T : unmanaged => HostArray.Create(data, height, width);

    /// <summary>
    /// Divides the smoothed image by the Gaussian of an all-ones mask (plus eps) without filtering a second image: the
    /// first pass of ones depends on the row only, the second is constant across the interior of each row.
    /// The sums follow ndimage's order (centre tap, then symmetric pairs from the outermost in).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DivideByUnmaskedWeight<T>(Span<double> row, int y, int height, double[] w, BoundaryMode mode, double cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = w.Length / 2, width = row.Length;
        double outside = mode == BoundaryMode.Constant ? cval : 1.0;
        double a = SymmetricSum(w, k => (uint)(y + k) < (uint)height ? 1.0 : outside);
        double outsideRow = mode == BoundaryMode.Constant ? cval : a;
        double interior = SymmetricSum(w, _ => a);
        // A column's weight, for the columns the scalar code divides (the vector loop divides by the interior's).
        double Weight(int x) => x >= r && x < width - r ? interior : SymmetricSum(w, k => (uint)(x + k) < (uint)width ? a : outsideRow);
        int start = 0;
        if (Vector.IsHardwareAccelerated && width - 2 * r >= Vector<double>.Count)
        {
            var divisor = new Vector<double>(interior + Eps);
            int x = r;
            for (; x <= width - r - Vector<double>.Count; x += Vector<double>.Count)
                Correlate1D<T>.Store(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(row), (nuint)x) / divisor, row, x);
            for (int b = 0; b < r; b++) row[b] = Correlate1D<T>.Round(row[b] / (Weight(b) + Eps));
            start = x;
        }
        for (int x = start; x < width; x++)
            row[x] = Correlate1D<T>.Round(row[x] / (Weight(x) + Eps));
    }

    private static double SymmetricSum(double[] w, Func<int, double> value)
    {
        int r = w.Length / 2;
        double sum = value(0) * w[r];
        for (int j = r; j >= 1; j--) sum += (value(-j) + value(j)) * w[r - j];
        return sum;
    }

    /// <summary>
    /// ndimage.sobel along axis 0 and along axis 1 (mode reflect) in one pass over the rows, with ndimage's rounding:
    /// the derivative pass (right - left) is stored in T, then 2 centre + (before + after) is summed in float64 and
    /// stored in T. Inputs and outputs are float64 arrays holding T values.
    /// </summary>
    private static void Sobel<T>(double[] s, int height, int width, T[] isobel, T[] jsobel, T[] magnitude)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        // Each output row reads three rows of the smoothed image; the row cache is per band.
        Bands.For(height, (_, start, end) => SobelRows(s, height, width, isobel, jsobel, magnitude, start, end));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SobelRows<T>(double[] s, int height, int width, T[] isobel, T[] jsobel, T[] magnitude, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int padded = width + 2 + Vector<double>.Count;
        double[] d = ArrayPool<double>.Shared.Rent(padded);
        double[] gi = ArrayPool<double>.Shared.Rent(padded), gj = ArrayPool<double>.Shared.Rent(padded);
        double[][] cache = [ArrayPool<double>.Shared.Rent(padded), ArrayPool<double>.Shared.Rent(padded), ArrayPool<double>.Shared.Rent(padded)];
        int[] cachedRow = [-1, -1, -1];
        try
        {
            for (int y = start; y < end; y++)
            {
                int up = Border.Map(y - 1, height, BoundaryMode.Reflect), down = Border.Map(y + 1, height, BoundaryMode.Reflect);
                var rowUp = s.AsSpan(up * width, width);
                var rowDown = s.AsSpan(down * width, width);
                // Axis 0: derivative down the column, then [1, 2, 1] along the row (reflected at the ends).
                Difference(rowDown, rowUp, d.AsSpan(1, width));
                d[0] = d[1];
                d[width + 1] = d[width];
                Combine(d.AsSpan(1, width), d.AsSpan(0, width), d.AsSpan(2, width), gi.AsSpan(0, width));
                // Axis 1: derivative along each of the three rows (each computed once), then [1, 2, 1] down the column.
                var eUpRow = Derivative1(up); var eMidRow = Derivative1(y); var eDownRow = Derivative1(down);
                Combine(eMidRow.AsSpan(0, width), eUpRow.AsSpan(0, width), eDownRow.AsSpan(0, width), gj.AsSpan(0, width));
                Hypot<T>(gi.AsSpan(0, width), gj.AsSpan(0, width), magnitude.AsSpan(y * width, width));
                Store(gi.AsSpan(0, width), isobel.AsSpan(y * width, width));
                Store(gj.AsSpan(0, width), jsobel.AsSpan(y * width, width));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(d);
            ArrayPool<double>.Shared.Return(gi);
            ArrayPool<double>.Shared.Return(gj);
            foreach (var c in cache) ArrayPool<double>.Shared.Return(c);
        }

        // float64 values stored as T (float32: rounded to nearest, as the scalar cast does, a vector at a time).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void Store(ReadOnlySpan<double> values, Span<T> output)
        {
            if (typeof(T) == typeof(double)) { MemoryMarshal.Cast<double, T>(values).CopyTo(output); return; }
            if (typeof(T) != typeof(float)) { for (int i = 0; i < values.Length; i++) output[i] = T.CreateTruncating(values[i]); return; }
            var f = MemoryMarshal.Cast<T, float>(output);
            int x = 0, vc = Vector<double>.Count;
            ref double v = ref MemoryMarshal.GetReference(values);
            if (Vector.IsHardwareAccelerated)
                for (; x <= values.Length - 2 * vc; x += 2 * vc)
                    Vector.Narrow(Vector.LoadUnsafe(ref v, (nuint)x), Vector.LoadUnsafe(ref v, (nuint)(x + vc))).StoreUnsafe(ref MemoryMarshal.GetReference(f), (nuint)x);
            for (; x < values.Length; x++) f[x] = (float)values[x];
        }

        // The derivative along a row, cached in three slots by source row (reflected windows reuse rows).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        double[] Derivative1(int source)
        {
            for (int k = 0; k < 3; k++) if (cachedRow[k] == source) return cache[k];
            int slot = source % 3;
            var e = cache[slot];
            cachedRow[slot] = source;
            var row = s.AsSpan(source * width, width);
            row.CopyTo(d.AsSpan(1));
            d[0] = row[0];
            d[width + 1] = row[width - 1];
            Difference(d.AsSpan(2, width), d.AsSpan(0, width), e.AsSpan(0, width));
            return e;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void Difference(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
        {
            int x = 0;
            if (Vector.IsHardwareAccelerated)
                for (; x <= result.Length - Vector<double>.Count; x += Vector<double>.Count)
                    Correlate1D<T>.Store(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(a), (nuint)x) - Vector.LoadUnsafe(ref MemoryMarshal.GetReference(b), (nuint)x), result, x);
            for (; x < result.Length; x++) result[x] = Correlate1D<T>.Round(a[x] - b[x]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void Combine(ReadOnlySpan<double> centre, ReadOnlySpan<double> before, ReadOnlySpan<double> after, Span<double> result)
        {
            int x = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var two = new Vector<double>(2.0);
                for (; x <= result.Length - Vector<double>.Count; x += Vector<double>.Count)
                {
                    var c = Vector.LoadUnsafe(ref MemoryMarshal.GetReference(centre), (nuint)x);
                    var b = Vector.LoadUnsafe(ref MemoryMarshal.GetReference(before), (nuint)x);
                    var a = Vector.LoadUnsafe(ref MemoryMarshal.GetReference(after), (nuint)x);
                    Correlate1D<T>.Store(c * two + (b + a), result, x);
                }
            }
            for (; x < result.Length; x++) result[x] = Correlate1D<T>.Round(centre[x] * 2.0 + (before[x] + after[x]));
        }
    }

    /// <summary>np.hypot of the derivatives (float64 arrays holding T values): float32 goes through float64 as glibc's hypotf does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Hypot<T>(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = result.Length, i = 0;
        ref double ra = ref MemoryMarshal.GetReference(a), rb = ref MemoryMarshal.GetReference(b);
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            var output = MemoryMarshal.Cast<T, float>(result);
            for (; i <= n - 2 * Vector<double>.Count; i += 2 * Vector<double>.Count)
            {
                var x0 = Vector.LoadUnsafe(ref ra, (nuint)i);
                var y0 = Vector.LoadUnsafe(ref rb, (nuint)i);
                var x1 = Vector.LoadUnsafe(ref ra, (nuint)(i + Vector<double>.Count));
                var y1 = Vector.LoadUnsafe(ref rb, (nuint)(i + Vector<double>.Count));
                Vector.Narrow(Vector.SquareRoot(x0 * x0 + y0 * y0), Vector.SquareRoot(x1 * x1 + y1 * y1))
                    .StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)i);
            }
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            var output = MemoryMarshal.Cast<T, double>(result);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var x = Vector.LoadUnsafe(ref ra, (nuint)i);
                var y = Vector.LoadUnsafe(ref rb, (nuint)i);
                Vector.SquareRoot(x * x + y * y).StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)i);
            }
        }
        for (; i < n; i++) result[i] = T.CreateTruncating(Math.Sqrt(a[i] * a[i] + b[i] * b[i]));
    }

    /// <summary>
    /// Interpolated non-maximum suppression as scikit-image does it: the gradient picks one of four octant rules (the
    /// last that applies, in scikit-image's order, wins where they overlap); the magnitude must be &gt;= both values
    /// interpolated along the gradient, c2 * w + c1 * (1 - w), computed in the image's float type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLocalMaximum<T>(T[] magnitude, T gi, T gj, int i, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T ai = T.Abs(gi), aj = T.Abs(gj);
        bool horizontal = ai >= aj, vertical = ai <= aj;
        bool up = gi >= T.Zero, down = gi <= T.Zero, right = gj >= T.Zero, left = gj <= T.Zero;
        bool anti = (down && right) || (up && left);
        bool diagonal = (up && right) || (down && left);
        int o1, o2;
        T w;
        if (anti && horizontal) { o1 = -width; o2 = -width + 1; w = aj / ai; }      // 135-180 degrees
        else if (anti && vertical) { o1 = 1; o2 = -width + 1; w = ai / aj; }        // 90-135
        else if (diagonal && vertical) { o1 = 1; o2 = width + 1; w = ai / aj; }     // 45-90
        else if (diagonal && horizontal) { o1 = width; o2 = width + 1; w = aj / ai; } // 0-45
        else return false;
        T m = magnitude[i], rest = T.One - w;
        return magnitude[i + o2] * w + magnitude[i + o1] * rest <= m
            && magnitude[i - o2] * w + magnitude[i - o1] * rest <= m;
    }

    /// <summary>ndimage.binary_erosion with a 3x3 square and border 0: a pixel stays if it and its 8 neighbours are set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] Erode(bool[] mask, int height, int width)
    {
        var result = new bool[mask.Length];
        Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = Math.Max(start, 1); y < Math.Min(end, height - 1); y++)
                for (int x = 1; x < width - 1; x++)
                {
                    int i = y * width + x;
                    result[i] = mask[i - width - 1] && mask[i - width] && mask[i - width + 1]
                        && mask[i - 1] && mask[i] && mask[i + 1]
                        && mask[i + width - 1] && mask[i + width] && mask[i + width + 1];
                }
        });
        return result;
    }

    /// <summary>np.percentile(magnitude, [100 low, 100 high]) with linear interpolation.</summary>
    private static (double, double) Percentiles<T>(T[] magnitude, double low, double high) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = (T[])magnitude.Clone();
        return (Primitives.Quantiles.PercentileOfUnsorted<T>(values, 100.0 * low), Primitives.Quantiles.PercentileOfUnsorted<T>(values, 100.0 * high));
    }

    /// <summary>
    /// Hysteresis: every 8-connected chain of candidates (local maxima at or above the low threshold) reached from a
    /// seed (at or above the high threshold). Candidates never touch the image border, so neighbours are in range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] Hysteresis(byte[] candidate, Stack seeds, int width)
    {
        var edge = new bool[candidate.Length];
        var work = new Stack(Math.Max(16, seeds.Count));
        for (int s = 0; s < seeds.Count; s++)
        {
            int seed = seeds[s];
            if (edge[seed]) continue;
            edge[seed] = true;
            work.Push(seed);
            while (work.Count > 0)
            {
                int i = work.Pop();
                Visit(i - width - 1); Visit(i - width); Visit(i - width + 1);
                Visit(i - 1); Visit(i + 1);
                Visit(i + width - 1); Visit(i + width); Visit(i + width + 1);
            }
        }
        return edge;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Visit(int j)
        {
            if (candidate[j] != 0 && !edge[j]) { edge[j] = true; work.Push(j); }
        }
    }

    /// <summary>A growable stack of pixel indices.</summary>
    private sealed class Stack(int capacity)
    {
        private int[] items = new int[capacity];
        public int Count { get; private set; }
        public int this[int index] => items[index];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(int value)
        {
            if (Count == items.Length) Array.Resize(ref items, items.Length * 2);
            items[Count++] = value;
        }
        public int Pop() => items[--Count];
    }
}
