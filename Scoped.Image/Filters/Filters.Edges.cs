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
        // Reach: a 3x3 operator (laplace's ksize shapes nothing, as in scikit-image).
        internal static int[] EdgeReach(DispatchCall call) => [1, 1];
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
    public static NDArray SobelH(NDArray image, NDArray? mask = null) { CheckEdgeArguments(image, mask, 0, 0); return Methods.SobelH.Invoke(image, mask); }

    /// <summary>skimage.filters.sobel_v: vertical edges, kernel [[1,0,-1],[2,0,-2],[1,0,-1]] / 4 (reflect mode).</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray SobelV(NDArray image, NDArray? mask = null) { CheckEdgeArguments(image, mask, 1, 0); return Methods.SobelV.Invoke(image, mask); }

    /// <summary>skimage.filters.scharr: the Scharr edge magnitude (smoothing [3, 10, 3] / 16); see <see cref="Sobel"/>.</summary>
    /// <inheritdoc cref="Sobel"/>
    public static NDArray Scharr(NDArray image, NDArray? mask = null, int? axis = null, BoundaryMode mode = BoundaryMode.Reflect, double cval = 0)
    {
        CheckEdgeArguments(image, mask, axis, cval);
        return Methods.Scharr.Invoke(image, mask, axis, mode, cval);
    }

    /// <summary>skimage.filters.scharr_h: horizontal edges, kernel [[3,10,3],[0,0,0],[-3,-10,-3]] / 16.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray ScharrH(NDArray image, NDArray? mask = null) { CheckEdgeArguments(image, mask, 0, 0); return Methods.ScharrH.Invoke(image, mask); }

    /// <summary>skimage.filters.scharr_v: vertical edges, kernel [[3,0,-3],[10,0,-10],[3,0,-3]] / 16.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray ScharrV(NDArray image, NDArray? mask = null) { CheckEdgeArguments(image, mask, 1, 0); return Methods.ScharrV.Invoke(image, mask); }

    /// <summary>skimage.filters.prewitt: the Prewitt edge magnitude (smoothing [1, 1, 1] / 3); see <see cref="Sobel"/>.</summary>
    /// <inheritdoc cref="Sobel"/>
    public static NDArray Prewitt(NDArray image, NDArray? mask = null, int? axis = null, BoundaryMode mode = BoundaryMode.Reflect, double cval = 0)
    {
        CheckEdgeArguments(image, mask, axis, cval);
        return Methods.Prewitt.Invoke(image, mask, axis, mode, cval);
    }

    /// <summary>skimage.filters.prewitt_h: horizontal edges, kernel [[1,1,1],[0,0,0],[-1,-1,-1]] / 3.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray PrewittH(NDArray image, NDArray? mask = null) { CheckEdgeArguments(image, mask, 0, 0); return Methods.PrewittH.Invoke(image, mask); }

    /// <summary>skimage.filters.prewitt_v: vertical edges, kernel [[1,0,-1],[1,0,-1],[1,0,-1]] / 3.</summary>
    /// <inheritdoc cref="SobelH"/>
    public static NDArray PrewittV(NDArray image, NDArray? mask = null) { CheckEdgeArguments(image, mask, 1, 0); return Methods.PrewittV.Invoke(image, mask); }

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
        Guard.Image(image, nameof(image), allowChannels: false);
        if (mask is not null)
        {
            Guard.SameShape(image, nameof(image), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool, DType.UInt8);
        }
        if (axis is not null and not (0 or 1 or -1 or -2))
            throw new ArgumentException($"axis must be 0 or 1 (or -2 / -1) for a 2-D image, or null for the magnitude; got {axis}.", nameof(axis));
        Guard.Finite(cval, nameof(cval));
    }

    // The defaults: the magnitude filters take mode and axis; the one-direction ones are the reflect-mode derivative
    // along axis 0 (_h) or 1 (_v).
    [Function(Domains.Filters + ":sobel", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "EdgeFunction")]
    private static NDArray SobelCpu(NDArray image, NDArray? mask, int? axis, BoundaryMode mode, double cval) => EdgeCpu(image, mask, axis, mode, SobelSmooth);
    [Function(Domains.Filters + ":scharr", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "EdgeFunction")]
    private static NDArray ScharrCpu(NDArray image, NDArray? mask, int? axis, BoundaryMode mode, double cval) => EdgeCpu(image, mask, axis, mode, ScharrSmooth);
    [Function(Domains.Filters + ":prewitt", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach), Signature = "EdgeFunction")]
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

    [Function(Domains.Filters + ":laplace", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.EdgeReach))]
    private static NDArray LaplaceCpu(NDArray image, int ksize, NDArray? mask)
    {
        var floats = FloatImages.ToFloat(Guard.Host(image, nameof(image)));
        var hostMask = mask is null ? null : Guard.Host(mask, nameof(mask));
        NDArray result = floats switch
        {
            HostArray<float> f => Stencil.Laplace(f),
            HostArray<double> d => Stencil.Laplace(d),
            _ => throw new InvalidOperationException("unreachable"),
        };
        if (hostMask is not null)
        {
            if (result is HostArray<float> rf) ApplyErodedMask(rf, hostMask);
            else ApplyErodedMask((HostArray<double>)result, hostMask);
        }
        return result;
    }
}
