using BenchmarkDotNet.Attributes;
using Scoped.Image;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// skimage.segmentation at 2048x2048 on one core: watershed of a smoothed random relief from 2000 seeds (plain, with
/// lines, compact), and the label clean-up on the labels of a smoothed random mask. The peers come from
/// tools/bench/segmentation_peers.py on the same bytes (<c>segmentation-npy</c> writes them).
/// </summary>
[MemoryDiagnoser]
public class SegmentationBenchmarks
{
    private HostArray relief = null!;
    private HostArray markers = null!;
    private HostArray labels = null!;

    [Params(2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup() => (relief, markers, labels) = Inputs(Size);

    /// <summary>The inputs: float64 relief (uniform noise smoothed with sigma 4), int32 seeds 1..2000 at seeded places,
    /// int32 labels of the relief above 0.5 (8-connected).</summary>
    public static (HostArray Relief, HostArray Markers, HostArray Labels) Inputs(int n)
    {
        var rng = new Random(17);
        var noise = new double[n * n];
        for (int i = 0; i < noise.Length; i++) noise[i] = rng.NextDouble();
        var relief = (HostArray)Filters.Gaussian(HostArray.Create(noise, n, n), 4);
        var seeds = new int[n * n];
        int placed = 0;
        while (placed < 2000)
        {
            int at = rng.Next(seeds.Length);
            if (seeds[at] == 0) seeds[at] = ++placed;
        }
        var above = ((double[])relief.ToFlatArray()).Select(v => v > 0.5).ToArray();
        var labels = (HostArray)Measure.Label(HostArray.Create(above, n, n));
        return (relief, HostArray.Create(seeds, n, n), labels);
    }

    [Benchmark(Description = "watershed 2000 seeds")]
    public NDArray Watershed() => Segmentation.Watershed(relief, markers);

    [Benchmark(Description = "watershed watershed_line")]
    public NDArray WatershedLine() => Segmentation.Watershed(relief, markers, watershedLine: true);

    [Benchmark(Description = "watershed compactness 0.001")]
    public NDArray WatershedCompact() => Segmentation.Watershed(relief, markers, compactness: 0.001);

    [Benchmark(Description = "clear_border")]
    public NDArray ClearBorder() => Segmentation.ClearBorder(labels);

    [Benchmark(Description = "find_boundaries thick")]
    public NDArray FindBoundaries() => Segmentation.FindBoundaries(labels);

    [Benchmark(Description = "expand_labels distance 3")]
    public NDArray ExpandLabels() => Segmentation.ExpandLabels(labels, 3);

    [Benchmark(Description = "relabel_sequential offset 5")]
    public SequentialLabels Relabel() => Segmentation.RelabelSequential(labels, 5);
}
