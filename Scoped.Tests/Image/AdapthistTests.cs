using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>exposure.equalize_adapthist against scikit-image 0.19.3 (tools/fixtures/gen_adapthist.py). A grey result is
/// a ratio of integer levels, so it must be exact; colour goes through HSV and is compared within rounding.</summary>
[TestClass]
public sealed class AdapthistTests
{
    private const string M = "adapthist";

    [TestMethod]
    [DataRow("cam", null, 0.01, 256)]
    [DataRow("cam_k9", new[] { 9 }, 0.01, 256)]
    [DataRow("cam_k7x13", new[] { 7, 13 }, 0.01, 256)]
    [DataRow("cam_k100", new[] { 100 }, 0.01, 256)]
    [DataRow("cam_c0", null, 0.0, 256)]
    [DataRow("cam_c0p001", null, 0.001, 256)]
    [DataRow("cam_c0p2", null, 0.2, 256)]
    [DataRow("cam_c1", null, 1.0, 256)]
    [DataRow("cam_b64", null, 0.01, 64)]
    [DataRow("cam_b7_k5", new[] { 5 }, 0.01, 7)]
    [DataRow("cam_b1000", new[] { 16 }, 0.01, 1000)]
    [DataRow("cam_k1", new[] { 1 }, 0.01, 256)]
    [DataRow("big", null, 0.01, 256)]
    [DataRow("big_k32_c0p03", new[] { 32 }, 0.03, 256)]
    [DataRow("r32", null, 0.01, 256)]
    [DataRow("r64", new[] { 6, 10 }, 0.01, 256)]
    [DataRow("s64", null, 0.01, 256)]
    [DataRow("u16", null, 0.05, 256)]
    [DataRow("i32", null, 0.01, 256)]
    [DataRow("mask", null, 0.01, 256)]
    [DataRow("line", null, 0.01, 256)]
    [DataRow("line_k10", new[] { 10 }, 0.01, 256)]
    [DataRow("vol", null, 0.01, 256)]
    [DataRow("vol_k5x6x7", new[] { 5, 6, 7 }, 0.02, 256)]
    [DataRow("flat", null, 0.01, 256)]
    public void GreyImagesMatchExactly(string tag, int[]? kernelSize, double clipLimit, int nbins)
    {
        var image = Load(M, tag.Split('_')[0]);
        var result = Unmodified(image, () => Call(() => Exposure.EqualizeAdapthist(image, kernelSize, clipLimit, nbins)));
        AssertMatches(Load(M, $"clahe__{tag}"), result, tolerance: 0, what: tag);
    }

    [TestMethod]
    [DataRow("rgb", null, 0.01)]
    [DataRow("rgb_k8", new[] { 8 }, 0.03)]
    [DataRow("rgba", null, 0.01)]
    [DataRow("rgb32", null, 0.01)]
    public void ColourImagesEqualiseTheirHsvValue(string tag, int[]? kernelSize, double clipLimit)
    {
        var image = Load(M, tag.Split('_')[0]);
        var result = Unmodified(image, () => Call(() => Exposure.EqualizeAdapthist(image, kernelSize, clipLimit)));
        AssertMatches(Load(M, $"clahe__{tag}"), result, what: tag);
    }

    [TestMethod]
    public void BadArgumentsNameTheParameter()
    {
        var cam = Load(M, "cam");
        ThrowsFor("kernelSize", () => Exposure.EqualizeAdapthist(cam, [3, 4, 5]));
        ThrowsFor("kernelSize", () => Exposure.EqualizeAdapthist(cam, [0]));
        ThrowsFor("clipLimit", () => Exposure.EqualizeAdapthist(cam, clipLimit: double.NaN));
        ThrowsFor("nbins", () => Exposure.EqualizeAdapthist(cam, nbins: 0));
        ThrowsFor("image", () => Exposure.EqualizeAdapthist(HostArray.Zeros<double>(0, 3)));
        // Out of img_as_uint's [-1, 1] for floats.
        ThrowsFor("image", () => Exposure.EqualizeAdapthist(HostArray.Create(new[] { 0.0, 2.0 }, 2)));
    }
}
