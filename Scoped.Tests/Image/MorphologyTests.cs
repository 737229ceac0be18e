using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

[TestClass]
public sealed class MorphologyTests
{
    private const string M = "morphology";

    private static readonly string[] Footprints = ["none", "square_3", "rectangle_3_5", "disk_3", "diamond_2", "asym", "even", "square_4", "rectangle_2_3"];
    private static readonly string[] AllImages = ["cam_u8", "rand_f32", "rand_u8", "rand_f64", "rand_u16", "rand_i32"];

    private static HostArray? Footprint(string name) => name switch
    {
        "none" => null,
        "square_3" => Morphology.Square(3),
        "square_4" => Morphology.Square(4),
        "rectangle_3_5" => Morphology.Rectangle(3, 5),
        "rectangle_2_3" => Morphology.Rectangle(2, 3),
        "disk_3" => Morphology.Disk(3),
        "diamond_2" => Morphology.Diamond(2),
        _ => Load(M, "fp_" + name),
    };

    public static IEnumerable<object[]> GreyCases()
    {
        foreach (var fp in Footprints)
            foreach (var image in fp is "none" or "square_3" ? AllImages : ["cam_u8", "rand_f32"])
                yield return [image, fp];
    }

    [TestMethod]
    [DataRow("square_1")] [DataRow("square_3")] [DataRow("square_4")] [DataRow("rectangle_3_5")] [DataRow("rectangle_2_3")]
    [DataRow("disk_0")] [DataRow("disk_1")] [DataRow("disk_3")] [DataRow("disk_5")]
    [DataRow("diamond_0")] [DataRow("diamond_2")] [DataRow("diamond_4")]
    public void FootprintsMatch(string name)
    {
        var parts = name.Split('_');
        int a = int.Parse(parts[1]);
        HostArray actual = parts[0] switch
        {
            "square" => Morphology.Square(a),
            "rectangle" => Morphology.Rectangle(a, int.Parse(parts[2])),
            "disk" => Morphology.Disk(a),
            _ => Morphology.Diamond(a),
        };
        AssertMatches(Load(M, "fp_" + name), actual);
    }

    [TestMethod]
    [DynamicData(nameof(GreyCases))]
    public void GreyMorphologyMatches(string image, string footprint)
    {
        var input = Load(M, image);
        var fp = Footprint(footprint);
        string key = $"{image}__{footprint}";
        AssertMatches(Load(M, "erosion__" + key), Unmodified(input, () => Call(() => Morphology.Erosion(input, fp))), what: "erosion");
        AssertMatches(Load(M, "dilation__" + key), Call(() => Morphology.Dilation(input, fp)), what: "dilation");
        AssertMatches(Load(M, "opening__" + key), Call(() => Morphology.Opening(input, fp)), what: "opening");
        AssertMatches(Load(M, "closing__" + key), Call(() => Morphology.Closing(input, fp)), what: "closing");
        AssertMatches(Load(M, "white_tophat__" + key), Call(() => Morphology.WhiteTophat(input, fp)), what: "white_tophat");
        AssertMatches(Load(M, "black_tophat__" + key), Call(() => Morphology.BlackTophat(input, fp)), what: "black_tophat");
    }

    [TestMethod]
    public void ShiftedEvenFootprintMatches()
    {
        var input = Load(M, "rand_f32");
        var fp = Load(M, "fp_even");
        AssertMatches(Load(M, "erosion__rand_f32__even__shift"), Call(() => Morphology.Erosion(input, fp, shiftX: true, shiftY: true)));
        AssertMatches(Load(M, "dilation__rand_f32__even__shift"), Call(() => Morphology.Dilation(input, fp, shiftX: true, shiftY: true)));
    }

    [TestMethod]
    public void GreyMorphologyOfBoolMatches()
    {
        var mask = Load(M, "cam_mask");
        AssertMatches(Load(M, "erosion__cam_mask__none"), Call(() => Morphology.Erosion(mask)));
        AssertMatches(Load(M, "dilation__cam_mask__disk_3"), Call(() => Morphology.Dilation(mask, Morphology.Disk(3))));
    }

