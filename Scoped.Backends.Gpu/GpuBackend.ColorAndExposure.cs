using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    /// <summary>
    /// color.rgb2gray, exposure.rescale_intensity, exposure.equalize_hist, and filters.threshold_otsu (histogram based,
    /// registered here with equalize_hist): Kernels/pointwise.cu, Kernels/histogram.cu and Kernels/reduce.cu.
    /// Declined: equalize_hist of int32 images, threshold_otsu of int32 and bool images (their histograms are the
    /// CPU's: one bin per value over the image's range, and bool's float64 0/1 bins).
    /// </summary>
    partial void RegisterColorAndExposure()
    {
        Implement(Color.Methods.Rgb2Gray,
            NDArray (GpuArray rgb, int channelAxis) => GpuPointwise.Rgb2Gray(rgb),
            call => GpuElementTypes.IsSupported(call.Argument<NDArray>(0).DType) ? null
                : $"the GPU rgb2gray does not take {call.Argument<NDArray>(0).DType.NumPyName()} images");

        Implement(Exposure.Methods.RescaleIntensity,
            NDArray (GpuArray image, string inRange, string outRange) => GpuPointwise.RescaleIntensity(image, inRange, outRange),
            call => TwoOrThreeAxes(call.Argument<NDArray>(0)) ?? (call.Argument<NDArray>(0).DType is DType.UInt8 or DType.UInt16 or DType.Int32 or DType.Float32 or DType.Float64 ? null
                : $"the GPU rescale_intensity does not take {call.Argument<NDArray>(0).DType.NumPyName()} images"));

        Implement(Exposure.Methods.EqualizeHist,
            NDArray (GpuArray image, int nbins, NDArray? mask) => GpuPointwise.EqualizeHist(image, nbins, mask),
            call => TwoOrThreeAxes(call.Argument<NDArray>(0)) ?? GpuPointwise.DeclineEqualize(call.Argument<NDArray>(0), call.Argument<NDArray?>(2)));

        Implement(Filters.Methods.ThresholdOtsu,
            double (GpuArray image, int nbins) => GpuHistogram.ImageRange(image, nbins).OtsuThreshold(),
            call => TwoOrThreeAxes(call.Argument<NDArray>(0)) ?? (GpuHistogram.IsSupported(call.Argument<NDArray>(0).DType) ? null
                : $"the GPU threshold_otsu bins uint8, uint16, float32 and float64 images; {call.Argument<NDArray>(0).DType.NumPyName()} is binned by the CPU"));
    }
}
