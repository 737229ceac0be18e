using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>
/// Hot loops of exposure.histogram / equalize_hist: np.histogram's uniform-bin counting (a scaled first guess per
/// value, then corrected against the exact edges) and np.interp between uniformly spaced sample points.
/// </summary>
internal static class HistogramKernels
{
    private const int Chunk = 1024;

    /// <summary>
    /// Adds to <paramref name="counts"/> (length nbins) the values of <paramref name="rows"/> (optionally only where
    /// the mask is set) that lie in [edges[0], edges[nbins]]; bin k holds edges[k] &lt;= v &lt; edges[k + 1], the last bin
    /// is closed. Returns how many values were counted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CountUniform<T>(ImageRows<T> rows, ImageRows<bool> maskRows, bool masked, T[] edges, long[] counts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nbins = edges.Length - 1;
        T tlo = edges[0], thi = edges[nbins];
        var (norm, lower, upper) = UniformBounds(edges);
        int stride = nbins + 1;
        // Per band its own sub-histograms (exact integer counts), summed in band order afterwards.
        int count = Bands.Count(rows.Height);
        var partial = new long[count][];
        Bands.For(rows.Height, count, (band, start, end) =>
        {
            var sub = partial[band] = new long[4 * stride];
            CountRows(rows, maskRows, masked, tlo, thi, norm, nbins, lower, upper, sub, start, end);
        });
        long total = 0;
        for (int k = 0; k < nbins; k++)
        {
            long n = 0;
            foreach (var sub in partial) n += sub[k] + sub[stride + k] + sub[2 * stride + k] + sub[3 * stride + k];
            counts[k] += n;
            total += n;
        }
        return total;
    }

    /// <summary>
    /// The scale of the first guess, nbins / (last edge - first edge) in T, and the bounds of bin k for the correction
    /// step: open ends at the first and last bins; bin nbins is the "not counted" sentinel whose NaN bounds never move a
    /// value out of it. Shared with backends that count the bins themselves.
    /// </summary>
    internal static (T Norm, T[] Lower, T[] Upper) UniformBounds<T>(T[] edges) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nbins = edges.Length - 1;
        T norm = T.CreateTruncating(nbins / double.CreateTruncating(edges[nbins] - edges[0]));
        var lower = new T[nbins + 1];
        var upper = new T[nbins + 1];
        for (int k = 0; k < nbins; k++)
        {
            lower[k] = k == 0 ? T.NegativeInfinity : edges[k];
            upper[k] = k == nbins - 1 ? T.PositiveInfinity : edges[k + 1];
        }
        lower[nbins] = upper[nbins] = T.NaN;
        return (norm, lower, upper);
    }

    /// <summary>Counts rows [start, end) into four interleaved sub-histograms of nbins + 1 bins (the last: not counted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountRows<T>(ImageRows<T> rows, ImageRows<bool> maskRows, bool masked, T tlo, T thi, T norm, int nbins,
        T[] lower, T[] upper, long[] sub, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = nbins + 1;
        // Four interleaved sub-histograms so runs of equal bins do not serialise on one counter.
        T[] guess = ArrayPool<T>.Shared.Rent(Chunk);
        try
        {
            ref T lo = ref MemoryMarshal.GetArrayDataReference(lower);
            ref T up = ref MemoryMarshal.GetArrayDataReference(upper);
            ref long c = ref MemoryMarshal.GetArrayDataReference(sub);
            ref T g = ref MemoryMarshal.GetArrayDataReference(guess);
            for (int y = first; y < last; y++)
            {
                Span<T> row = rows.Row(y);
                ReadOnlySpan<bool> m = masked ? maskRows.Row(y) : default;
                for (int start = 0; start < row.Length; start += Chunk)
                {
                    int len = Math.Min(Chunk, row.Length - start);
                    ref T v = ref MemoryMarshal.GetReference(row.Slice(start, len));
                    Guess(ref v, ref g, len, tlo, thi, norm, nbins);
                    if (masked)
                    {
                        ref bool mm = ref MemoryMarshal.GetReference(m.Slice(start, len));
                        for (int i = 0; i < len; i++)
                            if (!Unsafe.Add(ref mm, i)) Unsafe.Add(ref g, i) = T.CreateTruncating(nbins);
                    }
                    int j = 0;
                    for (; j + 4 <= len; j += 4)
                    {
                        int k0 = Fix(Unsafe.Add(ref v, j), int.CreateTruncating(Unsafe.Add(ref g, j)), ref lo, ref up);
                        int k1 = Fix(Unsafe.Add(ref v, j + 1), int.CreateTruncating(Unsafe.Add(ref g, j + 1)), ref lo, ref up);
                        int k2 = Fix(Unsafe.Add(ref v, j + 2), int.CreateTruncating(Unsafe.Add(ref g, j + 2)), ref lo, ref up);
                        int k3 = Fix(Unsafe.Add(ref v, j + 3), int.CreateTruncating(Unsafe.Add(ref g, j + 3)), ref lo, ref up);
                        Unsafe.Add(ref c, k0)++;
                        Unsafe.Add(ref c, stride + k1)++;
                        Unsafe.Add(ref c, 2 * stride + k2)++;
                        Unsafe.Add(ref c, 3 * stride + k3)++;
                    }
                    for (; j < len; j++)
                        Unsafe.Add(ref c, Fix(Unsafe.Add(ref v, j), int.CreateTruncating(Unsafe.Add(ref g, j)), ref lo, ref up))++;
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(guess);
        }
    }

    /// <summary>Moves the guessed bin down or up until lower[k] &lt;= v &lt; upper[k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Fix<T>(T v, int k, ref T lower, ref T upper) where T : unmanaged, IFloatingPointIeee754<T>
    {
        while (v < Unsafe.Add(ref lower, k)) k--;
        while (v >= Unsafe.Add(ref upper, k)) k++;
        return k;
    }

    /// <summary>(v - lo) * norm clamped to [0, nbins - 1], or nbins where v is outside [lo, hi] or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Guess<T>(ref T src, ref T dst, int length, T lo, T hi, T norm, int nbins)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T top = T.CreateTruncating(nbins - 1), outside = T.CreateTruncating(nbins);
        int i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            var vlo = new Vector<T>(lo);
            var vhi = new Vector<T>(hi);
            var vnorm = new Vector<T>(norm);
            var vtop = new Vector<T>(top);
            var vout = new Vector<T>(outside);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Vector.LoadUnsafe(ref src, (nuint)i);
                var g = Vector.Min(Vector.Max((v - vlo) * vnorm, Vector<T>.Zero), vtop);
                var inside = Vector.GreaterThanOrEqual(v, vlo) & Vector.LessThanOrEqual(v, vhi);
                Vector.ConditionalSelect(inside, g, vout).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            T v = Unsafe.Add(ref src, i);
            T g = T.Min(T.Max((v - lo) * norm, T.Zero), top);
            Unsafe.Add(ref dst, i) = v >= lo && v <= hi ? g : outside;
        }
    }

    /// <summary>
    /// np.interp(x, xp, fp) for each element (in float64, rounded to T), where xp ascends with roughly uniform
    /// spacing: the interval index is computed from the spacing, then corrected against xp itself.
    /// slopes[j] = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]).
    /// </summary>
    public static void InterpUniform<T>(ImageRows<T> src, ImageRows<T> dst, double[] xp, double[] fp, double[] slopes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = xp.Length;
        double x0 = xp[0], xLast = xp[n - 1], fFirst = fp[0], fLast = fp[n - 1];
        double inverseStep = InverseStep(xp);
        int jMax = Math.Max(n - 2, 0);
        Bands.For(src.Height, (_, start, end) => InterpRows(src, dst, xp, fp, slopes, x0, xLast, fFirst, fLast, inverseStep, jMax, start, end));
    }

    /// <summary>1 / the mean spacing of xp (0 for one point): the scale of the interval guess.</summary>
    internal static double InverseStep(double[] xp) => xp.Length > 1 ? (xp.Length - 1) / (xp[^1] - xp[0]) : 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InterpRows<T>(ImageRows<T> src, ImageRows<T> dst, double[] xp, double[] fp, double[] slopes,
        double x0, double xLast, double fFirst, double fLast, double inverseStep, int jMax, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref double xr = ref MemoryMarshal.GetArrayDataReference(xp);
        ref double fr = ref MemoryMarshal.GetArrayDataReference(fp);
        ref double sr = ref MemoryMarshal.GetArrayDataReference(slopes);
        for (int y = first; y < last; y++)
        {
            Span<T> s = src.Row(y);
            Span<T> d = dst.Row(y);
            ref T sv = ref MemoryMarshal.GetReference(s);
            ref T dv = ref MemoryMarshal.GetReference(d);
            for (int i = 0; i < s.Length; i++)
            {
                double x = double.CreateTruncating(Unsafe.Add(ref sv, i));
                double value;
                if (x >= x0 && x < xLast)
                {
                    int j = (int)((x - x0) * inverseStep);
                    if (j > jMax) j = jMax;
                    // xp[0] <= x < xp[n - 1] bounds both walks.
                    while (Unsafe.Add(ref xr, j) > x) j--;
                    while (Unsafe.Add(ref xr, j + 1) <= x) j++;
                    double xj = Unsafe.Add(ref xr, j);
                    value = xj == x ? Unsafe.Add(ref fr, j) : Unsafe.Add(ref sr, j) * (x - xj) + Unsafe.Add(ref fr, j);
                }
                else value = double.IsNaN(x) ? x : x < x0 ? fFirst : fLast;
                Unsafe.Add(ref dv, i) = T.CreateTruncating(value);
            }
        }
    }
}
