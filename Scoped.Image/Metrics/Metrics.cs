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
    /// <summary>The signature of <c>scoped.image.metrics:mean_squared_error</c>.</summary>
    public delegate double MeanSquaredErrorFunction(NDArray image0, NDArray image1);

    /// <summary>The signature of <c>scoped.image.metrics:normalized_root_mse</c>.</summary>
    public delegate double NormalizedRootMseFunction(NDArray imageTrue, NDArray imageTest, string normalization);

    /// <summary>The signature of <c>scoped.image.metrics:peak_signal_noise_ratio</c>.</summary>
    public delegate double PeakSignalNoiseRatioFunction(NDArray imageTrue, NDArray imageTest, double? dataRange);

    /// <summary>The signature of <c>scoped.image.metrics:structural_similarity</c>.</summary>
    public delegate StructuralSimilarityResult StructuralSimilarityFunction(NDArray im1, NDArray im2, int? winSize, bool gradient,
        double? dataRange, int? channelAxis, bool gaussianWeights, bool full, double k1, double k2, double sigma, bool useSampleCovariance);

    /// <summary>The multimethods behind this module, for backends to implement.</summary>
    public static partial class Methods
    {
        /// <summary>scoped.image.metrics:mean_squared_error.</summary>
        public static readonly Multimethod<MeanSquaredErrorFunction> MeanSquaredError =
            Multimethod.Create<MeanSquaredErrorFunction>(Domains.Metrics + ":mean_squared_error", MeanSquaredErrorCpu, 0, 1);

        /// <summary>scoped.image.metrics:normalized_root_mse.</summary>
        public static readonly Multimethod<NormalizedRootMseFunction> NormalizedRootMse =
            Multimethod.Create<NormalizedRootMseFunction>(Domains.Metrics + ":normalized_root_mse", NormalizedRootMseCpu, 0, 1);

        /// <summary>scoped.image.metrics:peak_signal_noise_ratio.</summary>
        public static readonly Multimethod<PeakSignalNoiseRatioFunction> PeakSignalNoiseRatio =
            Multimethod.Create<PeakSignalNoiseRatioFunction>(Domains.Metrics + ":peak_signal_noise_ratio", PeakSignalNoiseRatioCpu, 0, 1);

        /// <summary>scoped.image.metrics:structural_similarity.</summary>
        public static readonly Multimethod<StructuralSimilarityFunction> StructuralSimilarity =
            Multimethod.Create<StructuralSimilarityFunction>(Domains.Metrics + ":structural_similarity", StructuralSimilarityCpu, 0, 1);
    }

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
    /// <param name="im1">2-D, or 3-D with <paramref name="channelAxis"/>.</param>
    /// <param name="im2">Same shape as <paramref name="im1"/>.</param>
    /// <param name="winSize">Odd window side, at most the smallest image side; default 7 (11 with Gaussian weights).</param>
    /// <param name="gradient">Not supported: must be false.</param>
    /// <param name="dataRange">Range of the data; default: the range of im1's dtype (2 for floats, as scikit-image 0.19.3 does, 255 for uint8).</param>
    /// <param name="channelAxis">The channel axis of 3-D images (-1 or 2): SSIM per channel, averaged.</param>
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
        if (im1.Rank == 3 && channelAxis is null)
            throw new ArgumentException($"im1 is 3-D {im1.ShapeText}; pass channelAxis: -1 for colour images (3-D volumes are not supported).", nameof(channelAxis));
        Guard.ChannelAxis(im1, channelAxis, nameof(channelAxis));
        Guard.NonNegative(k1, nameof(k1));
        Guard.NonNegative(k2, nameof(k2));
        Guard.NonNegative(sigma, nameof(sigma));
        if (dataRange is double r) Guard.Finite(r, nameof(dataRange));
        int win = WindowSize(winSize, gaussianWeights, sigma);
        if (win % 2 != 1 || win < 1) throw new ArgumentException($"winSize must be odd and >= 1; got {win}.", nameof(winSize));
        if (win == 1 && useSampleCovariance)
            throw new ArgumentException("winSize 1 with useSampleCovariance divides by zero (N - 1 = 0).", nameof(winSize));
        if (im1.Shape[0] < win || im1.Shape[1] < win)
            throw new ArgumentException($"winSize {win} exceeds the image extent {im1.ShapeText}; pass an odd winSize <= the smaller side.", nameof(winSize));
        return Methods.StructuralSimilarity.Invoke(im1, im2, winSize, gradient, dataRange, channelAxis, gaussianWeights, full, k1, k2, sigma, useSampleCovariance);
    }

    private static int WindowSize(int? winSize, bool gaussianWeights, double sigma) =>
        winSize ?? (gaussianWeights ? 2 * (int)(3.5 * sigma + 0.5) + 1 : 7);

    private static void CheckPair(NDArray a, string nameA, NDArray b, string nameB)
    {
        Guard.Image(a, nameA);
        Guard.Image(b, nameB);
        Guard.DTypeIn(a, nameA, Supported);
        Guard.DTypeIn(b, nameB, Supported);
        Guard.SameShape(a, nameA, b, nameB);
    }

    // ---------------------------------------------------------------- MSE, NRMSE, PSNR

    /// <summary>skimage's _as_floats: both as float32 when both are float32, else both as float64 (values cast, not scaled).</summary>
    private static bool BothFloat32(NDArray a, NDArray b) => a.DType == DType.Float32 && b.DType == DType.Float32;

    private static HostArray<T> AsDense<T>(NDArray image, string name) where T : unmanaged
    {
        var host = Guard.Host(image, name);
        if (host is HostArray<T> same) return same;
        return (HostArray<T>)host.AsType(DTypes.Of<T>());
    }

    private static double MeanSquaredErrorCpu(NDArray image0, NDArray image1) => BothFloat32(image0, image1)
        ? Mse(AsDense<float>(image0, nameof(image0)), AsDense<float>(image1, nameof(image1)))
        : Mse(AsDense<double>(image0, nameof(image0)), AsDense<double>(image1, nameof(image1)));

    /// <summary>sum((a - b)^2 in T) / n accumulated in float64.</summary>
    private static double Mse<T>(HostArray<T> a, HostArray<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ra = a.Rows();
        var rb = b.Rows();
        double sum = 0;
        for (int y = 0; y < ra.Height; y++)
        {
            var x0 = ra.Row(y);
            var x1 = rb.Row(y);
            double rowSum = 0;
            for (int i = 0; i < x0.Length; i++)
            {
                T d = x0[i] - x1[i];
                rowSum += double.CreateTruncating(d * d);
            }
            sum += rowSum;
        }
        return sum / a.Size;
    }

    private static double NormalizedRootMseCpu(NDArray imageTrue, NDArray imageTest, string normalization) => BothFloat32(imageTrue, imageTest)
        ? Nrmse(AsDense<float>(imageTrue, nameof(imageTrue)), AsDense<float>(imageTest, nameof(imageTest)), normalization)
        : Nrmse(AsDense<double>(imageTrue, nameof(imageTrue)), AsDense<double>(imageTest, nameof(imageTest)), normalization);

    private static double Nrmse<T>(HostArray<T> truth, HostArray<T> test, string normalization) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double denominator;
        switch (normalization)
        {
            case "euclidean":
            {
                double sum = 0;
                var rows = truth.Rows();
                for (int y = 0; y < rows.Height; y++)
                    foreach (var v in rows.Row(y)) sum += double.CreateTruncating(v * v);
                denominator = Math.Sqrt(sum / truth.Size);
                break;
            }
            case "min-max":
            {
                T min = T.PositiveInfinity, max = T.NegativeInfinity;
                var rows = truth.Rows();
                for (int y = 0; y < rows.Height; y++)
                    foreach (var v in rows.Row(y)) { if (v < min) min = v; if (v > max) max = v; }
                denominator = double.CreateTruncating(max - min);
                break;
            }
            default:
            {
                // ndarray.mean in T: NumPy's pairwise sum over the C-ordered elements, then divided in T.
                var values = truth.ToArray();
                denominator = double.CreateTruncating(PairwiseSum<T>(values) / T.CreateTruncating(values.Length));
                break;
            }
        }
        return Math.Sqrt(Mse(truth, test)) / denominator;
    }

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

    private static double PeakSignalNoiseRatioCpu(NDArray imageTrue, NDArray imageTest, double? dataRange)
    {
        var truth = Guard.Host(imageTrue, nameof(imageTrue));
        if (dataRange is not double range)
        {
            var (dmin, dmax) = truth.DType.Range();
            var values = (double[])truth.AsType(DType.Float64).ToFlatArray();
            double tmin = values.Min(), tmax = values.Max();
            if (tmax > dmax || tmin < dmin)
                throw new ArgumentException($"imageTrue has values in [{tmin}, {tmax}], outside the range of {truth.DType.NumPyName()} [{dmin}, {dmax}]; pass dataRange.", nameof(imageTrue));
            range = tmin >= 0 ? dmax : dmax - dmin;
        }
        double mse = MeanSquaredErrorCpu(imageTrue, imageTest);
        return 10 * Math.Log10(range * range / mse);
    }

    // ---------------------------------------------------------------- SSIM

    private static StructuralSimilarityResult StructuralSimilarityCpu(NDArray im1, NDArray im2, int? winSize, bool gradient, double? dataRange,
        int? channelAxis, bool gaussianWeights, bool full, double k1, double k2, double sigma, bool useSampleCovariance)
    {
        var a = Guard.Host(im1, nameof(im1));
        var b = Guard.Host(im2, nameof(im2));
        double range = dataRange ?? a.DType.Range().Max - a.DType.Range().Min;
        int win = WindowSize(winSize, gaussianWeights, sigma);
        var options = new SsimOptions(win, gaussianWeights, range, k1, k2, sigma, useSampleCovariance, full);
        return a.DType == DType.Float32
            ? SsimImage(AsDense<float>(a, nameof(im1)), AsDense<float>(b, nameof(im2)), options)
            : SsimImage(AsDense<double>(a, nameof(im1)), AsDense<double>(b, nameof(im2)), options);
    }

    private readonly record struct SsimOptions(int Win, bool Gaussian, double DataRange, double K1, double K2, double Sigma, bool Sample, bool Full);

    private static StructuralSimilarityResult SsimImage<T>(HostArray<T> a, HostArray<T> b, SsimOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = a.Shape[0], width = a.Shape[1];
        if (a.Rank == 2)
        {
            var map = o.Full ? HostArray<T>.Allocate(height, width) : null;
            double mean = SsimPlane(a.Rows(), b.Rows(), o, map);
            return new StructuralSimilarityResult(mean, map);
        }
        int channels = a.Shape[2];
        var fullMap = o.Full ? HostArray<T>.Allocate(height, width, channels) : null;
        var means = new T[channels];
        for (int c = 0; c < channels; c++)
        {
            var planeA = Plane(a, c);
            var planeB = Plane(b, c);
            var map = o.Full ? HostArray<T>.Allocate(height, width) : null;
            means[c] = T.CreateTruncating(SsimPlane(planeA.Rows(), planeB.Rows(), o, map));
            if (map is not null)
            {
                var m = map.Rows();
                var f = fullMap!.Rows();
                for (int y = 0; y < height; y++)
                {
                    var src = m.Row(y);
                    var dst = f.Row(y);
                    for (int x = 0; x < width; x++) dst[x * channels + c] = src[x];
                }
            }
        }
        // The per-channel means are stored in the float type and averaged there, as NumPy does.
        T total = PairwiseSum<T>(means) / T.CreateTruncating(channels);
        return new StructuralSimilarityResult(double.CreateTruncating(total), fullMap);
    }

    private static HostArray<T> Plane<T>(HostArray<T> image, int channel) where T : unmanaged
    {
        int height = image.Shape[0], width = image.Shape[1];
        var plane = HostArray<T>.Allocate(height, width);
        var src = image.Rows();
        var dst = plane.Rows();
        int channels = src.Channels;
        for (int y = 0; y < height; y++)
        {
            var s = src.Row(y);
            var d = dst.Row(y);
            for (int x = 0; x < width; x++) d[x] = s[x * channels + channel];
        }
        return plane;
    }

    /// <summary>
    /// SSIM of one plane: the five local moments (float32: scipy's own float64 arithmetic, see <see cref="MomentFilter"/>;
    /// float64: <see cref="Separable.Correlate"/>), then skimage's formula in T,
    /// element-wise with SIMD; returns the float64 mean over the interior, and fills <paramref name="map"/> if given.
    /// </summary>
    private static double SsimPlane<T>(ImageRows<T> x, ImageRows<T> y, SsimOptions o, HostArray<T>? map) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = x.Height, width = x.Width, n = height * width;
        double[] weights;
        if (o.Gaussian) weights = Separable.GaussianWeights(o.Sigma, 3.5);
        else { weights = new double[o.Win]; Array.Fill(weights, 1.0 / o.Win); }
        // Buffers: the three products, then the five filtered moments.
        var pool = ArrayPool<T>.Shared;
        var buffers = new T[8][];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = pool.Rent(n);
        try
        {
            T[] xx = buffers[0], yy = buffers[1], xy = buffers[2];
            for (int r = 0; r < height; r++)
            {
                var rx = x.Row(r);
                var ry = y.Row(r);
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(rx, rx, xx.AsSpan(r * width, width));
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(ry, ry, yy.AsSpan(r * width, width));
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(rx, ry, xy.AsSpan(r * width, width));
            }
            T[] ux = buffers[3], uy = buffers[4], uxx = buffers[5], uyy = buffers[6], uxy = buffers[7];
            if (typeof(T) == typeof(float))
            {
                // scipy's arithmetic: float64 sums, rounded to float32 after each axis pass.
                var filter = new MomentFilter(o, weights, n);
                try
                {
                    filter.Run(AsSingle(x), (float[])(object)ux);
                    filter.Run(AsSingle(y), (float[])(object)uy);
                    filter.Run(Dense((float[])(object)xx, height, width), (float[])(object)uxx);
                    filter.Run(Dense((float[])(object)yy, height, width), (float[])(object)uyy);
                    filter.Run(Dense((float[])(object)xy, height, width), (float[])(object)uxy);
                }
                finally { filter.Dispose(); }
            }
            else
            {
                Separable.Correlate(x, Dense(ux, height, width), weights, weights, BoundaryMode.Reflect, T.Zero);
                Separable.Correlate(y, Dense(uy, height, width), weights, weights, BoundaryMode.Reflect, T.Zero);
                Separable.Correlate(Dense(xx, height, width), Dense(uxx, height, width), weights, weights, BoundaryMode.Reflect, T.Zero);
                Separable.Correlate(Dense(yy, height, width), Dense(uyy, height, width), weights, weights, BoundaryMode.Reflect, T.Zero);
                Separable.Correlate(Dense(xy, height, width), Dense(uxy, height, width), weights, weights, BoundaryMode.Reflect, T.Zero);
            }

            double np = (double)o.Win * o.Win;
            T covNorm = T.CreateTruncating(o.Sample ? np / (np - 1) : 1.0);
            T c1 = T.CreateTruncating(Math.Pow(o.K1 * o.DataRange, 2));
            T c2 = T.CreateTruncating(Math.Pow(o.K2 * o.DataRange, 2));
            int pad = (o.Win - 1) / 2;
            var s = xx; // the products are no longer needed: reuse for S
            SsimFormula(ux, uy, uxx, uyy, uxy, s, n, covNorm, c1, c2);
            double sum = 0;
            for (int r = pad; r < height - pad; r++)
            {
                double rowSum = 0;
                var row = s.AsSpan(r * width + pad, width - 2 * pad);
                foreach (var v in row) rowSum += double.CreateTruncating(v);
                sum += rowSum;
            }
            if (map is not null)
            {
                var dst = map.Rows();
                for (int r = 0; r < height; r++) s.AsSpan(r * width, width).CopyTo(dst.Row(r));
            }
            long count = (long)(height - 2 * pad) * (width - 2 * pad);
            return sum / count;
        }
        finally
        {
            foreach (var buffer in buffers) pool.Return(buffer);
        }
    }

    private static ImageRows<float> AsSingle<T>(ImageRows<T> rows) where T : unmanaged =>
        rows.Reinterpret<float>();

    /// <summary>
    /// A float32 local-moment filter as skimage gets it from scipy: uniform_filter through <see cref="UniformFilter"/>
    /// (running float64 sums), or the Gaussian through <see cref="Correlate1D{T}"/> (float64 correlate1d); both round
    /// to float32 after the axis-0 and after the axis-1 pass.
    /// </summary>
    private readonly struct MomentFilter(SsimOptions o, double[] weights, int n) : IDisposable
    {
        private readonly double[]? scratch = o.Gaussian ? ArrayPool<double>.Shared.Rent(n) : null;

        public void Run(ImageRows<float> src, float[] dst)
        {
            if (scratch is null) { UniformFilter.Float32(src, dst, o.Win, BoundaryMode.Reflect, 0.0); return; }
            Correlate1D<float>.RunBoth(src, null, scratch, weights, BoundaryMode.Reflect, 0.0);
            int count = src.Height * src.Width;
            for (int i = 0; i < count; i++) dst[i] = (float)scratch[i];
        }

        public void Dispose()
        {
            if (scratch is not null) ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private static ImageRows<T> Dense<T>(T[] buffer, int height, int width) where T : unmanaged =>
        HostArray<T>.RowsOver(buffer, height, width);

    /// <summary>S = (2 ux uy + C1)(2 vxy + C2) / ((ux^2 + uy^2 + C1)(vx + vy + C2)), each operation in T in NumPy's order.</summary>
    private static void SsimFormula<T>(T[] ux, T[] uy, T[] uxx, T[] uyy, T[] uxy, T[] s, int n, T covNorm, T c1, T c2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vCov = new Vector<T>(covNorm);
            var vC1 = new Vector<T>(c1);
            var vC2 = new Vector<T>(c2);
            var vTwo = new Vector<T>(two);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var mx = new Vector<T>(ux, i);
                var my = new Vector<T>(uy, i);
                var vx = vCov * (new Vector<T>(uxx, i) - mx * mx);
                var vy = vCov * (new Vector<T>(uyy, i) - my * my);
                var vxy = vCov * (new Vector<T>(uxy, i) - mx * my);
                var a1 = vTwo * mx * my + vC1;
                var a2 = vTwo * vxy + vC2;
                var b1 = mx * mx + my * my + vC1;
                var b2 = vx + vy + vC2;
                ((a1 * a2) / (b1 * b2)).CopyTo(s, i);
            }
        }
        for (; i < n; i++)
        {
            T mx = ux[i], my = uy[i];
            T vx = covNorm * (uxx[i] - mx * mx);
            T vy = covNorm * (uyy[i] - my * my);
            T vxy = covNorm * (uxy[i] - mx * my);
            T a1 = two * mx * my + c1;
            T a2 = two * vxy + c2;
            T b1 = mx * mx + my * my + c1;
            T b2 = vx + vy + c2;
            s[i] = (a1 * a2) / (b1 * b2);
        }
    }
}
