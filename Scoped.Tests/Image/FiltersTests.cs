using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

[TestClass]
public sealed class FiltersTests
{
    private const string M = "filters";

    private static HostArray In(string name) => Load(M, name);

    // ---- edges ----

    [TestMethod]
    [DataRow("sobel", "cam")]
    [DataRow("sobel", "r32")]
    [DataRow("sobel", "r64")]
    [DataRow("scharr", "cam")]
    [DataRow("scharr", "r32")]
    [DataRow("scharr", "r64")]
    [DataRow("prewitt", "cam")]
    [DataRow("prewitt", "r32")]
    [DataRow("prewitt", "r64")]
    [DataRow("sobel", "u16")]
    [DataRow("sobel", "b")]
    public void EdgeMagnitudeMatchesScikitImage(string filter, string input)
    {
        var image = In(input);
        var result = Unmodified(image, () => Call(() => Edge(filter, image)));
        AssertMatches(Load(M, $"{filter}__{input}"), result);
    }

    private static NDArray Edge(string filter, NDArray image, NDArray? mask = null) => filter switch
    {
        "sobel" => Filters.Sobel(image, mask),
        "scharr" => Filters.Scharr(image, mask),
        "prewitt" => Filters.Prewitt(image, mask),
        "sobel_h" => Filters.SobelH(image, mask),
        "sobel_v" => Filters.SobelV(image, mask),
        "scharr_h" => Filters.ScharrH(image, mask),
        "scharr_v" => Filters.ScharrV(image, mask),
        "prewitt_h" => Filters.PrewittH(image, mask),
        "prewitt_v" => Filters.PrewittV(image, mask),
        _ => throw new ArgumentException(filter),
    };

    [TestMethod]
    [DataRow("sobel")]
    [DataRow("scharr")]
    [DataRow("prewitt")]
    public void EdgeMagnitudeWithMask(string filter) =>
        AssertMatches(Load(M, $"{filter}__cam_mask"), Call(() => Edge(filter, In("cam"), In("mask"))));

    [TestMethod]
    [DataRow("sobel_h")]
    [DataRow("sobel_v")]
    [DataRow("scharr_h")]
    [DataRow("scharr_v")]
    [DataRow("prewitt_h")]
    [DataRow("prewitt_v")]
    public void DirectionalEdgesMatchScikitImage(string filter)
    {
        AssertMatches(Load(M, $"{filter}__cam"), Call(() => Edge(filter, In("cam"))), what: "camera");
        AssertMatches(Load(M, $"{filter}__r32"), Call(() => Edge(filter, In("r32"))), what: "float32");
        AssertMatches(Load(M, $"{filter}__r32_mask"), Call(() => Edge(filter, In("r32"), In("mask37"))), what: "masked");
    }

    [TestMethod]
    [DataRow(BoundaryMode.Reflect, "reflect")]
    [DataRow(BoundaryMode.Constant, "constant")]
    [DataRow(BoundaryMode.Nearest, "nearest")]
    [DataRow(BoundaryMode.Mirror, "mirror")]
    [DataRow(BoundaryMode.Wrap, "wrap")]
    public void SobelModes(BoundaryMode mode, string name) =>
        AssertMatches(Load(M, $"sobel__r32_{name}"), Call(() => Filters.Sobel(In("r32"), mode: mode, cval: 0.5)));

    [TestMethod]
    public void SobelAxisGivesTheSignedDerivative() =>
        AssertMatches(Load(M, "sobel__r32_axis0"), Call(() => Filters.Sobel(In("r32"), axis: 0)));

    [TestMethod]
    public void LaplaceMatchesScikitImage()
    {
        AssertMatches(Load(M, "laplace__cam"), Call(() => Filters.Laplace(In("cam"))));
        AssertMatches(Load(M, "laplace__r32"), Call(() => Filters.Laplace(In("r32"))));
        AssertMatches(Load(M, "laplace__r64_mask"), Call(() => Filters.Laplace(In("r64"), 5, In("mask31"))));
    }

    [TestMethod]
    public void EdgeValidation()
    {
        ThrowsFor("image", () => Filters.Sobel(HostArray.Zeros<float>(5)));
        ThrowsFor("mask", () => Filters.Sobel(In("cam"), In("mask37")));
        ThrowsFor("mask", () => Filters.SobelH(In("r32"), In("r32")));
        ThrowsFor("axis", () => Filters.Scharr(In("r32"), axis: 2));
        ThrowsFor("cval", () => Filters.Prewitt(In("r32"), cval: double.NaN));
        ThrowsFor("ksize", () => Filters.Laplace(In("r32"), ksize: 1));
        ThrowsFor("image", () => Filters.Laplace(HostArray.Zeros<float>(3, 0)));
    }

