using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>skimage.morphology's connected operators against scikit-image 0.19.3 (tools/fixtures/gen_connected.py):
/// reconstruction, the h-extrema, the local extrema, flood and flood_fill, the area and diameter openings and
/// closings. Every result is exact: the operators only move values around, and the h-extrema's rounding guard is
/// computed in the image's own type, as scikit-image does.</summary>
[TestClass]
public sealed class ConnectedOperatorsTests
{
    private const string M = "connected";

    private static HostArray In(string name) => Load(M, name);

    private static void Exact(string expected, NDArray actual) => AssertMatches(Load(M, expected), actual, 0, expected);

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("r64")]
    [DataRow("vol")]
    [DataRow("levels")]
    [DataRow("line")]
    [DataRow("i32")]
    public void ReconstructionByDilationAndErosion(string input)
    {
        var image = In(input);
        var below = In($"seed_below__{input}");
        var above = In($"seed_above__{input}");
        Exact($"reconstruction__{input}", Unmodified(below, () => Unmodified(image, () => Call(() => Morphology.Reconstruction(below, image)))));
        Exact($"reconstruction_erosion__{input}", Unmodified(above, () => Call(() => Morphology.Reconstruction(above, image, "erosion"))));
    }

    [TestMethod]
    public void ReconstructionTakesFootprintsAndOffsets()
    {
        Exact("reconstruction__cam_cross", Call(() => Morphology.Reconstruction(In("seed_cross__cam"), In("cam"), footprint: In("cross"))));
        Exact("reconstruction__cam_wide", Call(() => Morphology.Reconstruction(In("seed_cross__cam"), In("cam"), footprint: In("wide"))));
        var line = (HostArray<double>)In("line");
        var seed = HostArray.Create(Array.ConvertAll(line.ToArray(), v => Math.Min(v, 0.45)), line.Shape.ToArray());
        Exact("reconstruction__line_offset", Call(() => Morphology.Reconstruction(seed, line, footprint: HostArray.Create(new byte[] { 1, 1, 1, 1 }, 4), offset: [0])));
        Exact("reconstruction__line_offset3", Call(() => Morphology.Reconstruction(seed, line, footprint: HostArray.Create(new byte[] { 1, 0, 1, 1, 0 }, 5), offset: [3])));
    }

    [TestMethod]
    public void ReconstructionRefusesWhatScikitImageRefuses()
    {
        var cam = In("cam");
        var above = In("seed_above__cam");
        StringAssert.Contains(ThrowsFor("seed", () => Morphology.Reconstruction(above, cam)).Message, "seed must be <= mask");
        StringAssert.Contains(ThrowsFor("seed", () => Morphology.Reconstruction(In("seed_below__cam"), cam, "erosion")).Message, "seed must be >= mask");
        ThrowsFor("method", () => Morphology.Reconstruction(cam, cam, "opening"));
        ThrowsFor("footprint", () => Morphology.Reconstruction(cam, cam, footprint: Morphology.Rectangle(2, 3)));
        ThrowsFor("footprint", () => Morphology.Reconstruction(cam, cam, footprint: Morphology.Cube(3)));
        ThrowsFor("offset", () => Morphology.Reconstruction(cam, cam, footprint: Morphology.Rectangle(2, 3), offset: [2, 0]));
        ThrowsFor("offset", () => Morphology.Reconstruction(cam, cam, offset: [1]));
        ThrowsFor("mask", () => Morphology.Reconstruction(cam, In("r32")));
    }

    [TestMethod]
    [DataRow("cam", "10", 10.0)]
    [DataRow("cam", "25", 25.0)]
    [DataRow("cam", "2p5", 2.5)]
    [DataRow("r32", "0p1", 0.1)]
    [DataRow("r64", "0p02", 0.02)]
    [DataRow("levels", "1", 1.0)]
    [DataRow("vol", "0p05", 0.05)]
    [DataRow("u16", "900", 900.0)]
    [DataRow("i32", "100000", 100000.0)]
    [DataRow("line", "0p01", 0.01)]
    [DataRow("cam", "1000", 1000.0)]
    public void HMaximaAndHMinima(string input, string tag, double h)
    {
        var image = In(input);
        Exact($"h_maxima__{input}_{tag}", Unmodified(image, () => Call(() => Morphology.HMaxima(image, h))));
        Exact($"h_minima__{input}_{tag}", Call(() => Morphology.HMinima(image, h)));
    }

    [TestMethod]
    public void HExtremaTakeAFootprintAndRefuseZero()
    {
        Exact("h_maxima__cam_10_cross", Call(() => Morphology.HMaxima(In("cam"), 10, In("cross"))));
        Exact("h_minima__cam_10_cross", Call(() => Morphology.HMinima(In("cam"), 10, In("cross"))));
        StringAssert.Contains(ThrowsFor("h", () => Morphology.HMaxima(In("cam"), 0)).Message, "local_maxima");
        ThrowsFor("h", () => Morphology.HMinima(In("cam"), -1));
        ThrowsFor("h", () => Morphology.HMinima(In("cam"), double.NaN));
        ThrowsFor("image", () => Morphology.HMaxima(HostArray.Create(new[] { true, false }, 2), 1));
    }

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("r64")]
    [DataRow("vol")]
    [DataRow("levels")]
    [DataRow("u16")]
    [DataRow("i32")]
    [DataRow("line")]
    [DataRow("flat")]
    public void LocalMaximaAndMinima(string input)
    {
        var image = In(input);
        Exact($"local_maxima__{input}", Unmodified(image, () => Call(() => Morphology.LocalMaxima(image))));
        Exact($"local_minima__{input}", Unmodified(image, () => Call(() => Morphology.LocalMinima(image))));
        Exact($"local_maxima__{input}_c1", Call(() => Morphology.LocalMaxima(image, connectivity: 1)));
        Exact($"local_maxima__{input}_noborders", Call(() => Morphology.LocalMaxima(image, allowBorders: false)));
        Exact($"local_minima__{input}_noborders", Call(() => Morphology.LocalMinima(image, allowBorders: false)));
    }

    [TestMethod]
    public void LocalMaximaTakeAFootprintOfDirectNeighbours()
    {
        Exact("local_maxima__levels_cross", Call(() => Morphology.LocalMaxima(In("levels"), In("cross"))));
        ThrowsFor("footprint", () => Morphology.LocalMaxima(In("levels"), Morphology.Square(5)));
        ThrowsFor("footprint", () => Morphology.LocalMaxima(In("levels"), HostArray.Create(new byte[] { 1, 1, 1, 1, 0, 1, 1, 1, 1 }, 3, 3)));
        ThrowsFor("connectivity", () => Morphology.LocalMinima(In("levels"), connectivity: 3));
    }

    private static readonly (string Input, int[] Seed, double? Tolerance, int? Connectivity)[] Floods =
    [
        ("levels", [5, 5], null, null), ("levels", [5, 5], 1, null), ("levels", [0, -1], null, 1),
        ("cam", [20, 20], 20, null), ("cam", [20, 20], 7.5, 1), ("cam", [-1, -1], 0, 2),
        ("r32", [3, 4], 0.2, null), ("vol", [4, 5, 6], 0.08, 1), ("u16", [8, 9], 4000, null),
        ("i32", [9, 10], 500000, null), ("line", [20], 0.05, null), ("cam", [0, 0], -3, null),
    ];

    [TestMethod]
    public void FloodMatchesScikitImage()
    {
        for (int k = 0; k < Floods.Length; k++)
        {
            var (input, seed, tolerance, connectivity) = Floods[k];
            var image = In(input);
            Exact($"flood__{k}", Unmodified(image, () => Call(() => Morphology.Flood(image, seed, connectivity: connectivity, tolerance: tolerance))));
        }
    }

    [TestMethod]
    public void FloodFillCastsTheNewValueAsNumPyAssigns()
    {
        var cam = In("cam");
        Exact("flood_fill__cam_300", Unmodified(cam, () => Call(() => Morphology.FloodFill(cam, [20, 20], 300, tolerance: 20))));
        Exact("flood_fill__cam_m7p9", Call(() => Morphology.FloodFill(cam, [20, 20], -7.9, tolerance: 20)));
        Exact("flood_fill__r32", Call(() => Morphology.FloodFill(In("r32"), [3, 4], 0.123456789, tolerance: 0.2)));
        Exact("flood_fill__levels_cross", Call(() => Morphology.FloodFill(In("levels"), [5, 5], 9, In("cross"))));
        ThrowsFor("seedPoint", () => Morphology.Flood(cam, [41, 0]));
        ThrowsFor("seedPoint", () => Morphology.Flood(cam, [0, -54]));
        ThrowsFor("seedPoint", () => Morphology.Flood(cam, [0]));
        ThrowsFor("tolerance", () => Morphology.Flood(cam, [0, 0], tolerance: double.PositiveInfinity));
        ThrowsFor("newValue", () => Morphology.FloodFill(cam, [0, 0], double.NaN));
    }

    [TestMethod]
    [DataRow("cam", 16, 1)]
    [DataRow("cam", 64, 2)]
    [DataRow("levels", 10, 1)]
    [DataRow("r32", 8, 1)]
    [DataRow("r64", 20, 2)]
    [DataRow("vol", 12, 1)]
    [DataRow("vol", 40, 3)]
    [DataRow("u16", 25, 1)]
    [DataRow("i32", 9, 2)]
    [DataRow("line", 5, 1)]
    [DataRow("cam", 5000, 1)]
    [DataRow("flat", 3, 1)]
    public void AreaAndDiameterOpeningsAndClosings(string input, int area, int connectivity)
    {
        var image = In(input);
        int diameter = Math.Max(2, (int)Math.Round(Math.Sqrt(area), MidpointRounding.ToEven));
        Exact($"area_opening__{input}_{area}_{connectivity}", Unmodified(image, () => Call(() => Morphology.AreaOpening(image, area, connectivity))));
        Exact($"area_closing__{input}_{area}_{connectivity}", Unmodified(image, () => Call(() => Morphology.AreaClosing(image, area, connectivity))));
        Exact($"diameter_opening__{input}_{diameter}_{connectivity}", Call(() => Morphology.DiameterOpening(image, diameter, connectivity)));
        Exact($"diameter_closing__{input}_{diameter}_{connectivity}", Call(() => Morphology.DiameterClosing(image, diameter, connectivity)));
    }

    [TestMethod]
    public void AttributeFiltersCheckTheirArguments()
    {
        Exact("diameter_opening__cam_100_1", Call(() => Morphology.DiameterOpening(In("cam"), 100)));
        ThrowsFor("areaThreshold", () => Morphology.AreaOpening(In("cam"), -1));
        ThrowsFor("diameterThreshold", () => Morphology.DiameterClosing(In("cam"), -1));
        ThrowsFor("connectivity", () => Morphology.AreaClosing(In("cam"), 4, 3));
        ThrowsFor("image", () => Morphology.AreaOpening(HostArray.Create(new[] { true, false }, 2)));
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 1)]
    [DataRow(3, 2)]
    [DataRow(2, 5)]
    [DataRow(7, 4)]
    public void EllipseFootprint(int width, int height)
    {
        Exact($"ellipse__{width}_{height}", Morphology.Ellipse(width, height));
        ThrowsFor("height", () => Morphology.Ellipse(width, -1));
    }
}
