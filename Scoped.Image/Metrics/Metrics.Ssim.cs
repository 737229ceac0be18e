using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// structural_similarity's default implementation: per-plane moment filters and the SSIM formula.
public static partial class Metrics
{
    [Function(Domains.Metrics + ":structural_similarity", FunctionKind.Reduction, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static StructuralSimilarityResult StructuralSimilarityCpu(NDArray im1, NDArray im2, int? winSize, bool gradient, double? dataRange,
        int? channelAxis, bool gaussianWeights, bool full, double k1, double k2, double sigma, bool useSampleCovariance)
    {
        var a = Guard.Host(im1, nameof(im1));
        var b = Guard.Host(im2, nameof(im2));
        double range = dataRange ?? a.DType.Range().Max - a.DType.Range().Min;
        int win = WindowSize(winSize, gaussianWeights, sigma);
        var options = new SsimOptions(win, gaussianWeights, range, k1, k2, sigma, useSampleCovariance, full);
        return a.DType == DType.Float32
            ? SsimImage(AsDense<float>(a, nameof(im1)), AsDense<float>(b, nameof(im2)), options, channelAxis)
            : SsimImage(AsDense<double>(a, nameof(im1)), AsDense<double>(b, nameof(im2)), options, channelAxis);
    }

    private readonly record struct SsimOptions(int Win, bool Gaussian, double DataRange, double K1, double K2, double Sigma, bool Sample, bool Full);

    /// <summary>
    /// scikit-image's channel loop: without a channel axis every axis is spatial; with one, SSIM of each channel's
    /// spatial array, the means stored in the float type and averaged there (as NumPy does), the maps side by side.
    /// </summary>
    private static StructuralSimilarityResult SsimImage<T>(HostArray<T> a, HostArray<T> b, SsimOptions o, int? channelAxis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (channelAxis is null) return SsimSpatial(a, b, o);
        var axes = ImageAxes.Of(a, channelAxis < 0 ? channelAxis + a.Rank : channelAxis);
        var x = axes.ToKernel(a);
        var y = axes.ToKernel(b);
        int channels = axes.Channels;
        var fullMap = o.Full ? HostArray<T>.Allocate(x.Shape.ToArray()) : null;
        var means = new T[channels];
        for (int c = 0; c < channels; c++)
        {
            var result = SsimSpatial(Channel(x, axes.Spatial, c), Channel(y, axes.Spatial, c), o);
            means[c] = T.CreateTruncating(result.Mean);
            if (result.Full is HostArray<T> map) SetChannel(fullMap!, map, c);
        }
        T total = PairwiseSum<T>(means) / T.CreateTruncating(channels);
        return new StructuralSimilarityResult(double.CreateTruncating(total), fullMap is null ? null : axes.FromKernel(fullMap));
    }

    /// <summary>SSIM of an array whose axes are all spatial: the fused plane pass in 2-D, the N-D pass otherwise.</summary>
    private static StructuralSimilarityResult SsimSpatial<T>(HostArray<T> a, HostArray<T> b, SsimOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rank != 2) return SsimVolume(a, b, o);
        var map = o.Full ? HostArray<T>.Allocate(a.Shape[0], a.Shape[1]) : null;
        return new StructuralSimilarityResult(SsimPlane(a.Rows(), b.Rows(), o, map), map);
    }

    /// <summary>Channel <paramref name="channel"/> of a dense channel-last array, as a dense array of its spatial shape.</summary>
    private static HostArray<T> Channel<T>(HostArray<T> image, int[] spatial, int channel) where T : unmanaged
    {
        var plane = HostArray<T>.Allocate(spatial);
        int width = spatial[^1], rows = (int)(plane.Size / width), channels = image.Shape[^1];
        var src = image.RowsOf(rows, width, channels);
        var dst = plane.RowsOf(rows, width, 1);
        Bands.For(rows, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                var s = src.Row(r);
                var d = dst.Row(r);
                for (int i = 0; i < width; i++) d[i] = s[i * channels + channel];
            }
        });
        return plane;
    }

    /// <summary>Writes a spatial array into channel <paramref name="channel"/> of a dense channel-last array.</summary>
    private static void SetChannel<T>(HostArray<T> image, HostArray<T> plane, int channel) where T : unmanaged
    {
        int channels = image.Shape[^1], width = plane.Shape[^1], rows = (int)(plane.Size / width);
        var src = plane.RowsOf(rows, width, 1);
        var dst = image.RowsOf(rows, width, channels);
        Bands.For(rows, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                var s = src.Row(r);
                var d = dst.Row(r);
                for (int i = 0; i < width; i++) d[i * channels + channel] = s[i];
            }
        });
    }

    /// <summary>
    /// SSIM of a volume (every axis spatial): the five local moments by the N-D separable pass (window win^ndim,
    /// reflect edges), the formula in T, and the float64 mean over the interior cropped by (win - 1) / 2 on every axis
    /// (each interior row summed in order, then the rows in order).
    /// </summary>
    private static StructuralSimilarityResult SsimVolume<T>(HostArray<T> a, HostArray<T> b, SsimOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = a.Dense();
        var y = b.Dense();
        var shape = x.Shape.ToArray();
        int rank = shape.Length;
        double[] weights;
        if (o.Gaussian) weights = Separable.GaussianWeights(o.Sigma, 3.5);
        else { weights = new double[o.Win]; Array.Fill(weights, 1.0 / o.Win); }
        var perAxis = Enumerable.Repeat(weights, rank).ToArray();
        HostArray<T> Product(HostArray<T> p, HostArray<T> q)
        {
            var result = HostArray<T>.Allocate(shape);
            var (rp, rq, rr) = (p.Lines(), q.Lines(), result.Lines());
            Bands.For(rr.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int r = start; r < end; r++) System.Numerics.Tensors.TensorPrimitives.Multiply<T>(rp.Row(r), rq.Row(r), rr.Row(r));
            });
            return result;
        }
        T[] Moment(HostArray<T> image) => Separable.CorrelateAxes(image, shape, 1, perAxis, BoundaryMode.Reflect, T.Zero).ToArray();
        var ux = Moment(x);
        var uy = Moment(y);
        var uxx = Moment(Product(x, x));
        var uyy = Moment(Product(y, y));
        var uxy = Moment(Product(x, y));
        double np = Math.Pow(o.Win, rank);
        T covNorm = T.CreateTruncating(o.Sample ? np / (np - 1) : 1.0);
        T c1 = T.CreateTruncating(Math.Pow(o.K1 * o.DataRange, 2));
        T c2 = T.CreateTruncating(Math.Pow(o.K2 * o.DataRange, 2));
        var s = new T[ux.Length];
        int width = shape[^1], rows = ux.Length / width, pad = (o.Win - 1) / 2;
        var rowSums = new double[rows];
        var inside = new bool[rows];
        Bands.For(rows, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            SsimFormula(ux, uy, uxx, uyy, uxy, s, start * width, end * width, covNorm, c1, c2);
            for (int r = start; r < end; r++)
            {
                // Whether the row lies inside the crop on every outer axis.
                bool keep = true;
                for (int axis = rank - 2, rest = r; axis >= 0 && keep; axis--)
                {
                    int i = rest % shape[axis];
                    rest /= shape[axis];
                    keep = i >= pad && i < shape[axis] - pad;
                }
                if (!(inside[r] = keep)) continue;
                double rowSum = 0;
                foreach (var v in s.AsSpan(r * width + pad, width - 2 * pad)) rowSum += double.CreateTruncating(v);
                rowSums[r] = rowSum;
            }
        });
        double sum = 0;
        long count = 0;
        for (int r = 0; r < rows; r++)
            if (inside[r]) { sum += rowSums[r]; count += width - 2 * pad; }
        return new StructuralSimilarityResult(sum / count, o.Full ? HostArray.Create(s, shape) : null);
    }

    /// <summary>
    /// SSIM of one plane: the five local moments (float32: scipy's own float64 arithmetic, see <see cref="MomentFilter"/>;
    /// float64: <see cref="Separable.Correlate"/>), then skimage's formula in T,
    /// element-wise with SIMD; returns the float64 mean over the interior, and fills <paramref name="map"/> if given.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int r = start; r < end; r++)
                {
                    var rx = x.Row(r);
                    var ry = y.Row(r);
                    System.Numerics.Tensors.TensorPrimitives.Multiply<T>(rx, rx, xx.AsSpan(r * width, width));
                    System.Numerics.Tensors.TensorPrimitives.Multiply<T>(ry, ry, yy.AsSpan(r * width, width));
                    System.Numerics.Tensors.TensorPrimitives.Multiply<T>(rx, ry, xy.AsSpan(r * width, width));
                }
            });
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
            // The formula, the interior row sums and the map, row by row in bands; the row sums then added in row order.
            var rowSums = new double[height];
            var dst = map is null ? default : map.Rows();
            Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                SsimFormula(ux, uy, uxx, uyy, uxy, s, start * width, end * width, covNorm, c1, c2);
                for (int r = Math.Max(start, pad); r < Math.Min(end, height - pad); r++)
                {
                    double rowSum = 0;
                    foreach (var v in s.AsSpan(r * width + pad, width - 2 * pad)) rowSum += double.CreateTruncating(v);
                    rowSums[r] = rowSum;
                }
                if (map is not null)
                    for (int r = start; r < end; r++) s.AsSpan(r * width, width).CopyTo(dst.Row(r));
            });
            double sum = 0;
            for (int r = pad; r < height - pad; r++) sum += rowSums[r];
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
            var from = scratch;
            int width = src.Width;
            Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int i = start * width; i < end * width; i++) dst[i] = (float)from[i];
            });
        }

        public void Dispose()
        {
            if (scratch is not null) ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private static ImageRows<T> Dense<T>(T[] buffer, int height, int width) where T : unmanaged =>
        HostArray<T>.RowsOver(buffer, height, width);

    /// <summary>S = (2 ux uy + C1)(2 vxy + C2) / ((ux^2 + uy^2 + C1)(vx + vy + C2)), each operation in T in NumPy's order.</summary>
    /// <remarks>Elements [<paramref name="i"/>, <paramref name="n"/>); each element's value does not depend on where the
    /// range starts (the vector and scalar paths do the same operations in the same order, unfused).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SsimFormula<T>(T[] ux, T[] uy, T[] uxx, T[] uyy, T[] uxy, T[] s, int i, int n, T covNorm, T c1, T c2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2);
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