    // ---- median ----

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("r64")]
    [DataRow("u16")]
    [DataRow("i32")]
    [DataRow("b")]
    [DataRow("small")]
    public void MedianDefaultKeepsTheDType(string input)
    {
        var image = In(input);
        AssertMatches(Load(M, $"median__{input}"), Unmodified(image, () => Call(() => Filters.Median(image))));
    }

    [TestMethod]
    [DataRow(BoundaryMode.Reflect, "reflect")]
    [DataRow(BoundaryMode.Constant, "constant")]
    [DataRow(BoundaryMode.Nearest, "nearest")]
    [DataRow(BoundaryMode.Mirror, "mirror")]
    [DataRow(BoundaryMode.Wrap, "wrap")]
    public void MedianModes(BoundaryMode mode, string name) =>
        AssertMatches(Load(M, $"median__r32_{name}"), Call(() => Filters.Median(In("r32"), mode: mode, cval: 0.5)));

    [TestMethod]
    public void MedianFootprints()
    {
        AssertMatches(Load(M, "median__cam_cross"), Call(() => Filters.Median(In("cam"), In("fp_cross"))), what: "cross");
        AssertMatches(Load(M, "median__r32_rect_constant"), Call(() => Filters.Median(In("r32"), In("fp_rect"), BoundaryMode.Constant, 0.25)), what: "2x4");
        AssertMatches(Load(M, "median__cam_disk_reflect"), Call(() => Filters.Median(In("cam"), In("fp_disk"), BoundaryMode.Reflect)), what: "disk");
        AssertMatches(Load(M, "median__r32_5x5"), Call(() => Filters.Median(In("r32"), HostArray.Create(Enumerable.Repeat(true, 25).ToArray(), 5, 5))), what: "5x5");
        var ones = HostArray.Create(Enumerable.Repeat((byte)1, 25).ToArray(), 5, 5);
        AssertMatches(Load(M, "median__cam_5x5_wrap"), Call(() => Filters.Median(In("cam"), ones, BoundaryMode.Wrap)), what: "5x5 uint8 wrap");
        AssertMatches(Load(M, "median__i32_5x5_constant"), Call(() => Filters.Median(In("i32"), ones, BoundaryMode.Constant, 7)), what: "5x5 int32 constant");
    }

    [TestMethod]
    public void MedianOfAStridedCropMatchesACopy()
    {
        var full = Load<float>(M, "r32");
        var crop = new HostArray<float>(full.Tensor.Slice([new System.Buffers.NRange(3, 30), new System.Buffers.NRange(5, 50)]));
        var copy = HostArray.Create(crop.ToArray(), 27, 45);
        AssertMatches(Filters.Median(copy), Filters.Median(crop), 0);
        AssertMatches(Filters.Sobel(copy), Filters.Sobel(crop), 0);
    }

    [TestMethod]
    public void MedianValidation()
    {
        ThrowsFor("image", () => Filters.Median(HostArray.Zeros<float>(5)));
        ThrowsFor("footprint", () => Filters.Median(In("cam"), In("r32")));
        ThrowsFor("footprint", () => Filters.Median(In("cam"), HostArray.Zeros<bool>(3, 3)));
        ThrowsFor("footprint", () => Filters.Median(In("cam"), HostArray.Zeros<bool>(3, 3, 3)));
        ThrowsFor("behavior", () => Filters.Median(In("cam"), behavior: "rank"));
        ThrowsFor("cval", () => Filters.Median(In("cam"), cval: double.PositiveInfinity));
    }

    // ---- unsharp_mask, difference_of_gaussians ----

    [TestMethod]
    public void UnsharpMaskMatchesScikitImage()
    {
        AssertMatches(Load(M, "unsharp__cam"), Call(() => Filters.UnsharpMask(In("cam"))), what: "default");
        AssertMatches(Load(M, "unsharp__cam_r3_a2_preserve"), Call(() => Filters.UnsharpMask(In("cam"), 3, 2, preserveRange: true)), 1e-11, "preserve_range");
        AssertMatches(Load(M, "unsharp__r32_r2_a1_5"), Call(() => Filters.UnsharpMask(In("r32"), 2, 1.5)), what: "float32");
        AssertMatches(Load(M, "unsharp__neg32"), Call(() => Filters.UnsharpMask(In("neg32"), 1.5, 3)), 4e-6, "negative values clip to [-1, 1]");
        AssertMatches(Load(M, "unsharp__rgb"), Call(() => Filters.UnsharpMask(In("rgb"), 2, channelAxis: -1)), what: "rgb");
    }

    [TestMethod]
    public void DifferenceOfGaussiansMatchesScikitImage()
    {
        AssertMatches(Load(M, "dog__cam_1"), Call(() => Filters.DifferenceOfGaussians(In("cam"), 1)), what: "default");
        AssertMatches(Load(M, "dog__r32_1_3_reflect"), Call(() => Filters.DifferenceOfGaussians(In("r32"), 1, 3, BoundaryMode.Reflect)), what: "float32");
        AssertMatches(Load(M, "dog__r64_aniso_constant"), Call(() => Filters.DifferenceOfGaussians(In("r64"), [1.0, 2.0], [2.0, 4.0], BoundaryMode.Constant, 0.3)), what: "anisotropic");
        AssertMatches(Load(M, "dog__rgb"), Call(() => Filters.DifferenceOfGaussians(In("rgb"), 1.5, channelAxis: -1)), what: "rgb");
    }

    [TestMethod]
    public void SharpenValidation()
    {
        ThrowsFor("radius", () => Filters.UnsharpMask(In("cam"), -1));
        ThrowsFor("amount", () => Filters.UnsharpMask(In("cam"), amount: double.NaN));
        ThrowsFor("channelAxis", () => Filters.UnsharpMask(In("cam"), channelAxis: 2));
        ThrowsFor("highSigma", () => Filters.DifferenceOfGaussians(In("cam"), 2, 1));
        ThrowsFor("lowSigma", () => Filters.DifferenceOfGaussians(In("cam"), [1.0]));
        ThrowsFor("channelAxis", () => Filters.DifferenceOfGaussians(In("rgb"), 1, channelAxis: -4));
        ThrowsFor("truncate", () => Filters.DifferenceOfGaussians(In("cam"), 1, truncate: 0));
    }

    // ---- thresholds ----

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("r64")]
    [DataRow("u16")]
    [DataRow("i32")]
    [DataRow("neg32")]
    [DataRow("const")]
    [DataRow("two")]
    public void GlobalThresholdsMatchScikitImage(string input)
    {
        var image = In(input);
        AssertClose(Scalar(M, $"th_otsu__{input}"), Unmodified(image, () => Call(() => Filters.ThresholdOtsu(image))), 1e-12, "otsu");
        AssertClose(Scalar(M, $"th_yen__{input}"), Call(() => Filters.ThresholdYen(image)), 1e-12, "yen");
        AssertClose(Scalar(M, $"th_li__{input}"), Unmodified(image, () => Call(() => Filters.ThresholdLi(image))), 1e-6, "li");
    }

    [TestMethod]
    public void GlobalThresholdParameters()
    {
        AssertClose(Scalar(M, "th_otsu__r32_nbins64"), Call(() => Filters.ThresholdOtsu(In("r32"), 64)), 1e-12, "otsu nbins");
        AssertClose(Scalar(M, "th_otsu__b"), Call(() => Filters.ThresholdOtsu(In("b"))), 1e-12, "otsu bool");
        AssertClose(Scalar(M, "th_yen__cam_nbins"), Call(() => Filters.ThresholdYen(In("cam"), 16)), 1e-12, "yen nbins (ignored for integers)");
        AssertClose(Scalar(M, "th_li__cam_tol"), Call(() => Filters.ThresholdLi(In("cam"), tolerance: 2)), 1e-9, "li tolerance");
        AssertClose(Scalar(M, "th_li__r32_guess"), Call(() => Filters.ThresholdLi(In("r32"), initialGuess: 0.3)), 1e-6, "li guess float");
        AssertClose(Scalar(M, "th_li__cam_guess"), Call(() => Filters.ThresholdLi(In("cam"), initialGuess: 100)), 1e-9, "li guess int");
    }

    [TestMethod]
    public void ThresholdLocalMatchesScikitImage()
    {
        AssertMatches(Load(M, "local__cam_gauss_15"), Call(() => Filters.ThresholdLocal(In("cam"), 15)), 1e-11, "gaussian uint8");
        AssertMatches(Load(M, "local__r32_gauss_7_param"), Call(() => Filters.ThresholdLocal(In("r32"), 7, "gaussian", 0.1, param: 2.5)), what: "gaussian param");
        AssertMatches(Load(M, "local__r32_mean_9_const"), Call(() => Filters.ThresholdLocal(In("r32"), 9, "mean", mode: BoundaryMode.Constant, cval: 0.5)), what: "mean constant");
        AssertMatches(Load(M, "local__cam_mean_5x11"), Call(() => Filters.ThresholdLocal(In("cam"), [5, 11], "mean", -3)), 1e-11, "mean 5x11");
        AssertMatches(Load(M, "local__cam_median_5"), Call(() => Filters.ThresholdLocal(In("cam"), 5, "median", mode: BoundaryMode.Nearest)), what: "median");
        AssertMatches(Load(M, "local__r64_median_3"), Call(() => Filters.ThresholdLocal(In("r64"), 3, "median")), what: "median 3");
    }

    [TestMethod]
    public void ThresholdValidation()
    {
        ThrowsFor("nbins", () => Filters.ThresholdOtsu(In("r32"), 1));
        ThrowsFor("nbins", () => Filters.ThresholdYen(In("r32"), 0));
        ThrowsFor("image", () => Filters.ThresholdOtsu(HostArray.Create(new[] { 0f, float.NaN, 1f, 2f }, 2, 2)));
        ThrowsFor("initialGuess", () => Filters.ThresholdLi(In("r32"), initialGuess: 5));
        ThrowsFor("tolerance", () => Filters.ThresholdLi(In("r32"), tolerance: -1));
        ThrowsFor("blockSize", () => Filters.ThresholdLocal(In("cam"), 4));
        ThrowsFor("blockSize", () => Filters.ThresholdLocal(In("cam"), [3, 3, 3]));
        ThrowsFor("method", () => Filters.ThresholdLocal(In("cam"), 3, "generic"));
        ThrowsFor("image", () => Filters.ThresholdLocal(HostArray.Zeros<float>(7), 3));
    }
}
