using Scoped.Image;
using Scoped.Backends.Gpu.Kernels;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    // structural_similarity is registered here, apart from GpuBackend.Metrics.cs (MSE, PSNR), so the two areas are
    // written independently.
    partial void RegisterSsim()
    {
        ImplementOnGpu(Metrics.Methods.StructuralSimilarity,
            (GpuArray im1, GpuArray im2, int? winSize, bool gradient, double? dataRange, int? channelAxis, bool gaussianWeights, bool full,
                double k1, double k2, double sigma, bool useSampleCovariance) =>
            {
                int win = winSize ?? (gaussianWeights ? 2 * (int)(3.5 * sigma + 0.5) + 1 : 7);
                // scikit-image 0.19's default data range for float images: the dtype's span, 2 (-1..1).
                double range = dataRange ?? im1.DType.Range().Max - im1.DType.Range().Min;
                var (mean, map) = SsimKernels.Run((GpuArray<float>)im1, (GpuArray<float>)im2, win, gaussianWeights, sigma, range, k1, k2, useSampleCovariance, full);
                return new StructuralSimilarityResult(mean, map);
            },
            call => (call.Argument<NDArray>(0).Rank > 3 || (call.Argument<NDArray>(0).Rank == 3 && call.Argument<int?>(5) is null)
                    ? $"im1 {call.Argument<NDArray>(0).ShapeText} is a volume: the GPU structural_similarity is 2-D" : null)
                ?? (call.Argument<int?>(5) is { } c && c is not (-1 or 2)
                    ? $"channelAxis {c} is not the last axis: the GPU structural_similarity takes (rows, cols, channels)" : null)
                ?? SsimDecline(call.Argument<NDArray>(0), call.Argument<NDArray>(1), call.Argument<bool>(7)));
    }

    private static string? SsimDecline(NDArray im1, NDArray im2, bool full) =>
        Float32Only(im1, "im1") ?? Float32Only(im2, "im2") ?? SameDevice(im1, im2, "im2")
        ?? (full && im1 is HostArray
            ? "full=true with host images: the SSIM map would be left on the GPU (only array results are brought back); pass GPU arrays to keep it there"
            : null);
}
