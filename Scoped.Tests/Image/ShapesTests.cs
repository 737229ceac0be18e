using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>morphology.convex_hull_image, convex_hull_object, thin, star and octagon against scikit-image 0.19.3
/// (tools/fixtures/gen_shapes.py), pixel for pixel.</summary>
[TestClass]
public sealed class ShapesTests
{
    private const string M = "shapes";

    [TestMethod]
    [DataRow("blobs")]
    [DataRow("holes")]
    [DataRow("cam_mask")]
    [DataRow("sparse")]
    [DataRow("thick")]
    [DataRow("single")]
    [DataRow("line")]
    [DataRow("corner")]
    [DataRow("multi")]
    public void ConvexHullImage(string input)
    {
        var image = Load(M, input);
        AssertMatches(Load(M, $"hull__{input}"), Unmodified(image, () => Call(() => Morphology.ConvexHullImage(image))), what: "edge midpoints");
        AssertMatches(Load(M, $"hull_centres__{input}"), Call(() => Morphology.ConvexHullImage(image, offsetCoordinates: false)), what: "centres");
    }

    [TestMethod]
    [DataRow("blobs")]
    [DataRow("holes")]
    [DataRow("cam_mask")]
    [DataRow("sparse")]
    [DataRow("thick")]
    [DataRow("single")]
    [DataRow("corner")]
    [DataRow("multi")]
    public void ConvexHullObject(string input)
    {
        var image = Load(M, input);
        AssertMatches(Load(M, $"hullobj__{input}"), Unmodified(image, () => Call(() => Morphology.ConvexHullObject(image))), what: "connectivity 2");
        AssertMatches(Load(M, $"hullobj1__{input}"), Call(() => Morphology.ConvexHullObject(image, connectivity: 1)), what: "connectivity 1");
    }

    [TestMethod]
    [DataRow("blobs")]
    [DataRow("holes")]
    [DataRow("cam_mask")]
    [DataRow("sparse")]
    [DataRow("thick")]
    [DataRow("single")]
    [DataRow("multi")]
    public void Thin(string input)
    {
        var image = Load(M, input);
        AssertMatches(Load(M, $"thin__{input}"), Unmodified(image, () => Call(() => Morphology.Thin(image))), what: "to the end");
        AssertMatches(Load(M, $"thin1__{input}"), Call(() => Morphology.Thin(image, 1)), what: "one pass");
        AssertMatches(Load(M, $"thin3__{input}"), Call(() => Morphology.Thin(image, 3)), what: "three passes");
    }

    [TestMethod]
    public void AnEmptyImageHasAnEmptyHull()
    {
        var empty = Load(M, "empty");
        Assert.IsFalse(((HostArray<bool>)Morphology.ConvexHullImage(empty)).ToArray().Any(v => v));
        Assert.IsFalse(((HostArray<bool>)Morphology.ConvexHullObject(empty)).ToArray().Any(v => v));
    }

    [TestMethod]
    public void StarsAndOctagons()
    {
        for (int a = 1; a < 8; a++) AssertMatches(Load(M, $"star__{a}"), Morphology.Star(a), what: $"star({a})");
        foreach (var (m, n) in new[] { (1, 1), (2, 1), (3, 2), (0, 3), (5, 0), (4, 4), (7, 3) })
            AssertMatches(Load(M, $"octagon__{m}_{n}"), Morphology.Octagon(m, n), what: $"octagon({m}, {n})");
    }

    [TestMethod]
    public void HullsCheckTheirArguments()
    {
        ThrowsFor("image", () => Morphology.ConvexHullImage(HostArray.Zeros<bool>(3, 4, 5)));
        ThrowsFor("connectivity", () => Morphology.ConvexHullObject(HostArray.Zeros<bool>(3, 4), connectivity: 3));
        ThrowsFor("image", () => Morphology.ConvexHullObject(HostArray.Zeros<float>(3, 4)));
        ThrowsFor("maxNumIter", () => Morphology.Thin(HostArray.Zeros<bool>(3, 4), 0));
        ThrowsFor("image", () => Morphology.Thin(HostArray.Zeros<bool>(3, 4, 2)));
        ThrowsFor("a", () => Morphology.Star(0));
        ThrowsFor("m", () => Morphology.Octagon(0, 0));
        ThrowsFor("n", () => Morphology.Octagon(2, -1));
    }
}
