using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>util.montage against scikit-image 0.19.3 (tools/fixtures/gen_montage.py); float32 mean fills within
/// float32 rounding (NumPy sums them in float32).</summary>
[TestClass]
public sealed class MontageTests
{
    private const string M = "montage";

    [TestMethod]
    [DataRow("u8", "m__u8", null, false, null, 0, null)]
    [DataRow("u8", "m__u8_fill7_pad2", new[] { 7.9 }, false, null, 2, null)]
    [DataRow("u8", "m__u8_grid1x5", null, false, new[] { 1, 5 }, 0, null)]
    [DataRow("u8", "m__u8_grid3x2_rescale", null, true, new[] { 3, 2 }, 0, null)]
    [DataRow("u16", "m__u16_pad1", null, false, null, 1, null)]
    [DataRow("i32", "m__i32", null, false, null, 0, null)]
    [DataRow("f32", "m__f32_rescale", null, true, null, 0, null)]
    [DataRow("f64", "m__f64_pad3", null, false, null, 3, null)]
    [DataRow("f64", "m__f64_rescale", null, true, null, 0, null)]
    [DataRow("rgb", "m__rgb", null, false, null, 0, -1)]
    [DataRow("rgb", "m__rgb_fill_pad1", new[] { 255.0, 0, 10 }, false, null, 1, -1)]
    [DataRow("crgb", "m__crgb", null, false, null, 0, 0)]
    public void MatchesScikitImage(string input, string expected, double[]? fill, bool rescale, int[]? grid, int padding, int? channelAxis)
    {
        var stack = Load(M, input);
        var result = Unmodified(stack, () => Call(() => Util.Montage(stack, fill, rescale, grid, padding, channelAxis)));
        AssertMatches(Load(M, expected), result, what: expected);
    }

    [TestMethod]
    public void BadArgumentsNameTheParameter()
    {
        var u8 = Load(M, "u8");
        ThrowsFor("arrIn", () => Util.Montage(HostArray.Zeros<byte>(4, 4)));
        ThrowsFor("arrIn", () => Util.Montage(Load(M, "rgb")));
        ThrowsFor("channelAxis", () => Util.Montage(Load(M, "rgb"), channelAxis: 4));
        ThrowsFor("gridShape", () => Util.Montage(u8, gridShape: [2, 2]));
        ThrowsFor("gridShape", () => Util.Montage(u8, gridShape: [5]));
        ThrowsFor("paddingWidth", () => Util.Montage(u8, paddingWidth: -1));
        ThrowsFor("fill", () => Util.Montage(u8, fill: [300]));
        ThrowsFor("fill", () => Util.Montage(Load(M, "rgb"), fill: [1, 2], channelAxis: -1));
    }
}
