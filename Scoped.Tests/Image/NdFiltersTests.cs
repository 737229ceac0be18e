using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>The N-D filters against scikit-image 0.19.3 (tools/fixtures/gen_nd.py): volumes of odd sizes, a
/// single slice, 4-D, 1-D, a stack of real images, and channel axes last, first and guessed.</summary>
[TestClass]
public sealed class NdFiltersTests
{
    private const string M = "nd";

    private static HostArray In(string name) => Load(M, name);

    [TestMethod]
    public void GaussianInNDimensionsMatchesScikitImage()
    {
        AssertMatches(Load(M, "gaussian__vol_f32_s1"), Unmodified(In("vol_f32"), () => Call(() => Filters.Gaussian(In("vol_f32"), 1))), what: "7x11x13 float32");
        AssertMatches(Load(M, "gaussian__vol_f32_aniso_reflect"), Call(() => Filters.Gaussian(In("vol_f32"), [0.5, 1.5, 2], BoundaryMode.Reflect)), what: "sigma per axis");
        AssertMatches(Load(M, "gaussian__vol_u8_s2_constant"), Call(() => Filters.Gaussian(In("vol_u8"), 2, BoundaryMode.Constant, 0.3)), what: "16x5x33 uint8 constant");
        AssertMatches(Load(M, "gaussian__thin_s1"), Call(() => Filters.Gaussian(In("thin"), 1)), what: "1x9x9");
        AssertMatches(Load(M, "gaussian__thin_wrap"), Call(() => Filters.Gaussian(In("thin"), 1.5, BoundaryMode.Wrap)), what: "1x9x9 wrap");
        AssertMatches(Load(M, "gaussian__vol4_s1"), Call(() => Filters.Gaussian(In("vol4"), 1)), what: "4-D");
        AssertMatches(Load(M, "gaussian__vol4_mirror_s0_1_2_1"), Call(() => Filters.Gaussian(In("vol4"), [0, 1, 2, 1], BoundaryMode.Mirror)), what: "4-D, sigma 0 on one axis");
        AssertMatches(Load(M, "gaussian__stack_s1_preserve"), Call(() => Filters.Gaussian(In("stack"), 1, preserveRange: true)), what: "stack of camera crops");
        AssertMatches(Load(M, "gaussian__line_s2"), Call(() => Filters.Gaussian(In("line"), 2)), what: "1-D");
    }

    [TestMethod]
    public void GaussianTakesTheChannelAxisAnywhere()
    {
        AssertMatches(Load(M, "gaussian__rgbstack_s1"), Call(() => Filters.Gaussian(In("rgbstack"), 1, channelAxis: -1)), what: "(5, 12, 14, 3), channel -1");
        AssertMatches(Load(M, "gaussian__rgbstack_s1"), Call(() => Filters.Gaussian(In("rgbstack"), 1, channelAxis: 3)), what: "channel 3");
        var chfirst = In("chfirst");
        AssertMatches(Load(M, "gaussian__chfirst_s1_2"), Unmodified(chfirst, () => Call(() => Filters.Gaussian(chfirst, 1.2, channelAxis: 0))), what: "channel axis 0");
        AssertMatches(Load(M, "gaussian__chfirst_s1_2"), Call(() => Filters.Gaussian(chfirst, 1.2, channelAxis: -4)), what: "channel axis -4");
        // (M, N, 3) without a channel axis is RGB; three sigmas make it a volume, as in scikit-image.
        AssertMatches(Load(M, "gaussian__rgb_as_volume"), Call(() => Filters.Gaussian(In("rgb"), [1.0, 1, 1])), what: "(M, N, 3) as a volume");
    }

