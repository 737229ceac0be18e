using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>The result of <c>structural_similarity</c>: the mean SSIM and, when asked for, the per-pixel map.</summary>
/// <param name="Mean">Mean SSIM over the image less a border of (win_size - 1) / 2 (averaged over channels).</param>
/// <param name="Full">The SSIM map (same shape as the input, float type of im1), or null when not requested.</param>
public sealed record StructuralSimilarityResult(double Mean, NDArray? Full);

/// <summary>skimage.metrics (domain scoped.image.metrics).</summary>
public static partial class Metrics
{
    private static readonly DType[] Supported = [DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64, DType.Bool];

    /// <summary>
    /// skimage.metrics.mean_squared_error: mean((image0 - image1)^2) accumulated in float64. The difference and square
    /// are taken in the common float type (float32 when both are float32, float64 otherwise).
    /// </summary>
    public static double MeanSquaredError(NDArray image0, NDArray image1)
    {
        CheckPair(image0, nameof(image0), image1, nameof(image1));
        return Methods.MeanSquaredError.Invoke(image0, image1);
    }

    /// <summary>
    /// skimage.metrics.normalized_root_mse: sqrt(MSE) divided by sqrt(mean(true^2)) ("euclidean"), max - min
    /// ("min-max") or the mean ("mean") of <paramref name="imageTrue"/>.
    /// </summary>
    /// <param name="imageTrue">Ground truth.</param>
    /// <param name="imageTest">Same shape as <paramref name="imageTrue"/>.</param>
    /// <param name="normalization">"euclidean", "min-max" or "mean" (case-insensitive).</param>
    public static double NormalizedRootMse(NDArray imageTrue, NDArray imageTest, string normalization = "euclidean")
    {
        CheckPair(imageTrue, nameof(imageTrue), imageTest, nameof(imageTest));
        if (normalization?.ToLowerInvariant() is not ("euclidean" or "min-max" or "mean"))
            throw new ArgumentException($"normalization must be 'euclidean', 'min-max' or 'mean'; got '{normalization}'.", nameof(normalization));
        return Methods.NormalizedRootMse.Invoke(imageTrue, imageTest, normalization.ToLowerInvariant());
    }

    /// <summary>
    /// skimage.metrics.peak_signal_noise_ratio: 10 log10(data_range^2 / MSE). Without <paramref name="dataRange"/> it is
    /// the dtype's maximum when <paramref name="imageTrue"/> has no negative values (1 for floats, 255 for uint8),
    /// else the dtype's full range.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dataRange"/> is null and imageTrue has values outside its dtype's range (floats outside [-1, 1]).</exception>
    public static double PeakSignalNoiseRatio(NDArray imageTrue, NDArray imageTest, double? dataRange = null)
    {
        CheckPair(imageTrue, nameof(imageTrue), imageTest, nameof(imageTest));
        if (dataRange is double r) Guard.Finite(r, nameof(dataRange));
        return Methods.PeakSignalNoiseRatio.Invoke(imageTrue, imageTest, dataRange);
    }

    /// <summary>
    /// skimage.metrics.structural_similarity: the mean SSIM of two images (Wang et al. 2004). Local means, variances
    /// and covariance use a win_size x win_size uniform window or, with <paramref name="gaussianWeights"/>, a Gaussian
    /// (sigma 1.5, truncate 3.5, 11 x 11), both with ndimage 'reflect' edges; the mean excludes a border of
    /// (win_size - 1) / 2. Computed in im1's float type (float32 stays float32; integers are cast to float64 without scaling).
    /// </summary>
    /// <param name="im1">2 or more spatial axes, besides <paramref name="channelAxis"/> if given.</param>
    /// <param name="im2">Same shape as <paramref name="im1"/>.</param>
    /// <param name="winSize">Odd window side, at most the smallest image side; default 7 (11 with Gaussian weights).</param>
    /// <param name="gradient">Not supported: must be false.</param>
    /// <param name="dataRange">Range of the data; default: the range of im1's dtype (2 for floats, as scikit-image 0.19.3 does, 255 for uint8).</param>
    /// <param name="channelAxis">The channel axis (any axis; negative counts from the end), or null: SSIM per channel, averaged.</param>
    /// <param name="gaussianWeights">Gaussian window instead of uniform.</param>
    /// <param name="k1">Constant K1 (&gt;= 0).</param>
    /// <param name="k2">Constant K2 (&gt;= 0).</param>
    /// <param name="sigma">Gaussian sigma (&gt;= 0) with <paramref name="gaussianWeights"/>.</param>
    /// <param name="useSampleCovariance">Normalise variances by N - 1 instead of N.</param>
    public static double StructuralSimilarity(NDArray im1, NDArray im2, int? winSize = null, bool gradient = false, double? dataRange = null,
        int? channelAxis = null, bool gaussianWeights = false, double k1 = 0.01, double k2 = 0.03, double sigma = 1.5, bool useSampleCovariance = true) =>
        Ssim(im1, im2, winSize, gradient, dataRange, channelAxis, gaussianWeights, false, k1, k2, sigma, useSampleCovariance).Mean;

