using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>skimage.segmentation against scikit-image 0.19.3 (tools/fixtures/gen_segmentation.py): exact labels.</summary>
[TestClass]
public sealed class SegmentationTests
{
    private const string M = "segmentation";

    private static HostArray In(string name) => Load(M, name);

    [TestMethod]
    [DataRow("ws__discs", "discs_relief", "discs_markers", 1, "discs", 0.0, false)]
    [DataRow("ws__discs_line", "discs_relief", "discs_markers", 1, "discs", 0.0, true)]
    [DataRow("ws__relief_c1", "relief", "markers2", 1, null, 0.0, false)]
    [DataRow("ws__relief_c2", "relief", "markers2", 2, null, 0.0, false)]
    [DataRow("ws__relief32_mask", "relief32", "markers2", 1, "mask2", 0.0, false)]
    [DataRow("ws__relief_compact", "relief", "markers2", 1, null, 0.01, false)]
    [DataRow("ws__relief_line_c2", "relief", "markers2", 2, null, 0.0, true)]
    [DataRow("ws__plateaus_tied", "plateaus", "tied", 1, null, 0.0, false)]
    [DataRow("ws__plateaus_tied_c2_line", "plateaus", "tied", 2, null, 0.0, true)]
    [DataRow("ws__vol_c1", "vol", "markers3", 1, null, 0.0, false)]
    [DataRow("ws__vol_c2", "vol", "markers3", 2, null, 0.0, false)]
    [DataRow("ws__vol_c3", "vol", "markers3", 3, null, 0.0, false)]
    [DataRow("ws__vol_mask_line", "vol", "markers3", 1, "mask3", 0.0, true)]
    [DataRow("ws__vol_compact_c3", "vol", "markers3", 3, null, 0.05, false)]
    [DataRow("ws__line", "line", "line_markers", 1, null, 0.0, false)]
    public void WatershedMatchesScikitImage(string expected, string image, string markers, int connectivity, string? mask, double compactness, bool line)
    {
        var relief = In(image);
        var seeds = In(markers);
        var actual = Unmodified(seeds, () => Unmodified(relief, () => Call(() =>
            Segmentation.Watershed(relief, seeds, connectivity, mask is null ? null : In(mask), compactness, line))));
        AssertMatches(Load(M, expected), actual, what: expected);
    }

    [TestMethod]
    public void WatershedOfAFlatReliefSplitsItBetweenTheMarkers()
    {
        // All values equal: only the queue's ages (and among the markers, the heap's order) decide.
        var flat = HostArray.Create(new double[23 * 31], 23, 31);
        AssertMatches(Load(M, "ws__flat_tied"), Call(() => Segmentation.Watershed(flat, In("tied"))), what: "flat relief");
    }

    [TestMethod]
    public void WatershedRefusesBadArguments()
    {
        var relief = In("relief");
        ThrowsFor("markers", () => Segmentation.Watershed(relief, In("vol")));
        ThrowsFor("markers", () => Segmentation.Watershed(relief, relief));
        ThrowsFor("mask", () => Segmentation.Watershed(relief, In("markers2"), mask: In("mask3")));
        ThrowsFor("connectivity", () => Segmentation.Watershed(relief, In("markers2"), connectivity: 3));
        ThrowsFor("connectivity", () => Segmentation.Watershed(relief, In("markers2"), connectivity: 0));
        ThrowsFor("compactness", () => Segmentation.Watershed(relief, In("markers2"), compactness: -1));
        ThrowsFor("compactness", () => Segmentation.Watershed(relief, In("markers2"), compactness: double.NaN));
    }

