using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;
using Scoped.Image.Primitives;

namespace Scoped.Image;

public static partial class Filters
{
    public static partial class Methods
    {
        // Reach: a 3 x ... x 3 operator on every axis (laplace's ksize shapes nothing, as in scikit-image).
        internal static int[] EdgeReach(DispatchCall call) => Enumerable.Repeat(1, call.Argument<NDArray>(0).Rank).ToArray();
    }

    // The kernels take arrays; the numbers are Primitives.Weights' (public: every backend uses the same).
    internal static readonly double[] SobelSmooth = Weights.SobelSmooth.ToArray();
    internal static readonly double[] ScharrSmooth = Weights.ScharrSmooth.ToArray();
    internal static readonly double[] PrewittSmooth = Weights.PrewittSmooth.ToArray();
    internal static readonly double[] EdgeDerivative = Weights.EdgeDerivative.ToArray();

    /// <summary>
    /// skimage.filters.sobel: the Sobel edge magnitude sqrt(h^2 + v^2) / sqrt(2), or with <paramref name="axis"/> the
    /// signed derivative along that axis (axis 0 = sobel_h, axis 1 = sobel_v). Integer and bool images are converted
    /// with img_as_float (float64 out); float32 stays float32.
    /// </summary>
    /// <param name="image">2-D image.</param>
    /// <param name="mask">Optional bool/uint8 mask of the image's shape: the result is zeroed outside the mask eroded by a 3x3 square (and on the image border).</param>
    /// <param name="axis">Null for the magnitude, or 0 / 1 for one signed derivative.</param>
    /// <param name="mode">Edge handling (scikit-image's default: reflect, half-sample symmetric).</param>
    /// <param name="cval">Accepted as in scikit-image 0.19, which does not pass it on: <see cref="BoundaryMode.Constant"/> pads with 0.</param>
    public static NDArray Sobel(NDArray image, NDArray? mask = null, int? axis = null, BoundaryMode mode = BoundaryMode.Reflect, double cval = 0)
    {
        CheckEdgeArguments(image, mask, axis, cval);
        return Methods.Sobel.Invoke(image, mask, axis, mode, cval);
    }

    /// <summary>skimage.filters.sobel_h: horizontal edges, kernel [[1,2,1],[0,0,0],[-1,-2,-1]] / 4 (reflect mode).</summary>
    /// <param name="image">2-D image.</param>
    /// <param name="mask">Optional mask (see <see cref="Sobel"/>).</param>
    public static NDArray SobelH(NDArray image, NDArray? mask = null) { CheckPlanarEdge(image, mask, "sobel_h"); return Methods.SobelH.Invoke(image, mask); }

    /// <summary>skimage.filters.sobel_v: vertical edges, kernel [[1,0,-1],[2,0,-2],[1,0,-1]] / 4 (reflect mode).</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray SobelV(NDArray image, NDArray? mask = null) { CheckPlanarEdge(image, mask, "sobel_v"); return Methods.SobelV.Invoke(image, mask); }

    /// <summary>skimage.filters.scharr: the Scharr edge magnitude (smoothing [3, 10, 3] / 16); see <see cref="Sobel"/>.</summary>
    /// <inheritdoc cref="Sobel"/>
    public static NDArray Scharr(NDArray image, NDArray? mask = null, int? axis = null, BoundaryMode mode = BoundaryMode.Reflect, double cval = 0)
    {
        CheckEdgeArguments(image, mask, axis, cval);
        return Methods.Scharr.Invoke(image, mask, axis, mode, cval);
    }

    /// <summary>skimage.filters.scharr_h: horizontal edges, kernel [[3,10,3],[0,0,0],[-3,-10,-3]] / 16.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray ScharrH(NDArray image, NDArray? mask = null) { CheckPlanarEdge(image, mask, "scharr_h"); return Methods.ScharrH.Invoke(image, mask); }

    /// <summary>skimage.filters.scharr_v: vertical edges, kernel [[3,0,-3],[10,0,-10],[3,0,-3]] / 16.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray ScharrV(NDArray image, NDArray? mask = null) { CheckPlanarEdge(image, mask, "scharr_v"); return Methods.ScharrV.Invoke(image, mask); }

    /// <summary>skimage.filters.prewitt: the Prewitt edge magnitude (smoothing [1, 1, 1] / 3); see <see cref="Sobel"/>.</summary>
    /// <inheritdoc cref="Sobel"/>
    public static NDArray Prewitt(NDArray image, NDArray? mask = null, int? axis = null, BoundaryMode mode = BoundaryMode.Reflect, double cval = 0)
    {
        CheckEdgeArguments(image, mask, axis, cval);
        return Methods.Prewitt.Invoke(image, mask, axis, mode, cval);
    }

