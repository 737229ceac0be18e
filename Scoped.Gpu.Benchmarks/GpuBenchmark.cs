using System.Globalization;
using Scoped.Backends.Gpu;
using Scoped.Backends.Gpu.Native;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Gpu.Benchmarks;

/// <summary>
/// <c>dotnet Scoped.Gpu.Benchmarks.dll [--sizes 4096,8192] [--batches 15] [--per-batch 10] [--out FILE] [--probe]</c>:
/// times the GPU backend on device-resident float32 images with CUDA events, and the device's own copy bandwidth.
/// Each case: a few calls to warm up (compiles kernels, fills the memory pool), then batches of calls, each batch timed
/// by two events on the backend's stream; the time per call is the median batch over its call count. Writes one
/// tab-separated line per case (function, size, milliseconds, bytes moved, note) for tools/gpu/report.py.
/// --probe only prints the device (or why there is none: exit status 3). Not a BenchmarkDotNet run: the clock that matters is the device's, not the host's.
/// </summary>
internal static class GpuBenchmark
{
    private sealed record Case(string Function, Func<GpuArray, NDArray> Call, Func<long, long> BytesMoved);

    public static int Run(string[] args)
    {
        int[] sizes = [4096, 8192];
        int batches = 15, perBatch = 10;
        string? output = null;
        bool probeOnly = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--sizes": sizes = [.. Value().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--batches": batches = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--per-batch": perBatch = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--out": output = Value(); break;
                case "--probe": probeOnly = true; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: Scoped.Gpu.Benchmarks [--sizes 4096,8192] [--batches 15] [--per-batch 10] [--out FILE] [--probe]");
                    return 2;
            }
        }

        if (GpuDevice.DefaultUnavailableReason is { } reason)
        {
            Console.Error.WriteLine($"no usable GPU: {reason}");
            return 3;
        }
        var device = GpuDevice.Default;
        if (device.Runtime is not CudaRuntime runtime)
        {
            Console.Error.WriteLine("the default device is not the CUDA runtime");
            return 3;
        }
        Console.WriteLine($"device: {device.Info.Name} ({device.Info.Architecture}, {device.Info.TotalMemory >> 20} MiB), driver CUDA {CudaReasons.VersionText(device.Info.DriverVersion)}, NVRTC {runtime.CompilerVersion}");
        if (probeOnly) return 0;

        var square3 = Morphology.Square(3);
        long Same(long bytes) => 2 * bytes;
        Case[] cases =
        [
            new("gaussian", image => Filters.Gaussian(image, 2), Same),
            new("sobel", image => Filters.Sobel(image), Same),
            new("median3x3", image => Filters.Median(image, square3), Same),
            new("erosion3x3", image => Morphology.Erosion(image, square3), Same),
            new("resize_x0.5", image => Transform.Resize(image, [image.Shape[0] / 2, image.Shape[1] / 2], order: 1, antiAliasing: false), b => b + b / 4),
            new("resize_x2", image => Transform.Resize(image, [image.Shape[0] * 2, image.Shape[1] * 2], order: 1, antiAliasing: false), b => b + 4 * b),
            new("rotate30", image => Transform.Rotate(image, 30, order: 1), Same),
        ];

        using var writer = output is null ? null : new StreamWriter(output);
        void Report(string function, int size, double milliseconds, long bytes, string note)
        {
            var line = string.Join('\t', function, size.ToString(CultureInfo.InvariantCulture),
                double.IsNaN(milliseconds) ? "nan" : milliseconds.ToString("R", CultureInfo.InvariantCulture), bytes.ToString(CultureInfo.InvariantCulture), note);
            writer?.WriteLine(line);
            writer?.Flush();
            var gbps = double.IsNaN(milliseconds) ? "" : $"{bytes / (milliseconds * 1e6):0.0} GB/s";
            Console.WriteLine($"  {function,-12} {size,6}  {(double.IsNaN(milliseconds) ? "—" : milliseconds.ToString("0.000", CultureInfo.InvariantCulture)),9} ms  {gbps,12}  {note}");
        }

        // The device's own copy bandwidth: one large device-to-device copy, bytes read + written over time.
        {
            const long copyBytes = 1L << 30;
            using var source = GpuArray<byte>.Zeros(device, (int)copyBytes);
            using var destination = GpuArray<byte>.Allocate(device, (int)copyBytes);
            var ms = Median(runtime, batches, perBatch, () => runtime.Copy(destination.Pointer, source.Pointer, copyBytes));
            Report("copy", (int)(copyBytes >> 20), ms, 2 * copyBytes, "device-to-device copy of 1 GiB (size column in MiB)");
        }

        foreach (var size in sizes)
        {
            using var image = GpuArray<float>.Upload(RandomImage(size), device);
            long bytes = image.ByteCount;
            foreach (var benchmark in cases)
            {
                try
                {
                    // Warm up, and check that the gpu backend ran it (not a fallback): a device array has no other taker.
                    var explained = Backend.Explain(() => benchmark.Call(image));
                    (explained.Result as IDisposable)?.Dispose();
                    if (explained.Backend != GpuBackend.BackendName)
                    {
                        Report(benchmark.Function, size, double.NaN, benchmark.BytesMoved(bytes), $"ran on {explained.Backend}, not the GPU");
                        continue;
                    }
                    for (int i = 0; i < 2; i++) (benchmark.Call(image) as IDisposable)?.Dispose();
                    var ms = Median(runtime, batches, perBatch, () => (benchmark.Call(image) as IDisposable)?.Dispose());
                    Report(benchmark.Function, size, ms, benchmark.BytesMoved(bytes), "");
                }
                catch (Exception ex) when (ex is BackendNotImplementedException or CudaException or NotSupportedException or InvalidOperationException or ArgumentException)
                {
                    var firstLine = ex.Message.Split('\n')[0].Trim();
                    var why = ex is BackendNotImplementedException nie
                        ? nie.Candidates.FirstOrDefault(c => c.Backend == GpuBackend.BackendName)?.Reason ?? firstLine
                        : firstLine;
                    Report(benchmark.Function, size, double.NaN, benchmark.BytesMoved(bytes), $"{ex.GetType().Name}: {why}".Replace('\t', ' '));
                }
            }
        }
        return 0;
    }

    /// <summary>The median over <paramref name="batches"/> batches of the per-call time of a batch of <paramref name="perBatch"/> calls.</summary>
    private static double Median(CudaRuntime runtime, int batches, int perBatch, Action call)
    {
        call();   // warm-up outside the timed batches
        runtime.Synchronize();
        var times = new double[batches];
        for (int b = 0; b < batches; b++)
            times[b] = runtime.TimeMilliseconds(() => { for (int i = 0; i < perBatch; i++) call(); }) / perBatch;
        Array.Sort(times);
        return batches % 2 == 1 ? times[batches / 2] : (times[batches / 2 - 1] + times[batches / 2]) / 2;
    }

    /// <summary>Uniform [0, 1) float32 (random data, never zeros: zeros can run faster than real images).</summary>
    private static HostArray<float> RandomImage(int size)
    {
        var random = new Random(size);
        var data = new float[(long)size * size];
        for (long i = 0; i < data.LongLength; i++) data[i] = random.NextSingle();
        return HostArray.Create(data, size, size);
    }
}
