using BenchmarkDotNet.Attributes;
using Scoped.Image;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// The thresholds and measurements added with the segment-and-measure pipeline, at 2048x2048 on one core: the tiled
/// scene as float32 and as uint8 (its values x 255), and its mask (scene &gt; 0.5).
/// </summary>
[MemoryDiagnoser]
public class ThresholdAndMeasureBenchmarks
{
    private HostArray scene = null!;
    private HostArray bytes = null!;
    private HostArray mask = null!;

    [Params(2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var floats = BenchImages.Scene(Size);
        scene = floats;
        bytes = HostArray.Create(floats.ToArray().Select(v => (byte)Math.Clamp(v * 255, 0, 255)).ToArray(), Size, Size);
        mask = BenchImages.Mask(Size);
    }

    [Benchmark(Description = "threshold_isodata uint8")]
    public double Isodata() => Filters.ThresholdIsodata(bytes);

    [Benchmark(Description = "threshold_triangle float32")]
    public double Triangle() => Filters.ThresholdTriangle(scene);

    [Benchmark(Description = "threshold_multiotsu 3 classes uint8")]
    public double[] Multiotsu() => Filters.ThresholdMultiotsu(bytes);

    [Benchmark(Description = "threshold_niblack 15 float32")]
    public NDArray Niblack() => Filters.ThresholdNiblack(scene);

    [Benchmark(Description = "threshold_sauvola 15 uint8")]
    public NDArray Sauvola() => Filters.ThresholdSauvola(bytes);

    [Benchmark(Description = "moments_central float32")]
    public NDArray MomentsCentral() => Measure.MomentsCentral(scene);

    [Benchmark(Description = "euler_number mask")]
    public int EulerNumber() => Measure.EulerNumber(mask);

    [Benchmark(Description = "perimeter mask")]
    public double Perimeter() => Measure.Perimeter(mask);

    [Benchmark(Description = "perimeter_crofton mask")]
    public double PerimeterCrofton() => Measure.PerimeterCrofton(mask);

    [Benchmark(Description = "shannon_entropy uint8")]
    public double Entropy() => Measure.ShannonEntropy(bytes);
}