    [TestMethod]
    public void ClearBorderMatchesScikitImage()
    {
        var objects = In("objects");
        AssertMatches(Load(M, "cb__objects"), Unmodified(objects, () => Call(() => Segmentation.ClearBorder(objects))), what: "default");
        AssertMatches(Load(M, "cb__objects_buffer3_bg7"), Call(() => Segmentation.ClearBorder(objects, bufferSize: 3, bgval: 7)), what: "buffer 3, bgval 7");
        AssertMatches(Load(M, "cb__objects_mask"), Call(() => Segmentation.ClearBorder(objects, mask: In("border_mask"))), what: "mask");
        AssertMatches(Load(M, "cb__blobs"), Call(() => Segmentation.ClearBorder(In("blobs"))), what: "bool");
        AssertMatches(Load(M, "cb__objects3_buffer1"), Call(() => Segmentation.ClearBorder(In("objects3"), bufferSize: 1)), what: "3-D uint16, buffer 1");
        ThrowsFor("bufferSize", () => Segmentation.ClearBorder(objects, bufferSize: 30));
        ThrowsFor("bufferSize", () => Segmentation.ClearBorder(objects, bufferSize: -1));
        ThrowsFor("bgval", () => Segmentation.ClearBorder(In("objects3"), bgval: -1));
        ThrowsFor("mask", () => Segmentation.ClearBorder(objects, mask: objects));
    }

    [TestMethod]
    [DataRow("thick")]
    [DataRow("inner")]
    [DataRow("outer")]
    [DataRow("subpixel")]
    public void FindBoundariesMatchesScikitImage(string mode)
    {
        var objects = In("objects");
        for (int c = 1; c <= 2; c++)
        {
            int connectivity = c;
            AssertMatches(Load(M, $"fb__objects_{mode}_c{c}"), Unmodified(objects, () => Call(() => Segmentation.FindBoundaries(objects, connectivity, mode))),
                what: $"{mode}, connectivity {c}");
        }
        AssertMatches(Load(M, $"fb__small3_{mode}_c2"), Call(() => Segmentation.FindBoundaries(In("small3"), 2, mode)), what: $"3-D {mode}");
    }

    [TestMethod]
    public void FindBoundariesWithABackgroundAndOfBoolMatchScikitImage()
    {
        AssertMatches(Load(M, "fb__small_outer_bg2"), Call(() => Segmentation.FindBoundaries(In("small"), mode: "outer", background: 2)), what: "outer, background 2");
        AssertMatches(Load(M, "fb__small_inner_bg2"), Call(() => Segmentation.FindBoundaries(In("small"), mode: "inner", background: 2)), what: "inner, background 2");
        AssertMatches(Load(M, "fb__blobs_thick"), Call(() => Segmentation.FindBoundaries(In("blobs"))), what: "bool");
        ThrowsFor("mode", () => Segmentation.FindBoundaries(In("small"), mode: "thin"));
        ThrowsFor("connectivity", () => Segmentation.FindBoundaries(In("small"), connectivity: 3));
    }

    [TestMethod]
    [DataRow("el__seeds2_d0", "seeds2", 0.0)]
    [DataRow("el__seeds2_d1", "seeds2", 1.0)]
    [DataRow("el__seeds2_d2.5", "seeds2", 2.5)]
    [DataRow("el__seeds2_d10", "seeds2", 10.0)]
    [DataRow("el__objects_d3", "objects", 3.0)]
    [DataRow("el__small3_d2", "small3", 2.0)]
    [DataRow("el__grid_d20", "grid", 20.0)]
    [DataRow("el__line", "line_markers", 4.0)]
    public void ExpandLabelsMatchesScikitImage(string expected, string input, double distance)
    {
        var labels = In(input);
        AssertMatches(Load(M, expected), Unmodified(labels, () => Call(() => Segmentation.ExpandLabels(labels, distance))), what: expected);
    }

    [TestMethod]
    public void ExpandLabelsRefusesBadArguments()
    {
        ThrowsFor("distance", () => Segmentation.ExpandLabels(In("seeds2"), -1));
        ThrowsFor("distance", () => Segmentation.ExpandLabels(In("seeds2"), double.NaN));
        ThrowsFor("labelImage", () => Segmentation.ExpandLabels(In("relief")));
        var none = HostArray.Create(new int[12], 3, 4);
        AssertMatches(none, Call(() => Segmentation.ExpandLabels(none, double.PositiveInfinity)), what: "no labels: nothing to grow");
    }

