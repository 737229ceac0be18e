using Scoped.Image;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    /// <summary>
    /// metrics.mean_squared_error and peak_signal_noise_ratio (Kernels/reduce.cu): per-row sums of squared differences
    /// on the device in float64, added on the host in row order; PSNR's default data range from the device's min/max
    /// partials and Scoped.Image's own rule. Every element type and mix of types is taken, as on the CPU. The row sums
    /// are added in a different order from the CPU's left-to-right row sums, so results agree to about 1e-12 relative
    /// (see <see cref="GpuReduce.MeanSquaredError"/>), not bit for bit. structural_similarity is not registered here.
    /// </summary>
    partial void RegisterMetrics()
    {
        Implement(Metrics.Methods.MeanSquaredError,
            double (GpuArray image0, GpuArray image1) => GpuReduce.MeanSquaredError(image0, image1),
            call => DeclineMetricTypes(call.Argument<NDArray>(0), call.Argument<NDArray>(1)));

        Implement(Metrics.Methods.PeakSignalNoiseRatio,
            double (GpuArray imageTrue, GpuArray imageTest, double? dataRange) =>
            {
                double range = dataRange ?? DefaultDataRange(imageTrue);
                return MetricFormulas.PeakSignalNoiseRatio(range, GpuReduce.MeanSquaredError(imageTrue, imageTest));
            },
            call => DeclineMetricTypes(call.Argument<NDArray>(0), call.Argument<NDArray>(1)));
    }

    /// <summary>imageTrue's data range as the CPU's default: from its minimum (NaN if any value is) and maximum (of the non-NaN values).</summary>
    private static double DefaultDataRange(GpuArray imageTrue)
    {
        var extremes = GpuReduce.Range(imageTrue);
        double min = extremes.AnyNaN || !extremes.Any ? double.NaN : extremes.Min;
        double max = extremes.Any ? extremes.Max : double.NaN;
        return MetricFormulas.DefaultDataRange(imageTrue.DType, min, max);
    }

    private static string? DeclineMetricTypes(NDArray a, NDArray b) => TwoOrThreeAxes(a) ??
        (GpuElementTypes.IsSupported(a.DType) && GpuElementTypes.IsSupported(b.DType) ? null
            : $"the GPU metrics do not take {a.DType.NumPyName()} / {b.DType.NumPyName()} images");
}
