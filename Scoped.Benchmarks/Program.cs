using BenchmarkDotNet.Running;
using Scoped.Benchmarks;
using Scoped.Benchmarks.Image;

// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*Dispatch*'
// dotnet Scoped.Benchmarks.dll cold gaussian    (one fresh-process measurement; see ColdStart and tools/bench/cold.sh)
// dotnet Scoped.Benchmarks.dll versus median_u8 512 2048   (parallel against default, size by size; see Versus)
if (args.Length > 0 && args[0] == "cold") return ColdStart.Run(args);
if (args.Length > 0 && args[0] == "versus") return Versus.Run(args);
if (args.Length > 0 && args[0] == "alloc") return Allocations.Run(args);
// dotnet Scoped.Benchmarks.dll scene-u16 scene.npy   (TiffBenchmarks' image, for tools/bench/tiff_peers.py)
if (args.Length == 2 && args[0] == "scene-u16") { Scoped.Image.IO.Npy.Write(args[1], TiffBenchmarks.Scene(2048)); return 0; }
// dotnet Scoped.Benchmarks.dll volume-npy DIR   (VolumeBenchmarks' volume and blobs, for tools/bench/volume_peers.py)
if (args.Length == 2 && args[0] == "volume-npy")
{
    Scoped.Image.IO.Npy.Write(Path.Combine(args[1], "volume.npy"), VolumeBenchmarks.Volume(256));
    Scoped.Image.IO.Npy.Write(Path.Combine(args[1], "blobs.npy"), VolumeBenchmarks.Blobs(256));
    return 0;
}
// dotnet Scoped.Benchmarks.dll segmentation-npy DIR   (SegmentationBenchmarks' inputs, for tools/bench/segmentation_peers.py)
if (args.Length == 2 && args[0] == "segmentation-npy")
{
    var (relief, markers, labels) = SegmentationBenchmarks.Inputs(2048);
    Scoped.Image.IO.Npy.Write(Path.Combine(args[1], "relief.npy"), relief);
    Scoped.Image.IO.Npy.Write(Path.Combine(args[1], "markers.npy"), markers);
    Scoped.Image.IO.Npy.Write(Path.Combine(args[1], "labels.npy"), labels);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
