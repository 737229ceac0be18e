using System.Runtime.InteropServices;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>
/// Runs a call with the default implementation and with the "parallel" backend cut into bands of 1, 2, 3, 5 and 16
/// rows (so every seam, and bands narrower than the function's reach, are crossed on small images), over randomized
/// shapes: one pixel, one row, one column, odd sizes, sizes not divisible by the band, with and without channels.
/// The results must be the same bytes.
/// </summary>
internal static class ParallelTestKit
{
    public static readonly int[] BandLengths = [1, 2, 3, 5, 16];

    /// <summary>(rows, cols) pairs covering the edge cases; a seeded random pair is added per call site.</summary>
    public static IEnumerable<(int Rows, int Cols)> Shapes(int seed)
    {
        (int, int)[] fixedShapes = [(1, 1), (1, 9), (9, 1), (2, 2), (7, 5), (17, 33), (40, 23)];
        foreach (var s in fixedShapes) yield return s;
        var random = new Random(seed);
        for (int i = 0; i < 3; i++) yield return (random.Next(1, 70), random.Next(1, 90));
    }

    /// <summary>A random image: values in [0, 1) for floats, the full range for integers, half true for bool.</summary>
    public static HostArray Random(DType dtype, int rows, int cols, int channels, int seed)
    {
        var random = new Random(seed);
        int[] shape = channels > 0 ? [rows, cols, channels] : [rows, cols];
        int n = rows * cols * Math.Max(1, channels);
        return dtype switch
        {
            DType.Float32 => HostArray.Create(Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray(), shape),
            DType.Float64 => HostArray.Create(Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(), shape),
            DType.UInt8 => HostArray.Create(Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray(), shape),
            DType.UInt16 => HostArray.Create(Enumerable.Range(0, n).Select(_ => (ushort)random.Next(65536)).ToArray(), shape),
            DType.Int32 => HostArray.Create(Enumerable.Range(0, n).Select(_ => random.Next(-1000, 1000)).ToArray(), shape),
            DType.Bool => HostArray.Create(Enumerable.Range(0, n).Select(_ => random.Next(2) == 1).ToArray(), shape),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };
    }

    /// <summary>
    /// For each dtype, shape and channel count (0 = 2-D), <paramref name="call"/> with the default and with the parallel
    /// backend (only: true, so a decline or a missing implementation fails the test) must give the same bytes.
    /// </summary>
    public static void AssertBitIdentical(string what, Func<HostArray, object> call, DType[] dtypes, int[]? channelCounts = null, int seed = 1)
    {
        channelCounts ??= [0];
        foreach (var dtype in dtypes)
            foreach (var channels in channelCounts)
                foreach (var (rows, cols) in Shapes(seed))
                {
                    var image = Random(dtype, rows, cols, channels, seed++);
                    string label = $"{what} {dtype} {rows}x{cols}" + (channels > 0 ? $"x{channels}" : "");
                    try { call(image); }
                    catch (ArgumentException) { continue; } // a shape the function refuses: the refusal is tested elsewhere
                    AssertBandsOn(label, image, call);
                }
    }

    /// <summary><paramref name="call"/> on one given image: the default's result against the parallel backend's in every band length.</summary>
    public static void AssertBandsOn(string label, HostArray image, Func<HostArray, object> call)
    {
        var expected = call(image);
        foreach (var band in BandLengths)
            WithBands(band, () => AssertSameBytes(expected, call(image), $"{label}, bands of {band}"));
    }

    /// <summary>Runs <paramref name="action"/> inside Backend.Use("parallel", only: true) with bands of <paramref name="band"/>
    /// rows and no size threshold; the options are restored afterwards.</summary>
    public static void WithBands(int band, Action action)
    {
        var saved = ParallelBackend.CurrentOptions;
        try
        {
            ParallelBackend.Configure(o => { o.MinimumElements = 0; o.BandLength = band; });
            using (Backend.Use(ParallelBackend.BackendName, only: true)) action();
        }
        finally { ParallelBackend.Configure(saved); }
    }

    /// <summary>Same type, shape and bytes (NaN payloads included); tuples and records compared field by field.</summary>
    public static void AssertSameBytes(object? expected, object? actual, string label)
    {
        switch (expected)
        {
            case HostArray e:
                Assert.IsInstanceOfType<HostArray>(actual, label);
                var a = (HostArray)actual!;
                Assert.AreEqual(e.DType, a.DType, $"{label}: dtype");
                CollectionAssert.AreEqual(e.Shape.ToArray(), a.Shape.ToArray(), $"{label}: shape");
                var eb = Bytes(e.ToFlatArray());
                var ab = Bytes(a.ToFlatArray());
                int first = eb.AsSpan().CommonPrefixLength(ab);
                Assert.AreEqual(eb.Length, first, $"{label}: bytes differ from byte {first} (element {first / Math.Max(1, eb.Length / Math.Max(1, e.Size))})");
                break;
            case double d:
                Assert.IsInstanceOfType<double>(actual, label);
                Assert.AreEqual(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual!), $"{label}: {d:R} vs {actual:R}");
                break;
            case Array e:
                Assert.IsInstanceOfType<Array>(actual, label);
                var ea = Bytes(e);
                var aa = Bytes((Array)actual!);
                Assert.AreEqual(ea.Length, aa.Length, $"{label}: length");
                Assert.AreEqual(ea.Length, ea.AsSpan().CommonPrefixLength(aa), $"{label}: bytes differ");
                break;
            case HistogramResult e:
                Assert.IsInstanceOfType<HistogramResult>(actual, label);
                AssertSameBytes(e.Counts, ((HistogramResult)actual!).Counts, $"{label}: counts");
                AssertSameBytes(e.BinCenters, ((HistogramResult)actual!).BinCenters, $"{label}: bin centres");
                break;
            default:
                Assert.AreEqual(expected, actual, label);
                break;
        }
    }

    private static byte[] Bytes(Array flat) => flat switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()).ToArray(),
        double[] d => MemoryMarshal.AsBytes(d.AsSpan()).ToArray(),
        byte[] b => b,
        ushort[] u => MemoryMarshal.AsBytes(u.AsSpan()).ToArray(),
        int[] i => MemoryMarshal.AsBytes(i.AsSpan()).ToArray(),
        bool[] b => MemoryMarshal.AsBytes(b.AsSpan()).ToArray(),
        _ => throw new ArgumentException($"unexpected array {flat.GetType()}"),
    };

    /// <summary>A band scheduler for driving kernels directly: bands of a fixed number of rows, run concurrently.</summary>
    public sealed class FixedBands(int length) : Scoped.Image.Primitives.IBandScheduler
    {
        public int BandCount(int items) => (items + length - 1) / length;
        public void Run(int count, Action<int> band) => System.Threading.Tasks.Parallel.For(0, count, band);
    }
}
