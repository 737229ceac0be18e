using BenchmarkDotNet.Attributes;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Benchmarks.Image;

/// <summary>
/// TIFF in memory: a uint16 scene in 256-pixel Deflate tiles (horizontal predictor), written and read whole, and one
/// 1024² region read from it. tools/bench/tiff_peers.py times tifffile on the same image in the same sitting.
/// </summary>
[MemoryDiagnoser]
public class TiffBenchmarks
{
    private HostArray image = null!;
    private byte[] tiff = null!;
    private static readonly TiffWriteOptions Tiled = new() { TileSize = 256 };

    [Params(2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        image = Scene(Size);
        var stream = new MemoryStream();
        TiffWriter.Write(stream, image, Tiled);
        tiff = stream.ToArray();
    }

    /// <summary>The scene as uint16 (its range stretched over 0..65535).</summary>
    public static HostArray Scene(int size) => (HostArray)Exposure.RescaleIntensity(BenchImages.Scene(size), "image", "uint16");

    [Benchmark(Description = "tiff write u16 deflate tiles")]
    public long Write()
    {
        var stream = new MemoryStream();
        TiffWriter.Write(stream, image, Tiled);
        return stream.Length;
    }

    [Benchmark(Description = "tiff read u16 deflate tiles")]
    public NDArray Read()
    {
        using var reader = TiffReader.Open(new MemoryStream(tiff, writable: false));
        return reader.Read();
    }

    [Benchmark(Description = "tiff read 1024² region")]
    public NDArray Region()
    {
        using var reader = TiffReader.Open(new MemoryStream(tiff, writable: false));
        return reader.ReadRegion(512, 512, 1024, 1024);
    }
}
