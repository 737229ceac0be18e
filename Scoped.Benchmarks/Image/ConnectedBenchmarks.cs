using BenchmarkDotNet.Attributes;
using Scoped.Image;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// The connected operators, histogram matching and the dtype conversions added with the segment-and-measure
/// pipeline, at 2048x2048 on one core: the relief (uint8 hills and pits), its float32 copy in [0, 1], its erosion
/// as a reconstruction seed, and the tiled scene (float32) for the histogram functions.
/// </summary>
[MemoryDiagnoser]
public class ConnectedBenchmarks
{
    private HostArray relief = null!;
    private HostArray reliefFloat = null!;
    private HostArray seed = null!;
    private HostArray scene = null!;

    [Params(2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bytes = BenchImages.Relief(Size);
        relief = bytes;
        reliefFloat = HostArray.Create(bytes.ToArray().Select(v => v / 255f).ToArray(), Size, Size);
        seed = (HostArray)Morphology.Erosion(bytes, Morphology.Square(15));
        scene = BenchImages.Scene(Size);
    }

    [Benchmark(Description = "reconstruction uint8 (opening by reconstruction)")]
    public NDArray Reconstruction() => Morphology.Reconstruction(seed, relief);

    [Benchmark(Description = "h_maxima 20 uint8")]
    public NDArray HMaxima() => Morphology.HMaxima(relief, 20);

    [Benchmark(Description = "local_maxima float32")]
    public NDArray LocalMaxima() => Morphology.LocalMaxima(reliefFloat);

    [Benchmark(Description = "flood tolerance 40 uint8")]
    public NDArray Flood() => Morphology.Flood(relief, [1024, 1024], tolerance: 40);

    [Benchmark(Description = "area_opening 64 uint8")]
    public NDArray AreaOpening() => Morphology.AreaOpening(relief, 64);

    [Benchmark(Description = "area_closing 64 float32")]
    public NDArray AreaClosing() => Morphology.AreaClosing(reliefFloat, 64);

    [Benchmark(Description = "diameter_opening 8 uint8")]
    public NDArray DiameterOpening() => Morphology.DiameterOpening(relief, 8);

    [Benchmark(Description = "cumulative_distribution float32")]
    public CumulativeDistributionResult CumulativeDistribution() => Exposure.CumulativeDistribution(scene);

    [Benchmark(Description = "match_histograms uint8")]
    public NDArray MatchHistograms() => Exposure.MatchHistograms(relief, scene);

    [Benchmark(Description = "is_low_contrast float32")]
    public bool IsLowContrast() => Exposure.IsLowContrast(scene);

    [Benchmark(Description = "img_as_uint float32")]
    public NDArray ImgAsUint() => Util.ImgAsUint(scene);
}