    /// <summary>skimage.filters.prewitt_h: horizontal edges, kernel [[1,1,1],[0,0,0],[-1,-1,-1]] / 3.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray PrewittH(NDArray image, NDArray? mask = null) { CheckPlanarEdge(image, mask, "prewitt_h"); return Methods.PrewittH.Invoke(image, mask); }

    /// <summary>skimage.filters.prewitt_v: vertical edges, kernel [[1,0,-1],[1,0,-1],[1,0,-1]] / 3.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray PrewittV(NDArray image, NDArray? mask = null) { CheckPlanarEdge(image, mask, "prewitt_v"); return Methods.PrewittV.Invoke(image, mask); }

    /// <summary>
    /// skimage.filters.laplace: convolution with the discrete Laplacian [[0,-1,0],[-1,4,-1],[0,-1,0]] (reflect mode).
    /// As in scikit-image, <paramref name="ksize"/> only shapes the transfer function and does not change the result.
    /// </summary>
    /// <param name="image">2-D image; integers give float64 (img_as_float), float32 stays float32.</param>
    /// <param name="ksize">Operator size, &gt;= 3.</param>
    /// <param name="mask">Optional mask (see <see cref="Sobel"/>).</param>
    public static NDArray Laplace(NDArray image, int ksize = 3, NDArray? mask = null)
    {
        CheckEdgeArguments(image, mask, null, 0);
        if (ksize < 3) throw new ArgumentException($"ksize must be >= 3; got {ksize}.", nameof(ksize));
        Guard.OutputShape([ksize, ksize], nameof(ksize), "a Laplace operator");
        return Methods.Laplace.Invoke(image, ksize, mask);
    }

