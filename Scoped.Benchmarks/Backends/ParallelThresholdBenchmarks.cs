using BenchmarkDotNet.Attributes;
using Scoped.Backends.Parallel;
using Scoped.Benchmarks.Image;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Benchmarks.Backends;

/// <summary>
/// Where bands start to pay: small images, the threshold switched off, default against parallel for the cheapest
/// kernels (their fixed costs weigh most). Sets <see cref="ParallelBackendOptions.MinimumElements"/>'s default.
/// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*ParallelThresholdBenchmarks*'
/// </summary>
public class ParallelThresholdBenchmarks : DefaultVersusParallel
{
    private HostArray<float> image = null!;

    [Params(256, 512, 1024, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        image = BenchImages.RandomFloat(Size);
        ParallelBackend.Configure(o => o.MinimumElements = 0);
    }

    [Benchmark(Description = "erosion square(3)")]
    public NDArray Erosion() => Run(() => Morphology.Erosion(image, Square3));

    [Benchmark(Description = "median 3x3")]
    public NDArray Median() => Run(() => Filters.Median(image));

    [Benchmark(Description = "gaussian sigma=2")]
    public NDArray Gaussian() => Run(() => Filters.Gaussian(image, 2));
}