    [TestMethod]
    public void GaussianOnAStridedViewEqualsTheDenseCopy()
    {
        // A view whose channel axis is first in memory but last in shape: the kernels copy it, the input stays as it is.
        var chfirst = (HostArray<float>)In("chfirst");
        var view = new HostArray<float>(System.Numerics.Tensors.Tensor.PermuteDimensions(chfirst.Tensor, [1, 2, 3, 0]));
        var dense = new HostArray<float>(view.Tensor.ToDenseTensor());
        AssertMatches(Call(() => Filters.Gaussian(dense, 1.2, channelAxis: -1)), Call(() => Filters.Gaussian(view, 1.2, channelAxis: -1)), 0, "view");
    }

    [TestMethod]
    public void DifferenceOfGaussiansAndUnsharpMaskInNDimensions()
    {
        AssertMatches(Load(M, "dog__vol_f32_1_2"), Call(() => Filters.DifferenceOfGaussians(In("vol_f32"), 1, 2)), what: "dog volume");
        AssertMatches(Load(M, "dog__rgbstack"), Call(() => Filters.DifferenceOfGaussians(In("rgbstack"), 1, channelAxis: -1)), what: "dog channels");
        AssertMatches(Load(M, "dog__rgb_volume"), Call(() => Filters.DifferenceOfGaussians(In("rgb"), 0.8)), what: "dog: (M, N, 3) is a volume");
        AssertMatches(Load(M, "unsharp__vol_f32"), Call(() => Filters.UnsharpMask(In("vol_f32"), 1.5, 2)), what: "unsharp volume");
        AssertMatches(Load(M, "unsharp__stack_preserve"), Call(() => Filters.UnsharpMask(In("stack"), 1, preserveRange: true)), what: "unsharp stack");
    }

    [TestMethod]
    [DataRow("sobel")]
    [DataRow("scharr")]
    [DataRow("prewitt")]
    public void EdgeFiltersInNDimensionsMatchScikitImage(string filter)
    {
        NDArray Edge(NDArray image, int? axis = null, BoundaryMode mode = BoundaryMode.Reflect, NDArray? mask = null) => filter switch
        {
            "sobel" => Filters.Sobel(image, mask, axis, mode),
            "scharr" => Filters.Scharr(image, mask, axis, mode),
            _ => Filters.Prewitt(image, mask, axis, mode),
        };
        var vol = In("vol_f32");
        AssertMatches(Load(M, $"{filter}__vol_f32"), Unmodified(vol, () => Call(() => Edge(vol))), what: "magnitude");
        AssertMatches(Load(M, $"{filter}__vol_u8"), Call(() => Edge(In("vol_u8"))), what: "uint8");
        AssertMatches(Load(M, $"{filter}__vol_f32_axis2"), Call(() => Edge(vol, 2)), what: "axis 2");
        AssertMatches(Load(M, $"{filter}__vol_f32_axis2"), Call(() => Edge(vol, -1)), what: "axis -1");
        AssertMatches(Load(M, $"{filter}__vol_f32_axis0_constant"), Call(() => Edge(vol, 0, BoundaryMode.Constant)), what: "axis 0, constant");
        if (filter == "sobel")
        {
            AssertMatches(Load(M, "sobel__vol4"), Call(() => Edge(In("vol4"))), what: "4-D");
            AssertMatches(Load(M, "sobel__vol_f32_mask"), Call(() => Edge(vol, mask: In("emask"))), what: "3-D mask");
        }
    }

