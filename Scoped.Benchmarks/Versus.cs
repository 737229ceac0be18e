using System.Diagnostics;
using System.Globalization;
using Scoped.Backends.Parallel;

namespace Scoped.Benchmarks;

/// <summary>
/// The parallel backend against the default, size by size (issue 15: "never slower at any size"): for each size the
/// median of warm calls of each, alternating so both see the same machine state. It is a sweep for finding where
/// the bands start to pay, not a replacement for BenchmarkDotNet's figures:
/// <c>dotnet Scoped.Benchmarks.dll versus median_u8 256 512 1024 2048</c> prints
/// <c>function size default_ms parallel_ms speedup</c> per size.
/// </summary>
public static class Versus
{
    public static int Run(string[] args)
    {
        if (args.Length < 3 || !ColdStart.Cases.TryGetValue(args[1], out var make))
        {
            Console.Error.WriteLine($"usage: versus FUNCTION SIZE...; functions: {string.Join(", ", ColdStart.Cases.Keys)}");
            return 2;
        }
        // Every call of the sweep goes to the parallel backend when asked, however small the image.
        ParallelBackend.Configure(o => o.MinimumElements = 0);
        foreach (var text in args[2..])
        {
            int size = int.Parse(text, CultureInfo.InvariantCulture);
            var call = make(size);
            // Enough calls for about a second of each at this size, at least 11.
            double once = Time(call, parallel: false);
            int calls = Math.Clamp((int)(500 / Math.Max(once, 0.01)), 11, 2001);
            for (int i = 0; i < 5; i++) { Time(call, false); Time(call, true); }
            var single = new double[calls];
            var banded = new double[calls];
            for (int i = 0; i < calls; i++)
            {
                single[i] = Time(call, parallel: false);
                banded[i] = Time(call, parallel: true);
            }
            double d = Median(single), p = Median(banded);
            Console.WriteLine(FormattableString.Invariant($"{args[1]} {size} {d:F3} {p:F3} {d / p:F2}"));
        }
        return 0;
    }

    private static double Time(Func<object> call, bool parallel)
    {
        long start = Stopwatch.GetTimestamp();
        if (parallel)
            using (Scoped.Dispatch.Backend.Use(ParallelBackend.BackendName, only: true)) GC.KeepAlive(call());
        else GC.KeepAlive(call());
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
