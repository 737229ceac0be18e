using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>exposure.cumulative_distribution, is_low_contrast and match_histograms, color.rgba2rgb and
/// util.img_as_float32 / img_as_uint / img_as_bool against scikit-image 0.19.3 (tools/fixtures/gen_contrast.py).
/// Exact, but for float32 results within float32 rounding.</summary>
[TestClass]
public sealed class ContrastAndConversionTests
{
    private const string M = "contrast";

    private static HostArray In(string name) => Load(M, name);

    [TestMethod]
    [DataRow("cam", 256)]
    [DataRow("r32", 256)]
    [DataRow("r64", 256)]
    [DataRow("u16", 256)]
    [DataRow("small_i32", 256)]
    [DataRow("vol", 256)]
    [DataRow("r32", 17)]
    public void CumulativeDistribution(string input, int nbins)
    {
        string tag = nbins == 256 ? input : $"{input}_{nbins}";
        var image = In(input);
        var result = Unmodified(image, () => Call(() => Exposure.CumulativeDistribution(image, nbins)));
        AssertMatches(Load(M, $"cdf__{tag}"), result.Cdf, what: "cdf");
        AssertMatches(Load(M, $"cdf_centers__{tag}"), HostArray.Create(result.BinCenters, result.BinCenters.Length), what: "bin centres");
    }

    [TestMethod]
    [DataRow("cam")]
    [DataRow("dull")]
    [DataRow("r32")]
    [DataRow("r64")]
    [DataRow("u16")]
    [DataRow("i32")]
    [DataRow("vol")]
    [DataRow("rgb")]
    [DataRow("rgba")]
    [DataRow("rgba32")]
    [DataRow("mask_all")]
    [DataRow("mask_mix")]
    public void IsLowContrast(string input)
    {
        var image = In(input);
        Assert.AreEqual(Scalar(M, $"low__{input}") != 0, Unmodified(image, () => Call(() => Exposure.IsLowContrast(image))), "defaults");
        Assert.AreEqual(Scalar(M, $"low__{input}_t0p3") != 0, Call(() => Exposure.IsLowContrast(image, 0.3)), "threshold 0.3");
        Assert.AreEqual(Scalar(M, $"low__{input}_p10_90") != 0, Call(() => Exposure.IsLowContrast(image, 0.2, 10, 90)), "percentiles 10, 90");
    }

    [TestMethod]
    public void IsLowContrastChecksItsArguments()
    {
        ThrowsFor("lowerPercentile", () => Exposure.IsLowContrast(In("cam"), lowerPercentile: -1));
        ThrowsFor("upperPercentile", () => Exposure.IsLowContrast(In("cam"), upperPercentile: 100.5));
        ThrowsFor("fractionThreshold", () => Exposure.IsLowContrast(In("cam"), double.NaN));
    }

    [TestMethod]
    [DataRow("cam", "cam2", null, "match__cam_cam2")]
    [DataRow("r32", "r64", null, "match__r32_r64")]
    [DataRow("r64", "cam", null, "match__r64_cam")]
    [DataRow("vol", "vol2", null, "match__vol_vol2")]
    [DataRow("rgb", "rgb2", -1, "match__rgb_rgb2_c")]
    [DataRow("rgb", "rgb2", null, "match__rgb_rgb2")]
    [DataRow("chw", "chw2", 0, "match__chw_chw2_c0")]
    [DataRow("rgba32", "rgba", -1, "match__rgba32_rgba_c")]
    public void MatchHistograms(string input, string reference, int? channelAxis, string expected)
    {
        var image = In(input);
        var target = In(reference);
        AssertMatches(Load(M, expected), Unmodified(image, () => Unmodified(target, () => Call(() => Exposure.MatchHistograms(image, target, channelAxis)))), what: expected);
    }

    [TestMethod]
    public void MatchHistogramsChecksShapes()
    {
        ThrowsFor("reference", () => Exposure.MatchHistograms(In("cam"), In("vol")));
        ThrowsFor("reference", () => Exposure.MatchHistograms(In("rgb"), In("rgba"), -1));
        ThrowsFor("channelAxis", () => Exposure.MatchHistograms(In("rgb"), In("rgb2"), 3));
    }

    [TestMethod]
    public void Rgba2Rgb()
    {
        AssertMatches(Load(M, "rgba2rgb__rgba"), Unmodified(In("rgba"), () => Call(() => Color.Rgba2Rgb(In("rgba")))));
        AssertMatches(Load(M, "rgba2rgb__rgba32"), Call(() => Color.Rgba2Rgb(In("rgba32"))));
        AssertMatches(Load(M, "rgba2rgb__rgba_bg"), Call(() => Color.Rgba2Rgb(In("rgba"), [0.2, 0.5, 0.9])));
        ThrowsFor("rgba", () => Color.Rgba2Rgb(In("rgb")));
        ThrowsFor("background", () => Color.Rgba2Rgb(In("rgba"), [0.2, 1.5, 0]));
        ThrowsFor("background", () => Color.Rgba2Rgb(In("rgba"), [0.2, 0.5]));
    }

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("r64")]
    [DataRow("s64")]
    [DataRow("u16")]
    [DataRow("i32")]
    [DataRow("small_i32")]
    [DataRow("mask_mix")]
    [DataRow("vol")]
    public void DtypeConversions(string input)
    {
        var image = In(input);
        AssertMatches(Load(M, $"float32__{input}"), Unmodified(image, () => Call(() => Util.ImgAsFloat32(image))), 0, "img_as_float32");
        AssertMatches(Load(M, $"uint__{input}"), Call(() => Util.ImgAsUint(image)), 0, "img_as_uint");
        AssertMatches(Load(M, $"bool__{input}"), Call(() => Util.ImgAsBool(image)), 0, "img_as_bool");
    }

    [TestMethod]
    public void ImgAsUintOfFloat32RoundsHalvesToEvenAndClipsNegatives()
    {
        // Every half step between two uint16 levels near the ends and the middle, and the negative range (clipped to 0):
        // what NumPy computes, v * 65535 in float32, rint, clip, cast.
        var values = Enumerable.Range(0, 400).Select(k => (float)(k / 131070.0))
            .Concat(Enumerable.Range(0, 400).Select(k => (float)((65535 * 2 - k) / 131070.0)))
            .Concat(Enumerable.Range(0, 400).Select(k => (float)((65535 + k) / 131070.0)))
            .Concat(Enumerable.Range(0, 400).Select(k => -k / 400f)).Append(-0f).ToArray();
        var expected = values.Select(v => (ushort)Math.Clamp(MathF.Round(v * 65535f), 0, 65535)).ToArray();
        var image = HostArray.Create(values, 1, values.Length);
        AssertMatches(HostArray.Create(expected, 1, values.Length), Call(() => Util.ImgAsUint(image)));
    }

    [TestMethod]
    public void ImgAsUintRefusesFloatsOutsideTheSignedUnitRange()
    {
        var bad = HostArray.Create(new[] { 0.5, 1.25 }, 2);
        StringAssert.Contains(ThrowsFor("image", () => Util.ImgAsUint(bad)).Message, "1.25");
    }
}
