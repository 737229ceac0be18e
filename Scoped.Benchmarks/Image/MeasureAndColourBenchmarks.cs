using BenchmarkDotNet.Attributes;
using Scoped.Image;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// The colour spaces, label2rgb, equalize_adapthist, find_contours, block_reduce, the convex hulls, thin and regionprops_table at
/// 2048x2048 on one core. Inputs are BenchImages' scene and relief (tools/bench/measure_colour_peers.py builds the
/// same in NumPy): an RGB image of scene, relief and 1 - scene; the mask scene &gt; 0.5; the labels of relief &gt; 170.
/// </summary>
[MemoryDiagnoser]
public class MeasureAndColourBenchmarks
{
    /// <summary>regionprops_table's 20 properties (the peers' anchor: 20 properties on about a thousand objects).</summary>
    public static readonly string[] TableProperties = ["label", "area", "area_bbox", "area_convex", "area_filled", "axis_major_length",
        "axis_minor_length", "bbox", "centroid", "eccentricity", "equivalent_diameter_area", "euler_number", "extent", "inertia_tensor",
        "orientation", "perimeter", "solidity", "intensity_mean", "moments_hu", "feret_diameter_max"];

    private HostArray scene = null!;
    private HostArray reliefFloat = null!;
    private HostArray rgb = null!;
    private HostArray lab = null!;
    private HostArray lab2 = null!;
    private HostArray mask = null!;
    private HostArray labels = null!;
    private HostArray reliefBytes = null!;

    [Params(2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var s = BenchImages.Scene(Size);
        var relief = BenchImages.Relief(Size);
        scene = s;
        var sv = s.ToArray();
        var rv = relief.ToArray();
        reliefFloat = HostArray.Create(rv.Select(v => v / 255f).ToArray(), Size, Size);
        var pixels = new float[3 * sv.Length];
        for (int i = 0; i < sv.Length; i++) { pixels[3 * i] = sv[i]; pixels[3 * i + 1] = rv[i] / 255f; pixels[3 * i + 2] = 1 - sv[i]; }
        rgb = HostArray.Create(pixels, Size, Size, 3);
        lab = (HostArray)Color.Rgb2Lab(rgb);
        // The second colour image: the channels rotated.
        var rotated = new float[pixels.Length];
        for (int i = 0; i < sv.Length; i++) { rotated[3 * i] = pixels[3 * i + 1]; rotated[3 * i + 1] = pixels[3 * i + 2]; rotated[3 * i + 2] = pixels[3 * i]; }
        lab2 = (HostArray)Color.Rgb2Lab(HostArray.Create(rotated, Size, Size, 3));
        mask = BenchImages.Mask(Size);
        reliefBytes = relief;
        labels = (HostArray)Measure.Label(HostArray.Create(rv.Select(v => v > 170).ToArray(), Size, Size));
    }

    [Benchmark(Description = "rgb2lab float32")]
    public NDArray Rgb2Lab() => Color.Rgb2Lab(rgb);

    [Benchmark(Description = "rgb2hed float32")]
    public NDArray Rgb2Hed() => Color.Rgb2Hed(rgb);

    [Benchmark(Description = "deltaE_ciede2000 float32")]
    public NDArray DeltaE() => Color.DeltaECiede2000(lab, lab2);

    [Benchmark(Description = "label2rgb overlay on grey")]
    public NDArray Label2Rgb() => Color.Label2Rgb(labels, scene);

    [Benchmark(Description = "find_contours 0.5 (relief)")]
    public NDArray[] FindContours() => Measure.FindContours(reliefFloat, 0.5);

    [Benchmark(Description = "block_reduce mean 4x4 float32")]
    public NDArray BlockReduce() => Measure.BlockReduce(scene, [4], "mean");

    [Benchmark(Description = "convex_hull_image mask")]
    public NDArray ConvexHullImage() => Morphology.ConvexHullImage(mask);

    [Benchmark(Description = "convex_hull_object mask")]
    public NDArray ConvexHullObject() => Morphology.ConvexHullObject(mask);

    [Benchmark(Description = "thin mask")]
    public NDArray Thin() => Morphology.Thin(mask);

    [Benchmark(Description = "regionprops_table 20 properties")]
    public RegionTable RegionpropsTable() => Measure.RegionpropsTable(labels, scene, TableProperties);

    [Benchmark(Description = "equalize_adapthist uint8 (8x8 tiles, clip 0.01)")]
    public NDArray EqualizeAdapthist() => Exposure.EqualizeAdapthist(reliefBytes);
}
