// The quickstart pipeline (gaussian -> sobel -> threshold_otsu -> label -> regionprops) on all cores, as a program
// compiled ahead of time. It prints numbers only, so that the native build's output can be compared with the JIT
// build's line for line.
//
//   dotnet publish -c Release examples/AotPipeline && examples/AotPipeline/bin/Release/net10.0/linux-x64/publish/AotPipeline
using System.Numerics.Tensors;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;

string input = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "coins.png");
var image = ImageFile.Read(input);

// No discovery (it loads assemblies by path, which a native program cannot): the backend is registered by hand and
// asked for in a scope; steps it declines run on the default. Bands of 8 rows and no size threshold, so that the small
// sample is cut into bands too.
var parallel = new ParallelBackend();
Backend.Register(parallel);
ParallelBackend.Configure(o => { o.MinimumElements = 0; o.BandLength = 8; });

using (Backend.Use(parallel))
{
    Console.WriteLine($"image {image}");
    var smooth = Step("filters.gaussian", () => Filters.Gaussian(image, sigma: 2));
    var edges = Step("filters.sobel", () => Filters.Sobel(smooth));
    double threshold = Step("filters.threshold_otsu", () => Filters.ThresholdOtsu(smooth));
    NDArray mask = Tensor.GreaterThan(((HostArray<double>)smooth).Tensor, threshold);
    var labels = Step("measure.label", () => Measure.Label(mask));
    var regions = Step("measure.regionprops", () => Measure.Regionprops(labels, image));

    Console.WriteLine($"gaussian sum {Sum(smooth):R}");
    Console.WriteLine($"sobel sum {Sum(edges):R}");
    Console.WriteLine($"threshold_otsu {threshold:R}");
    Console.WriteLine($"regions {regions.Length}");
    foreach (var region in regions.OrderByDescending(r => r.Area).ThenBy(r => r.Label).Take(5))
        Console.WriteLine($"label {region.Label} area {region.Area} centroid {region.Centroid[0]:R} {region.Centroid[1]:R} " +
                          $"bbox {string.Join(",", region.Bbox)} mean {region.MeanIntensity:R}");
}

// Runs one step through Backend.Explain, which records the backend the dispatcher chose.
static T Step<T>(string name, Func<T> call)
{
    var explained = Backend.Explain(call);
    Console.WriteLine($"{name} ran on {explained.Backend}");
    return explained.Result;
}

static double Sum(NDArray array) => Tensor.Sum<double>(((HostArray<double>)array).Tensor);
