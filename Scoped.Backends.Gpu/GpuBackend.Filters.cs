using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Backends.Gpu.Kernels;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    // The edge filters' weights are Scoped.Image's own (Primitives.Weights), so both backends use the same numbers.
    private static readonly double[] SobelSmooth = Weights.SobelSmooth.ToArray();
    private static readonly double[] ScharrSmooth = Weights.ScharrSmooth.ToArray();
    private static readonly double[] PrewittSmooth = Weights.PrewittSmooth.ToArray();
    private static readonly double[] EdgeDerivative = Weights.EdgeDerivative.ToArray();

    partial void RegisterFilters()
    {
        ImplementOnGpu(Filters.Methods.Gaussian,
            (GpuArray image, double[] sigma, BoundaryMode mode, double cval, bool preserveRange, double truncate, int? channelAxis) =>
                Gaussian((GpuArray<float>)image, sigma, mode, (float)cval, truncate),
            call => Float32Only(call.Argument<NDArray>(0), "image") ?? Planar(call.Argument<NDArray>(0), call.Argument<int?>("channelAxis")));

        RegisterEdge(Filters.Methods.Sobel, SobelSmooth);
        RegisterEdge(Filters.Methods.Scharr, ScharrSmooth);
        RegisterEdge(Filters.Methods.Prewitt, PrewittSmooth);
        RegisterDirectional(Filters.Methods.SobelH, SobelSmooth, 0);
        RegisterDirectional(Filters.Methods.SobelV, SobelSmooth, 1);
        RegisterDirectional(Filters.Methods.ScharrH, ScharrSmooth, 0);
        RegisterDirectional(Filters.Methods.ScharrV, ScharrSmooth, 1);
        RegisterDirectional(Filters.Methods.PrewittH, PrewittSmooth, 0);
        RegisterDirectional(Filters.Methods.PrewittV, PrewittSmooth, 1);

        ImplementOnGpu(Filters.Methods.Laplace,
            (GpuArray image, int ksize, NDArray? mask) => Laplace((GpuArray<float>)image, mask),
            call => EdgeDecline(call.Argument<NDArray>(0), call.Arguments[2] as NDArray));
    }

    private void RegisterEdge(Multimethod<Filters.EdgeFunction> method, double[] smooth) =>
        ImplementOnGpu(method,
            (GpuArray image, NDArray? mask, int? axis, BoundaryMode mode, double cval) => Edge((GpuArray<float>)image, mask, axis, mode, smooth),
            call => EdgeDecline(call.Argument<NDArray>(0), call.Arguments[1] as NDArray));

    private void RegisterDirectional(Multimethod<Filters.DirectionalEdgeFunction> method, double[] smooth, int axis) =>
        ImplementOnGpu(method,
            (GpuArray image, NDArray? mask) => Edge((GpuArray<float>)image, mask, axis, BoundaryMode.Reflect, smooth),
            call => EdgeDecline(call.Argument<NDArray>(0), call.Arguments[1] as NDArray));

    private static string? EdgeDecline(NDArray image, NDArray? mask) =>
        Planar(image, null) ?? Float32Only(image, "image") ?? SameDevice(image, mask, "mask")
        ?? (mask is not null and not (HostArray or GpuArray) ? $"mask is a {mask.Kind} array; the GPU takes host or GPU masks" : null);

    /// <summary>gaussian: Scoped.Image's weights (Separable.GaussianWeights) cast to float32, one pass per axis.</summary>
    private static GpuArray<float> Gaussian(GpuArray<float> image, double[] sigma, BoundaryMode mode, float cval, double truncate)
    {
        var rowWeights = Weights.Gaussian(sigma[0], truncate);
        var colWeights = Weights.Gaussian(sigma[1], truncate);
        int channels = image.Rank == 3 ? image.Shape[2] : 1;
        var result = GpuArray<float>.Allocate(image.Device, image.Shape.ToArray());
        try
        {
            FilterKernels.Separable(image.Device, image.Pointer, result.Pointer, image.Shape[0], image.Shape[1], channels, rowWeights, colWeights, mode, cval, float64Sums: false);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>sobel / scharr / prewitt and their one-direction forms; constant mode pads with 0 as scikit-image 0.19 does.</summary>
    private static GpuArray<float> Edge(GpuArray<float> image, NDArray? mask, int? axis, BoundaryMode mode, double[] smooth)
    {
        var device = image.Device;
        int height = image.Shape[0], width = image.Shape[1];
        var result = GpuArray<float>.Allocate(device, height, width);
        try
        {
            if (axis is { } a)
            {
                bool rows = a is 0 or -2;
                FilterKernels.Separable(device, image.Pointer, result.Pointer, height, width, 1,
                    rows ? EdgeDerivative : smooth, rows ? smooth : EdgeDerivative, mode, 0f, float64Sums: false);
            }
            else FilterKernels.EdgeMagnitude(device, image.Pointer, result.Pointer, height, width, mode, smooth);
            if (mask is not null) ApplyMask(device, result, mask);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static GpuArray<float> Laplace(GpuArray<float> image, NDArray? mask)
    {
        var device = image.Device;
        int height = image.Shape[0], width = image.Shape[1];
        var result = GpuArray<float>.Allocate(device, height, width);
        try
        {
            FilterKernels.Laplace(device, image.Pointer, result.Pointer, height, width);
            if (mask is not null) ApplyMask(device, result, mask);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>The eroded-mask step; a host mask (bool or uint8, one byte per pixel) is uploaded for the call and freed.</summary>
    private static void ApplyMask(GpuDevice device, GpuArray<float> result, NDArray mask)
    {
        int height = result.Shape[0], width = result.Shape[1];
        if (mask is GpuArray onDevice)
        {
            FilterKernels.ErodedMask(device, result.Pointer, onDevice.Pointer, height, width);
            return;
        }
        using var uploaded = GpuArray.Upload((HostArray)mask, device);
        FilterKernels.ErodedMask(device, result.Pointer, uploaded.Pointer, height, width);
    }
}
