using Scoped.Image.Primitives;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scoped.Image.Kernels;

/// <summary>
/// Separable resampling with two <see cref="AxisPlan"/>s: out = plan_y . image . plan_x^T (+ cval terms), channels
/// interleaved and never mixed.
/// </summary>
internal static partial class Resample
{
    /// <summary>
    /// General path: each input row needed is resampled horizontally once (kept in a small ring of rows), then the
    /// output row is the weighted sum of those rows, vectorised across the row.
    /// </summary>
    public static void Apply<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan py, AxisPlan px, T cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var wx = ToT<T>(px.Weights);
        var cx = ToT<T>(px.Constant);
        var wy = ToT<T>(py.Weights);
        Bands.For(py.OutLength, (_, start, end) => ApplyRows(src, dst, py, px, wx, cx, wy, cval, start, end));
    }

    /// <summary>
    /// Output rows [start, end) of <see cref="Apply{T}"/>, with the band's own ring: a horizontally resampled input
    /// row is the same whichever band computes it, so a band that starts with an empty ring writes the same bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyRows<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan py, AxisPlan px, T[] wx, T[] cx, T[] wy, T cval, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ch = src.Channels, outLen = dst.RowLength, taps = py.Taps;
        var ring = new T[taps][];
        var ringRow = new int[taps];
        for (int k = 0; k < taps; k++) { ring[k] = ArrayPool<T>.Shared.Rent(outLen); ringRow[k] = -1; }
        try
        {
            for (int o = start; o < end; o++)
            {
                Span<T> output = dst.Row(o);
                T constant = T.CreateTruncating(py.Constant[o]) * cval;
                int used = 0, firstSlot = -1, secondSlot = -1;
                T firstW = T.Zero, secondW = T.Zero;
                for (int k = 0; k < taps; k++)
                {
                    T w = wy[o * taps + k];
                    if (w == T.Zero) continue;
                    int r = py.Start[o] + k, slot = r % taps;
                    if (ringRow[slot] != r)
                    {
                        HorizontalRow(src.Row(r), ring[slot].AsSpan(0, outLen), px, wx, cx, ch, cval);
                        ringRow[slot] = r;
                    }
                    if (used == 0) { firstSlot = slot; firstW = w; }
                    else if (used == 1) { secondSlot = slot; secondW = w; }
                    used++;
                }
                if (used <= 2)
                {
                    // the usual linear case: one fused pass over the output row
                    Combine(used > 0 ? ring[firstSlot] : ring[0], firstW, used > 1 ? ring[secondSlot] : ring[0], secondW, constant, output);
                    continue;
                }
                output.Fill(constant);
                for (int k = 0; k < taps; k++)
                {
                    T w = wy[o * taps + k];
                    if (w == T.Zero) continue;
                    int slot = (py.Start[o] + k) % taps;
                    MultiplyAdd(ring[slot].AsSpan(0, outLen), w, output);
                }
            }
        }
        finally
        {
            foreach (var row in ring) ArrayPool<T>.Shared.Return(row);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine<T>(T[] a, T wa, T[] b, T wb, T constant, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, i = 0;
        ref T pa = ref MemoryMarshal.GetArrayDataReference(a);
        ref T pb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T po = ref MemoryMarshal.GetReference(output);
        Vector<T> va = new(wa), vb = new(wb), vc = new(constant);
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            (Vector.LoadUnsafe(ref pa, (nuint)i) * va + Vector.LoadUnsafe(ref pb, (nuint)i) * vb + vc).StoreUnsafe(ref po, (nuint)i);
        for (; i < n; i++) output[i] = a[i] * wa + b[i] * wb + constant;
    }

    /// <summary>
    /// One axis of an N-D resample: <paramref name="src"/> stacks slabs of plan.InLength rows, <paramref name="dst"/>
    /// the same number of slabs of plan.OutLength rows; output row o of a slab is constant[o] * cval plus the weighted
    /// input rows of its slab (whole rows at a time, vectorised). Floats sum the taps in order; other element types
    /// take the plan's single tap (order 0 without smoothing) as an index copy.
    /// </summary>
    public static void Axis<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan plan, T cval) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) { AxisFloat(src.Reinterpret<float>(), dst.Reinterpret<float>(), plan, (float)(object)cval); return; }
        if (typeof(T) == typeof(double)) { AxisFloat(src.Reinterpret<double>(), dst.Reinterpret<double>(), plan, (double)(object)cval); return; }
        int inLength = plan.InLength, outLength = plan.OutLength;
        Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                int slab = r / outLength, o = r - slab * outLength;
                if (plan.Weights[o * plan.Taps] == 0) dst.Row(r).Fill(cval);
                else src.Row(slab * inLength + plan.Start[o]).CopyTo(dst.Row(r));
            }
        });
    }

    private static void AxisFloat<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan plan, T cval) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = ToT<T>(plan.Weights);
        int inLength = plan.InLength, outLength = plan.OutLength, taps = plan.Taps;
        // Chunks of the long rows of an outer axis, so the taps' rows stay in cache (every row's first chunk, then the next).
        const int Chunk = 4096;
        int rowLength = dst.RowLength;
        Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int c0 = 0; c0 < rowLength; c0 += Chunk)
            {
                int length = Math.Min(Chunk, rowLength - c0);
                for (int r = start; r < end; r++)
                {
                    int slab = r / outLength, o = r - slab * outLength;
                    Span<T> output = dst.Row(r).Slice(c0, length);
                    output.Fill(T.CreateTruncating(plan.Constant[o]) * cval);
                    for (int k = 0; k < taps; k++)
                    {
                        T weight = w[o * taps + k];
                        if (weight != T.Zero) MultiplyAdd(src.Row(slab * inLength + plan.Start[o] + k).Slice(c0, length), weight, output);
                    }
                }
            }
        });
    }

    /// <summary>Order-0 resampling without smoothing: a pure index copy, exact for every element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Nearest<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan py, AxisPlan px, T cval) where T : unmanaged
    {
        int ch = src.Channels;
        // Each output row copies from one input row: any cut into bands gives the same bytes.
        Bands.For(py.OutLength, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int o = start; o < end; o++)
            {
                Span<T> output = dst.Row(o);
                if (py.Weights[o * py.Taps] == 0) { output.Fill(cval); continue; }
                ReadOnlySpan<T> row = src.Row(py.Start[o]);
                for (int p = 0; p < px.OutLength; p++)
                {
                    bool outside = px.Weights[p * px.Taps] == 0;
                    int s = px.Start[p] * ch;
                    for (int c = 0; c < ch; c++) output[p * ch + c] = outside ? cval : row[s + c];
                }
            }
        });
    }

    /// <summary>out[p] = sum_k w[p, k] * row[(start[p] + k) * ch + c] + constant[p] * cval.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalRow<T>(ReadOnlySpan<T> row, Span<T> output, AxisPlan px, T[] wx, T[] cx, int ch, T cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = px.Taps, n = px.OutLength;
        int[] start = px.Start;
        if (ch == 1 && taps == 2)
        {
            ref T rowRef = ref MemoryMarshal.GetReference(row);
            ref T w = ref MemoryMarshal.GetArrayDataReference(wx);
            ref T cc = ref MemoryMarshal.GetArrayDataReference(cx);
            ref int st = ref MemoryMarshal.GetArrayDataReference(start);
            ref T dst = ref MemoryMarshal.GetReference(output);
            if (row.Length < 2 || output.Length < n) throw new InvalidOperationException("row too short");
            for (int p = 0; p < n; p++)
            {
                ref T x = ref Unsafe.Add(ref rowRef, Unsafe.Add(ref st, p));
                Unsafe.Add(ref dst, p) = Unsafe.Add(ref w, 2 * p) * x + Unsafe.Add(ref w, 2 * p + 1) * Unsafe.Add(ref x, 1) + Unsafe.Add(ref cc, p) * cval;
            }
            return;
        }
        for (int p = 0; p < n; p++)
        {
            int s = start[p] * ch;
            for (int c = 0; c < ch; c++)
            {
                T sum = T.Zero;
                for (int k = 0; k < taps; k++) sum += wx[p * taps + k] * row[s + k * ch + c];
                output[p * ch + c] = sum + cx[p] * cval;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd<T>(ReadOnlySpan<T> x, T w, Span<T> acc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = acc.Length, i = 0;
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T a = ref MemoryMarshal.GetReference(acc);
        var wv = new Vector<T>(w);
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            (Vector.LoadUnsafe(ref a, (nuint)i) + Vector.LoadUnsafe(ref xs, (nuint)i) * wv).StoreUnsafe(ref a, (nuint)i);
        for (; i < n; i++) acc[i] += x[i] * w;
    }

    internal static T[] ToT<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = T.CreateTruncating(values[i]);
        return result;
    }

    /// <summary>
    /// Shrinking path for single-channel images without constant terms: one vertical pass (the weighted sum of a few
    /// input rows, vectorised) into a row buffer, then the horizontal pass on the already reduced row; when the
    /// horizontal plan is a stride-2 pattern (halving), the row is split into even and odd samples so the
    /// horizontal pass is vectorised too. With <paramref name="clip"/>, each output row is clipped to the NaN-ignoring
    /// range of the input rows up to its window (<see cref="PrefixRange{T}"/>): every output is a convex combination
    /// of those rows, so this equals clipping to the whole image's range up to float rounding, without a separate
    /// pass over the input.
    /// </summary>
    public static void Shrink<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan py, AxisPlan px, bool clip)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = py.Taps;
        if (py.OutLength == 0) return;
        var stride2 = Stride2Pattern.Find(px);
        if (stride2 is not null && typeof(T) == typeof(float) && Fma.IsSupported && Avx2.IsSupported && taps <= 8)
        {
            HalveFloat(Unsafe.As<ImageRows<T>, ImageRows<float>>(ref src), Unsafe.As<ImageRows<T>, ImageRows<float>>(ref dst), py, px, stride2, clip);
            return;
        }
        var wy = ToT<T>(py.Weights);
        var wx = ToT<T>(px.Weights);
        var cx = new T[px.OutLength];
        int count = Bands.Count(py.OutLength);
        var ranges = clip ? new PrefixRange<T>(src, py.Start[py.OutLength - 1] + taps - 1, count) : null;
        Bands.For(py.OutLength, count, (_, start, end) => ShrinkRows(src, dst, py, px, wy, wx, cx, stride2, ranges, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShrinkRows<T>(ImageRows<T> src, ImageRows<T> dst, AxisPlan py, AxisPlan px, T[] wy, T[] wx, T[] cx,
        Stride2Pattern? stride2, PrefixRange<T>? ranges, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inW = src.Width, taps = py.Taps;
        T[] rowBuffer = ArrayPool<T>.Shared.Rent(inW + 2 * Vector<T>.Count);
        T[] halves = ArrayPool<T>.Shared.Rent(inW + 4 * Vector<T>.Count);
        try
        {
            Span<T> vertical = rowBuffer.AsSpan(0, inW);
            for (int o = start; o < end; o++)
            {
                int s = py.Start[o];
                VerticalSum(src, s, wy.AsSpan(o * taps, taps), vertical);
                Span<T> output = dst.Row(o);
                if (stride2 is { } pattern && typeof(T) == typeof(float) && Avx2.IsSupported)
                    pattern.Apply(MemoryMarshal.Cast<T, float>(vertical), MemoryMarshal.Cast<T, float>(halves.AsSpan()),
                        MemoryMarshal.Cast<T, float>(output), px, MemoryMarshal.Cast<T, float>(wx.AsSpan()));
                else
                    HorizontalRow(vertical, output, px, wx, cx, 1, T.Zero);
                if (ranges is not null)
                {
                    // the range of the input rows up to this output's last tap (a function of o alone; see PrefixRange)
                    var (lo, hi) = ranges.UpTo(s + taps - 1);
                    ClipRow(output, lo, hi);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rowBuffer);
            ArrayPool<T>.Shared.Return(halves);
        }
    }

    /// <summary>
    /// NaN-ignoring min and max of the input rows 0..r, for the shrinking paths' clip. Start is non-decreasing, so
    /// rows 0..(last tap of output o) hold every row read up to o: each output is a convex combination of them, and
    /// clipping to their range equals clipping to the whole image's range up to float rounding, without a separate
    /// pass over the input in the one-band case. The range is taken in fixed chunks of <see cref="Chunk"/> rows (each
    /// from scratch) folded in chunk order, so it depends on r alone, never on where a band starts. With one band the
    /// chunks are read as the output reaches them (that sequential read also brings the rows into cache); with more,
    /// all chunks are read first in bands and the prefix is read-only while the bands run.
    /// </summary>
    private sealed class PrefixRange<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public const int Chunk = 16;
        private readonly ImageRows<T> src;
        private readonly T[] lo, hi;
        private int filled;

        /// <param name="src">The input rows.</param>
        /// <param name="lastRow">The last row any output reads.</param>
        /// <param name="bands">The band count of the output pass that will call <see cref="UpTo"/>.</param>
        public PrefixRange(ImageRows<T> src, int lastRow, int bands)
        {
            this.src = src;
            int chunks = Math.Min(lastRow, src.Height - 1) / Chunk + 1;
            lo = new T[chunks];
            hi = new T[chunks];
            if (bands <= 1) return;
            Bands.For(chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) => { for (int c = start; c < end; c++) (lo[c], hi[c]) = ChunkRange(c); });
            for (int c = 1; c < chunks; c++) { lo[c] = T.MinNumber(lo[c - 1], lo[c]); hi[c] = T.MaxNumber(hi[c - 1], hi[c]); }
            filled = chunks;
        }

        /// <summary>The range of rows 0..(the end of <paramref name="row"/>'s chunk); lo &gt; hi when all are NaN.</summary>
        public (T Lo, T Hi) UpTo(int row)
        {
            int c = Math.Min(row / Chunk, lo.Length - 1);
            for (; filled <= c; filled++)
            {
                var (l, h) = ChunkRange(filled);
                lo[filled] = filled == 0 ? l : T.MinNumber(lo[filled - 1], l);
                hi[filled] = filled == 0 ? h : T.MaxNumber(hi[filled - 1], h);
            }
            return (lo[c], hi[c]);
        }

        private (T Lo, T Hi) ChunkRange(int c)
        {
            T l = T.PositiveInfinity, h = T.NegativeInfinity;
            int end = Math.Min(src.Height, (c + 1) * Chunk);
            for (int r = c * Chunk; r < end; r++)
            {
                var row = src.Row(r);
                if (typeof(T) == typeof(float) && Avx.IsSupported)
                {
                    float fl = (float)(object)l, fh = (float)(object)h;
                    MinMaxAvx(MemoryMarshal.Cast<T, float>(row), ref fl, ref fh);
                    l = (T)(object)fl; h = (T)(object)fh;
                }
                else if (row.Length > 0)
                {
                    var (rowMin, rowMax) = Extrema.Of<T, NaNSkipped<T>>(row);
                    l = T.MinNumber(l, rowMin);
                    h = T.MaxNumber(h, rowMax);
                }
            }
            return (l, h);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalSum<T>(ImageRows<T> src, int start, ReadOnlySpan<T> w, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, taps = w.Length;
        ref T dst = ref MemoryMarshal.GetReference(output);
        Span<int> used = stackalloc int[Math.Min(taps, 64)];
        if (taps > 64) { output.Clear(); for (int k = 0; k < taps; k++) if (w[k] != T.Zero) MultiplyAdd(src.Row(start + k), w[k], output); return; }
        int m = 0;
        for (int k = 0; k < taps; k++) if (w[k] != T.Zero) used[m++] = k;
        int x = 0;
        if (m == 6)
        {
            // The halving case (sigma 0.5 smoothing folded into linear interpolation): six rows at once.
            ref T r0 = ref MemoryMarshal.GetReference(src.Row(start + used[0]));
            ref T r1 = ref MemoryMarshal.GetReference(src.Row(start + used[1]));
            ref T r2 = ref MemoryMarshal.GetReference(src.Row(start + used[2]));
            ref T r3 = ref MemoryMarshal.GetReference(src.Row(start + used[3]));
            ref T r4 = ref MemoryMarshal.GetReference(src.Row(start + used[4]));
            ref T r5 = ref MemoryMarshal.GetReference(src.Row(start + used[5]));
            Vector<T> w0 = new(w[used[0]]), w1 = new(w[used[1]]), w2 = new(w[used[2]]), w3 = new(w[used[3]]), w4 = new(w[used[4]]), w5 = new(w[used[5]]);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count)
            {
                nuint i = (nuint)x;
                var sum = Vector.LoadUnsafe(ref r0, i) * w0 + Vector.LoadUnsafe(ref r1, i) * w1 + Vector.LoadUnsafe(ref r2, i) * w2
                        + (Vector.LoadUnsafe(ref r3, i) * w3 + Vector.LoadUnsafe(ref r4, i) * w4 + Vector.LoadUnsafe(ref r5, i) * w5);
                sum.StoreUnsafe(ref dst, i);
            }
        }
        for (; x < n; x++)
        {
            T sum = T.Zero;
            for (int j = 0; j < m; j++) sum += w[used[j]] * src.Row(start + used[j])[x];
            output[x] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ClipRow<T>(Span<T> row, T lo, T hi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = row.Length, i = 0;
        ref T r = ref MemoryMarshal.GetReference(row);
        Vector<T> vl = new(lo), vh = new(hi);
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            var v = Vector.LoadUnsafe(ref r, (nuint)i);
            // Keeps NaN as NaN (np.clip does): select only where the comparison holds.
            v = Vector.ConditionalSelect(Vector.LessThan(v, vl), vl, v);
            v = Vector.ConditionalSelect(Vector.GreaterThan(v, vh), vh, v);
            v.StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < n; i++)
        {
            if (row[i] < lo) row[i] = lo;
            else if (row[i] > hi) row[i] = hi;
        }
    }

    /// <summary>
    /// A horizontal plan whose interior outputs p read input 2p + offset + k with the same weights for every p
    /// (a resize by exactly one half): out[p] = sum_k w[k] * (k + offset even ? even : odd)[p + (k + offset) >> 1].
    /// </summary>
    private sealed class Stride2Pattern
    {
        private readonly int offset, first, last;
        private readonly float[] weights;

        private Stride2Pattern(int offset, int first, int last, float[] weights)
        {
            this.offset = offset; this.first = first; this.last = last; this.weights = weights;
        }

        public static Stride2Pattern? Find(AxisPlan px)
        {
            int n = px.OutLength, taps = px.Taps;
            if (px.HasConstant || px.InLength < 2 * n || n < 16 || taps > 8) return null;
            int mid = n / 2, offset = px.Start[mid] - 2 * mid;
            var w = new float[taps];
            for (int k = 0; k < taps; k++) w[k] = (float)px.Weights[mid * taps + k];
            int first = mid, last = mid;
            while (first > 0 && Matches(px, first - 1, offset, taps)) first--;
            while (last + 1 < n && Matches(px, last + 1, offset, taps)) last++;
            // interior outputs must read only in-row samples: the halves arrays hold ceil(in / 2) values each
            while (first <= last && 2 * first + offset < 0) first++;
            while (last >= first && 2 * last + offset + taps > px.InLength) last--;
            return last - first + 1 >= 16 ? new Stride2Pattern(offset, first, last + 1, w) : null;
        }

        private static bool Matches(AxisPlan px, int p, int offset, int taps)
        {
            int mid = px.OutLength / 2;
            if (px.Start[p] != 2 * p + offset) return false;
            for (int k = 0; k < taps; k++) if (px.Weights[p * taps + k] != px.Weights[mid * taps + k]) return false;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(ReadOnlySpan<float> row, Span<float> halves, Span<float> output, AxisPlan px, ReadOnlySpan<float> wx)
        {
            int inW = row.Length, half = (inW + 1) / 2;
            Span<float> even = halves[..half];
            Span<float> odd = halves.Slice(half, half);
            Split(row, even, odd);
            int taps = weights.Length;
            // edges: the plan's own taps
            for (int p = 0; p < first; p++) output[p] = Dot(row, px.Start[p], wx.Slice(p * taps, taps));
            for (int p = last; p < output.Length; p++) output[p] = Dot(row, px.Start[p], wx.Slice(p * taps, taps));
            ref float dst = ref MemoryMarshal.GetReference(output);
            int x = first;
            for (; x <= last - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                var sum = Vector256<float>.Zero;
                for (int k = 0; k < taps; k++)
                {
                    int j = k + offset;
                    ref float basis = ref MemoryMarshal.GetReference((j & 1) == 0 ? even : odd);
                    sum += Vector256.LoadUnsafe(ref basis, (nuint)(x + (j >> 1))) * Vector256.Create(weights[k]);
                }
                sum.StoreUnsafe(ref dst, (nuint)x);
            }
            for (; x < last; x++) output[x] = Dot(row, px.Start[x], wx.Slice(x * taps, taps));
        }

        /// <summary>
        /// The horizontal pass from a split row (edges from the plan's own taps), clipped to [lo, hi] when
        /// <paramref name="clip"/> (NaN stays NaN as in np.clip: vmaxps/vminps return the second operand, the sample,
        /// when it is NaN). Symmetric six-tap weights add the mirrored samples before multiplying.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ReduceClip(ReadOnlySpan<float> even, ReadOnlySpan<float> odd, Span<float> output, AxisPlan px, ReadOnlySpan<float> wx, bool clip, float lo, float hi)
        {
            int taps = weights.Length;
            for (int p = 0; p < first; p++) output[p] = ClipScalar(SplitDot(even, odd, px.Start[p], wx.Slice(p * taps, taps)), clip, lo, hi);
            for (int p = last; p < output.Length; p++) output[p] = ClipScalar(SplitDot(even, odd, px.Start[p], wx.Slice(p * taps, taps)), clip, lo, hi);
            ref float dst = ref MemoryMarshal.GetReference(output);
            var vl = Vector256.Create(lo); var vh = Vector256.Create(hi);
            int x = first;
            if (last > output.Length) throw new InvalidOperationException("output too short");
            if (taps == 6 && weights[0] == weights[5] && weights[1] == weights[4] && weights[2] == weights[3])
            {
                ref float b0 = ref Base(even, odd, 0), b1 = ref Base(even, odd, 1), b2 = ref Base(even, odd, 2);
                ref float b3 = ref Base(even, odd, 3), b4 = ref Base(even, odd, 4), b5 = ref Base(even, odd, 5);
                Vector256<float> w0 = Vector256.Create(weights[0]), w1 = Vector256.Create(weights[1]), w2 = Vector256.Create(weights[2]);
                if (clip)
                    for (; x <= last - Vector256<float>.Count; x += Vector256<float>.Count)
                    {
                        nuint i = (nuint)x;
                        var sum = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref b2, i) + Vector256.LoadUnsafe(ref b3, i), w2,
                            Fma.MultiplyAdd(Vector256.LoadUnsafe(ref b1, i) + Vector256.LoadUnsafe(ref b4, i), w1, (Vector256.LoadUnsafe(ref b0, i) + Vector256.LoadUnsafe(ref b5, i)) * w0));
                        Avx.Min(vh, Avx.Max(vl, sum)).StoreUnsafe(ref dst, i);
                    }
                else
                    for (; x <= last - Vector256<float>.Count; x += Vector256<float>.Count)
                    {
                        nuint i = (nuint)x;
                        var sum = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref b2, i) + Vector256.LoadUnsafe(ref b3, i), w2,
                            Fma.MultiplyAdd(Vector256.LoadUnsafe(ref b1, i) + Vector256.LoadUnsafe(ref b4, i), w1, (Vector256.LoadUnsafe(ref b0, i) + Vector256.LoadUnsafe(ref b5, i)) * w0));
                        sum.StoreUnsafe(ref dst, i);
                    }
            }
            for (; x <= last - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                var sum = Vector256<float>.Zero;
                for (int k = 0; k < taps; k++)
                    sum = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref Base(even, odd, k), (nuint)x), Vector256.Create(weights[k]), sum);
                if (clip) sum = Avx.Min(vh, Avx.Max(vl, sum));
                sum.StoreUnsafe(ref dst, (nuint)x);
            }
            for (; x < last; x++) output[x] = ClipScalar(SplitDot(even, odd, px.Start[x], wx.Slice(x * taps, taps)), clip, lo, hi);
        }

        private static float ClipScalar(float v, bool clip, float lo, float hi) => !clip ? v : v < lo ? lo : v > hi ? hi : v;

        /// <summary>sum_k w[k] * row[start + k] with the row held as its even and odd samples.</summary>
        private static float SplitDot(ReadOnlySpan<float> even, ReadOnlySpan<float> odd, int start, ReadOnlySpan<float> w)
        {
            float sum = 0;
            for (int k = 0; k < w.Length; k++)
            {
                int i = start + k;
                sum += w[k] * ((i & 1) == 0 ? even[i >> 1] : odd[i >> 1]);
            }
            return sum;
        }

        /// <summary>Where tap k of output 0 would read: (k + offset) even or odd sample, shifted by (k + offset) >> 1 (interior outputs only index from first on).</summary>
        private ref float Base(ReadOnlySpan<float> even, ReadOnlySpan<float> odd, int k)
        {
            int j = k + offset;
            return ref Unsafe.Add(ref MemoryMarshal.GetReference((j & 1) == 0 ? even : odd), j >> 1);
        }

        private static float Dot(ReadOnlySpan<float> row, int start, ReadOnlySpan<float> w)
        {
            float sum = 0;
            for (int k = 0; k < w.Length; k++) sum += w[k] * row[start + k];
            return sum;
        }

        public static void Split(ReadOnlySpan<float> row, Span<float> even, Span<float> odd)
        {
            int n = row.Length, i = 0;
            ref float src = ref MemoryMarshal.GetReference(row);
            ref float e = ref MemoryMarshal.GetReference(even);
            ref float o = ref MemoryMarshal.GetReference(odd);
            for (; i <= n - 16; i += 16)
            {
                var a = Vector256.LoadUnsafe(ref src, (nuint)i);
                var b = Vector256.LoadUnsafe(ref src, (nuint)(i + 8));
                var ev = Avx.Shuffle(a, b, 0b10_00_10_00);
                var od = Avx.Shuffle(a, b, 0b11_01_11_01);
                Avx2.Permute4x64(ev.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref e, (nuint)(i / 2));
                Avx2.Permute4x64(od.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref o, (nuint)(i / 2));
            }
            for (; i < n; i++)
            {
                if ((i & 1) == 0) even[i / 2] = row[i];
                else odd[i / 2] = row[i];
            }
        }
    }
}