    /// <summary>structural_similarity with full=True: the mean SSIM, and the SSIM map in <paramref name="full"/>.</summary>
    /// <inheritdoc cref="StructuralSimilarity(NDArray, NDArray, int?, bool, double?, int?, bool, double, double, double, bool)"/>
    public static double StructuralSimilarity(NDArray im1, NDArray im2, out NDArray full, int? winSize = null, bool gradient = false, double? dataRange = null,
        int? channelAxis = null, bool gaussianWeights = false, double k1 = 0.01, double k2 = 0.03, double sigma = 1.5, bool useSampleCovariance = true)
    {
        var result = Ssim(im1, im2, winSize, gradient, dataRange, channelAxis, gaussianWeights, true, k1, k2, sigma, useSampleCovariance);
        full = result.Full!;
        return result.Mean;
    }

    private static StructuralSimilarityResult Ssim(NDArray im1, NDArray im2, int? winSize, bool gradient, double? dataRange, int? channelAxis,
        bool gaussianWeights, bool full, double k1, double k2, double sigma, bool useSampleCovariance)
    {
        CheckPair(im1, nameof(im1), im2, nameof(im2));
        if (gradient) throw new ArgumentException("gradient=True is not supported by Scoped.Image's structural_similarity.", nameof(gradient));
        // Without a channel axis every axis is spatial (a volume), as in scikit-image.
        var axes = Guard.Spatial(im1, nameof(im1), Guard.ChannelAxisOf(im1, channelAxis, nameof(channelAxis)), minRank: 2);
        Guard.NonNegative(k1, nameof(k1));
        Guard.NonNegative(k2, nameof(k2));
        Guard.NonNegative(sigma, nameof(sigma));
        if (dataRange is double r) Guard.Finite(r, nameof(dataRange));
        int win = WindowSize(winSize, gaussianWeights, sigma);
        if (win % 2 != 1 || win < 1) throw new ArgumentException($"winSize must be odd and >= 1; got {win}.", nameof(winSize));
        if (win == 1 && useSampleCovariance)
            throw new ArgumentException("winSize 1 with useSampleCovariance divides by zero (N - 1 = 0).", nameof(winSize));
        foreach (int side in axes.Spatial)
            if (side < win)
                throw new ArgumentException($"winSize {win} exceeds the image extent {im1.ShapeText}; pass an odd winSize <= the smallest spatial side.", nameof(winSize));
        return Methods.StructuralSimilarity.Invoke(im1, im2, winSize, gradient, dataRange, channelAxis, gaussianWeights, full, k1, k2, sigma, useSampleCovariance);
    }

    private static int WindowSize(int? winSize, bool gaussianWeights, double sigma) =>
        winSize ?? (gaussianWeights ? 2 * (int)(3.5 * sigma + 0.5) + 1 : 7);

    private static void CheckPair(NDArray a, string nameA, NDArray b, string nameB, bool anyRank = true)
    {
        if (anyRank) { Guard.AnyRank(a, nameA); Guard.AnyRank(b, nameB); }
        else { Guard.Image(a, nameA); Guard.Image(b, nameB); }
        Guard.DTypeIn(a, nameA, Supported);
        Guard.DTypeIn(b, nameB, Supported);
        Guard.SameShape(a, nameA, b, nameB);
    }