    [TestMethod]
    public void LaplaceAndMedianInNDimensionsMatchScikitImage()
    {
        AssertMatches(Load(M, "laplace__vol_f32"), Call(() => Filters.Laplace(In("vol_f32"))), what: "laplace");
        AssertMatches(Load(M, "laplace__vol4"), Call(() => Filters.Laplace(In("vol4"))), what: "laplace 4-D");
        var vol = In("vol_f32");
        AssertMatches(Load(M, "median__vol_f32"), Unmodified(vol, () => Call(() => Filters.Median(vol))), what: "median 3x3x3 float32");
        AssertMatches(Load(M, "median__vol_u8"), Call(() => Filters.Median(In("vol_u8"))), what: "median 3x3x3 uint8");
        AssertMatches(Load(M, "median__vol_u8_ball1_constant"), Call(() => Filters.Median(In("vol_u8"), Morphology.Ball(1), BoundaryMode.Constant, 9)), what: "ball(1), constant");
        AssertMatches(Load(M, "median__vol_f32_even_reflect"), Call(() => Filters.Median(vol, HostArray.Create(Enumerable.Repeat(true, 12).ToArray(), 2, 3, 2), BoundaryMode.Reflect)), what: "even footprint");
        AssertMatches(Load(M, "median__vol_f32_ball2_wrap"), Call(() => Filters.Median(vol, Morphology.Ball(2), BoundaryMode.Wrap)), what: "ball(2): 33 elements, wrap");
        AssertMatches(Load(M, "median__vol4"), Call(() => Filters.Median(In("vol4"))), what: "4-D: 81 elements, sorted per pixel");
        AssertMatches(Load(M, "median__thin_mirror"), Call(() => Filters.Median(In("thin"), mode: BoundaryMode.Mirror)), what: "1x9x9 mirror");
        AssertMatches(Load(M, "median__blobs"), Call(() => Filters.Median(In("blobs"))), what: "bool");
    }

    [TestMethod]
    public void TheTwoDimensionalEdgeFiltersSaySo()
    {
        StringAssert.Contains(ThrowsFor("image", () => Filters.SobelH(In("vol_f32"))).Message, "sobel_h is 2-D");
        StringAssert.Contains(ThrowsFor("axis", () => Filters.Sobel(In("vol_f32"), axis: 3)).Message, "-3..2");
        ThrowsFor("footprint", () => Filters.Median(In("vol_f32"), Morphology.Disk(1)));
    }

    [TestMethod]
    public void ResizeRescaleAndPyramidReduceInNDimensionsMatchScikitImage()
    {
        var vol = In("vol_f32");
        AssertMatches(Load(M, "resize__vol_f32_4x6x9"), Unmodified(vol, () => Call(() => Transform.Resize(vol, [4, 6, 9]))), what: "shrink, anti-aliased");
        AssertMatches(Load(M, "resize__vol_f32_up_14x5x20"), Call(() => Transform.Resize(vol, [14, 5, 20])), what: "mixed up and down");
        AssertMatches(Load(M, "resize__vol_u8_8x9x17_constant"), Call(() => Transform.Resize(In("vol_u8"), [8, 9, 17], mode: BoundaryMode.Constant, cval: 0.5)), what: "uint8, constant");
        AssertMatches(Load(M, "resize__vol_u8_order0"), Call(() => Transform.Resize(In("vol_u8"), [9, 7, 20], order: 0, antiAliasing: false, preserveRange: true)), what: "order 0 uint8");
        AssertMatches(Load(M, "resize__blobs_order0"), Call(() => Transform.Resize(In("blobs"), [13, 27, 10], order: 0)), what: "bool");
        AssertMatches(Load(M, "resize__vol4_2x3x7x4"), Call(() => Transform.Resize(In("vol4"), [2, 3, 7, 4])), what: "4-D");
        AssertMatches(Load(M, "resize__vol_f32_keep_last"), Call(() => Transform.Resize(vol, [5, 8])), what: "last axis kept");
        AssertMatches(Load(M, "resize__vol_f32_aa_sigma"), Call(() => Transform.Resize(vol, [5, 8, 9], antiAliasingSigma: [1.0, 0.5, 0.7])), what: "sigma per axis");
        AssertMatches(Load(M, "rescale__vol_f32_half"), Call(() => Transform.Rescale(vol, 0.5)), what: "rescale volume");
        AssertMatches(Load(M, "rescale__rgbstack_ch"), Call(() => Transform.Rescale(In("rgbstack"), [0.6, 0.5, 1.5], channelAxis: -1)), what: "rescale with channels");
        AssertMatches(Load(M, "rescale__chfirst"), Call(() => Transform.Rescale(In("chfirst"), 0.5, channelAxis: 0)), what: "rescale, channels first");
        AssertMatches(Load(M, "pyramid__vol_f32"), Call(() => Transform.PyramidReduce(vol)), what: "pyramid_reduce volume");
        AssertMatches(Load(M, "pyramid__rgbstack_ch"), Call(() => Transform.PyramidReduce(In("rgbstack"), channelAxis: -1)), what: "pyramid_reduce with channels");
        AssertMatches(Load(M, "pyramid__vol4_3"), Call(() => Transform.PyramidReduce(In("vol4"), 3, mode: BoundaryMode.Constant, cval: 0.2)), what: "pyramid_reduce 4-D");
        ThrowsFor("outputShape", () => Transform.Resize(vol, [4]));
        ThrowsFor("scale", () => Transform.Rescale(vol, [0.5, 0.5]));
        StringAssert.Contains(ThrowsFor("image", () => Transform.Rotate(In("vol4"), 30)).Message, "2-D");
    }