    [TestMethod]
    public void MarkBoundariesMatchesScikitImage()
    {
        var (grey, objects) = (In("grey"), In("objects"));
        AssertMatches(Load(M, "mb__grey"), Unmodified(grey, () => Call(() => Segmentation.MarkBoundaries(grey, objects))), what: "grey uint8, defaults");
        AssertMatches(Load(M, "mb__grey_outline_inner_bg2"), Call(() => Segmentation.MarkBoundaries(grey, objects, [1, 0, 0.5], [0, 0, 1], "inner", 2)),
            what: "outline, inner, background 2");
        AssertMatches(Load(M, "mb__rgb32_thick"), Call(() => Segmentation.MarkBoundaries(In("rgb32"), objects, outlineColor: [0.25, 0.5, 0.75], mode: "thick")),
            what: "RGB float32, thick, outline");
        ThrowsFor("labelImg", () => Segmentation.MarkBoundaries(grey, In("small")));
        ThrowsFor("color", () => Segmentation.MarkBoundaries(grey, objects, [1, 0]));
        ThrowsFor("mode", () => Segmentation.MarkBoundaries(grey, objects, mode: "subpixel"));
        ThrowsFor("image", () => Segmentation.MarkBoundaries(In("vol"), objects));
    }

    [TestMethod]
    [DataRow("gaps", 1)]
    [DataRow("gaps", 5)]
    [DataRow("u8", 1)]
    [DataRow("u8", 253)]
    [DataRow("nozero", 1)]
    [DataRow("objects", 3)]
    public void RelabelSequentialMatchesScikitImage(string input, int offset)
    {
        var labels = In(input);
        var result = Unmodified(labels, () => Call(() => Segmentation.RelabelSequential(labels, offset)));
        AssertMatches(Load(M, $"rs__{input}_o{offset}"), result.Labels, what: "labels");
        CollectionAssert.AreEqual((double[])Load(M, $"rs__{input}_o{offset}_in").ToFlatArray(), result.InputValues.Select(v => (double)v).ToArray(), "forward map's inputs");
        CollectionAssert.AreEqual((double[])Load(M, $"rs__{input}_o{offset}_out").ToFlatArray(), result.OutputValues.Select(v => (double)v).ToArray(), "forward map's outputs");
    }

    [TestMethod]
    public void RelabelSequentialOfSparseLargeLabelsMatchesTheDenseCase()
    {
        // Labels far above the element count take the sorting path; the order and the result are the same.
        var gaps = (HostArray<int>)In("gaps");
        var sparse = HostArray.Create(gaps.ToArray().Select(v => v * 10_000).ToArray(), gaps.Shape.ToArray());
        var dense = Call(() => Segmentation.RelabelSequential(gaps, 5));
        var scaled = Call(() => Segmentation.RelabelSequential(sparse, 5));
        AssertMatches(dense.Labels, scaled.Labels, what: "labels");
        CollectionAssert.AreEqual(dense.InputValues.Select(v => v * 10_000).ToArray(), scaled.InputValues);
        CollectionAssert.AreEqual(dense.OutputValues, scaled.OutputValues);
    }

    [TestMethod]
    public void RelabelSequentialRefusesBadArguments()
    {
        ThrowsFor("offset", () => Segmentation.RelabelSequential(In("gaps"), 0));
        ThrowsFor("labelField", () => Segmentation.RelabelSequential(In("relief")));
        var negative = HostArray.Create(new[] { 1, -2, 3 }, 3);
        ThrowsFor("labelField", () => Call(() => Segmentation.RelabelSequential(negative)));
    }

    [TestMethod]
    public void ApplyHysteresisThresholdMatchesScikitImage()
    {
        var ramp = In("ramp32");
        var lohi = (double[])In("hyst_lohi32").ToFlatArray();
        AssertMatches(Load(M, "hyst__ramp32"), Unmodified(ramp, () => Call(() => Filters.ApplyHysteresisThreshold(ramp, lohi[0], lohi[1]))), what: "float32");
        AssertMatches(Load(M, "hyst__cam"), Call(() => Filters.ApplyHysteresisThreshold(In("cam"), 99.99, 180.5)), what: "uint8");
        AssertMatches(Load(M, "hyst__cam_low_above_high"), Call(() => Filters.ApplyHysteresisThreshold(In("cam"), 200, 150)), what: "low clipped to high");
        AssertMatches(Load(M, "hyst__vol"), Call(() => Filters.ApplyHysteresisThreshold(In("vol"), 0.45, 0.55)), what: "3-D float64");
        ThrowsFor("low", () => Filters.ApplyHysteresisThreshold(ramp, double.NaN, 1));
    }

