using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

[TestClass]
public sealed class MetricsTests
{
    private const string M = "exposure";

    [TestMethod]
    [DataRow("cam", "cam_noisy")]
    [DataRow("cam_f32", "cam_f32_noisy")]
    [DataRow("f64", "f64_noisy")]
    [DataRow("cam_f32", "cam")]
    public void ErrorMetricsMatchSkimage(string a, string b)
    {
        var x = Load(M, "in_" + a);
        var y = Load(M, "in_" + b);
        AssertClose(Scalar(M, $"mse__{a}__{b}"), Call(() => Metrics.MeanSquaredError(x, y)), 1e-12, "mse");
        foreach (var norm in new[] { "euclidean", "min-max", "mean" })
            AssertClose(Scalar(M, $"nrmse__{a}__{b}__{norm}"), Call(() => Metrics.NormalizedRootMse(x, y, norm)), 1e-12, norm);
        if (a != "f64") AssertClose(Scalar(M, $"psnr__{a}__{b}"), Call(() => Metrics.PeakSignalNoiseRatio(x, y)), 1e-12, "psnr");
        AssertClose(Scalar(M, $"psnr__{a}__{b}__dr3"), Call(() => Metrics.PeakSignalNoiseRatio(x, y, 3)), 1e-12, "psnr dr 3");
    }

    [TestMethod]
    public void PsnrNeedsADataRangeOutsideTheDtypeRange()
    {
        var wide = Load(M, "in_f32_wide");
        ThrowsFor("imageTrue", () => Metrics.PeakSignalNoiseRatio(wide, wide));
        ThrowsFor("image1", () => Metrics.MeanSquaredError(wide, Load(M, "in_f32")));
        ThrowsFor("normalization", () => Metrics.NormalizedRootMse(wide, wide, "max"));
    }

    private static void Ssim(string tag, string a, string b, double? mapTolerance, Func<NDArray, NDArray, (double, NDArray)> call)
    {
        var x = Load(M, "in_" + a);
        var y = Load(M, "in_" + b);
        var (mean, full) = Unmodified(x, () => Call(() => call(x, y)));
        // float32 inputs: the local moments use scipy's float64 sums rounded to float32 after each axis pass, and the map
        // comes out bit for bit equal to skimage's; the kit's float32 default (2e-6) is the tolerance.
        AssertClose(Scalar(M, $"ssim__{tag}__mean"), mean, 1e-10, tag);
        AssertMatches(Load(M, $"ssim__{tag}__full"), full, mapTolerance, tag);
    }

    [TestMethod]
    public void StructuralSimilarityMatchesSkimage()
    {
        Ssim("cam_f32_dr1", "cam_f32", "cam_f32_noisy", null, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, dataRange: 1.0), f));
        Ssim("cam_f32_default", "cam_f32", "cam_f32_noisy", null, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f), f));
        Ssim("cam_u8", "cam", "cam_noisy", 1e-10, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f), f));
        Ssim("cam_u8_gauss", "cam", "cam_noisy", 1e-10, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, gaussianWeights: true), f));
        Ssim("cam_f32_gauss_sigma1", "cam_f32", "cam_f32_noisy", null,
            (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, gaussianWeights: true, sigma: 1.0, dataRange: 1), f));
        Ssim("f64_win5_pop", "f64", "f64_noisy", 1e-10,
            (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, winSize: 5, useSampleCovariance: false, dataRange: 2, k1: 0.02, k2: 0.05), f));
        Ssim("astro_rgb", "astro", "astro_noisy", 1e-10, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, channelAxis: -1), f));
        Ssim("astro_f32_rgb", "astro_f32", "astro_f32_noisy", null, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, channelAxis: -1, dataRange: 1), f));
        Ssim("f32_odd_win9", "f32", "f32_noisy", null, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, winSize: 9, dataRange: 1), f));
        Ssim("f32_odd_gauss", "f32", "f32_noisy", null, (x, y) => (Metrics.StructuralSimilarity(x, y, out var f, gaussianWeights: true, dataRange: 1), f));
        AssertClose(Scalar(M, "ssim__cam_u8__mean"), Call(() => Metrics.StructuralSimilarity(Load(M, "in_cam"), Load(M, "in_cam_noisy"))), 1e-12);
    }

    [TestMethod]
    public void StructuralSimilarityValidates()
    {
        var x = Load(M, "in_f32");
        ThrowsFor("im2", () => Metrics.StructuralSimilarity(x, Load(M, "in_f64")));
        ThrowsFor("gradient", () => Metrics.StructuralSimilarity(x, x, gradient: true));
        ThrowsFor("winSize", () => Metrics.StructuralSimilarity(x, x, winSize: 4));
        ThrowsFor("winSize", () => Metrics.StructuralSimilarity(x, x, winSize: 39));
        // Without a channel axis an (M, N, 3) image is a volume, and the 7-wide window exceeds its last axis (as in scikit-image).
        ThrowsFor("winSize", () => Metrics.StructuralSimilarity(Load(M, "in_astro"), Load(M, "in_astro")));
        ThrowsFor("k1", () => Metrics.StructuralSimilarity(x, x, k1: -1));
    }
}