    [TestMethod]
    public void StridedCropMatchesACopy()
    {
        var full = Load<float>(M, "rand_f32");
        var crop = new HostArray<float>(full.Tensor.Slice([new System.Buffers.NRange(3, 24), new System.Buffers.NRange(5, 28)]));
        var copy = HostArray.Create(crop.ToArray(), 21, 23);
        AssertMatches(Morphology.Erosion(copy, Morphology.Square(3)), Call(() => Morphology.Erosion(crop, Morphology.Square(3))), 0);
        AssertMatches(Morphology.Dilation(copy, Morphology.Disk(2)), Call(() => Morphology.Dilation(crop, Morphology.Disk(2))), 0);
    }

    public static IEnumerable<object[]> BinaryCases()
    {
        foreach (var fp in Footprints)
            foreach (var image in new[] { "cam_mask", "rand_mask" })
                yield return [image, fp];
    }

    [TestMethod]
    [DynamicData(nameof(BinaryCases))]
    public void BinaryMorphologyMatches(string image, string footprint)
    {
        var input = Load(M, image);
        var fp = Footprint(footprint);
        string key = $"{image}__{footprint}";
        AssertMatches(Load(M, "binary_erosion__" + key), Unmodified(input, () => Call(() => Morphology.BinaryErosion(input, fp))), what: "binary_erosion");
        AssertMatches(Load(M, "binary_dilation__" + key), Call(() => Morphology.BinaryDilation(input, fp)), what: "binary_dilation");
        AssertMatches(Load(M, "binary_opening__" + key), Call(() => Morphology.BinaryOpening(input, fp)), what: "binary_opening");
        AssertMatches(Load(M, "binary_closing__" + key), Call(() => Morphology.BinaryClosing(input, fp)), what: "binary_closing");
    }

    [TestMethod]
    public void RemoveSmallObjectsMatches()
    {
        var blobs = Load(M, "blobs");
        AssertMatches(Load(M, "rso__blobs__default"), Unmodified(blobs, () => Call(() => Morphology.RemoveSmallObjects(blobs))));
        AssertMatches(Load(M, "rso__blobs__5_c1"), Call(() => Morphology.RemoveSmallObjects(blobs, 5)));
        AssertMatches(Load(M, "rso__blobs__5_c2"), Call(() => Morphology.RemoveSmallObjects(blobs, 5, connectivity: 2)));
        var labels = Load(M, "blobs_labels");
        AssertMatches(Load(M, "rso__blobs_labels__4"), Call(() => Morphology.RemoveSmallObjects(labels, 4)));
    }

    [TestMethod]
    public void ValidationNamesTheParameter()
    {
        var img = Load(M, "rand_f32");
        ThrowsFor("width", () => Morphology.Square(0));
        ThrowsFor("ncols", () => Morphology.Rectangle(2, 0));
        ThrowsFor("radius", () => Morphology.Disk(-1));
        ThrowsFor("radius", () => Morphology.Diamond(-2));
        ThrowsFor("image", () => Morphology.Erosion(HostArray.Zeros<float>(4)));
        ThrowsFor("image", () => Morphology.Dilation(HostArray.Zeros<float>(0, 4)));
        ThrowsFor("footprint", () => Morphology.Erosion(img, HostArray.Zeros<byte>(3, 3)));
        ThrowsFor("footprint", () => Morphology.Opening(img, HostArray.Zeros<byte>(3, 3, 3)));
        ThrowsFor("footprint", () => Morphology.BinaryDilation(Load(M, "cam_mask"), HostArray.Zeros<byte>(2, 2)));
        ThrowsFor("connectivity", () => Morphology.RemoveSmallObjects(Load(M, "blobs"), 5, 3));
        ThrowsFor("ar", () => Morphology.RemoveSmallObjects(img));
        ThrowsFor("ar", () => Morphology.RemoveSmallObjects(HostArray.Create(new[] { -1, 2, 0, 1 }, 2, 2)));
    }
}
