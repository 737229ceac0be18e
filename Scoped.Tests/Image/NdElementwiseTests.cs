using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>The functions that treat every element alike (exposure, the global thresholds, the metrics, dtype
/// conversions) on volumes and 4-D arrays, against scikit-image 0.19.3 (tools/fixtures/gen_nd.py).</summary>
[TestClass]
public sealed class NdElementwiseTests
{
    private const string M = "nd";

    private static HostArray In(string name) => Load(M, name);

    [TestMethod]
    [DataRow("vol_f32")]
    [DataRow("vol_u8")]
    [DataRow("vol4")]
    [DataRow("stack")]
    public void GlobalThresholdsOfVolumesMatchScikitImage(string input)
    {
        var image = In(input);
        AssertClose(Scalar(M, $"th_otsu__{input}"), Unmodified(image, () => Call(() => Filters.ThresholdOtsu(image))), 1e-12, "otsu");
        AssertClose(Scalar(M, $"th_yen__{input}"), Call(() => Filters.ThresholdYen(image)), 1e-12, "yen");
        AssertClose(Scalar(M, $"th_li__{input}"), Call(() => Filters.ThresholdLi(image)), 1e-6, "li");
    }

    [TestMethod]
    public void ExposureOfVolumesMatchesScikitImage()
    {
        foreach (var (tag, input, nbins) in new[] { ("vol_u8", "vol_u8", 256), ("vol4_17", "vol4", 17) })
        {
            var result = Call(() => Exposure.Histogram(In(input), nbins));
            AssertMatches(Load(M, $"histogram__{tag}_counts"), result.Counts, what: $"{tag} counts");
            var centers = Load(M, $"histogram__{tag}_centers").ToFlatArray().Cast<object>().Select(Convert.ToDouble).ToArray();
            CollectionAssert.AreEqual(centers, result.BinCenters, $"{tag} bin centres");
        }
        AssertMatches(Load(M, "equalize__vol_f32"), Call(() => Exposure.EqualizeHist(In("vol_f32"))), what: "equalize_hist float32 volume");
        AssertMatches(Load(M, "equalize__vol_u8_mask"), Call(() => Exposure.EqualizeHist(In("vol_u8"), mask: In("umask"))), what: "equalize_hist with a 3-D mask");
        AssertMatches(Load(M, "rescale__vol_u8_0_1"), Call(() => Exposure.RescaleIntensity(In("vol_u8"), outRange: "0,1")), what: "rescale_intensity to (0, 1)");
        AssertMatches(Load(M, "rescale__vol4"), Call(() => Exposure.RescaleIntensity(In("vol4"))), what: "rescale_intensity 4-D");
        AssertMatches(Load(M, "gamma__vol_f32_2"), Call(() => Exposure.AdjustGamma(In("vol_f32"), 2)), what: "adjust_gamma");
    }

    [TestMethod]
    public void MetricsOfVolumesMatchScikitImage()
    {
        var (a, b) = (In("vol_f32"), In("noisy"));
        AssertClose(Scalar(M, "metric_mse"), Call(() => Metrics.MeanSquaredError(a, b)), 1e-12, "mse");
        AssertClose(Scalar(M, "metric_nrmse"), Call(() => Metrics.NormalizedRootMse(a, b)), 1e-12, "nrmse");
        AssertClose(Scalar(M, "metric_psnr"), Call(() => Metrics.PeakSignalNoiseRatio(a, b, 1)), 1e-12, "psnr");
        var u8 = (HostArray<byte>)In("vol_u8");
        var half = HostArray.Create(u8.ToArray().Select(v => (byte)(v / 2)).ToArray(), u8.Shape.ToArray());
        AssertClose(Scalar(M, "metric_psnr_u8"), Call(() => Metrics.PeakSignalNoiseRatio(u8, half)), 1e-12, "psnr uint8");
        ThrowsFor("image1", () => Metrics.MeanSquaredError(a, In("vol4")));
        // 4-D: every row of the flat view is read, converted or not
        AssertClose(Scalar(M, "metric_mse_vol4"), Call(() => Metrics.MeanSquaredError(In("vol4"), In("vol4_flip0"))), 1e-6, "mse 4-D");
        AssertClose(Scalar(M, "metric_nrmse_vol4_u8"), Call(() => Metrics.NormalizedRootMse(In("vol4"), In("vol4_x3_u8"), "min-max")), 1e-12,
            "nrmse 4-D, uint8 converted");
    }

    [TestMethod]
    public void DtypeConversionsOfVolumesMatchScikitImage()
    {
        AssertMatches(Load(M, "img_as_float__vol_u8"), Call(() => Util.ImgAsFloat(In("vol_u8"))), what: "img_as_float");
        AssertMatches(Load(M, "img_as_ubyte__vol_f32"), Call(() => Util.ImgAsUbyte(In("vol_f32"))), what: "img_as_ubyte");
        AssertMatches(Load(M, "invert__vol_u8"), Call(() => Util.Invert(In("vol_u8"))), what: "invert uint8");
        AssertMatches(Load(M, "invert__vol4"), Call(() => Util.Invert(In("vol4"))), what: "invert 4-D");
        ThrowsFor("image", () => Util.Invert(HostArray.Zeros<float>()));
    }

    [TestMethod]
    public void ThresholdLocalCropAndPadInNDimensionsMatchScikitImage()
    {
        AssertMatches(Load(M, "local__vol_f32_gauss_5"), Call(() => Filters.ThresholdLocal(In("vol_f32"), 5)), what: "threshold_local gaussian");
        AssertMatches(Load(M, "local__vol_u8_mean_3x5x7"), Call(() => Filters.ThresholdLocal(In("vol_u8"), [3, 5, 7], "mean", 2, BoundaryMode.Constant, cval: 10)), what: "threshold_local mean");
        AssertMatches(Load(M, "local__vol_f32_median_3"), Call(() => Filters.ThresholdLocal(In("vol_f32"), 3, "median", mode: BoundaryMode.Nearest)), what: "threshold_local median");
        AssertMatches(Load(M, "local__vol4_gauss_param"), Call(() => Filters.ThresholdLocal(In("vol4"), 3, "gaussian", param: 0.8)), what: "threshold_local 4-D");
        var vol4 = In("vol4");
        AssertMatches(Load(M, "crop__vol4"), Call(() => Util.Crop(vol4, [1, 0, 0, 1, 2, 1, 1, 2], copy: true)), what: "crop 4-D");
        AssertMatches(Load(M, "pad__vol4_reflect"), Call(() => Util.Pad(vol4, [1, 2, 0, 1, 2, 2, 1, 0], "reflect")), what: "pad 4-D reflect");
        AssertMatches(Load(M, "pad__vol4_constant"), Call(() => Util.Pad(vol4, 2, "constant", 0.5)), what: "pad 4-D constant");
        AssertMatches(Load(M, "pad__line_wrap"), Call(() => Util.Pad(In("line"), [3, 5], "wrap")), what: "pad 1-D wrap");
        AssertMatches(Load(M, "pad__vol_u8_symmetric"), Call(() => Util.Pad(In("vol_u8"), [1, 1, 2, 3, 0, 4], "symmetric")), what: "pad volume symmetric");
        ThrowsFor("blockSize", () => Filters.ThresholdLocal(In("vol_f32"), [3, 3]));
    }

    [TestMethod]
    public void StructuralSimilarityOfVolumesMatchesScikitImage()
    {
        var (a, b) = (In("vol_f32"), In("noisy"));
        AssertClose(Scalar(M, "metric_ssim_vol"), Call(() => Metrics.StructuralSimilarity(a, b, dataRange: 1)), 1e-6, "7x7x7 window");
        AssertClose(Scalar(M, "metric_ssim_vol_w5"), Call(() => Metrics.StructuralSimilarity(a, b, winSize: 5, dataRange: 1)), 1e-6, "win_size 5");
        AssertClose(Scalar(M, "metric_ssim_vol_gauss"), Call(() => Metrics.StructuralSimilarity(a.AsType(DType.Float64), b.AsType(DType.Float64),
            gaussianWeights: true, sigma: 0.8, dataRange: 1, useSampleCovariance: false)), 1e-10, "Gaussian, float64");
        AssertClose(Scalar(M, "metric_ssim_vol_u8"), Call(() => Metrics.StructuralSimilarity(In("vol_u8"), In("vol_u8b"), winSize: 5)), 1e-10, "uint8");
        NDArray map = null!;
        double mean = Call(() => Metrics.StructuralSimilarity(a, b, out map, winSize: 5, dataRange: 1));
        AssertMatches(Load(M, "ssim_vol_w5_map"), map, 1e-5, "full map");
        AssertClose(Scalar(M, "metric_ssim_vol_w5"), mean, 1e-6, "mean with full");
        ThrowsFor("winSize", () => Metrics.StructuralSimilarity(In("thin"), In("thin")));
    }

    [TestMethod]
    public void StructuralSimilarityWithAChannelAxisAnywhereMatchesScikitImage()
    {
        var (a, b) = (In("chfirst"), In("chfirst_b"));
        AssertClose(Scalar(M, "metric_ssim_chfirst"), Call(() => Metrics.StructuralSimilarity(a, b, winSize: 5, dataRange: 1, channelAxis: 0)), 1e-6,
            "volume, channels on axis 0");
        AssertClose(Scalar(M, "metric_ssim_rgbstack"), Call(() => Metrics.StructuralSimilarity(In("rgbstack"), In("rgbstack_b"), winSize: 5, channelAxis: -1)),
            1e-10, "uint8 stack, channels last");
        AssertClose(Scalar(M, "metric_ssim_rgb_ch0"), Call(() => Metrics.StructuralSimilarity(In("rgb_ch0"), In("rgb_ch0_b"), channelAxis: 0,
            gaussianWeights: true, sigma: 1)), 1e-10, "2-D, channels on axis 0, Gaussian");
        NDArray map = null!;
        double mean = Call(() => Metrics.StructuralSimilarity(a, b, out map, winSize: 5, dataRange: 1, channelAxis: -4));
        AssertMatches(Load(M, "ssim_chfirst_map"), map, 1e-5, "full map keeps the channel axis first");
        AssertClose(Scalar(M, "metric_ssim_chfirst"), mean, 1e-6, "mean with full, channel axis given as -4");
        ThrowsFor("channelAxis", () => Metrics.StructuralSimilarity(a, b, channelAxis: 4));
        ThrowsFor("winSize", () => Metrics.StructuralSimilarity(a, b, channelAxis: 1));
    }
}
