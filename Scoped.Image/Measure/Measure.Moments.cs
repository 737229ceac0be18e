using System.Runtime.CompilerServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// Image moments: raw, central, normalised, Hu's invariants, the centroid and the inertia tensor, as skimage.measure
// computes them (moments contract the image with the powers of each axis's coordinates, axis 0 first). NumPy does the
// contractions with BLAS, whose summation order is its own: the values agree to rounding, not bit for bit. A float32
// image is measured in float64 and the moments rounded to float32 once: scikit-image's float32 sums stray from the
// exact values by up to about 1e-5 of the largest moment, these by one float32 rounding.
public static partial class Measure
{
    /// <summary>skimage.measure.moments: m[p0, ..., pn] = sum over the image of value x coordinate_a^p_a, for every
    /// power 0..<paramref name="order"/> on every axis. float32 images give float32, others float64.</summary>
    /// <param name="image">Any rank, any dtype (bool and integers as float64).</param>
    /// <param name="order">The highest power per axis, 0..16.</param>
    public static NDArray Moments(NDArray image, int order = 3)
    {
        CheckMoments(image, order);
        return Methods.Moments.Invoke(image, order);
    }

    /// <summary>skimage.measure.moments_central: the moments about <paramref name="center"/> (the image's centroid when
    /// null).</summary>
    /// <param name="image">Any rank, any dtype.</param>
    /// <param name="center">One finite coordinate per axis, or null for the centroid.</param>
    /// <param name="order">The highest power per axis, 0..16.</param>
    public static NDArray MomentsCentral(NDArray image, double[]? center = null, int order = 3)
    {
        CheckMoments(image, order);
        if (center is not null)
        {
            if (center.Length != image.Rank)
                throw new ArgumentException($"center must have one coordinate per axis ({image.Rank}); got {center.Length}.", nameof(center));
            foreach (var c in center) Guard.Finite(c, nameof(center));
        }
        return Methods.MomentsCentral.Invoke(image, center, order);
    }

    /// <summary>skimage.measure.moments_normalized: nu = mu / mu[0, ..., 0]^(|p| / ndim + 1) for |p| &gt;= 2, NaN for
    /// the powers below 2.</summary>
    /// <param name="mu">Central moments: float32 or float64, every axis longer than <paramref name="order"/>.</param>
    /// <param name="order">The highest power per axis, &gt;= 0.</param>
    public static NDArray MomentsNormalized(NDArray mu, int order = 3)
    {
        Guard.AnyRank(mu, nameof(mu));
        Guard.DTypeIn(mu, nameof(mu), DType.Float32, DType.Float64);
        if (order < 0) throw new ArgumentException($"order must be >= 0; got {order}.", nameof(order));
        foreach (var n in mu.Shape)
            if (n <= order) throw new ArgumentException($"mu must be longer than order ({order}) on every axis; got shape {mu.ShapeText}.", nameof(mu));
        return Methods.MomentsNormalized.Invoke(mu, order);
    }

    /// <summary>skimage.measure.moments_hu: Hu's seven invariants (to translation, scale and rotation) of 2-D normalised
    /// moments, in their precision.</summary>
    /// <param name="nu">2-D normalised moments, float32 or float64, at least 4 x 4.</param>
    public static NDArray MomentsHu(NDArray nu)
    {
        Guard.Spatial(nu, nameof(nu), null, minRank: 2, maxRank: 2);
        Guard.DTypeIn(nu, nameof(nu), DType.Float32, DType.Float64);
        if (nu.Shape[0] < 4 || nu.Shape[1] < 4)
            throw new ArgumentException($"nu must be at least 4 x 4 (moments up to order 3); got shape {nu.ShapeText}.", nameof(nu));
        return Methods.MomentsHu.Invoke(nu);
    }

    /// <summary>skimage.measure.centroid: the intensity-weighted mean coordinate, one per axis.</summary>
    /// <param name="image">Any rank, any dtype.</param>
    public static double[] Centroid(NDArray image)
    {
        CheckMoments(image, 1);
        return Methods.Centroid.Invoke(image);
    }

    /// <summary>skimage.measure.inertia_tensor: ndim x ndim, from the central moments of order 2 (the diagonal holds the
    /// other axes' second moments, off it minus the mixed moment, all over the total).</summary>
    /// <param name="image">Any rank, any dtype.</param>
    public static NDArray InertiaTensor(NDArray image)
    {
        CheckMoments(image, 2);
        return Methods.InertiaTensor.Invoke(image);
    }

