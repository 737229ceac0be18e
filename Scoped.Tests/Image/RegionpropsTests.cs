using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>Every regionprops property of scikit-image 0.19.3 and regionprops_table (tools/fixtures/gen_regionprops.py).</summary>
[TestClass]
public sealed class RegionpropsTests
{
    private const string M = "regionprops";

    private static readonly Dictionary<string, Func<RegionProperties, object>> Properties = new()
    {
        ["area"] = r => r.Area, ["area_bbox"] = r => r.AreaBbox, ["area_convex"] = r => r.AreaConvex, ["area_filled"] = r => r.AreaFilled,
        ["axis_major_length"] = r => r.AxisMajorLength!, ["axis_minor_length"] = r => r.AxisMinorLength!, ["eccentricity"] = r => r.Eccentricity!,
        ["equivalent_diameter_area"] = r => r.EquivalentDiameterArea, ["euler_number"] = r => r.EulerNumber, ["extent"] = r => r.Extent,
        ["feret_diameter_max"] = r => r.FeretDiameterMax, ["label"] = r => r.Label, ["orientation"] = r => r.Orientation!,
        ["perimeter"] = r => r.Perimeter, ["perimeter_crofton"] = r => r.PerimeterCrofton, ["solidity"] = r => r.Solidity,
        ["intensity_max"] = r => r.MaxIntensity!, ["intensity_mean"] = r => r.MeanIntensity!, ["intensity_min"] = r => r.MinIntensity!,
        ["bbox"] = r => r.Bbox, ["centroid"] = r => r.Centroid, ["centroid_local"] = r => r.CentroidLocal,
        ["centroid_weighted"] = r => r.CentroidWeighted, ["centroid_weighted_local"] = r => r.CentroidWeightedLocal,
        ["inertia_tensor"] = r => r.InertiaTensor, ["inertia_tensor_eigvals"] = r => r.InertiaTensorEigvals, ["moments"] = r => r.Moments,
        ["moments_central"] = r => r.MomentsCentral, ["moments_hu"] = r => r.MomentsHu, ["moments_normalized"] = r => r.MomentsNormalized,
        ["moments_weighted"] = r => r.MomentsWeighted, ["moments_weighted_central"] = r => r.MomentsWeightedCentral,
        ["moments_weighted_hu"] = r => r.MomentsWeightedHu, ["moments_weighted_normalized"] = r => r.MomentsWeightedNormalized,
    };

    private static double[] Flatten(object value) => value switch
    {
        int i => [i],
        long l => [l],
        double d => [d],
        int[] a => Array.ConvertAll(a, v => (double)v),
        double[] a => a,
        double[][] m => m.SelectMany(r => r).ToArray(),
        NDArray a => (double[])((HostArray)a).AsType(DType.Float64).ToFlatArray(),
        _ => throw new InvalidOperationException(value.GetType().Name),
    };