    [TestMethod]
    public void PeakLocalMaxInNDimensionsMatchesScikitImage()
    {
        var smooth = In("smooth3");
        AssertMatches(Load(M, "plm__smooth3"), Unmodified(smooth, () => Call(() => Feature.PeakLocalMax(smooth))), what: "defaults");
        AssertMatches(Load(M, "plm__smooth3_md2_rel"), Call(() => Feature.PeakLocalMax(smooth, 2, thresholdRel: 0.5)), what: "min_distance 2, threshold_rel");
        AssertMatches(Load(M, "plm__smooth3_border0_n5"), Call(() => Feature.PeakLocalMax(smooth, excludeBorder: false, numPeaks: 5)), what: "num_peaks");
        AssertMatches(Load(M, "plm__smooth3_ball_p2"), Call(() => Feature.PeakLocalMax(smooth, 3, footprint: Morphology.Ball(2), pNorm: 2, excludeBorder: new[] { 1, 2, 0 })), what: "ball footprint, p 2, border per axis");
        AssertMatches(Load(M, "plm__vol_u8"), Call(() => Feature.PeakLocalMax(In("vol_u8"), 2)), what: "uint8 volume");
        AssertMatches(Load(M, "plm__smooth3_labels"), Call(() => Feature.PeakLocalMax(smooth, labels: In("plm_labels"), numPeaksPerLabel: 2)), what: "per label");
        AssertMatches(Load(M, "plm__smooth3_labels_n3_md1"), Call(() => Feature.PeakLocalMax(smooth, 1, excludeBorder: false, numPeaks: 3, labels: In("plm_labels"))), what: "per label, num_peaks");
        ThrowsFor("labels", () => Feature.PeakLocalMax(smooth, labels: HostArray.Zeros<int>(15, 17, 18)));
    }

    [TestMethod]
    public void NDimensionalArgumentsAreCheckedByName()
    {
        var vol = In("vol_f32");
        StringAssert.Contains(ThrowsFor("sigma", () => Filters.Gaussian(vol, [1.0, 1.0])).Message, "one value per spatial axis (3)");
        StringAssert.Contains(ThrowsFor("channelAxis", () => Filters.Gaussian(vol, 1, channelAxis: 3)).Message, "-3..2");
        StringAssert.Contains(ThrowsFor("channelAxis", () => Filters.Gaussian(In("line"), 1, channelAxis: 0)).Message, "1-D");
        ThrowsFor("sigma", () => Filters.Gaussian(vol, [1.0, -1, 1]));
        ThrowsFor("lowSigma", () => Filters.DifferenceOfGaussians(vol, [1.0, 1.0]));
        ThrowsFor("highSigma", () => Filters.DifferenceOfGaussians(vol, [1.0, 1, 1], [2.0, 0.5, 2]));
        ThrowsFor("image", () => Filters.Gaussian(HostArray.Zeros<float>(3, 0, 4), 1));
        ThrowsFor("image", () => Filters.UnsharpMask(HostArray.Zeros<float>(4, 4, 0), 1));
    }
}