    [TestMethod]
    [DataRow("ramp32")]
    [DataRow("cam")]
    [DataRow("big_u8")]
    [DataRow("vol")]
    [DataRow("blobs")]
    public void ThresholdMeanMatchesNumPysMean(string input)
    {
        var image = In(input);
        Assert.AreEqual(Scalar(M, "metric_mean_" + input), Unmodified(image, () => Call(() => Filters.ThresholdMean(image))), $"threshold_mean of {input}, bit for bit");
    }

    [TestMethod]
    public void RemoveSmallHolesMatchesScikitImage()
    {
        var holes = In("holes");
        AssertMatches(Load(M, "rsh__holes_16"), Unmodified(holes, () => Call(() => Morphology.RemoveSmallHoles(holes, 16))), what: "area 16");
        AssertMatches(Load(M, "rsh__holes_8_c2"), Call(() => Morphology.RemoveSmallHoles(holes, 8, connectivity: 2)), what: "area 8, connectivity 2");
        AssertMatches(Load(M, "rsh__objects_30"), Call(() => Morphology.RemoveSmallHoles(In("objects"), 30)), what: "labels read as a mask");
        AssertMatches(Load(M, "rsh__blobs3_10"), Call(() => Morphology.RemoveSmallHoles(In("blobs3"), 10, connectivity: 3)), what: "3-D");
        ThrowsFor("areaThreshold", () => Morphology.RemoveSmallHoles(holes, -1));
        ThrowsFor("connectivity", () => Morphology.RemoveSmallHoles(holes, connectivity: 3));
    }

    /// <summary>docs/image.md's "Segment and measure" pipeline, as written there.</summary>
    [TestMethod]
    public void TheSegmentAndMeasurePipelineOfTheDocsRuns()
    {
        // Cells: five bright discs (radius 9) on a dim, noisy background, one of them cut by the border.
        var rng = new Random(5);
        var pixels = new byte[128 * 128];
        (int Y, int X)[] centres = [(30, 30), (30, 90), (70, 60), (100, 25), (110, 124)];
        for (int y = 0; y < 128; y++)
            for (int x = 0; x < 128; x++)
            {
                bool cell = centres.Any(c => (y - c.Y) * (y - c.Y) + (x - c.X) * (x - c.X) <= 81);
                pixels[y * 128 + x] = (byte)((cell ? 190 : 40) + rng.Next(30));
            }
        var image = HostArray.Create(pixels, 128, 128);
        var lines = new List<string>();
        var labels = Call(() =>
        {
            var smooth = Filters.Gaussian(image, sigma: 2);
            double t = Filters.ThresholdOtsu(smooth);
            var objects = Filters.ApplyHysteresisThreshold(smooth, 0.9 * t, t);   // above 0.9 t, and touching above t
            var seeds = Measure.Label(Morphology.BinaryErosion(objects, Morphology.Disk(3)));   // the objects' cores
            var labels = Segmentation.Watershed(Filters.Sobel(smooth), seeds, mask: objects);
            labels = Segmentation.ClearBorder(labels);
            foreach (var region in Measure.Regionprops(labels))
                lines.Add($"{region.Label}: {region.Area} px, {region.AxisMajorLength:F1} x {region.AxisMinorLength:F1}, e = {region.Eccentricity:F2}");
            return (HostArray<int>)labels;
        });
        CollectionAssert.AreEqual(image.Shape.ToArray(), labels.Shape.ToArray());
        var values = labels.ToArray();
        Assert.IsTrue(values.Any(v => v != 0), "some object is kept");
        int height = labels.Shape[0], width = labels.Shape[1];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1)
                    Assert.AreEqual(0, values[y * width + x], $"clear_border leaves no object on the border ({y}, {x})");
        Assert.AreEqual(4, lines.Count, $"the four whole cells, one line each: {string.Join("; ", lines)}");
        Assert.IsTrue(lines.All(l => l.Contains("e = 0.")), "each cell is round (eccentricity below 1)");
    }
}