    /// <summary>skimage.measure.inertia_tensor_eigvals: the inertia tensor's eigenvalues, clipped at 0, largest first.</summary>
    /// <param name="image">Any rank, any dtype.</param>
    public static double[] InertiaTensorEigvals(NDArray image)
    {
        CheckMoments(image, 2);
        return Methods.InertiaTensorEigvals.Invoke(image);
    }

    private static void CheckMoments(NDArray image, int order)
    {
        Guard.AnyRank(image, nameof(image));
        if (order is < 0 or > MaxMomentOrder) throw new ArgumentException($"order must be in [0, {MaxMomentOrder}]; got {order}.", nameof(order));
        Guard.Elements(Limits.Product(Enumerable.Repeat((long)order + 1, image.Rank).ToArray()), nameof(order), "the moments array");
    }

    // Powers past this overflow float64 for any image worth measuring.
    private const int MaxMomentOrder = 16;

    [Function(Domains.Measure + ":moments", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray MomentsCpu(NDArray image, int order)
    {
        var host = Guard.Host(image, nameof(image));
        return AsMomentType(host, MomentsAbout(host, new double[host.Rank], order), host.Rank, order);
    }

    [Function(Domains.Measure + ":moments_central", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray MomentsCentralCpu(NDArray image, double[]? center, int order)
    {
        var host = Guard.Host(image, nameof(image));
        return AsMomentType(host, MomentsAbout(host, center ?? CentroidOf(host), order), host.Rank, order);
    }

    [Function(Domains.Measure + ":centroid", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double[] CentroidCpu(NDArray image) => CentroidOf(Guard.Host(image, nameof(image)));

    [Function(Domains.Measure + ":inertia_tensor", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray InertiaTensorCpu(NDArray image)
    {
        var host = Guard.Host(image, nameof(image));
        int rank = host.Rank;
        var tensor = TensorOf(MomentsAbout(host, CentroidOf(host), 2), rank);
        var flat = new double[rank * rank];
        for (int a = 0; a < rank; a++) for (int b = 0; b < rank; b++) flat[a * rank + b] = tensor[a, b];
        var result = HostArray.Create(flat, rank, rank);
        return host is HostArray<float> ? result.AsType(DType.Float32) : result;
    }

    [Function(Domains.Measure + ":inertia_tensor_eigvals", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double[] InertiaTensorEigvalsCpu(NDArray image)
    {
        var host = Guard.Host(image, nameof(image));
        return SymmetricEigenvalues(TensorOf(MomentsAbout(host, CentroidOf(host), 2), host.Rank));
    }

    [Function(Domains.Measure + ":moments_normalized", FunctionKind.Reduction, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray MomentsNormalizedCpu(NDArray mu, int order)
    {
        var host = Guard.Host(mu, nameof(mu));
        var values = (double[])host.AsType(DType.Float64).ToFlatArray();
        var shape = host.Shape.ToArray();
        int rank = shape.Length;
        var nu = new double[values.Length];
        var index = new int[rank];
        double mu0 = values[0];
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) Raster.Next(index, shape);
            int total = 0;
            bool inside = true;
            foreach (var p in index) { total += p; inside &= p <= order; }
            if (!inside) continue; // scikit-image leaves the powers above order at 0
            nu[i] = total < 2 ? double.NaN : values[i] / Math.Pow(mu0, (double)total / rank + 1);
        }
        var result = HostArray.Create(nu, shape);
        return host is HostArray<float> ? result.AsType(DType.Float32) : result;
    }

    [Function(Domains.Measure + ":moments_hu", FunctionKind.Reduction)]
    private static NDArray MomentsHuCpu(NDArray nu) => Guard.Host(nu, nameof(nu)) switch
    {
        HostArray<float> f => HostArray.Create(Hu(f.Rows()), 7),
        var other => HostArray.Create(Hu(((HostArray<double>)other.AsType(DType.Float64)).Rows()), 7),
    };

    /// <summary>Hu's invariants in T, each product and sum in the order scikit-image's Cython writes them.</summary>
    private static T[] Hu<T>(ImageRows<T> nu) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T n(int p, int q) => nu.Row(p)[q];
        T three = T.CreateTruncating(3), four = T.CreateTruncating(4);
        var hu = new T[7];
        T t0 = n(3, 0) + n(1, 2), t1 = n(2, 1) + n(0, 3);
        T q0 = t0 * t0, q1 = t1 * t1;
        T n4 = four * n(1, 1);
        T s = n(2, 0) + n(0, 2), d = n(2, 0) - n(0, 2);
        hu[0] = s;
        hu[1] = d * d + n4 * n(1, 1);
        hu[3] = q0 + q1;
        hu[5] = d * (q0 - q1) + n4 * t0 * t1;
        t0 *= q0 - three * q1;
        t1 *= three * q0 - q1;
        q0 = n(3, 0) - three * n(1, 2);
        q1 = three * n(2, 1) - n(0, 3);
        hu[2] = q0 * q0 + q1 * q1;
        hu[4] = q0 * t0 + q1 * t1;
        hu[6] = q1 * t0 - q0 * t1;
        return hu;
    }

    /// <summary>The moments in the image's float type (_supported_float_type: float32 stays float32).</summary>
    private static HostArray AsMomentType(HostArray image, double[] moments, int rank, int order)
    {
        var result = HostArray.Create(moments, Enumerable.Repeat(order + 1, rank).ToArray());
        return image is HostArray<float> ? result.AsType(DType.Float32) : result;
    }

    /// <summary>centroid: the first moments over the zeroth.</summary>
    private static double[] CentroidOf(HostArray image)
    {
        int rank = image.Rank;
        var m = MomentsAbout(image, new double[rank], 1);
        var center = new double[rank];
        for (int a = 0; a < rank; a++) center[a] = m[1L << (rank - 1 - a)] / m[0];
        return center;
    }

    /// <summary>The inertia tensor from central moments of order 2 (a (3, ..., 3) array, flat).</summary>
    private static double[,] TensorOf(double[] mu, int rank)
    {
        long Flat(Span<int> powers)
        {
            long at = 0;
            foreach (var p in powers) at = at * 3 + p;
            return at;
        }
        Span<int> powers = stackalloc int[rank];
        double mu0 = mu[0], trace = 0;
        var second = new double[rank];
        for (int a = 0; a < rank; a++)
        {
            powers.Clear();
            powers[a] = 2;
            second[a] = mu[Flat(powers)];
            trace += second[a];
        }
        var tensor = new double[rank, rank];
        for (int a = 0; a < rank; a++)
        {
            tensor[a, a] = (trace - second[a]) / mu0;
            for (int b = a + 1; b < rank; b++)
            {
                powers.Clear();
                powers[a] = 1;
                powers[b] = 1;
                tensor[a, b] = tensor[b, a] = -mu[Flat(powers)] / mu0;
            }
        }
        return tensor;
    }

    /// <summary>
    /// The moments about <paramref name="center"/> up to <paramref name="order"/>, flat over (order + 1)^rank: the image
    /// contracted with (coordinate - centre)^p along axis 0, then axis 1, and so on, each sum over the coordinate in
    /// increasing order (so the bands, cut across the other axes, do not change a bit).
    /// </summary>
    private static double[] MomentsAbout(HostArray image, double[] center, int order)
    {
        var shape = image.Shape.ToArray();
        var calc = (double[])image.AsType(DType.Float64).ToFlatArray();
        int q = order + 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            int n = shape[axis];
            var powers = new double[n * q];
            for (int k = 0; k < n; k++)
                for (int p = 0; p < q; p++) powers[k * q + p] = Math.Pow(k - center[axis], p);
            long outer = 1, inner = 1;
            for (int a = 0; a < axis; a++) outer *= shape[a];
            for (int a = axis + 1; a < shape.Length; a++) inner *= shape[a];
            var next = new double[outer * q * inner];
            var source = calc;
            Bands.ForLines(outer, inner, (o, from, to) => Contract(source, next, powers, o, n, q, inner, from, to));
            calc = next;
            shape[axis] = q;
        }
        return calc;
    }

    /// <summary>next[o, p, i] = sum over k of source[o, k, i] powers[k, p], for i in [from, to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Contract(double[] source, double[] next, double[] powers, long o, int n, int q, long inner, long from, long to)
    {
        int width = (int)(to - from);
        for (int k = 0; k < n; k++)
        {
            var line = source.AsSpan((int)((o * n + k) * inner + from), width);
            for (int p = 0; p < q; p++)
            {
                double w = powers[k * q + p];
                var target = next.AsSpan((int)((o * q + p) * inner + from), width);
                if (k == 0) for (int i = 0; i < width; i++) target[i] = line[i] * w;
                else for (int i = 0; i < width; i++) target[i] += line[i] * w;
            }
        }
    }
}
