using System.Diagnostics;
using Scoped.Benchmarks.Image;
using Scoped.Image;

namespace Scoped.Benchmarks;

/// <summary>
/// The process-level cold-start benchmark (issue 15): in a fresh process, the first and second call of one function
/// on a 2048² input against its steady state, which BenchmarkDotNet's warm-up hides. Run one process per function and
/// per measurement (tools/bench/cold.sh does, and takes medians over processes):
/// <c>dotnet Scoped.Benchmarks.dll cold gaussian</c> prints <c>gaussian first_ms second_ms steady_ms</c>.
/// </summary>
public static class ColdStart
{
    private const int Size = 2048;

    /// <summary>Each function as the benchmarks call it, with its input made before any timing.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Func<object>>> Cases = new Dictionary<string, Func<Func<object>>>
    {
        ["gaussian"] = () => { var f = BenchImages.RandomFloat(Size); return () => Filters.Gaussian(f, 2); },
        ["sobel"] = () => { var f = BenchImages.RandomFloat(Size); return () => Filters.Sobel(f); },
        ["median_f32"] = () => { var f = BenchImages.RandomFloat(Size); return () => Filters.Median(f, Morphology.Square(3)); },
        ["median_u8"] = () => { var b = BenchImages.RandomBytes(Size); return () => Filters.Median(b, Morphology.Square(3)); },
        ["erosion"] = () => { var f = BenchImages.RandomFloat(Size); return () => Morphology.Erosion(f, Morphology.Square(3)); },
        ["binary_erosion"] = () => { var m = BenchImages.Mask(Size); return () => Morphology.BinaryErosion(m, Morphology.Square(3)); },
        ["resize_x2"] = () => { var f = BenchImages.RandomFloat(Size); return () => Transform.Resize(f, [2 * Size, 2 * Size]); },
        ["rotate_30"] = () => { var f = BenchImages.RandomFloat(Size); return () => Transform.Rotate(f, 30); },
        ["otsu"] = () => { var f = BenchImages.Scene(Size); return () => Filters.ThresholdOtsu(f); },
        ["equalize_hist"] = () => { var f = BenchImages.Scene(Size); return () => Exposure.EqualizeHist(f); },
        ["ssim"] = () => { var a = BenchImages.Scene(Size); var b = BenchImages.RandomFloat(Size); return () => Metrics.StructuralSimilarity(a, b, dataRange: 1); },
        ["canny"] = () => { var f = BenchImages.Scene(Size); return () => Feature.Canny(f, 1); },
        ["label"] = () => { var m = BenchImages.Mask(Size); return () => Measure.Label(m); },
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
        var call = make();
        double first = Time(call), second = Time(call);
        var steady = new double[steadyCalls];
        for (int i = 0; i < steadyCalls; i++) steady[i] = Time(call);
        var settled = steady[(steadyCalls / 2)..];
        Array.Sort(settled);
        Console.WriteLine(FormattableString.Invariant($"{args[1]} {first:F2} {second:F2} {settled[settled.Length / 2]:F2}"));
        return 0;
    }

    private static double Time(Func<object> call)
    {
        long start = Stopwatch.GetTimestamp();
        GC.KeepAlive(call());
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
