using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>segmentation.join_segmentations against scikit-image 0.19.3 (tools/fixtures/gen_join.py).</summary>
[TestClass]
public sealed class JoinSegmentationsTests
{
    private const string M = "join";

    [TestMethod]
    [DataRow("a", "b")]
    [DataRow("b", "a")]
    [DataRow("a", "a")]
    [DataRow("v1", "v2")]
    [DataRow("a", "big")]
    public void MatchesScikitImage(string first, string second)
    {
        var s1 = Load(M, first);
        var s2 = Load(M, second);
        var joined = Unmodified(s1, () => Unmodified(s2, () => Call(() => Segmentation.JoinSegmentations(s1, s2))));
        AssertMatches(Load(M, $"join__{first}_{second}"), joined);
    }

    [TestMethod]
    public void SmallLabelTypesDoNotWrap()
    {
        // 200 x 200 label pairs: scikit-image's uint8 arithmetic would wrap; the result is the int32 inputs' result.
        var rows = Enumerable.Range(0, 200 * 200).Select(i => (byte)(i / 200 + 1)).ToArray();
        var cols = Enumerable.Range(0, 200 * 200).Select(i => (byte)(i % 200 + 1)).ToArray();
        var wide = Segmentation.JoinSegmentations(HostArray.Create(Array.ConvertAll(rows, v => (int)v), 200, 200), HostArray.Create(Array.ConvertAll(cols, v => (int)v), 200, 200));
        var narrow = Call(() => Segmentation.JoinSegmentations(HostArray.Create(rows, 200, 200), HostArray.Create(cols, 200, 200)));
        AssertMatches(wide, narrow);
        Assert.AreEqual(40000, ((HostArray<int>)narrow)[199, 199]);
    }

    [TestMethod]
    public void BadArgumentsNameTheParameter()
    {
        var a = Load(M, "a");
        ThrowsFor("s2", () => Segmentation.JoinSegmentations(a, Load(M, "v1")));
        ThrowsFor("s2", () => Segmentation.JoinSegmentations(a, HostArray.Zeros<float>(37, 41)));
        ThrowsFor("s1", () => Segmentation.JoinSegmentations(HostArray.Create(new[] { -1, 2 }, 2), HostArray.Create(new[] { 1, 2 }, 2)));
    }
}