    // ---------------------------------------------------------------- MSE, NRMSE, PSNR

    /// <summary>skimage's _as_floats: both as float32 when both are float32, else both as float64 (values cast, not scaled).</summary>
    internal static bool BothFloat32(NDArray a, NDArray b) => a.DType == DType.Float32 && b.DType == DType.Float32;

    /// <summary>The image as a T array: itself, or converted as astype converts, row by row in bands.</summary>
    private static HostArray<T> AsDense<T>(NDArray image, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var host = Guard.Host(image, name);
        if (host is HostArray<T> same) return same;
        var src = new RowsAs<T>(host);
        var result = HostArray<T>.Allocate(host.Shape.ToArray());
        var dst = result.Flat();
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++) src.Row(y, dst.Row(y)); // converts into the destination row
        });
        return result;
    }

    /// <summary>
    /// The rows of an image of any supported dtype read as <typeparamref name="T"/> (float32 or float64): the row itself
    /// when it already is T, else converted (exactly, as astype does) into the caller's scratch row. So the metrics
    /// convert row by row inside their bands instead of copying the whole image first.
    /// </summary>
    private readonly struct RowsAs<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly DType _dtype;
        private readonly bool _isSame;
        private readonly ImageRows<T> _same;
        private readonly ImageRows<byte> _bytes; // uint8, and bool (stored as 0/1)
        private readonly ImageRows<ushort> _u16;
        private readonly ImageRows<int> _i32;
        private readonly ImageRows<float> _f32;
        private readonly ImageRows<double> _f64;

        public RowsAs(HostArray image)
        {
            _dtype = image.DType;
            switch (image)
            {
                // Height and RowLength are the flat rows' own, so they match the result's Flat() of any rank.
                case HostArray<T> same: _same = same.Flat(); _isSame = true; (Height, RowLength) = Extent(_same); break;
                case HostArray<byte> u8: _bytes = u8.Flat(); (Height, RowLength) = Extent(_bytes); break;
                case HostArray<bool> b: _bytes = b.Flat().Reinterpret<byte>(); (Height, RowLength) = Extent(_bytes); break;
                case HostArray<ushort> u16: _u16 = u16.Flat(); (Height, RowLength) = Extent(_u16); break;
                case HostArray<int> i32: _i32 = i32.Flat(); (Height, RowLength) = Extent(_i32); break;
                case HostArray<float> f32: _f32 = f32.Flat(); (Height, RowLength) = Extent(_f32); break;
                case HostArray<double> f64: _f64 = f64.Flat(); (Height, RowLength) = Extent(_f64); break;
                default: throw new ArgumentException($"Unsupported element type {image.DType}.");
            }
        }

        private static (int Height, int RowLength) Extent<TRow>(ImageRows<TRow> rows) where TRow : unmanaged => (rows.Height, rows.RowLength);

        public int Height { get; }
        public int RowLength { get; }

        /// <summary>Row <paramref name="y"/> as T; <paramref name="scratch"/> holds at least <see cref="RowLength"/> elements.</summary>
        public ReadOnlySpan<T> Row(int y, Span<T> scratch)
        {
            if (_isSame) return _same.Row(y);
            scratch = scratch[..RowLength];
            switch (_dtype)
            {
                case DType.UInt8 or DType.Bool: Convert<byte>(_bytes.Row(y), scratch); break;
                case DType.UInt16: Convert<ushort>(_u16.Row(y), scratch); break;
                case DType.Int32: Convert<int>(_i32.Row(y), scratch); break;
                case DType.Float32: Convert<float>(_f32.Row(y), scratch); break;
                default: Convert<double>(_f64.Row(y), scratch); break;
            }
            return scratch;
        }

        private static void Convert<TIn>(ReadOnlySpan<TIn> row, Span<T> dst) where TIn : unmanaged, INumberBase<TIn>
        {
            for (int i = 0; i < row.Length; i++) dst[i] = T.CreateTruncating(row[i]);
        }
    }

    [Function(Domains.Metrics + ":mean_squared_error", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double MeanSquaredErrorCpu(NDArray image0, NDArray image1)
    {
        var a = Guard.Host(image0, nameof(image0));
        var b = Guard.Host(image1, nameof(image1));
        return BothFloat32(a, b) ? Mse(new RowsAs<float>(a), new RowsAs<float>(b), a.Size) : Mse(new RowsAs<double>(a), new RowsAs<double>(b), a.Size);
    }

    /// <summary>
    /// sum((a - b)^2 in T) / n accumulated in float64: a partial sum per row, the rows summed in order, so the result
    /// does not depend on how the rows are cut into bands.
    /// </summary>
    private static double Mse<T>(RowsAs<T> a, RowsAs<T> b, long size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rowSums = new double[a.Height];
        Bands.For(a.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            T[] scratch = ArrayPool<T>.Shared.Rent(2 * a.RowLength);
            try
            {
                for (int y = start; y < end; y++)
                {
                    var x0 = a.Row(y, scratch.AsSpan(0, a.RowLength));
                    var x1 = b.Row(y, scratch.AsSpan(a.RowLength, a.RowLength));
                    double rowSum = 0;
                    for (int i = 0; i < x0.Length; i++)
                    {
                        T d = x0[i] - x1[i];
                        rowSum += double.CreateTruncating(d * d);
                    }
                    rowSums[y] = rowSum;
                }
            }
            finally { ArrayPool<T>.Shared.Return(scratch); }
        });
        return SumInOrder(rowSums) / size;
    }

    private static double SumInOrder(double[] partials)
    {
        double sum = 0;
        foreach (var p in partials) sum += p;
        return sum;
    }

    [Function(Domains.Metrics + ":normalized_root_mse", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double NormalizedRootMseCpu(NDArray imageTrue, NDArray imageTest, string normalization)
    {
        var a = Guard.Host(imageTrue, nameof(imageTrue));
        var b = Guard.Host(imageTest, nameof(imageTest));
        return BothFloat32(a, b)
            ? Nrmse(new RowsAs<float>(a), new RowsAs<float>(b), a.Size, normalization)
            : Nrmse(new RowsAs<double>(a), new RowsAs<double>(b), a.Size, normalization);
    }

    private static double Nrmse<T>(RowsAs<T> truth, RowsAs<T> test, long size, string normalization) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = truth.Height, length = truth.RowLength;
        double denominator;
        switch (normalization)
        {
            case "euclidean":
            {
                // Per-row partials summed in row order (independent of the band cut).
                var rowSums = new double[height];
                Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
                {
                    T[] scratch = ArrayPool<T>.Shared.Rent(length);
                    try
                    {
                        for (int y = start; y < end; y++)
                        {
                            double rowSum = 0;
                            foreach (var v in truth.Row(y, scratch)) rowSum += double.CreateTruncating(v * v);
                            rowSums[y] = rowSum;
                        }
                    }
                    finally { ArrayPool<T>.Shared.Return(scratch); }
                });
                denominator = Math.Sqrt(SumInOrder(rowSums) / size);
                break;
            }
            case "min-max":
            {
                // Exact: per band, then merged in band order with the same comparisons.
                int count = Bands.Count(height);
                var partial = new (T Min, T Max)[count];
                Bands.For(height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
                {
                    T min = T.PositiveInfinity, max = T.NegativeInfinity;
                    T[] scratch = ArrayPool<T>.Shared.Rent(length);
                    try
                    {
                        for (int y = start; y < end; y++)
                            foreach (var v in truth.Row(y, scratch)) { if (v < min) min = v; if (v > max) max = v; }
                    }
                    finally { ArrayPool<T>.Shared.Return(scratch); }
                    partial[band] = (min, max);
                });
                T lo = T.PositiveInfinity, hi = T.NegativeInfinity;
                foreach (var (min, max) in partial) { if (min < lo) lo = min; if (max > hi) hi = max; }
                denominator = double.CreateTruncating(hi - lo);
                break;
            }
            default:
            {
                // ndarray.mean in T: NumPy's pairwise sum over the C-ordered elements, then divided in T.
                var values = new T[size];
                Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
                {
                    for (int y = start; y < end; y++) truth.Row(y, values.AsSpan(y * length, length)).CopyTo(values.AsSpan(y * length, length));
                });
                denominator = double.CreateTruncating(PairwiseSumBanded(values) / T.CreateTruncating(values.Length));
                break;
            }
        }
        return Math.Sqrt(Mse(truth, test, size)) / denominator;
    }

    /// <summary><see cref="PairwiseSum{T}"/>, bit for bit, its fixed recursion's pieces summed in bands (<see cref="Pairwise.BlockInBands{T}"/>).</summary>
    internal static T PairwiseSumBanded<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Pairwise.BlockInBands(values, values.Length);

    /// <summary>NumPy's pairwise summation (8 accumulators in blocks of up to 128, halving above).</summary>
    internal static T PairwiseSum<T>(ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length;
        if (n < 8)
        {
            T res = T.Zero;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= 128)
        {
            Span<T> r = stackalloc T[8];
            for (int j = 0; j < 8; j++) r[j] = a[j];
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }

    [Function(Domains.Metrics + ":peak_signal_noise_ratio", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double PeakSignalNoiseRatioCpu(NDArray imageTrue, NDArray imageTest, double? dataRange)
    {
        var truth = Guard.Host(imageTrue, nameof(imageTrue));
        if (dataRange is not double range)
        {
            var (tmin, tmax) = LinqMinMax(new RowsAs<double>(truth));
            range = DefaultDataRange(truth.DType, tmin, tmax);
        }
        double mse = MeanSquaredErrorCpu(imageTrue, imageTest);
        return Psnr(range, mse);
    }

    /// <summary>10 log10(range^2 / mse), as every backend computes it.</summary>
    internal static double Psnr(double range, double mse) => 10 * Math.Log10(range * range / mse);

    /// <summary>
    /// peak_signal_noise_ratio's data range when none is given, from imageTrue's minimum (NaN when any value is NaN) and
    /// maximum (of the non-NaN values): the dtype's maximum without negative values, else its full range.
    /// </summary>
    /// <exception cref="ArgumentException">Values outside the dtype's range.</exception>
    internal static double DefaultDataRange(DType dtype, double tmin, double tmax)
    {
        var (dmin, dmax) = dtype.Range();
        if (tmax > dmax || tmin < dmin)
            throw new ArgumentException($"imageTrue has values in [{tmin}, {tmax}], outside the range of {dtype.NumPyName()} [{dmin}, {dmax}]; pass dataRange.", "imageTrue");
        return tmin >= 0 ? dmax : dmax - dmin;
    }

    /// <summary>
    /// Enumerable.Min and Max over all values as float64: the minimum is NaN when any value is NaN, the maximum is that
    /// of the non-NaN values (NaN when all are); ties keep the first (so -0 and +0 come out as one pass gives them).
    /// Per band, merged in band order with the same comparisons.
    /// </summary>
    private static (double Min, double Max) LinqMinMax(RowsAs<double> rows)
    {
        int count = Bands.Count(rows.Height);
        var partial = new (bool NaN, bool Any, double Min, double Max)[count];
        Bands.For(rows.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            bool nan = false, any = false;
            double min = 0, max = 0;
            double[] scratch = ArrayPool<double>.Shared.Rent(rows.RowLength);
            try
            {
                for (int y = start; y < end; y++)
                    foreach (var v in rows.Row(y, scratch))
                    {
                        if (double.IsNaN(v)) { nan = true; continue; }
                        if (!any) { min = max = v; any = true; continue; }
                        if (v < min) min = v;
                        if (v > max) max = v;
                    }
            }
            finally { ArrayPool<double>.Shared.Return(scratch); }
            partial[band] = (nan, any, min, max);
        });
        bool anyNaN = false, anyValue = false;
        double lo = 0, hi = 0;
        foreach (var p in partial)
        {
            anyNaN |= p.NaN;
            if (!p.Any) continue;
            if (!anyValue) { (lo, hi) = (p.Min, p.Max); anyValue = true; continue; }
            if (p.Min < lo) lo = p.Min;
            if (p.Max > hi) hi = p.Max;
        }
        return (anyNaN ? double.NaN : lo, anyValue ? hi : double.NaN);
    }
}
