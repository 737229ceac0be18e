using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>The histogram and window thresholds of skimage.filters against scikit-image 0.19.3
/// (tools/fixtures/gen_thresholds.py), bit for bit.</summary>
[TestClass]
public sealed class ThresholdsTests
{
    private const string M = "thresholds";

    private static HostArray In(string name) => Load(M, name);

    public static IEnumerable<object[]> Inputs =>
        new[] { "cam", "big_cam", "r32", "smooth", "u16", "bimodal", "bimodal32", "vol", "line", "blobs" }.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Inputs))]
    public void HistogramThresholdsMatchScikitImage(string input)
    {
        var image = In(input);
        Assert.AreEqual(Scalar(M, $"th_isodata__{input}"), Unmodified(image, () => Call(() => Filters.ThresholdIsodata(image))), $"isodata of {input}");
        if (input != "blobs")
            Assert.AreEqual(Scalar(M, $"th_triangle__{input}"), Call(() => Filters.ThresholdTriangle(image)), $"triangle of {input}");
        double minimum = Scalar(M, $"th_minimum__{input}");
        if (double.IsNaN(minimum)) ThrowsFor("image", () => Call(() => Filters.ThresholdMinimum(image)));
        else Assert.AreEqual(minimum, Call(() => Filters.ThresholdMinimum(image)), $"minimum of {input}");
        foreach (int classes in input switch { "blobs" => new[] { 2 }, "u16" => [2, 3], _ => [2, 3, 4] })
            CollectionAssert.AreEqual((double[])Load(M, $"multiotsu{classes}__{input}").ToFlatArray(),
                Call(() => Filters.ThresholdMultiotsu(image, classes)), $"multiotsu {classes} classes of {input}");
    }

    [TestMethod]
    public void HistogramThresholdsTakeNbinsAndClasses()
    {
        var r32 = In("r32");
        Assert.AreEqual(Scalar(M, "th_isodata__r32_nbins17"), Call(() => Filters.ThresholdIsodata(r32, 17)), "isodata, 17 bins");
        Assert.AreEqual(Scalar(M, "th_triangle__r32_nbins17"), Call(() => Filters.ThresholdTriangle(r32, 17)), "triangle, 17 bins");
        Assert.AreEqual(Scalar(M, "th_minimum__bimodal32_nbins64"), Call(() => Filters.ThresholdMinimum(In("bimodal32"), 64)), "minimum, 64 bins");
        CollectionAssert.AreEqual((double[])Load(M, "multiotsu3__r32_nbins20").ToFlatArray(), Call(() => Filters.ThresholdMultiotsu(r32, 3, 20)), "multiotsu, 20 bins");
        CollectionAssert.AreEqual((double[])Load(M, "multiotsu5__cam").ToFlatArray(), Call(() => Filters.ThresholdMultiotsu(In("cam"), 5)), "multiotsu, 5 classes");
        CollectionAssert.AreEqual((double[])Load(M, "multiotsu3__three").ToFlatArray(), Call(() => Filters.ThresholdMultiotsu(In("three"), 3)), "as many values as classes");
    }

    [TestMethod]
    public void HistogramThresholdsRefuseBadArguments()
    {
        var cam = In("cam");
        ThrowsFor("nbins", () => Filters.ThresholdIsodata(cam, 1));
        ThrowsFor("nbins", () => Filters.ThresholdTriangle(cam, 0));
        ThrowsFor("maxNumIter", () => Filters.ThresholdMinimum(cam, maxNumIter: 0));
        ThrowsFor("classes", () => Filters.ThresholdMultiotsu(cam, 1));
        ThrowsFor("classes", () => Filters.ThresholdMultiotsu(cam, 6));
        ThrowsFor("image", () => Call(() => Filters.ThresholdMultiotsu(In("three"), 4)));
        ThrowsFor("image", () => Call(() => Filters.ThresholdTriangle(HostArray.Create(new byte[12], 3, 4))));
        ThrowsFor("classes", () => Call(() => Filters.ThresholdMultiotsu(In("u16"), 5)));
    }

    [TestMethod]
    [DataRow("niblack__cam", "cam", 15, 0.2)]
    [DataRow("niblack__r32_w5_k05", "r32", 5, 0.5)]
    [DataRow("niblack__vol_w3", "vol", 3, 0.2)]
    [DataRow("niblack__line_w7", "line", 7, 0.2)]
    [DataRow("niblack__r32_w51", "r32", 51, 0.2)]
    public void NiblackMatchesScikitImage(string expected, string input, int window, double k)
    {
        var image = In(input);
        AssertMatches(Load(M, expected), Unmodified(image, () => Call(() => Filters.ThresholdNiblack(image, window, k))), 0, expected);
    }

    [TestMethod]
    public void NiblackAndSauvolaTakeAWindowPerAxis()
    {
        AssertMatches(Load(M, "niblack__smooth_w3x9"), Call(() => Filters.ThresholdNiblack(In("smooth"), [3, 9], -0.2)), 0, "niblack (3, 9)");
        AssertMatches(Load(M, "sauvola__vol_w5x3x1"), Call(() => Filters.ThresholdSauvola(In("vol"), [5, 3, 1], 0.1)), 0, "sauvola (5, 3, 1)");
    }

    [TestMethod]
    [DataRow("sauvola__cam", "cam", 15, 0.2, null)]
    [DataRow("sauvola__r32_w7", "r32", 7, 0.2, null)]
    [DataRow("sauvola__u16_w5_r100", "u16", 5, 0.3, 100.0)]
    [DataRow("sauvola__blobs", "blobs", 9, 0.2, null)]
    public void SauvolaMatchesScikitImage(string expected, string input, int window, double k, double? r)
    {
        var image = In(input);
        AssertMatches(Load(M, expected), Unmodified(image, () => Call(() => Filters.ThresholdSauvola(image, window, k, r))), 0, expected);
    }

    [TestMethod]
    public void WindowThresholdsRefuseBadArguments()
    {
        var cam = In("cam");
        ThrowsFor("windowSize", () => Filters.ThresholdNiblack(cam, 4));
        ThrowsFor("windowSize", () => Filters.ThresholdNiblack(cam, 0));
        ThrowsFor("windowSize", () => Filters.ThresholdSauvola(cam, [3, 3, 3]));
        ThrowsFor("k", () => Filters.ThresholdNiblack(cam, 3, double.NaN));
        ThrowsFor("r", () => Filters.ThresholdSauvola(cam, 3, r: double.PositiveInfinity));
        ThrowsFor("windowSize", () => Filters.ThresholdSauvola(cam, int.MaxValue));
    }
}
