using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    /// <summary>
    /// Grey morphology (erosion, dilation, opening, closing) with any flat footprint, and the median filter (a rank
    /// filter, registered here with them): Kernels/morphology.cu and Kernels/rank.cu. Every element type is taken;
    /// footprints the kernels cannot take are declined with the reason (median: not the default or a full 3x3 / 5x5
    /// square; morphology: a non-rectangular footprint whose shared-memory tile would pass 48 kB).
    /// </summary>
    partial void RegisterMorphology()
    {
        Implement(Filters.Methods.Median,
            NDArray (GpuArray image, NDArray? footprint, BoundaryMode mode, double cval, string behavior) =>
                GpuMedian.Run(image, GpuMedian.Footprint(footprint).Size, mode, cval),
            call => Planar(call.Argument<NDArray>(0), null) ?? GpuMedian.Decline(call.Argument<NDArray>(0), call.Argument<NDArray?>(1)));

        Implement(Morphology.Methods.Erosion,
            NDArray (GpuArray image, NDArray? footprint, bool shiftX, bool shiftY) =>
                GpuMorphology.ErodeOrDilate(image, GpuMorphology.Grid(footprint), shiftX, shiftY, max: false),
            DeclineMorphology);
        Implement(Morphology.Methods.Dilation,
            NDArray (GpuArray image, NDArray? footprint, bool shiftX, bool shiftY) =>
                GpuMorphology.ErodeOrDilate(image, GpuMorphology.Grid(footprint), shiftX, shiftY, max: true),
            DeclineMorphology);
        Implement(Morphology.Methods.Opening,
            NDArray (GpuArray image, NDArray? footprint) => GpuMorphology.OpenOrClose(image, GpuMorphology.Grid(footprint), dilateFirst: false),
            DeclineMorphology);
        Implement(Morphology.Methods.Closing,
            NDArray (GpuArray image, NDArray? footprint) => GpuMorphology.OpenOrClose(image, GpuMorphology.Grid(footprint), dilateFirst: true),
            DeclineMorphology);
    }

    private static string? DeclineMorphology(DispatchCall call) =>
        Planar(call.Argument<NDArray>(0), null) ?? GpuMorphology.Decline(call.Argument<NDArray>(0), call.Argument<NDArray?>(1));
}
