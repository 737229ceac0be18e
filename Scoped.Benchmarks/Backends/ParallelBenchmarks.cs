using BenchmarkDotNet.Attributes;
using Scoped.Backends.Parallel;
using Scoped.Benchmarks.Image;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Benchmarks.Backends;

/// <summary>
/// The default against the "parallel" backend in the same run, 4096x4096 float32 (issue 4 asks for 1.8x on 2 cores).
/// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*ParallelBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ParallelBenchmarks : DefaultVersusParallel
{
    private HostArray<float> image = null!;

    [Params(4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        image = BenchImages.RandomFloat(Size);
        // Printed in the log: what ran and how many threads it could use.
        var ran = Backend == DispatchBackend.DefaultName ? DispatchBackend.DefaultName : Run(() => Scoped.Dispatch.Backend.Explain(() => Filters.Gaussian(image, 2)).Backend);
        Console.WriteLine($"// {Backend}: runs on '{ran}', {Environment.ProcessorCount} processors, MaxDegreeOfParallelism {ParallelBackend.CurrentOptions.MaxDegreeOfParallelism}");
    }

    [Benchmark(Description = "gaussian sigma=2")]
    public NDArray Gaussian() => Run(() => Filters.Gaussian(image, 2));

    [Benchmark(Description = "sobel")]
    public NDArray Sobel() => Run(() => Filters.Sobel(image));

    [Benchmark(Description = "median 3x3")]
    public NDArray Median() => Run(() => Filters.Median(image));

    [Benchmark(Description = "erosion square(3)")]
    public NDArray Erosion() => Run(() => Morphology.Erosion(image, Square3));

    [Benchmark(Description = "resize x2 bilinear")]
    public NDArray ResizeDouble() => Run(() => Transform.Resize(image, [Size * 2, Size * 2]));

    [Benchmark(Description = "rotate 30 bilinear")]
    public NDArray Rotate30() => Run(() => Transform.Rotate(image, 30));
}
