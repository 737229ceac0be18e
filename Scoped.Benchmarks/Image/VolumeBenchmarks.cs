using BenchmarkDotNet.Attributes;
using Scoped.Backends.Parallel;
using Scoped.Benchmarks.Backends;
using Scoped.Image;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// The N-D kernels on a 256³ float32 volume (issue 14's speed rows), default and parallel in the same run; the peers
/// (scikit-image on one core) come from tools/bench/volume_peers.py on the same bytes (<c>volume-npy</c> writes them).
/// "copy" is the memory-bandwidth floor: one read and one write of the volume.
/// </summary>
[MemoryDiagnoser]
public class VolumeBenchmarks : DefaultVersusParallel
{
    private HostArray<float> volume = null!;
    private HostArray<bool> blobs = null!;
    private HostArray<byte> ball1 = null!;

    [Params(256)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        volume = Volume(Size);
        blobs = Blobs(Size);
        ball1 = Morphology.Ball(1);
    }

    /// <summary>Seeded uniform [0, 1) float32, n³.</summary>
    public static HostArray<float> Volume(int n)
    {
        var rng = new Random(14);
        var data = new float[n * n * n];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle();
        return HostArray.Create(data, n, n, n);
    }

    /// <summary>binary_blobs' recipe: Gaussian-smoothed noise above its median (here: above 0.5 after smoothing sigma n/40).</summary>
    public static HostArray<bool> Blobs(int n)
    {
        var smooth = (HostArray<float>)Filters.Gaussian(Volume(n), n / 40.0);
        var values = smooth.ToArray();
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        float median = sorted[sorted.Length / 2];
        return HostArray.Create(values.Select(v => v > median).ToArray(), n, n, n);
    }

    [Benchmark(Description = "copy 256³ f32 (bandwidth floor)")]
    public float[] Copy() => volume.ToArray();

    [Benchmark(Description = "gaussian sigma=2 256³ f32")]
    public NDArray Gaussian() => Run(() => Filters.Gaussian(volume, 2));

    [Benchmark(Description = "median 3x3x3 256³ f32")]
    public NDArray Median() => Run(() => Filters.Median(volume));

    [Benchmark(Description = "erosion ball(1) 256³ f32")]
    public NDArray Erosion() => Run(() => Morphology.Erosion(volume, ball1));

    [Benchmark(Description = "sobel 256³ f32")]
    public NDArray Sobel() => Run(() => Filters.Sobel(volume));

    [Benchmark(Description = "resize to 128³ f32")]
    public NDArray Resize() => Run(() => Transform.Resize(volume, [128, 128, 128]));

    [Benchmark(Description = "label 26-conn 256³ blobs")]
    public NDArray Label() => Run(() => Measure.Label(blobs, connectivity: 3));
}
