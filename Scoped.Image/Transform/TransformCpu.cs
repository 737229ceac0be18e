using Scoped.Image.Primitives;
using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

public static partial class Transform
{
    [Function(Domains.Transform + ":resize", FunctionKind.Geometric, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ResizeCpu(NDArray image, int[] outputShape, int? order, BoundaryMode mode, double cval, bool clip,
        bool preserveRange, bool? antiAliasing, double[]? antiAliasingSigma)
    {
        var host = Guard.Host(image, nameof(image));
        int ord = order ?? (host.DType == DType.Bool ? 0 : 1);
        HostArray work = ord > 0 ? FloatImages.ToFloat(host, preserveRange) : host;
        if (host.Rank > 3 || (host.Rank == 3 && outputShape[2] != host.Shape[2]))
            return ResizeVolume(host, work, outputShape, ord, mode, cval, clip, antiAliasing, antiAliasingSigma);
        var (py, px) = ResizePlan(host, outputShape, ord, mode, antiAliasing, antiAliasingSigma, work.DType.IsFloat());
        return work switch
        {
            HostArray<float> f => ResizeFloat(f, outputShape, py, px, mode, cval, clip),
            HostArray<double> d => ResizeFloat(d, outputShape, py, px, mode, cval, clip),
            HostArray<byte> u8 => ResizeNearest(u8, outputShape, py, px, mode, cval, clip),
            HostArray<ushort> u16 => ResizeNearest(u16, outputShape, py, px, mode, cval, clip),
            HostArray<int> i32 => ResizeNearest(i32, outputShape, py, px, mode, cval, clip),
            HostArray<bool> b => ResizeNearest(b, outputShape, py, px, mode, cval, false),
            _ => throw new ArgumentException($"Unsupported element type {work.DType}.", nameof(image)),
        };
    }

    /// <summary>
    /// resize's per-axis resampling tables: the anti-aliasing Gaussian (skimage's rule: on when any axis shrinks and
    /// the image is not bool, sigma = max(0, (factor - 1) / 2) per axis unless given) folded into the zoom of the given
    /// order. Shared with backends (the GPU) so they resample with the same numbers.
    /// </summary>
    /// <param name="image">The input (only its shape and dtype are read).</param>
    /// <param name="outputShape">The full output shape.</param>
    /// <param name="order">0 or 1, already defaulted.</param>
    /// <param name="mode">The boundary mode.</param>
    /// <param name="antiAliasing">As passed to resize.</param>
    /// <param name="antiAliasingSigma">As passed to resize.</param>
    /// <param name="floatWork">Whether the resampled values are floats (order 0 keeps integer types).</param>
    internal static (AxisPlan Rows, AxisPlan Cols) ResizePlan(NDArray image, int[] outputShape, int order, BoundaryMode mode,
        bool? antiAliasing, double[]? antiAliasingSigma, bool floatWork)
    {
        bool isBool = image.DType == DType.Bool;
        int rank = image.Rank;
        bool shrinks = false;
        for (int i = 0; i < rank; i++) shrinks |= outputShape[i] < image.Shape[i];
        bool aa = antiAliasing ?? (!isBool && shrinks);
        double[] sigma = new double[rank];
        if (aa)
        {
            for (int i = 0; i < rank; i++)
            {
                double factor = (double)image.Shape[i] / outputShape[i];
                sigma[i] = antiAliasingSigma is null ? Math.Max(0, (factor - 1) / 2)
                    : antiAliasingSigma.Length == 1 ? antiAliasingSigma[0]
                    : i < antiAliasingSigma.Length ? antiAliasingSigma[i] : 0;
            }
            if (rank == 3 && sigma[2] > 1e-15)
                throw new ArgumentException("antiAliasingSigma would smooth across channels (a single sigma applies to every axis in scikit-image); give one sigma per spatial axis.", nameof(antiAliasingSigma));
        }
        bool smooth = aa && (sigma[0] > 1e-15 || sigma[1] > 1e-15);
        if (smooth && !floatWork)
            throw new ArgumentException("order 0 with anti-aliasing is only supported for float images; pass antiAliasing: false.", nameof(antiAliasing));
        var py = AxisPlan.Create(image.Shape[0], outputShape[0], smooth && sigma[0] > 1e-15 ? Separable.GaussianWeights(sigma[0], 4.0) : null, mode, order, mode);
        var px = AxisPlan.Create(image.Shape[1], outputShape[1], smooth && sigma[1] > 1e-15 ? Separable.GaussianWeights(sigma[1], 4.0) : null, mode, order, mode);
        return (py, px);
    }

    private static HostArray<T> ResizeFloat<T>(HostArray<T> image, int[] outputShape, AxisPlan py, AxisPlan px, BoundaryMode mode, double cval, bool clip)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = HostArray<T>.Allocate(outputShape);
        var src = image.Rows();
        var dst = result.Rows();
        if (src.Channels == 1 && !py.HasConstant && !px.HasConstant && py.OutLength < py.InLength && px.OutLength < px.InLength)
        {
            Resample.Shrink(src, dst, py, px, clip);
            return result;
        }
        Resample.Apply(src, dst, py, px, T.CreateTruncating(cval));
        if (clip) ClipWarpOutput(image, result, mode == BoundaryMode.Constant, cval, ignoreNaN: false);
        return result;
    }

    private static HostArray<T> ResizeNearest<T>(HostArray<T> image, int[] outputShape, AxisPlan py, AxisPlan px, BoundaryMode mode, double cval, bool clip)
        where T : unmanaged
    {
        var result = HostArray<T>.Allocate(outputShape);
        Resample.Nearest(image.Rows(), result.Rows(), py, px, CvalAs<T>(cval));
        if (clip) ClipWarpOutput(image, result, mode == BoundaryMode.Constant, cval, ignoreNaN: false);
        return result;
    }

    [Function(Domains.Transform + ":rotate", FunctionKind.Geometric, RunsInBands = true)]
    private static NDArray RotateCpu(NDArray image, double angle, bool resize, double[]? center, int? order, BoundaryMode mode,
        double cval, bool clip, bool preserveRange)
    {
        var (m, shape) = RotateMatrix(image.Shape[0], image.Shape[1], angle, resize, center);
        return WarpCpu(image, m, shape, order, mode, cval, clip, preserveRange);
    }

    /// <summary>rotate's inverse map (scikit-image's SimilarityTransform about the centre, shifted by the new corner with
    /// <paramref name="resize"/>) and the output (rows, cols), or null for the input's. Shared with backends.</summary>
    /// <param name="rows">Input rows.</param>
    /// <param name="cols">Input columns.</param>
    /// <param name="angle">Degrees, counter-clockwise.</param>
    /// <param name="resize">Enlarge the output to hold the rotated image.</param>
    /// <param name="center">(col, row), or null for the image centre.</param>
    internal static (double[] Matrix, int[]? Shape) RotateMatrix(int rows, int cols, double angle, bool resize, double[]? center)
    {
        double cx = center is null ? cols / 2.0 - 0.5 : center[0];
        double cy = center is null ? rows / 2.0 - 0.5 : center[1];
        // scikit-image: SimilarityTransform(translation=-c) + rotation + translation=c, i.e. T(c) @ R @ T(-c).
        double theta = angle * (Math.PI / 180.0);
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double[] t3 = [1, 0, -cx, 0, 1, -cy, 0, 0, 1];
        double[] r = [cos, -sin, 0, sin, cos, 0, 0, 0, 1];
        double[] t1 = [1, 0, cx, 0, 1, cy, 0, 0, 1];
        double[] m = Multiply(t1, Multiply(r, t3));
        int[]? shape = null;
        if (resize)
        {
            var inv = Inverse(m);
            double[] xs = [0, 0, cols - 1, cols - 1], ys = [0, rows - 1, rows - 1, 0];
            double minc = double.PositiveInfinity, minr = double.PositiveInfinity, maxc = double.NegativeInfinity, maxr = double.NegativeInfinity;
            for (int i = 0; i < 4; i++)
            {
                double x = xs[i] * inv[0] + ys[i] * inv[1] + inv[2];
                double y = xs[i] * inv[3] + ys[i] * inv[4] + inv[5];
                double z = xs[i] * inv[6] + ys[i] * inv[7] + inv[8];
                x /= z; y /= z;
                minc = Math.Min(minc, x); maxc = Math.Max(maxc, x);
                minr = Math.Min(minr, y); maxr = Math.Max(maxr, y);
            }
            shape = [(int)Math.Round(maxr - minr + 1, MidpointRounding.ToEven), (int)Math.Round(maxc - minc + 1, MidpointRounding.ToEven)];
            double[] t4 = [1, 0, minc, 0, 1, minr, 0, 0, 1];
            m = Multiply(m, t4);
        }
        m[6] = 0; m[7] = 0; m[8] = 1;
        return (m, shape);
    }

    [Function(Domains.Transform + ":warp", FunctionKind.Geometric, RunsInBands = true)]
    private static NDArray WarpCpu(NDArray image, double[] inverseMap, int[]? outputShape, int? order, BoundaryMode mode,
        double cval, bool clip, bool preserveRange)
    {
        var host = Guard.Host(image, nameof(image));
        int ord = order ?? (host.DType == DType.Bool ? 0 : 1);
        var shape = host.Shape.ToArray();
        if (outputShape is not null) { shape[0] = outputShape[0]; shape[1] = outputShape[1]; }
        HostArray work = ord > 0 ? FloatImages.ToFloat(host, preserveRange) : host;
        return work switch
        {
            HostArray<float> f => WarpFloat(f, inverseMap, shape, ord, mode, cval, clip),
            HostArray<double> d => WarpFloat(d, inverseMap, shape, ord, mode, cval, clip),
            HostArray<byte> u8 => WarpNearest(u8, inverseMap, shape, mode, cval, clip),
            HostArray<ushort> u16 => WarpNearest(u16, inverseMap, shape, mode, cval, clip),
            HostArray<int> i32 => WarpNearest(i32, inverseMap, shape, mode, cval, clip),
            HostArray<bool> b => WarpNearest(b, inverseMap, shape, mode, cval, false),
            _ => throw new ArgumentException($"Unsupported element type {work.DType}.", nameof(image)),
        };
    }

    private static HostArray<T> WarpFloat<T>(HostArray<T> image, double[] matrix, int[] shape, int order, BoundaryMode mode, double cval, bool clip)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (order == 0) return WarpNearest(image, matrix, shape, mode, cval, clip);
        var result = HostArray<T>.Allocate(shape);
        AffineWarp.Linear(image.Rows(), result.Rows(), Resample.ToT<T>(matrix), mode, T.CreateTruncating(cval));
        if (clip) ClipWarpOutput(image, result, mode == BoundaryMode.Constant, cval, ignoreNaN: true);
        return result;
    }

