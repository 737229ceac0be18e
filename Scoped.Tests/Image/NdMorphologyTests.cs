using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>Morphology, footprints, label and remove_small_objects on volumes and 4-D arrays against scikit-image
/// 0.19.3 (tools/fixtures/gen_nd.py); integer and bool results compare exactly.</summary>
[TestClass]
public sealed class NdMorphologyTests
{
    private const string M = "nd";

    private static HostArray In(string name) => Load(M, name);

    private static NDArray Grey(string op, NDArray image, NDArray? footprint) => op switch
    {
        "erosion" => Morphology.Erosion(image, footprint),
        "dilation" => Morphology.Dilation(image, footprint),
        "opening" => Morphology.Opening(image, footprint),
        "closing" => Morphology.Closing(image, footprint),
        "white_tophat" => Morphology.WhiteTophat(image, footprint),
        "black_tophat" => Morphology.BlackTophat(image, footprint),
        "binary_erosion" => Morphology.BinaryErosion(image, footprint),
        "binary_dilation" => Morphology.BinaryDilation(image, footprint),
        "binary_opening" => Morphology.BinaryOpening(image, footprint),
        "binary_closing" => Morphology.BinaryClosing(image, footprint),
        _ => throw new ArgumentException(op),
    };

    [TestMethod]
    public void FootprintsMatchScikitImage()
    {
        AssertMatches(Load(M, "fp_ball3"), Morphology.Ball(3), what: "ball(3)");
        AssertMatches(Load(M, "fp_octahedron2"), Morphology.Octahedron(2), what: "octahedron(2)");
        AssertMatches(Load(M, "fp_cube4").AsType(DType.UInt8), Morphology.Cube(4), what: "cube(4)");
        ThrowsFor("radius", () => Morphology.Ball(-1));
        ThrowsFor("width", () => Morphology.Cube(0));
    }

    [TestMethod]
    [DataRow("erosion")]
    [DataRow("dilation")]
    [DataRow("opening")]
    [DataRow("closing")]
    [DataRow("white_tophat")]
    [DataRow("black_tophat")]
    public void GreyMorphologyInNDimensionsMatchesScikitImage(string op)
    {
        var volU8 = In("vol_u8");
        AssertMatches(Load(M, $"{op}__vol_u8_ball1"), Unmodified(volU8, () => Call(() => Grey(op, volU8, Morphology.Ball(1)))), what: "ball(1)");
        AssertMatches(Load(M, $"{op}__vol_f32_default"), Call(() => Grey(op, In("vol_f32"), null)), what: "default footprint");
        AssertMatches(Load(M, $"{op}__vol_u8_even"), Call(() => Grey(op, volU8, In("fp_even"))), what: "even footprint 2x3x2");
        AssertMatches(Load(M, $"{op}__vol_f32_cube3"), Call(() => Grey(op, In("vol_f32"), Morphology.Cube(3))), what: "cube(3), one line per axis");
        AssertMatches(Load(M, $"{op}__vol4_default"), Call(() => Grey(op, In("vol4"), null)), what: "4-D");
    }

    [TestMethod]
    [DataRow("binary_erosion")]
    [DataRow("binary_dilation")]
    [DataRow("binary_opening")]
    [DataRow("binary_closing")]
    public void BinaryMorphologyInNDimensionsMatchesScikitImage(string op)
    {
        var blobs = In("blobs");
        AssertMatches(Load(M, $"{op}__blobs_ball1"), Unmodified(blobs, () => Call(() => Grey(op, blobs, Morphology.Ball(1)))), what: "ball(1)");
        AssertMatches(Load(M, $"{op}__blobs_default"), Call(() => Grey(op, blobs, null)), what: "default");
        AssertMatches(Load(M, $"{op}__blobs_cube3"), Call(() => Grey(op, blobs, Morphology.Cube(3))), what: "cube(3)");
        AssertMatches(Load(M, $"{op}__blobs_even"), Call(() => Grey(op, blobs, HostArray.Create(Enumerable.Repeat(true, 8).ToArray(), 2, 2, 2))), what: "2x2x2");
        AssertMatches(Load(M, $"{op}__blobs_octahedron2"), Call(() => Grey(op, blobs, Morphology.Octahedron(2))), what: "octahedron(2)");
    }

