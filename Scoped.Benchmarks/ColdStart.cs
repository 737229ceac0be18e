using System.Diagnostics;
using Scoped.Benchmarks.Image;
using Scoped.Image;

namespace Scoped.Benchmarks;

/// <summary>
/// The process-level cold-start benchmark (issue 15): in a fresh process, the first and second call of one function
/// on a 2048² input against its steady state, which BenchmarkDotNet's warm-up hides. Run one process per function and
/// per measurement (tools/bench/cold.sh does, and takes medians over processes):
/// <c>dotnet Scoped.Benchmarks.dll cold gaussian</c> prints <c>gaussian first_ms second_ms steady_ms</c>.
/// Experiments, by environment variable: COLD_PREFAULT=1 touches 256 MiB of heap first (so outputs land on pages
/// already faulted in: what is left of the gap is JIT), COLD_DISPATCH_FIRST=1 times discovery and the dispatcher's
/// start apart from the first call, COLD_FAULTS=1 prints the minor page faults per steady call.
/// </summary>
public static class ColdStart
{
    private const int Size = 2048;

    /// <summary>Each function as the benchmarks call it on a size² input, with its input made before any timing.</summary>
    public static readonly IReadOnlyDictionary<string, Func<int, Func<object>>> Cases = new Dictionary<string, Func<int, Func<object>>>
    {
        ["gaussian"] = n => { var f = BenchImages.RandomFloat(n); return () => Filters.Gaussian(f, 2); },
        ["sobel"] = n => { var f = BenchImages.RandomFloat(n); return () => Filters.Sobel(f); },
        ["median_f32"] = n => { var f = BenchImages.RandomFloat(n); return () => Filters.Median(f, Morphology.Square(3)); },
        ["median_u8"] = n => { var b = BenchImages.RandomBytes(n); return () => Filters.Median(b, Morphology.Square(3)); },
        ["erosion"] = n => { var f = BenchImages.RandomFloat(n); return () => Morphology.Erosion(f, Morphology.Square(3)); },
        ["dilation"] = n => { var f = BenchImages.RandomFloat(n); return () => Morphology.Dilation(f, Morphology.Square(3)); },
        ["erosion_u8"] = n => { var b = BenchImages.RandomBytes(n); return () => Morphology.Erosion(b, Morphology.Square(3)); },
        ["binary_erosion"] = n => { var m = BenchImages.Mask(n); return () => Morphology.BinaryErosion(m, Morphology.Square(3)); },
        ["resize_x2"] = n => { var f = BenchImages.RandomFloat(n); return () => Transform.Resize(f, [2 * n, 2 * n]); },
        ["resize_half"] = n => { var f = BenchImages.RandomFloat(n); return () => Transform.Resize(f, [n / 2, n / 2]); },
        ["rotate_30"] = n => { var f = BenchImages.RandomFloat(n); return () => Transform.Rotate(f, 30); },
        ["rgb2gray"] = n => { var c = BenchImages.RandomRgb(n); return () => Color.Rgb2Gray(c); },
        ["otsu"] = n => { var f = BenchImages.Scene(n); return () => Filters.ThresholdOtsu(f); },
        ["equalize_hist"] = n => { var f = BenchImages.Scene(n); return () => Exposure.EqualizeHist(f); },
        ["ssim"] = n => { var a = BenchImages.Scene(n); var b = BenchImages.RandomFloat(n); return () => Metrics.StructuralSimilarity(a, b, dataRange: 1); },
        ["canny"] = n => { var f = BenchImages.Scene(n); return () => Feature.Canny(f, 1); },
        ["npy_roundtrip"] = n =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"scoped-cold-{Environment.ProcessId}.npy");
            Scoped.Image.IO.Npy.Write(path, BenchImages.RandomFloat(n));
            return () => { var a = Scoped.Image.IO.ImageFile.Read(path); Scoped.Image.IO.Npy.Write(path, a); return a; };
        },
        ["label"] = n => { var m = BenchImages.Mask(n); return () => Measure.Label(m); },
    };

    /// <summary>Runs one case: two timed calls, then N more (40 unless given) of which the median of the last
    /// half is the steady state (tiered compilation has promoted the hot methods by then).</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 2 || !Cases.TryGetValue(args[1], out var make))
        {
            Console.Error.WriteLine($"usage: cold FUNCTION [steady calls]; functions: {string.Join(", ", Cases.Keys)}");
            return 2;
        }
        int steadyCalls = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40;
        var call = make(Size);
        if (Environment.GetEnvironmentVariable("COLD_PREFAULT") == "1")
        {
            // Experiment: commit and touch heap memory first, so the calls' outputs land on pages already faulted in.
            var chunks = new List<byte[]>();
            for (int i = 0; i < 16; i++) { var c = new byte[16 << 20]; Array.Fill(c, (byte)1); chunks.Add(c); }
            chunks.Clear();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        if (Environment.GetEnvironmentVariable("COLD_DISPATCH_FIRST") == "1")
        {
            // Experiment: start the dispatcher (discovery, registration) with an unrelated call before the timed ones.
            long t0 = Stopwatch.GetTimestamp();
            var found = Scoped.Dispatch.BackendDiscovery.Scan([AppContext.BaseDirectory]);
            Console.Error.WriteLine(FormattableString.Invariant($"scan {Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F1} ms, {found.Backends.Count} backends"));
            t0 = Stopwatch.GetTimestamp();
            Scoped.Dispatch.BackendDiscovery.Scan([AppContext.BaseDirectory]);
            Console.Error.WriteLine(FormattableString.Invariant($"second scan {Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F1} ms"));
            long t = Stopwatch.GetTimestamp();
            Util.Crop(HostArray.Zeros<float>(4, 4), 1);
            Console.Error.WriteLine(FormattableString.Invariant($"dispatcher start {Stopwatch.GetElapsedTime(t).TotalMilliseconds:F1} ms"));
        }
        double first = Time(call);
        SecondCallStarts();
        double second = Time(call);
        SecondCallEnded();
        var steady = new double[steadyCalls];
        long faults = MinorFaults();
        for (int i = 0; i < steadyCalls; i++) steady[i] = Time(call);
        if (Environment.GetEnvironmentVariable("COLD_FAULTS") == "1")
            Console.Error.WriteLine(FormattableString.Invariant($"{(MinorFaults() - faults) / (double)steadyCalls:F0} minor page faults per steady call"));
        var settled = steady[(steadyCalls / 2)..];
        Array.Sort(settled);
        Console.WriteLine(FormattableString.Invariant($"{args[1]} {first:F2} {second:F2} {settled[settled.Length / 2]:F2}"));
        return 0;
    }

    // Empty markers: each is jitted when first called, so under DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary=1 the
    // methods listed between them are those the second call still had to compile (tools/bench/cold-jit.sh).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void SecondCallStarts() { }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void SecondCallEnded() { }

    /// <summary>The process's minor page faults so far (Linux /proc/self/stat field 10), or 0 elsewhere.</summary>
    private static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    private static double Time(Func<object> call)
    {
        long start = Stopwatch.GetTimestamp();
        GC.KeepAlive(call());
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
