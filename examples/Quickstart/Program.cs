// Quickstart: the segment-and-measure pipeline scikit-image's gallery teaches, on a real image — smooth, threshold,
// split touching objects with a watershed on a distance-like map, drop the objects cut by the border, measure them
// into a CSV table, and paint the labels over the image as a PNG — printing which backend ran each step and how long
// it took.
//
//   dotnet run -c Release --project examples/Quickstart [-- INPUT.png [OUTPUT_DIR]]
using System.Diagnostics;
using System.Numerics.Tensors;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;

string input = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "coins.png");
string outputDirectory = Path.GetFullPath(args.Length > 1 ? args[1] : "quickstart-output");
Directory.CreateDirectory(outputDirectory);

if (typeof(Filters).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
        .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled))
    Console.WriteLine("(Scoped.Image is a Debug build: times below are unoptimised; run with -c Release.)\n");

var image = ImageFile.Read(input);
Console.WriteLine($"Read {Path.GetFileName(input)}: {image}\n");
// Twice: the first run includes JIT compilation and the dispatcher's first resolution of each call.
var result = Pipeline(image, "first run");
result = Pipeline(image, "second run");

Console.WriteLine($"Otsu threshold {result.Threshold:F4}; {result.Table.Rows} objects away from the border. The largest:");
var area = result.Table.Columns["area"];
foreach (int i in Enumerable.Range(0, result.Table.Rows).OrderByDescending(i => area[i]).Take(5))
    Console.WriteLine($"  label {result.Table.Columns["label"][i],3}: area {area[i],6}, centroid ({result.Table.Columns["centroid-0"][i],6:F1}, " +
                      $"{result.Table.Columns["centroid-1"][i],6:F1}), eccentricity {result.Table.Columns["eccentricity"][i]:F2}, " +
                      $"mean intensity {result.Table.Columns["intensity_mean"][i]:F1}");

Save("smooth.png", Util.ImgAsUbyte(result.Smooth));
Save("mask.png", result.Mask);
Save("overlay.png", Util.ImgAsUbyte(result.Overlay));
string csv = Path.Combine(outputDirectory, "objects.csv");
File.WriteAllText(csv, result.Table.ToCsv());
Console.WriteLine($"Wrote {csv}");

static (NDArray Smooth, double Threshold, NDArray Mask, NDArray Labels, RegionTable Table, NDArray Overlay) Pipeline(NDArray image, string title)
{
    Console.WriteLine($"{title,-28} {"backend",-10} {"time",10}");
    var smooth = Step("filters.gaussian", () => Filters.Gaussian(image, sigma: 2));
    double threshold = Step("filters.threshold_otsu", () => Filters.ThresholdOtsu(smooth));
    // smooth > threshold, straight on the tensor underneath: host arrays are Tensor<T>s.
    NDArray foreground = Tensor.GreaterThan(((HostArray<double>)smooth).Tensor, threshold);
    // Specks of bright background and pin holes in the objects are not objects.
    var mask = Step("morphology.remove_small_objects", () => Morphology.RemoveSmallObjects(foreground, minSize: 200));
    mask = Step("morphology.remove_small_holes", () => Morphology.RemoveSmallHoles(mask, areaThreshold: 200));
    // A distance-like map: the mask blurred, highest deep inside each object; its peaks seed one basin per object.
    var depth = (HostArray<double>)Step("filters.gaussian", () => Filters.Gaussian(Util.ImgAsFloat(mask), sigma: 6));
    var objects = Step("measure.label", () => Measure.Label(mask));
    var peaks = (HostArray<int>)Step("feature.peak_local_max", () => Feature.PeakLocalMax(depth, minDistance: 20, labels: objects));
    var markers = HostArray.Zeros<int>(mask.Shape.ToArray());
    for (int i = 0; i < peaks.Shape[0]; i++) markers[peaks[i, 0], peaks[i, 1]] = i + 1;
    NDArray relief = (HostArray<double>)Tensor.Negate<double>(depth.Tensor);
    var labels = Step("segmentation.watershed", () => Segmentation.Watershed(relief, markers, mask: mask));
    labels = Step("segmentation.clear_border", () => Segmentation.ClearBorder(labels));
    var table = Step("measure.regionprops_table", () => Measure.RegionpropsTable(labels, image,
        ["label", "area", "centroid", "bbox", "eccentricity", "solidity", "perimeter", "intensity_mean"]));
    var overlay = Step("color.label2rgb", () => Color.Label2Rgb(labels, image, alpha: 0.35));
    Console.WriteLine();
    return (smooth, threshold, mask, labels, table, overlay);
}

// Runs one step through Backend.Explain, which records which backend the dispatcher chose.
static T Step<T>(string name, Func<T> call)
{
    var clock = Stopwatch.StartNew();
    var explained = Backend.Explain(call);
    clock.Stop();
    Console.WriteLine($"{name,-28} {explained.Backend ?? "(helper)",-10} {clock.Elapsed.TotalMilliseconds,7:F2} ms");
    return explained.Result;
}

void Save(string name, NDArray result)
{
    string path = Path.Combine(outputDirectory, name);
    ImageFile.Write(path, result);
    Console.WriteLine($"Wrote {path}");
}
