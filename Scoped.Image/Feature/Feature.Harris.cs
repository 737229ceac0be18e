using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

public static partial class Feature
{
    public static partial class Methods
    {
        // Reach: the derivatives' 3x3, then the structure tensor's Gaussian window.
        internal static int[] CornerHarrisReach(DispatchCall call)
        {
            int r = 1 + Reaches.Gaussian(call.Argument<double>("sigma"), 4.0);
            return [r, r];
        }
    }

    /// <summary>
    /// skimage.feature.corner_harris: the Harris corner response from the structure tensor of scikit-image 0.19
    /// (unnormalised Sobel derivatives and Gaussian window, both with mode constant and cval 0):
    /// det(A) - k trace(A)^2, or 2 det(A) / (trace(A) + eps) with <paramref name="method"/> "eps".
    /// Integer and bool images are converted with img_as_float and give float64; float32 stays float32.
    /// </summary>
    /// <param name="image">2-D (rows, cols); float32, float64, uint8, uint16, int32 or bool.</param>
    /// <param name="method">"k" or "eps".</param>
    /// <param name="k">Sensitivity factor of the "k" method, finite.</param>
    /// <param name="eps">Normalisation factor of the "eps" method, finite.</param>
    /// <param name="sigma">Standard deviation of the Gaussian window, finite and &gt;= 0.</param>
    public static NDArray CornerHarris(NDArray image, string method = "k", double k = 0.05, double eps = 1e-6, double sigma = 1)
    {
        Guard.Image(image, nameof(image), allowChannels: false);
        Guard.DTypeIn(image, nameof(image), DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32, DType.Bool);
        ArgumentNullException.ThrowIfNull(method);
        if (method is not ("k" or "eps")) throw new ArgumentException($"method must be \"k\" or \"eps\"; got \"{method}\".", nameof(method));
        Guard.Finite(k, nameof(k));
        Guard.Finite(eps, nameof(eps));
        Guard.NonNegative(sigma, nameof(sigma));
        Guard.GaussianKernel(sigma, 4.0, nameof(sigma));
        return Methods.CornerHarris.Invoke(image, method, k, eps, sigma);
    }

    [Function(Domains.Feature + ":corner_harris", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.CornerHarrisReach))]
    private static NDArray CornerHarrisCpu(NDArray image, string method, double k, double eps, double sigma) =>
        FloatImages.ToFloat(Guard.Host(image, nameof(image))) switch
        {
            HostArray<float> f => Harris(f, method == "eps", k, eps, sigma),
            HostArray<double> d => Harris(d, method == "eps", k, eps, sigma),
            _ => throw new InvalidOperationException("unreachable"),
        };

    private static HostArray<T> Harris<T>(HostArray<T> image, bool epsMethod, double k, double eps, double sigma)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = image.Shape[0], width = image.Shape[1], n = height * width;
        var (arr, arc, acc) = StructureTensor(image, sigma);
        T kT = T.CreateTruncating(k), epsT = T.CreateTruncating(eps), two = T.CreateTruncating(2);
        var response = GC.AllocateUninitializedArray<T>(n);
        Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int i = start * width; i < end * width; i++)
            {
                T det = arr[i] * acc[i] - arc[i] * arc[i];
                T trace = arr[i] + acc[i];
                response[i] = epsMethod ? two * det / (trace + epsT) : det - kT * (trace * trace);
            }
        });
        return HostArray.Create(response, height, width);
    }

    /// <summary>
    /// skimage.feature.structure_tensor(order='rc') of a float image: Gaussian windows (mode constant, cval 0) of the
    /// products of the ndimage.sobel derivatives along rows and columns (mode constant, cval 0); returns Arr, Arc, Acc.
    /// </summary>
    private static (T[] Arr, T[] Arc, T[] Acc) StructureTensor<T>(HostArray<T> image, double sigma)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = image.Shape[0], width = image.Shape[1], n = height * width;
        var dr = GC.AllocateUninitializedArray<T>(n);
        var dc = GC.AllocateUninitializedArray<T>(n);
        Separable.Correlate(image.Rows(), Dense(dr, height, width).Rows(), Derivative, Smoothing, BoundaryMode.Constant, T.Zero);
        Separable.Correlate(image.Rows(), Dense(dc, height, width).Rows(), Smoothing, Derivative, BoundaryMode.Constant, T.Zero);
        var product = GC.AllocateUninitializedArray<T>(n);
        var weights = Separable.GaussianWeights(sigma, 4.0);
        T[] Window(Func<int, T> value)
        {
            Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) => { for (int i = start * width; i < end * width; i++) product[i] = value(i); });
            var result = GC.AllocateUninitializedArray<T>(n);
            Separable.Correlate(Dense(product, height, width).Rows(), Dense(result, height, width).Rows(), weights, weights, BoundaryMode.Constant, T.Zero);
            return result;
        }
        return (Window(i => dr[i] * dr[i]), Window(i => dr[i] * dc[i]), Window(i => dc[i] * dc[i]));
    }
}
