using Scoped.Backends.Gpu.Kernels;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    partial void RegisterGeometry()
    {
        // rescale calls resize, so it runs here too.
        ImplementOnGpu(Transform.Methods.Resize,
            (GpuArray image, int[] outputShape, int? order, BoundaryMode mode, double cval, bool clip, bool preserveRange, bool? antiAliasing, double[]? antiAliasingSigma) =>
                Resize((GpuArray<float>)image, outputShape, mode, cval, clip, antiAliasing, antiAliasingSigma),
            call => ResizeRankDecline(call.Argument<NDArray>(0), call.Argument<int[]>(1)) ?? GeometryDecline(call.Argument<NDArray>(0), call.Argument<int?>(2)));

        ImplementOnGpu(Transform.Methods.Rotate,
            (GpuArray image, double angle, bool resize, double[]? center, int? order, BoundaryMode mode, double cval, bool clip, bool preserveRange) =>
            {
                var (matrix, shape) = GeometryPlans.Rotation(image.Shape[0], image.Shape[1], angle, resize, center);
                return Warp((GpuArray<float>)image, matrix, shape, mode, cval, clip);
            },
            call => GeometryDecline(call.Argument<NDArray>(0), call.Argument<int?>(4)));

        ImplementOnGpu(Transform.Methods.Warp,
            (GpuArray image, double[] inverseMap, int[]? outputShape, int? order, BoundaryMode mode, double cval, bool clip, bool preserveRange) =>
                Warp((GpuArray<float>)image, inverseMap, outputShape, mode, cval, clip),
            call => GeometryDecline(call.Argument<NDArray>(0), call.Argument<int?>(3)));
    }

    /// <summary>float32 images with bilinear interpolation only (order 0 keeps the element type and is not written for the GPU).</summary>
    /// <summary>The GPU resizes (rows, cols[, channels]) only: a volume, or a 3-D image whose last axis changes length, is not.</summary>
    private static string? ResizeRankDecline(NDArray image, int[] outputShape) =>
        image.Rank == 2 || (image.Rank == 3 && outputShape[2] == image.Shape[2]) ? null
        : $"resizing {image.ShapeText} to ({string.Join(", ", outputShape)}) resamples more than two axes: the GPU resize is 2-D";

    private static string? GeometryDecline(NDArray image, int? order) =>
        Float32Only(image, "image")
        ?? (order is null or 1 ? null : $"order {order} is not implemented on the GPU; only order 1 (bilinear) is");

    /// <summary>resize: Scoped.Image's per-axis tables (anti-aliasing folded in), two passes, then the clip.</summary>
    private static GpuArray<float> Resize(GpuArray<float> image, int[] outputShape, BoundaryMode mode, double cval, bool clip,
        bool? antiAliasing, double[]? antiAliasingSigma)
    {
        var (rows, cols) = GeometryPlans.Resize(image, outputShape, 1, mode, antiAliasing, antiAliasingSigma, floatWork: true);
        int channels = image.Rank == 3 ? image.Shape[2] : 1;
        var device = image.Device;
        var result = GpuArray<float>.Allocate(device, outputShape);
        try
        {
            TransformKernels.Resample(device, image.Pointer, result.Pointer, image.Shape[1], channels, rows, cols, (float)cval);
            if (clip) TransformKernels.ClipToInputRange(device, image.Pointer, image.Size, result.Pointer, result.Size, mode == BoundaryMode.Constant, (float)cval, nanSkipsClip: true);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>warp / rotate, bilinear: the matrix cast to float32 as _warp_fast computes, then the clip.</summary>
    private static GpuArray<float> Warp(GpuArray<float> image, double[] matrix, int[]? outputShape, BoundaryMode mode, double cval, bool clip)
    {
        var shape = image.Shape.ToArray();
        if (outputShape is not null) { shape[0] = outputShape[0]; shape[1] = outputShape[1]; }
        int channels = image.Rank == 3 ? image.Shape[2] : 1;
        var device = image.Device;
        var result = GpuArray<float>.Allocate(device, shape);
        try
        {
            TransformKernels.WarpLinear(device, image.Pointer, result.Pointer, image.Shape[0], image.Shape[1], channels, shape[0], shape[1], matrix, mode, (float)cval);
            if (clip) TransformKernels.ClipToInputRange(device, image.Pointer, image.Size, result.Pointer, result.Size, mode == BoundaryMode.Constant, (float)cval, nanSkipsClip: false);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