    private static void CheckEdgeArguments(NDArray image, NDArray? mask, int? axis, double cval)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        if (mask is not null)
        {
            Guard.SameShape(image, nameof(image), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool, DType.UInt8);
        }
        int rank = image.Rank;
        if (axis is { } a && (a < -rank || a >= rank))
            throw new ArgumentException($"axis must be an axis of the {rank}-D image ({-rank}..{rank - 1}), or null for the magnitude; got {a}.", nameof(axis));
        Guard.Finite(cval, nameof(cval));
    }

    /// <summary>The one-direction filters stay 2-D, as in scikit-image 0.19.</summary>
    private static void CheckPlanarEdge(NDArray image, NDArray? mask, string function)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Rank != 2)
            throw new ArgumentException($"{function} is 2-D in scikit-image 0.19; image has shape {image.ShapeText}. For other ranks use {function[..^2]}(image, axis: n).", nameof(image));
        CheckEdgeArguments(image, mask, null, 0);
    }

    // The defaults: the magnitude filters take mode and axis; the one-direction ones are the reflect-mode derivative
    // along axis 0 (_h) or 1 (_v).
    [Function(Domains.Filters + ":sobel", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "EdgeFunction", MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray SobelCpu(NDArray image, NDArray? mask, int? axis, BoundaryMode mode, double cval) => EdgeCpu(image, mask, axis, mode, SobelSmooth);
    [Function(Domains.Filters + ":scharr", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "EdgeFunction", MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ScharrCpu(NDArray image, NDArray? mask, int? axis, BoundaryMode mode, double cval) => EdgeCpu(image, mask, axis, mode, ScharrSmooth);
    [Function(Domains.Filters + ":prewitt", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "EdgeFunction", MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray PrewittCpu(NDArray image, NDArray? mask, int? axis, BoundaryMode mode, double cval) => EdgeCpu(image, mask, axis, mode, PrewittSmooth);
    [Function(Domains.Filters + ":sobel_h", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "DirectionalEdgeFunction")]
    private static NDArray SobelHCpu(NDArray image, NDArray? mask) => EdgeCpu(image, mask, 0, BoundaryMode.Reflect, SobelSmooth);
    [Function(Domains.Filters + ":sobel_v", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "DirectionalEdgeFunction")]
    private static NDArray SobelVCpu(NDArray image, NDArray? mask) => EdgeCpu(image, mask, 1, BoundaryMode.Reflect, SobelSmooth);
    [Function(Domains.Filters + ":scharr_h", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "DirectionalEdgeFunction")]
    private static NDArray ScharrHCpu(NDArray image, NDArray? mask) => EdgeCpu(image, mask, 0, BoundaryMode.Reflect, ScharrSmooth);
    [Function(Domains.Filters + ":scharr_v", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "DirectionalEdgeFunction")]
    private static NDArray ScharrVCpu(NDArray image, NDArray? mask) => EdgeCpu(image, mask, 1, BoundaryMode.Reflect, ScharrSmooth);
    [Function(Domains.Filters + ":prewitt_h", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "DirectionalEdgeFunction")]
    private static NDArray PrewittHCpu(NDArray image, NDArray? mask) => EdgeCpu(image, mask, 0, BoundaryMode.Reflect, PrewittSmooth);
    [Function(Domains.Filters + ":prewitt_v", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "DirectionalEdgeFunction")]
    private static NDArray PrewittVCpu(NDArray image, NDArray? mask) => EdgeCpu(image, mask, 1, BoundaryMode.Reflect, PrewittSmooth);

    private static NDArray EdgeCpu(NDArray image, NDArray? mask, int? axis, BoundaryMode mode, double[] smooth)
    {
        var floats = FloatImages.ToFloat(Guard.Host(image, nameof(image)));
        var hostMask = mask is null ? null : Guard.Host(mask, nameof(mask));
        return floats switch
        {
            HostArray<float> f => Edge(f, hostMask, axis, mode, smooth),
            HostArray<double> d => Edge(d, hostMask, axis, mode, smooth),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static HostArray<T> Edge<T>(HostArray<T> image, HostArray? mask, int? axis, BoundaryMode mode, double[] smooth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (image.Rank != 2) return EdgeVolume(image, mask, axis, mode, smooth);
        int height = image.Shape[0], width = image.Shape[1];
        var result = HostArray<T>.Allocate(height, width);
        var src = image.Rows();
        if (axis is { } a)
        {
            bool rows = a is 0 or -2;
            Separable.Correlate(src, result.Rows(), rows ? EdgeDerivative : smooth, rows ? smooth : EdgeDerivative, mode, T.Zero);
        }
        else
        {
            // Both derivatives and the magnitude in one fused pass over the rows.
            Gradient.Magnitude(src, result.Rows(), smooth, mode);
        }
        if (mask is not null) ApplyErodedMask(result, mask);
        return result;
    }

    /// <summary>
    /// scikit-image's _generic_edge_filter in N-D: along each edge axis the derivative, smoothed on every other axis
    /// (one separable pass per axis, where scikit-image convolves with the full outer product); the magnitude is
    /// sqrt(sum of squares) / sqrt(ndim), squares added in axis order as scikit-image adds them.
    /// </summary>
    private static HostArray<T> EdgeVolume<T>(HostArray<T> image, HostArray? mask, int? axis, BoundaryMode mode, double[] smooth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = image.Dense();
        int rank = dense.Rank;
        var shape = dense.Shape.ToArray();
        double[][] WeightsFor(int edge) => Enumerable.Range(0, rank).Select(a => a == edge ? EdgeDerivative : smooth).ToArray();
        HostArray<T> result;
        if (axis is { } one) result = Separable.CorrelateAxes(dense, shape, 1, WeightsFor(one < 0 ? one + rank : one), mode, T.Zero);
        else if (rank == 3 && smooth.Length == 3)
        {
            // A volume: the fused plane-by-plane kernel (no full-size intermediates).
            result = HostArray<T>.Allocate(shape);
            Gradient.Magnitude3D(dense.RowsOf(shape[0] * shape[1], shape[2], 1), result.RowsOf(shape[0] * shape[1], shape[2], 1), shape[0], shape[1], smooth, mode);
        }
        else
        {
            result = HostArray<T>.Allocate(shape);
            var sum = result.Lines();
            for (int edge = 0; edge < rank; edge++)
            {
                var derivative = Separable.CorrelateAxes(dense, shape, 1, WeightsFor(edge), mode, T.Zero).Lines();
                bool first = edge == 0;
                Bands.For(sum.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
                {
                    for (int y = start; y < end; y++)
                    {
                        var d = derivative.Row(y);
                        var s = sum.Row(y);
                        System.Numerics.Tensors.TensorPrimitives.Multiply(d, d, d);
                        if (first) d.CopyTo(s);
                        else System.Numerics.Tensors.TensorPrimitives.Add(s, d, s);
                    }
                });
            }
            T root = T.Sqrt(T.CreateTruncating(rank));
            Bands.For(sum.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int y = start; y < end; y++)
                {
                    var s = sum.Row(y);
                    System.Numerics.Tensors.TensorPrimitives.Sqrt(s, s);
                    System.Numerics.Tensors.TensorPrimitives.Divide(s, root, s);
                }
            });
        }
        if (mask is not null) ApplyErodedMaskVolume(result, mask);
        return result;
    }

    /// <summary>result *= binary_erosion(mask, 3 x ... x 3 cube, border_value=0) in N-D.</summary>
    private static void ApplyErodedMaskVolume<T>(HostArray<T> result, HostArray mask) where T : unmanaged, INumberBase<T>
    {
        var cube = new FlatFootprint(Enumerable.Repeat(3, result.Rank).ToArray(), Enumerable.Repeat(true, (int)Math.Pow(3, result.Rank)).ToArray());
        var bools = ((HostArray<bool>)mask.AsType(DType.Bool)).Dense();
        var eroded = HostArray<bool>.Allocate(bools.Shape.ToArray());
        var centre = Enumerable.Repeat(1, result.Rank).ToArray();
        MinMaxVolume.Filter<byte, MinOp<byte>>(bools.Lines().Reinterpret<byte>(), eroded.Lines().Reinterpret<byte>(), bools.Shape.ToArray(), cube, centre, false, BoundaryMode.Constant, 0);
        var rows = result.Lines();
        var keep = eroded.Lines();
        Bands.For(rows.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var row = rows.Row(y);
                var k = keep.Row(y);
                for (int x = 0; x < row.Length; x++) if (!k[x]) row[x] *= T.Zero;
            }
        });
    }

    /// <summary>result *= binary_erosion(mask, 3x3 square, border_value=0): zero where any 3x3 neighbour is outside the mask or the image.</summary>
    private static void ApplyErodedMask<T>(HostArray<T> result, HostArray mask) where T : unmanaged, INumberBase<T>
    {
        var m = mask.AsType(DType.UInt8) is HostArray<byte> b ? b.ToArray() : throw new InvalidOperationException("unreachable");
        int height = result.Shape[0], width = result.Shape[1];
        var rows = result.Rows();
        // Each output row reads only the mask (an input), so rows can go in bands.
        Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var row = rows.Row(y);
                for (int x = 0; x < width; x++)
                {
                    bool keep = y > 0 && y < height - 1 && x > 0 && x < width - 1;
                    for (int dy = -1; keep && dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                            if (m[(y + dy) * width + x + dx] == 0) { keep = false; break; }
                    if (!keep) row[x] *= T.Zero;
                }
            }
        });
    }

    [Function(Domains.Filters + ":laplace", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray LaplaceCpu(NDArray image, int ksize, NDArray? mask)
    {
        var floats = FloatImages.ToFloat(Guard.Host(image, nameof(image)));
        var hostMask = mask is null ? null : Guard.Host(mask, nameof(mask));
        bool planar = image.Rank == 2;
        NDArray result = floats switch
        {
            HostArray<float> f => planar ? Stencil.Laplace(f) : LaplaceVolume(f),
            HostArray<double> d => planar ? Stencil.Laplace(d) : LaplaceVolume(d),
            _ => throw new InvalidOperationException("unreachable"),
        };
        if (hostMask is not null)
        {
            if (result is HostArray<float> rf) { if (planar) ApplyErodedMask(rf, hostMask); else ApplyErodedMaskVolume(rf, hostMask); }
            else if (planar) ApplyErodedMask((HostArray<double>)result, hostMask);
            else ApplyErodedMaskVolume((HostArray<double>)result, hostMask);
        }
        return result;
    }
}

public static partial class Filters
{
    private static readonly double[] SecondDifference = [-1.0, 2.0, -1.0];

    /// <summary>skimage's laplace in N-D (the operator 2 * ndim at the centre, -1 at each face neighbour, reflect mode)
    /// as the sum of a second difference along each axis.</summary>
    private static HostArray<T> LaplaceVolume<T>(HostArray<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = image.Dense();
        int rank = dense.Rank;
        var shape = dense.Shape.ToArray();
        HostArray<T>? result = null;
        for (int axis = 0; axis < rank; axis++)
        {
            var weights = Enumerable.Range(0, rank).Select(a => a == axis ? SecondDifference : [1.0]).ToArray();
            var along = Separable.CorrelateAxes(dense, shape, 1, weights, BoundaryMode.Reflect, T.Zero);
            if (result is null) { result = along; continue; }
            var s = result.Lines();
            var d = along.Lines();
            Bands.For(s.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int y = start; y < end; y++) System.Numerics.Tensors.TensorPrimitives.Add<T>(s.Row(y), d.Row(y), s.Row(y));
            });
        }
        return result!;
    }
}
