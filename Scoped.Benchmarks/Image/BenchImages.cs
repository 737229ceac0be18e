using Scoped.Image;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// Inputs for the image benchmarks, the same kinds ../shared/anchors/bench_anchors.py times the peers on:
/// uniform random float32, a smooth "camera-like" float32 image, a mask, and RGB float32. Deterministic.
/// </summary>
public static class BenchImages
{
    /// <summary>Uniform [0, 1) float32, size x size.</summary>
    public static HostArray<float> RandomFloat(int size, int seed = 0)
    {
        var random = new Random(seed);
        var data = new float[size * size];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle();
        return HostArray.Create(data, size, size);
    }

    /// <summary>Uniform random bytes, size x size.</summary>
    public static HostArray<byte> RandomBytes(int size, int seed = 0)
    {
        var random = new Random(seed);
        var data = new byte[size * size];
        random.NextBytes(data);
        return HostArray.Create(data, size, size);
    }

    /// <summary>A smooth image with edges and flat regions (blobs on a gradient), float32 in [0, 1].</summary>
    public static HostArray<float> Scene(int size)
    {
        var data = new float[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (double)x / size, v = (double)y / size;
                double blobs = Math.Sin(u * 23) * Math.Cos(v * 17) > 0.3 ? 0.5 : 0;
                data[y * size + x] = (float)Math.Clamp(0.3 * u + 0.2 * v + blobs, 0, 1);
            }
        return HostArray.Create(data, size, size);
    }

    /// <summary>A relief of many hills and pits (two crossed ripples), uint8: thousands of regional extrema and
    /// plateaus, for the connected operators. tools/bench/connected_peers.py builds the same in NumPy.</summary>
    public static HostArray<byte> Relief(int size)
    {
        var data = new byte[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (double)x / size, v = (double)y / size;
                double z = Math.Sin(u * 301) * Math.Cos(v * 257) + 0.5 * Math.Sin(u * 53 + v * 71);
                data[y * size + x] = (byte)Math.Clamp((z + 1.5) * 85, 0, 255);
            }
        return HostArray.Create(data, size, size);
    }

    /// <summary>The scene thresholded at 0.5: a mask with a few dozen components per 512 pixels.</summary>
    public static HostArray<bool> Mask(int size) => HostArray.Create(Scene(size).ToArray().Select(v => v > 0.5f).ToArray(), size, size);

    /// <summary>Uniform [0, 1) float32 RGB, size x size x 3.</summary>
    public static HostArray<float> RandomRgb(int size, int seed = 0)
    {
        var random = new Random(seed);
        var data = new float[size * size * 3];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle();
        return HostArray.Create(data, size, size, 3);
    }
}