    [TestMethod]
    public void LabelInNDimensionsMatchesScikitImage()
    {
        var blobs = In("blobs");
        for (int c = 1; c <= 3; c++)
            AssertMatches(Load(M, $"label__blobs_c{c}"), Unmodified(blobs, () => Call(() => Measure.Label(blobs, connectivity: c))), what: $"blobs, connectivity {c}");
        AssertMatches(Load(M, "label__blobs_default"), Call(() => Measure.Label(blobs)), what: "default: full connectivity");
        AssertMatches(Load(M, "label__quant_bg0"), Call(() => Measure.Label(In("quant"), background: 0)), what: "integer volume, equal values connect");
        AssertMatches(Load(M, "label__quant_bg2_c3"), Call(() => Measure.Label(In("quant"), background: 2, connectivity: 3)), what: "background 2");
        foreach (var c in new[] { 1, 2, 4 })
            AssertMatches(Load(M, $"label__bool4_c{c}"), Call(() => Measure.Label(In("bool4"), connectivity: c)), what: $"4-D, connectivity {c}");
    }

    [TestMethod]
    public void RegionpropsOfThreeDimensionalLabelsMatchScikitImage()
    {
        var labels = Load(M, "label__blobs_c1");
        var regions = Call(() => Measure.Regionprops(labels, In("inten")));
        AssertShapeProperties(M, regions);
        var label = (int[])Load(M, "rp_label").ToFlatArray();
        var area = (int[])Load(M, "rp_area").ToFlatArray();
        var centroid = (double[])Load(M, "rp_centroid").ToFlatArray();
        var bbox = (int[])Load(M, "rp_bbox").ToFlatArray();
        var (mean, min, max) = ((double[])Load(M, "rp_mean").ToFlatArray(), (double[])Load(M, "rp_min").ToFlatArray(), (double[])Load(M, "rp_max").ToFlatArray());
        Assert.AreEqual(label.Length, regions.Length, "region count");
        for (int i = 0; i < regions.Length; i++)
        {
            var r = regions[i];
            Assert.AreEqual(label[i], r.Label);
            Assert.AreEqual(area[i], r.Area, $"area of {r.Label}");
            for (int a = 0; a < 3; a++) AssertClose(centroid[3 * i + a], r.Centroid[a], 1e-12, $"centroid {a} of {r.Label}");
            CollectionAssert.AreEqual(bbox[(6 * i)..(6 * i + 6)], r.Bbox, $"bbox of {r.Label}");
            AssertClose(mean[i], r.MeanIntensity!.Value, 1e-12, $"mean of {r.Label}");
            Assert.AreEqual(min[i], r.MinIntensity);
            Assert.AreEqual(max[i], r.MaxIntensity);
        }
        // Without an intensity image, and through the renumbering of sparse large labels.
        var shapes = Call(() => Measure.Regionprops(labels));
        CollectionAssert.AreEqual(area, shapes.Select(r => r.Area).ToArray());
        var sparse = HostArray.Create(((int[])labels.ToFlatArray()).Select(l => l == 0 ? 0 : l * 1_000_000).ToArray(), labels.Shape.ToArray());
        CollectionAssert.AreEqual(area, Call(() => Measure.Regionprops(sparse)).Select(r => r.Area).ToArray());
    }

    [TestMethod]
    public void RemoveSmallObjectsInNDimensionsMatchesScikitImage()
    {
        for (int c = 1; c <= 3; c++)
            AssertMatches(Load(M, $"rso__blobs_12_c{c}"), Call(() => Morphology.RemoveSmallObjects(In("blobs"), 12, c)), what: $"connectivity {c}");
    }

    [TestMethod]
    public void NDimensionalMorphologyArgumentsAreCheckedByName()
    {
        var vol = In("vol_u8");
        StringAssert.Contains(ThrowsFor("footprint", () => Morphology.Erosion(vol, Morphology.Disk(1))).Message, "as many axes as the image (3)");
        ThrowsFor("footprint", () => Morphology.BinaryDilation(vol, HostArray.Zeros<byte>(3, 3, 3)));
        StringAssert.Contains(ThrowsFor("connectivity", () => Measure.Label(In("blobs"), connectivity: 4)).Message, "[1, 3]");
        ThrowsFor("connectivity", () => Morphology.RemoveSmallObjects(In("blobs"), 5, 0));
        ThrowsFor("image", () => Morphology.Dilation(HostArray.Zeros<float>(4)));
    }
}