    [TestMethod]
    [DataRow("blobs", "blobs", "intensity")]
    [DataRow("holes", "holes", "intensity32")]
    [DataRow("holes_plain", "holes", null)]
    [DataRow("vol", "vol", "vol_int")]
    public void EveryPropertyMatchesScikitImage(string tag, string labelsName, string? intensityName)
    {
        var labels = Load(M, labelsName);
        var intensity = intensityName is null ? null : Load(M, intensityName);
        var regions = Call(() => Measure.Regionprops(labels, intensity));
        Assert.AreEqual((int)Scalar(M, $"{tag}__count"), regions.Length, "region count");
        int checkedProperties = 0;
        foreach (var (name, read) in Properties)
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", M, $"{tag}__{name}.npy");
            if (!File.Exists(path)) continue;   // not defined for this input (3-D, or no intensity image)
            var expected = (double[])Load(M, $"{tag}__{name}").AsType(DType.Float64).ToFlatArray();
            var actual = regions.SelectMany(r => Flatten(read(r))).ToArray();
            Assert.AreEqual(expected.Length, actual.Length, $"{name}: values");
            // float32 intensities give float32-rounded weighted moments; the rest agree to float64 rounding.
            double tolerance = intensityName == "intensity32" && (name.Contains("weighted") || name.Contains("intensity")) ? 2e-6 : 1e-9;
            AssertMatches(HostArray.Create(expected, expected.Length), HostArray.Create(actual, actual.Length), tolerance, what: name);
            checkedProperties++;
        }
        Assert.IsTrue(checkedProperties >= (labels.Rank == 2 ? (intensity is null ? 24 : 34) : 24), $"{checkedProperties} properties checked");
        for (int i = 0; i < regions.Length; i++)
        {
            AssertMatches(Load(M, $"{tag}__image__{i}"), regions[i].Image, what: $"image {i}");
            AssertMatches(Load(M, $"{tag}__image_filled__{i}"), regions[i].ImageFilled, what: $"image_filled {i}");
            AssertMatches(Load(M, $"{tag}__coords__{i}"), regions[i].Coords, what: $"coords {i}");
            if (labels.Rank == 2) AssertMatches(Load(M, $"{tag}__image_convex__{i}"), regions[i].ImageConvex, what: $"image_convex {i}");
            if (intensity is not null) AssertMatches(Load(M, $"{tag}__image_intensity__{i}"), regions[i].ImageIntensity, what: $"image_intensity {i}");
        }
        var slices = (HostArray<int>)Load(M, $"{tag}__slice");
        for (int i = 0; i < regions.Length; i++)
            for (int a = 0; a < labels.Rank; a++)
                Assert.AreEqual((slices[i, a], slices[i, labels.Rank + a]), regions[i].Slice[a], $"slice {i}");
    }

    [TestMethod]
    public void PropertiesThatDoNotApplySaySo()
    {
        var region = Measure.Regionprops(Load(M, "holes"))[0];
        Assert.Contains("intensity image", Assert.ThrowsExactly<InvalidOperationException>(() => _ = region.ImageIntensity).Message);
        var volume = Measure.Regionprops(Load(M, "vol"))[0];
        Assert.Contains("2-D", Assert.ThrowsExactly<InvalidOperationException>(() => _ = volume.Perimeter).Message);
        var first = region.Moments;
        var again = region.Moments;
        Assert.AreSame(first, again, "computed once, then cached");
    }

    [TestMethod]
    public void RegionpropsTableMatchesScikitImage()
    {
        var table = Call(() => Measure.RegionpropsTable(Load(M, "blobs"), Load(M, "intensity"),
            ["label", "area", "bbox", "centroid", "inertia_tensor", "moments_hu", "intensity_mean", "solidity", "euler_number"]));
        AssertTable("table", table);
        AssertTable("table_default", Call(() => Measure.RegionpropsTable(Load(M, "holes"), separator: "_")));
        string csv = table.ToCsv();
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.AreEqual(table.Rows + 1, lines.Length);
        Assert.StartsWith("label,area,bbox-0,bbox-1,bbox-2,bbox-3,centroid-0", lines[0]);
    }

    private static void AssertTable(string tag, RegionTable table)
    {
        var columns = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", M, $"{tag}_columns.txt")).Where(l => l.Length > 0).ToArray();
        CollectionAssert.AreEqual(columns, table.Columns.Keys.ToArray(), "columns");
        var values = (HostArray<double>)Load(M, $"{tag}_values");
        for (int c = 0; c < columns.Length; c++)
            for (int r = 0; r < table.Rows; r++)
                AssertClose(values[c, r], table.Columns[columns[c]][r], 1e-9, $"{columns[c]} row {r}");
    }

    [TestMethod]
    public void RegionpropsTableChecksItsProperties()
    {
        var labels = Load(M, "holes");
        ThrowsFor("properties", () => Measure.RegionpropsTable(labels, properties: ["image"]));
        ThrowsFor("properties", () => Measure.RegionpropsTable(labels, properties: ["roundness"]));
        ThrowsFor("properties", () => Measure.RegionpropsTable(labels, properties: ["intensity_mean"]));
        ThrowsFor("properties", () => Measure.RegionpropsTable(Load(M, "vol"), properties: ["perimeter"]));
    }
}
