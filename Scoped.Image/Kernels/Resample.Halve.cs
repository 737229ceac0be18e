using Scoped.Image.Primitives;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scoped.Image.Kernels;

// The exact-halving float32 fast path of Shrink (AVX2 where available).
internal static partial class Resample
{
    /// <summary>
    /// Exact-halving shrink of float32 rows (horizontal plan with a stride-2 interior). Per output row, the vertical
    /// pass runs first on full-width rows (six input rows into one; mirrored weight pairs are added before the multiply
    /// when the row's weights are symmetric) and writes its result already split into even and odd samples; the
    /// horizontal pass then reads that split row (again with paired taps) and clips on the way. The input rows that
    /// enter for the first time get their NaN-ignoring min and max in a sequential pass just before (it also brings
    /// them into cache; see <see cref="PrefixRange{T}"/>, which keeps that range a function of the output row alone).
    /// Clipping: when every weight is non-negative each output is a convex combination of the input rows up to its
    /// window, so clipping to the range of those rows equals clipping to the whole image's range up to float rounding;
    /// otherwise the whole image's range is taken.
    /// </summary>
    private static void HalveFloat(ImageRows<float> src, ImageRows<float> dst, AxisPlan py, AxisPlan px, Stride2Pattern pattern, bool clip)
    {
        if (py.OutLength == 0) return;
        var wy = ToT<float>(py.Weights);
        var wx = ToT<float>(px.Weights);
        bool running = true;
        foreach (var w in py.Weights) running &= w >= 0;
        foreach (var w in px.Weights) running &= w >= 0;
        int count = Bands.Count(py.OutLength);
        // One band reads the range chunks as it goes even without clipping (the sequential read brings the rows into
        // cache for the vertical pass); more bands need them only to clip.
        var ranges = clip || count == 1 ? new PrefixRange<float>(src, running ? py.Start[py.OutLength - 1] + py.Taps - 1 : src.Height - 1, count) : null;
        Bands.For(py.OutLength, count, (_, start, end) => HalveFloatRows(src, dst, py, px, pattern, wy, wx, clip, running, ranges, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HalveFloatRows(ImageRows<float> src, ImageRows<float> dst, AxisPlan py, AxisPlan px, Stride2Pattern pattern,
        float[] wy, float[] wx, bool clip, bool running, PrefixRange<float>? ranges, int start, int end)
    {
        int inW = src.Width, taps = py.Taps;
        int half = (inW + 1) / 2, pad = Vector256<float>.Count;
        // even samples at pad, odd at half + 2 pad, a full-width row (non-symmetric rows) after them
        float[] buffer = ArrayPool<float>.Shared.Rent(2 * half + inW + 4 * pad);
        Span<int> used = stackalloc int[8];
        try
        {
            Span<float> even = buffer.AsSpan(pad, half), odd = buffer.AsSpan(half + 2 * pad, half);
            Span<float> full = buffer.AsSpan(2 * half + 3 * pad, inW);
            for (int o = start; o < end; o++)
            {
                int s = py.Start[o];
                int m = 0;
                for (int k = 0; k < taps; k++) if (wy[o * taps + k] != 0) used[m++] = s + k;
                float w0 = m == 6 ? wy[o * taps + used[0] - s] : 0, w1 = m == 6 ? wy[o * taps + used[1] - s] : 0, w2 = m == 6 ? wy[o * taps + used[2] - s] : 0;
                bool symmetric = m == 6 && w0 == wy[o * taps + used[5] - s] && w1 == wy[o * taps + used[4] - s] && w2 == wy[o * taps + used[3] - s];
                // The range of the rows up to this output's window (or of the whole image when some weight is negative:
                // then an output is not a convex combination). With one band the chunks entering now are read here, in
                // one sequential pass (consecutive rows are adjacent in memory, so this is the one stream that reads
                // from memory, which the prefetcher follows far better than the six row streams of the vertical pass;
                // that pass then finds the rows in cache).
                float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
                if (ranges is not null) (lo, hi) = ranges.UpTo(running ? s + taps - 1 : src.Height - 1);
                if (symmetric)
                    VerticalSplit(src.Row(used[0]), src.Row(used[1]), src.Row(used[2]), src.Row(used[3]), src.Row(used[4]), src.Row(used[5]),
                        w0, w1, w2, even, odd);
                else
                {
                    full.Clear();
                    for (int j = 0; j < m; j++) MultiplyAdd<float>(src.Row(used[j]), wy[o * taps + used[j] - s], full);
                    Stride2Pattern.Split(full, even, odd);
                }
                pattern.ReduceClip(even, odd, dst.Row(o), px, wx, clip && lo <= hi, lo, hi);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>v = w0 (r0 + r5) + w1 (r1 + r4) + w2 (r2 + r3), stored split into even and odd samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalSplit(ReadOnlySpan<float> row0, ReadOnlySpan<float> row1, ReadOnlySpan<float> row2, ReadOnlySpan<float> row3,
        ReadOnlySpan<float> row4, ReadOnlySpan<float> row5, float w0, float w1, float w2, Span<float> even, Span<float> odd)
    {
        int n = row0.Length, x = 0;
        if (row1.Length != n || row2.Length != n || row3.Length != n || row4.Length != n || row5.Length != n || even.Length < (n + 1) / 2 || odd.Length < n / 2)
            throw new InvalidOperationException("row lengths differ");
        ref float r0 = ref MemoryMarshal.GetReference(row0), r1 = ref MemoryMarshal.GetReference(row1), r2 = ref MemoryMarshal.GetReference(row2);
        ref float r3 = ref MemoryMarshal.GetReference(row3), r4 = ref MemoryMarshal.GetReference(row4), r5 = ref MemoryMarshal.GetReference(row5);
        ref float e = ref MemoryMarshal.GetReference(even), od = ref MemoryMarshal.GetReference(odd);
        var v0 = Vector256.Create(w0); var v1 = Vector256.Create(w1); var v2 = Vector256.Create(w2);
        for (; x <= n - 16; x += 16)
        {
            nuint i = (nuint)x, j = (nuint)(x + 8);
            var a = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r2, i) + Vector256.LoadUnsafe(ref r3, i), v2,
                Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r1, i) + Vector256.LoadUnsafe(ref r4, i), v1, (Vector256.LoadUnsafe(ref r0, i) + Vector256.LoadUnsafe(ref r5, i)) * v0));
            var b = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r2, j) + Vector256.LoadUnsafe(ref r3, j), v2,
                Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r1, j) + Vector256.LoadUnsafe(ref r4, j), v1, (Vector256.LoadUnsafe(ref r0, j) + Vector256.LoadUnsafe(ref r5, j)) * v0));
            StoreSplit(a, b, ref e, ref od, (nuint)(x / 2));
        }
        for (; x < n; x++)
        {
            float v = w0 * (row0[x] + row5[x]) + w1 * (row1[x] + row4[x]) + w2 * (row2[x] + row3[x]);
            if ((x & 1) == 0) even[x / 2] = v;
            else odd[x / 2] = v;
        }
    }

    /// <summary>Sixteen consecutive samples (a then b) stored as eight even and eight odd ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSplit(Vector256<float> a, Vector256<float> b, ref float even, ref float odd, nuint at)
    {
        var ev = Avx.Shuffle(a, b, 0b10_00_10_00);
        var od = Avx.Shuffle(a, b, 0b11_01_11_01);
        Avx2.Permute4x64(ev.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref even, at);
        Avx2.Permute4x64(od.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref odd, at);
    }

    /// <summary>
    /// NaN-ignoring min and max in one pass: vminps/vmaxps return their second operand when either is NaN, so with
    /// the running value second a NaN sample is skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MinMaxAvx(ReadOnlySpan<float> row, ref float lo, ref float hi)
    {
        int n = row.Length, i = 0;
        ref float p = ref MemoryMarshal.GetReference(row);
        if (n >= 8)
        {
            // two accumulators each keep the dependency chains short
            var vl = Vector256.Create(lo); var vh = Vector256.Create(hi);
            var vl2 = vl; var vh2 = vh;
            for (; i <= n - 16; i += 16)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)i);
                var u = Vector256.LoadUnsafe(ref p, (nuint)(i + 8));
                vl = Avx.Min(v, vl); vh = Avx.Max(v, vh);
                vl2 = Avx.Min(u, vl2); vh2 = Avx.Max(u, vh2);
            }
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)i);
                vl = Avx.Min(v, vl); vh = Avx.Max(v, vh);
            }
            for (int k = 0; k < 8; k++)
            {
                lo = float.MinNumber(lo, float.MinNumber(vl.GetElement(k), vl2.GetElement(k)));
                hi = float.MaxNumber(hi, float.MaxNumber(vh.GetElement(k), vh2.GetElement(k)));
            }
        }
        for (; i < n; i++)
        {
            lo = float.MinNumber(lo, row[i]);
            hi = float.MaxNumber(hi, row[i]);
        }
    }
}