    private static HostArray<T> WarpNearest<T>(HostArray<T> image, double[] matrix, int[] shape, BoundaryMode mode, double cval, bool clip)
        where T : unmanaged
    {
        var result = HostArray<T>.Allocate(shape);
        AffineWarp.Nearest(image.Rows(), result.Rows(), matrix, mode, CvalAs<T>(cval));
        if (clip) ClipWarpOutput(image, result, mode == BoundaryMode.Constant, cval, ignoreNaN: true);
        return result;
    }

    [Function(Domains.Transform + ":pyramid_reduce", FunctionKind.Geometric, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray PyramidReduceCpu(NDArray image, double downscale, double? sigma, int order, BoundaryMode mode,
        double cval, bool preserveRange, int? channelAxis)
    {
        var work = FloatImages.ToFloat(Guard.Host(image, nameof(image)), preserveRange);
        var shape = work.Shape.ToArray();
        // Every axis but the channel axis shrinks to ceil(n / downscale). Before 2-D+channels images reached every
        // rank, a 3-D image without a channel axis was refused; it is now a volume, as in scikit-image.
        var outShape = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++) outShape[i] = i == channelAxis ? shape[i] : (int)Math.Ceiling(shape[i] / downscale);
        double s = sigma ?? 2 * downscale / 6.0;
        // scikit-image hands its mode name to ndimage's gaussian unchanged: 'reflect' is ndimage's half-sample reflect there.
        var smoothMode = mode == BoundaryMode.Mirror ? BoundaryMode.Reflect : mode;
        var weights = Enumerable.Repeat(Separable.GaussianWeights(s, 4.0), shape.Length - (channelAxis is null ? 0 : 1)).ToArray();
        HostArray smoothed = work switch
        {
            HostArray<float> f => Filters.Correlate(f, weights, channelAxis, smoothMode, (float)cval),
            HostArray<double> d => Filters.Correlate(d, weights, channelAxis, smoothMode, cval),
            _ => throw new InvalidOperationException("unreachable"),
        };
        return ResizeCpu(smoothed, outShape, order, mode, cval, true, false, false, null);
    }

    /// <summary>
    /// scikit-image's _clip_warp_output: clip to the input's [min, max]; in constant mode, a cval outside that range
    /// that lies within the output's range widens it. warp and rotate pass the image itself, so NaN in it is ignored
    /// (nanmin/nanmax, <paramref name="ignoreNaN"/>); resize passes [image.min(), image.max()], which NaN in the image
    /// makes NaN, and np.clip to NaN bounds leaves every value as it is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ClipWarpOutput<T>(HostArray<T> input, HostArray<T> output, bool constantMode, double cval, bool ignoreNaN) where T : unmanaged
    {
        var (min, max, inputHasNaN) = ClipRange(input, ignoreNaN);
        if (double.IsNaN(min)) return;
        if (constantMode && !(min <= cval && cval <= max))
        {
            // np.min/np.max of the output, or nanmin/nanmax when the input had NaN (scikit-image picks them together)
            var (omin, omax, _) = ClipRange(output, ignoreNaN: inputHasNaN);
            if (omin <= cval && cval <= omax)
            {
                double c = Elements.ToDouble(CvalAsInputType<T>(cval));
                min = Math.Min(min, c); max = Math.Max(max, c);
            }
        }
        var rows = output.Flat();
        T lo = Elements.From<T>(min), hi = Elements.From<T>(max);
        // Pointwise, in place: each band clips only its own rows.
        Bands.For(rows.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var row = rows.Row(y);
                if (typeof(T) == typeof(float)) Resample.ClipRow(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(row), (float)min, (float)max);
                else if (typeof(T) == typeof(double)) Resample.ClipRow(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(row), min, max);
                else
                    for (int i = 0; i < row.Length; i++)
                    {
                        double v = Elements.ToDouble(row[i]);
                        if (v < min) row[i] = lo;
                        else if (v > max) row[i] = hi;
                    }
            }
        });
    }

    /// <summary>The range np.min/np.max give (NaN when the image holds NaN), or with <paramref name="ignoreNaN"/> the
    /// nanmin/nanmax range; and whether the image holds NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Min, double Max, bool HasNaN) ClipRange<T>(HostArray<T> image, bool ignoreNaN) where T : unmanaged
    {
        var rows = image.Flat();
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            // Per-row extrema combined with Math.Min/Max, which are exact, commutative and associative (NaN
            // propagates, -0 < +0): per-band partials merged give the same result for any cut.
            int count = Bands.Count(rows.Height);
            var partials = new (double Min, double Max)[count];
            Bands.For(rows.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                for (int y = start; y < end; y++)
                {
                    var row = rows.Row(y);
                    if (typeof(T) == typeof(float))
                    {
                        var (rowMin, rowMax) = Extrema.Of<float, NaNPropagates<float>>(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(row));
                        min = Math.Min(min, rowMin);
                        max = Math.Max(max, rowMax);
                    }
                    else
                    {
                        var (rowMin, rowMax) = Extrema.Of<double, NaNPropagates<double>>(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(row));
                        min = Math.Min(min, rowMin);
                        max = Math.Max(max, rowMax);
                    }
                }
                partials[band] = (min, max);
            });
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (var (min, max) in partials) { lo = Math.Min(lo, min); hi = Math.Max(hi, max); }
            if (!double.IsNaN(lo)) return (lo, hi, false);
            if (!ignoreNaN) return (double.NaN, double.NaN, true);
            var (nanMin, nanMax) = NanMinMaxScalar(image);
            return (nanMin, nanMax, true);
        }
        var (intMin, intMax) = NanMinMaxScalar(image);
        return (intMin, intMax, false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Min, double Max) NanMinMaxScalar<T>(HostArray<T> image) where T : unmanaged
    {
        var rows = image.Rows();
        // Per-band partials merged in band order with the same strict comparisons: the first extreme value in raster
        // order wins ties (-0 against +0) as in one pass, so any cut gives the same result.
        int count = Bands.Count(rows.Height);
        var partials = new (double Min, double Max)[count];
        Bands.For(rows.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int y = start; y < end; y++)
                foreach (var e in rows.Row(y))
                {
                    double v = Elements.ToDouble(e);
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
            partials[band] = (min, max);
        });
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var (min, max) in partials)
        {
            if (min < lo) lo = min;
            if (max > hi) hi = max;
        }
        if (lo > hi) return (double.NaN, double.NaN);
        return (lo, hi);
    }

    /// <summary>cval as the input's dtype.type(cval) (NumPy: floats truncate toward zero for integer types).</summary>
    private static T CvalAsInputType<T>(double cval) where T : unmanaged => Elements.From<T>(cval);

    /// <summary>cval as ndimage writes it into an output of type T: integers rounded half away from zero and clamped, bool truncated then non-zero.</summary>
    private static T CvalAs<T>(double cval) where T : unmanaged
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) return Elements.From<T>(cval);
        // ndimage's C cast of a double to npy_bool truncates first: 0.7 is False, -3 and 2.6 are True.
        if (typeof(T) == typeof(bool)) return Elements.From<T>(Math.Truncate(cval));
        double r = cval > 0 ? cval + 0.5 : typeof(T) == typeof(int) ? cval - 0.5 : 0;
        return Elements.From<T>(r);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Multiply(double[] a, double[] b)
    {
        var c = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
        return c;
    }

    private static double[] Inverse(double[] m)
    {
        double det = Determinant(m);
        return
        [
            (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
            (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
            (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
        ];
    }
}

// resize of volumes and higher ranks: one resampling pass per axis (Resample.Axis over slabs), the last axis
// through the 2-D kernels' horizontal pass; 2-D images and (rows, cols, channels) keep the fused 2-D path.
public static partial class Transform
{
    /// <summary>scikit-image's per-axis anti-aliasing sigma folded into a zoom plan for every axis (see <see cref="ResizePlan"/>).</summary>
    private static AxisPlan[] VolumePlans(NDArray image, int[] outputShape, int order, BoundaryMode mode, bool? antiAliasing, double[]? antiAliasingSigma, bool floatWork)
    {
        int rank = image.Rank;
        bool shrinks = false;
        for (int i = 0; i < rank; i++) shrinks |= outputShape[i] < image.Shape[i];
        bool aa = antiAliasing ?? (image.DType != DType.Bool && shrinks);
        var plans = new AxisPlan[rank];
        bool smooth = false;
        var sigma = new double[rank];
        for (int i = 0; i < rank && aa; i++)
        {
            double factor = (double)image.Shape[i] / outputShape[i];
            sigma[i] = antiAliasingSigma is null ? Math.Max(0, (factor - 1) / 2)
                : antiAliasingSigma.Length == 1 ? antiAliasingSigma[0] : antiAliasingSigma[i];
            smooth |= sigma[i] > 1e-15;
        }
        if (smooth && !floatWork)
            throw new ArgumentException("order 0 with anti-aliasing is only supported for float images; pass antiAliasing: false.", nameof(antiAliasing));
        for (int i = 0; i < rank; i++)
            plans[i] = AxisPlan.Create(image.Shape[i], outputShape[i], sigma[i] > 1e-15 ? Separable.GaussianWeights(sigma[i], 4.0) : null, mode, order, mode);
        return plans;
    }

    private static HostArray ResizeVolume(HostArray host, HostArray work, int[] outputShape, int order, BoundaryMode mode, double cval, bool clip,
        bool? antiAliasing, double[]? antiAliasingSigma)
    {
        var plans = VolumePlans(host, outputShape, order, mode, antiAliasing, antiAliasingSigma, work.DType.IsFloat());
        return work switch
        {
            HostArray<float> f => ResizeVolume(f, plans, mode, cval, clip, float.CreateTruncating(cval)),
            HostArray<double> d => ResizeVolume(d, plans, mode, cval, clip, cval),
            HostArray<byte> u8 => ResizeVolume(u8, plans, mode, cval, clip, CvalAs<byte>(cval)),
            HostArray<ushort> u16 => ResizeVolume(u16, plans, mode, cval, clip, CvalAs<ushort>(cval)),
            HostArray<int> i32 => ResizeVolume(i32, plans, mode, cval, clip, CvalAs<int>(cval)),
            HostArray<bool> b => ResizeVolume(b, plans, mode, cval, false, CvalAs<bool>(cval)),
            _ => throw new ArgumentException($"Unsupported element type {work.DType}.", "image"),
        };
    }

    private static HostArray<T> ResizeVolume<T>(HostArray<T> image, AxisPlan[] plans, BoundaryMode mode, double cval, bool clip, T cvalT) where T : unmanaged
    {
        var current = image.Dense();
        int rank = plans.Length;
        var shape = current.Shape.ToArray();
        for (int a = 0; a < rank - 1; a++)
        {
            if (plans[a].IsIdentity) continue;
            int outer = 1, inner = 1;
            for (int i = 0; i < a; i++) outer *= shape[i];
            for (int i = a + 1; i < rank; i++) inner *= shape[i];
            var nextShape = (int[])shape.Clone();
            nextShape[a] = plans[a].OutLength;
            var next = HostArray<T>.Allocate(nextShape);
            Resample.Axis(current.RowsOf(outer * shape[a], inner, 1), next.RowsOf(outer * nextShape[a], inner, 1), plans[a], cvalT);
            current = next;
            shape = nextShape;
        }
        var last = plans[rank - 1];
        if (!last.IsIdentity)
        {
            int rows = (int)(current.Size / shape[^1]);
            var outShape = (int[])shape.Clone();
            outShape[^1] = last.OutLength;
            var result = HostArray<T>.Allocate(outShape);
            var identity = AxisPlan.Create(rows, rows, null, mode, 0, mode);
            var from = current.RowsOf(rows, shape[^1], 1);
            var to = result.RowsOf(rows, last.OutLength, 1);
            if (typeof(T) == typeof(float)) Resample.Apply(from.Reinterpret<float>(), to.Reinterpret<float>(), identity, last, (float)cval);
            else if (typeof(T) == typeof(double)) Resample.Apply(from.Reinterpret<double>(), to.Reinterpret<double>(), identity, last, cval);
            else Resample.Nearest(from, to, identity, last, cvalT);
            current = result;
        }
        else if (ReferenceEquals(current, image)) current = new HostArray<T>(image.Tensor.ToDenseTensor());
        if (clip) ClipWarpOutput(image, current, mode == BoundaryMode.Constant, cval, ignoreNaN: false);
        return current;
    }
}
