using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scoped.Image.Kernels;

/// <summary>
/// Median (rank) filters with scipy.ndimage.median_filter's semantics: the footprint is centred at shape // 2, the
/// result is the element of rank n // 2 (the upper median when n is even), edges follow <see cref="BoundaryMode"/>.
/// </summary>
internal static partial class Median
{
    /// <summary>
    /// The 3x3 median: each padded column triple is sorted with SIMD min/max (lo, mid, hi), and the median of nine is
    /// med3(max of three lows, med3 of three mids, min of three highs), all vectorised across the row.
    /// </summary>
    public static void Filter3x3<T>(ImageRows<T> src, ImageRows<T> dst, BoundaryMode mode, T cval) where T : unmanaged, INumber<T>
    {
        if (CanFuse512<T>(src.Width)) Bands.For(src.Height, (_, start, end) => Filter3x3Fused(src, dst, mode, cval, start, end));
        else Bands.For(src.Height, (_, start, end) => Filter3x3Rows(src, dst, mode, cval, start, end));
    }

    /// <summary>Output rows [start, end) of <see cref="Filter3x3{T}"/> (portable SIMD); reads source rows start - 1 .. end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filter3x3Rows<T>(ImageRows<T> src, ImageRows<T> dst, BoundaryMode mode, T cval, int start, int end) where T : unmanaged, INumber<T>
    {
        int height = src.Height, width = src.Width;
        int padded = width + 2;
        T[] buffer = ArrayPool<T>.Shared.Rent(4 * padded);
        try
        {
            Span<T> lo = buffer.AsSpan(0, padded), mid = buffer.AsSpan(padded, padded), hi = buffer.AsSpan(2 * padded, padded);
            Span<T> constant = buffer.AsSpan(3 * padded, width);
            constant.Fill(cval);
            for (int y = start; y < end; y++)
            {
                int ya = Border.Map(y - 1, height, mode), yc = Border.Map(y + 1, height, mode);
                ReadOnlySpan<T> a = ya < 0 ? constant : src.Row(ya), b = src.Row(y), c = yc < 0 ? constant : src.Row(yc);
                SortColumns(a, b, c, lo[1..(width + 1)], mid[1..(width + 1)], hi[1..(width + 1)]);
                FillBorder(lo, width, mode, cval);
                FillBorder(mid, width, mode, cval);
                FillBorder(hi, width, mode, cval);
                CombineRow(lo, mid, hi, dst.Row(y));
            }
        }
        finally { ArrayPool<T>.Shared.Return(buffer); }
    }

    /// <summary>
    /// Whether the fused 512-bit path applies: AVX-512 with 4- or 8-byte elements (float, int32, uint32, double) and a
    /// row wide enough for one vector plus the two edge columns.
    /// </summary>
    private static bool CanFuse512<T>(int width) where T : unmanaged =>
        Avx512F.IsSupported && Vector512<T>.IsSupported && (Unsafe.SizeOf<T>() == 4 || Unsafe.SizeOf<T>() == 8) && width >= Vector512<T>.Count + 2;

    /// <summary>
    /// Output rows [start, end), two per pass, all in registers: rows y and y+1 share the sorted pair of source rows y
    /// and y+1, which is merged with row y-1 (output y) and row y+2 (output y+1). The sorted column triples of the
    /// previous chunk are carried and the shifted neighbours come from element alignment (valignd/valignq); the first
    /// and last columns, which need the boundary mode, are computed one pixel at a time.
    /// Pairs always start at an even row, whatever the band: a row is then computed by the same min/max network for any
    /// cut (min/max of NaN depends on operand order), and a band edge that splits a pair computes the pair's other row
    /// into scratch. Reads source rows start - 2 .. end + 1 (start - 1 .. end when the band starts and ends even).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filter3x3Fused<T>(ImageRows<T> src, ImageRows<T> dst, BoundaryMode mode, T cval, int start, int end) where T : unmanaged, INumber<T>
    {
        int height = src.Height, width = src.Width;
        T[] buffer = ArrayPool<T>.Shared.Rent(2 * width);
        try
        {
            Span<T> constant = buffer.AsSpan(0, width), scratch = buffer.AsSpan(width, width);
            constant.Fill(cval);
            for (int y = start & ~1; y < end; y += 2)
            {
                int ya = Border.Map(y - 1, height, mode), yc = Border.Map(y + 1, height, mode);
                ReadOnlySpan<T> r0 = ya < 0 ? constant : src.Row(ya), r1 = src.Row(y), r2 = yc < 0 ? constant : src.Row(yc);
                ReadOnlySpan<T> r3;
                Span<T> o1;
                if (y + 1 < height)
                {
                    int yd = Border.Map(y + 2, height, mode);
                    r3 = yd < 0 ? constant : src.Row(yd);
                    o1 = y + 1 < end ? dst.Row(y + 1) : scratch;
                }
                else { r3 = r2; o1 = scratch; }
                Span<T> o0 = y >= start ? dst.Row(y) : scratch;
                PairRows512(ref MemoryMarshal.GetReference(r0), ref MemoryMarshal.GetReference(r1), ref MemoryMarshal.GetReference(r2),
                    ref MemoryMarshal.GetReference(r3), ref MemoryMarshal.GetReference(o0), ref MemoryMarshal.GetReference(o1), width);
                int left = Border.Map(-1, width, mode), right = Border.Map(width, width, mode);
                o0[0] = EdgePixel(r0, r1, r2, left, 0, 1, cval);
                o0[width - 1] = EdgePixel(r0, r1, r2, width - 2, width - 1, right, cval);
                o1[0] = EdgePixel(r1, r2, r3, left, 0, 1, cval);
                o1[width - 1] = EdgePixel(r1, r2, r3, width - 2, width - 1, right, cval);
            }
        }
        finally { ArrayPool<T>.Shared.Return(buffer); }
    }

    /// <summary>The median of the 3x3 window over columns <paramref name="xa"/>, <paramref name="xb"/>, <paramref name="xc"/> (a negative index is the constant).</summary>
    private static T EdgePixel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c, int xa, int xb, int xc, T cval) where T : INumber<T>
    {
        Sort3(Pick(a, xa, cval), Pick(b, xa, cval), Pick(c, xa, cval), out T l0, out T m0, out T h0);
        Sort3(Pick(a, xb, cval), Pick(b, xb, cval), Pick(c, xb, cval), out T l1, out T m1, out T h1);
        Sort3(Pick(a, xc, cval), Pick(b, xc, cval), Pick(c, xc, cval), out T l2, out T m2, out T h2);
        return Med3(T.Max(T.Max(l0, l1), l2), Med3(m0, m1, m2), T.Min(T.Min(h0, h1), h2));
    }

    private static T Pick<T>(ReadOnlySpan<T> row, int x, T cval) => x < 0 ? cval : row[x];

    private static void Sort3<T>(T a, T b, T c, out T lo, out T mid, out T hi) where T : INumber<T>
    {
        T min1 = T.Min(a, b), max1 = T.Max(a, b), t = T.Max(min1, c);
        lo = T.Min(min1, c); hi = T.Max(max1, t); mid = T.Min(max1, t);
    }

    /// <summary>Columns 1 .. width-2 of outputs y (rows r0, r1, r2) and y+1 (rows r1, r2, r3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PairRows512<T>(ref T r0, ref T r1, ref T r2, ref T r3, ref T o0, ref T o1, int width) where T : unmanaged, INumber<T>
    {
        int n = Vector512<T>.Count;
        int x = 1;
        // Sorted triples of the chunk starting at column x - 1 (the window's left column), both outputs.
        SortPair(ref r0, ref r1, ref r2, ref r3, 0, out var la0, out var ma0, out var ha0, out var la1, out var ma1, out var ha1);
        for (; x <= width - 2 * n + 1; x += n)
        {
            SortPair(ref r0, ref r1, ref r2, ref r3, (nuint)(x + n - 1), out var lb0, out var mb0, out var hb0, out var lb1, out var mb1, out var hb1);
            Combine(la0, ma0, ha0, lb0, mb0, hb0).StoreUnsafe(ref o0, (nuint)x);
            Combine(la1, ma1, ha1, lb1, mb1, hb1).StoreUnsafe(ref o1, (nuint)x);
            la0 = lb0; ma0 = mb0; ha0 = hb0; la1 = lb1; ma1 = mb1; ha1 = hb1;
        }
        // The rest: chunks whose next vector would run past the row, from loads at x - 1, x and x + 1 (the last one overlaps).
        for (; x <= width - 2; x += n)
        {
            if (x > width - 1 - n) x = width - 1 - n;
            SortPair(ref r0, ref r1, ref r2, ref r3, (nuint)(x - 1), out la0, out ma0, out ha0, out la1, out ma1, out ha1);
            SortPair(ref r0, ref r1, ref r2, ref r3, (nuint)x, out var lb0, out var mb0, out var hb0, out var lb1, out var mb1, out var hb1);
            SortPair(ref r0, ref r1, ref r2, ref r3, (nuint)(x + 1), out var lc0, out var mc0, out var hc0, out var lc1, out var mc1, out var hc1);
            Med3(Max3(la0, lb0, lc0), Med3(ma0, mb0, mc0), Min3(ha0, hb0, hc0)).StoreUnsafe(ref o0, (nuint)x);
            Med3(Max3(la1, lb1, lc1), Med3(ma1, mb1, mc1), Min3(ha1, hb1, hc1)).StoreUnsafe(ref o1, (nuint)x);
            if (x == width - 1 - n) break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SortPair<T>(ref T r0, ref T r1, ref T r2, ref T r3, nuint x,
        out Vector512<T> lo0, out Vector512<T> mid0, out Vector512<T> hi0, out Vector512<T> lo1, out Vector512<T> mid1, out Vector512<T> hi1)
    {
        var a = Vector512.LoadUnsafe(ref r0, x);
        var b = Vector512.LoadUnsafe(ref r1, x);
        var c = Vector512.LoadUnsafe(ref r2, x);
        var d = Vector512.LoadUnsafe(ref r3, x);
        var pl = Vector512.MinNative(b, c);
        var ph = Vector512.MaxNative(b, c);
        lo0 = Vector512.MinNative(a, pl); hi0 = Vector512.MaxNative(a, ph); mid0 = Vector512.MaxNative(pl, Vector512.MinNative(a, ph));
        lo1 = Vector512.MinNative(d, pl); hi1 = Vector512.MaxNative(d, ph); mid1 = Vector512.MaxNative(pl, Vector512.MinNative(d, ph));
    }

    /// <summary>The medians for columns x .. x+n-1 from the sorted triples at x - 1 (a) and x + n - 1 (b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Combine<T>(Vector512<T> la, Vector512<T> ma, Vector512<T> ha, Vector512<T> lb, Vector512<T> mb, Vector512<T> hb)
    {
        var maxLo = Vector512.MaxNative(Vector512.MaxNative(la, Shift1(lb, la)), Shift2(lb, la));
        var minHi = Vector512.MinNative(Vector512.MinNative(ha, Shift1(hb, ha)), Shift2(hb, ha));
        return Med3(maxLo, Med3(ma, Shift1(mb, ma), Shift2(mb, ma)), minHi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Max3<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Vector512.MaxNative(Vector512.MaxNative(a, b), c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Min3<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Vector512.MinNative(Vector512.MinNative(a, b), c);

    /// <summary>Elements 1 .. n of the concatenation (low, high).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Shift1<T>(Vector512<T> high, Vector512<T> low) => Unsafe.SizeOf<T>() == 4
        ? Avx512F.AlignRight32(high.AsInt32(), low.AsInt32(), 1).As<int, T>()
        : Avx512F.AlignRight64(high.AsInt64(), low.AsInt64(), 1).As<long, T>();

    /// <summary>Elements 2 .. n+1 of the concatenation (low, high).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Shift2<T>(Vector512<T> high, Vector512<T> low) => Unsafe.SizeOf<T>() == 4
        ? Avx512F.AlignRight32(high.AsInt32(), low.AsInt32(), 2).As<int, T>()
        : Avx512F.AlignRight64(high.AsInt64(), low.AsInt64(), 2).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Med3<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Vector512.MaxNative(Vector512.MinNative(a, b), Vector512.MinNative(Vector512.MaxNative(a, b), c));

    private static void FillBorder<T>(Span<T> padded, int width, BoundaryMode mode, T cval)
    {
        int left = Border.Map(-1, width, mode), right = Border.Map(width, width, mode);
        padded[0] = left < 0 ? cval : padded[1 + left];
        padded[width + 1] = right < 0 ? cval : padded[1 + right];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortColumns<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c, Span<T> lo, Span<T> mid, Span<T> hi) where T : unmanaged, INumber<T>
    {
        int n = lo.Length, x = 0;
        ref T ra = ref MemoryMarshal.GetReference(a), rb = ref MemoryMarshal.GetReference(b), rc = ref MemoryMarshal.GetReference(c);
        ref T rl = ref MemoryMarshal.GetReference(lo), rm = ref MemoryMarshal.GetReference(mid), rh = ref MemoryMarshal.GetReference(hi);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && n >= Vector<T>.Count)
        {
            for (; ; x += Vector<T>.Count)
            {
                if (x > n - Vector<T>.Count) { if (x == n) break; x = n - Vector<T>.Count; }
                var va = Vector.LoadUnsafe(ref ra, (nuint)x);
                var vb = Vector.LoadUnsafe(ref rb, (nuint)x);
                var vc = Vector.LoadUnsafe(ref rc, (nuint)x);
                var min1 = Vector.MinNative(va, vb); var max1 = Vector.MaxNative(va, vb);
                var low = Vector.MinNative(min1, vc); var t = Vector.MaxNative(min1, vc);
                var high = Vector.MaxNative(max1, t); var med = Vector.MinNative(max1, t);
                low.StoreUnsafe(ref rl, (nuint)x);
                med.StoreUnsafe(ref rm, (nuint)x);
                high.StoreUnsafe(ref rh, (nuint)x);
                if (x == n - Vector<T>.Count) break;
            }
            return;
        }
        for (; x < n; x++)
        {
            T min1 = T.Min(a[x], b[x]), max1 = T.Max(a[x], b[x]);
            T t = T.Max(min1, c[x]);
            lo[x] = T.Min(min1, c[x]);
            hi[x] = T.Max(max1, t);
            mid[x] = T.Min(max1, t);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineRow<T>(ReadOnlySpan<T> lo, ReadOnlySpan<T> mid, ReadOnlySpan<T> hi, Span<T> output) where T : unmanaged, INumber<T>
    {
        int n = output.Length, x = 0;
        ref T rl = ref MemoryMarshal.GetReference(lo), rm = ref MemoryMarshal.GetReference(mid), rh = ref MemoryMarshal.GetReference(hi);
        ref T ro = ref MemoryMarshal.GetReference(output);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && n >= Vector<T>.Count)
        {
            for (; ; x += Vector<T>.Count)
            {
                if (x > n - Vector<T>.Count) { if (x == n) break; x = n - Vector<T>.Count; }
                var maxLo = Vector.MaxNative(Vector.MaxNative(Vector.LoadUnsafe(ref rl, (nuint)x), Vector.LoadUnsafe(ref rl, (nuint)x + 1)), Vector.LoadUnsafe(ref rl, (nuint)x + 2));
                var minHi = Vector.MinNative(Vector.MinNative(Vector.LoadUnsafe(ref rh, (nuint)x), Vector.LoadUnsafe(ref rh, (nuint)x + 1)), Vector.LoadUnsafe(ref rh, (nuint)x + 2));
                var medMid = Med3(Vector.LoadUnsafe(ref rm, (nuint)x), Vector.LoadUnsafe(ref rm, (nuint)x + 1), Vector.LoadUnsafe(ref rm, (nuint)x + 2));
                Med3(maxLo, medMid, minHi).StoreUnsafe(ref ro, (nuint)x);
                if (x == n - Vector<T>.Count) break;
            }
            return;
        }
        for (; x < n; x++)
        {
            T maxLo = T.Max(T.Max(lo[x], lo[x + 1]), lo[x + 2]);
            T minHi = T.Min(T.Min(hi[x], hi[x + 1]), hi[x + 2]);
            output[x] = Med3(maxLo, Med3(mid[x], mid[x + 1], mid[x + 2]), minHi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Med3<T>(Vector<T> a, Vector<T> b, Vector<T> c) => Vector.MaxNative(Vector.MinNative(a, b), Vector.MinNative(Vector.MaxNative(a, b), c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Med3<T>(T a, T b, T c) where T : INumber<T> => T.Max(T.Min(a, b), T.Min(T.Max(a, b), c));

    /// <summary>
    /// Any footprint: the image is padded once by the footprint's reach, then each pixel gathers its footprint into a
    /// reused buffer and selects the element of rank n // 2 (quickselect; no allocation per pixel).
    /// </summary>
    public static void FilterFootprint<T>(ImageRows<T> src, ImageRows<T> dst, bool[,] footprint, BoundaryMode mode, T cval) where T : unmanaged, INumber<T>
    {
        int fh = footprint.GetLength(0), fw = footprint.GetLength(1);
        int pw = src.Width + fw - 1;
        var offsets = new List<int>();
        for (int i = 0; i < fh; i++)
            for (int j = 0; j < fw; j++)
                if (footprint[i, j]) offsets.Add(i * pw + j);
        var offs = offsets.ToArray();
        Bands.For(src.Height, (_, start, end) => FootprintRows(src, dst, fh, fw, offs, mode, cval, start, end));
    }

    /// <summary>
    /// Output rows [start, end) of <see cref="FilterFootprint{T}"/>: the band pads its own source rows
    /// start - fh / 2 .. end - 1 + (fh - 1) - fh / 2 (padded rows start .. end + fh - 2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FootprintRows<T>(ImageRows<T> src, ImageRows<T> dst, int fh, int fw, int[] offs, BoundaryMode mode, T cval, int start, int end)
        where T : unmanaged, INumber<T>
    {
        int height = src.Height, width = src.Width;
        int top = fh / 2, left = fw / 2;
        int pw = width + fw - 1, ph = end - start + fh - 1;
        int count = offs.Length, rank = count / 2;
        T[] padded = ArrayPool<T>.Shared.Rent(pw * ph);
        T[] window = ArrayPool<T>.Shared.Rent(count);
        try
        {
            // Padded row py of the band is padded row start + py of the whole image.
            for (int py = 0; py < ph; py++)
            {
                int sy = Border.Map(start + py - top, height, mode);
                var target = padded.AsSpan(py * pw, pw);
                if (sy < 0) target.Fill(cval);
                else PadRow(src.Row(sy), target, left, mode, cval);
            }
            var values = window.AsSpan(0, count);
            for (int y = start; y < end; y++)
            {
                var output = dst.Row(y);
                for (int x = 0; x < width; x++)
                {
                    int origin = (y - start) * pw + x;
                    for (int k = 0; k < count; k++) values[k] = padded[origin + offs[k]];
                    output[x] = Select(values, rank);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(padded);
            ArrayPool<T>.Shared.Return(window);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadRow<T>(ReadOnlySpan<T> row, Span<T> target, int left, BoundaryMode mode, T cval)
    {
        int width = row.Length;
        for (int p = 0; p < target.Length; p++)
        {
            int sx = Border.Map(p - left, width, mode);
            target[p] = sx < 0 ? cval : row[sx];
        }
    }

    /// <summary>The element that would be at <paramref name="k"/> if <paramref name="values"/> were sorted (reorders it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Select<T>(Span<T> values, int k) where T : INumber<T>
    {
        int lo = 0, hi = values.Length - 1;
        while (hi > lo)
        {
            if (hi - lo < 16)
            {
                for (int i = lo + 1; i <= hi; i++)
                {
                    T v = values[i];
                    int j = i - 1;
                    while (j >= lo && values[j] > v) { values[j + 1] = values[j]; j--; }
                    values[j + 1] = v;
                }
                return values[k];
            }
            // Median-of-three pivot, Hoare partition.
            int m = lo + (hi - lo) / 2;
            if (values[m] < values[lo]) (values[m], values[lo]) = (values[lo], values[m]);
            if (values[hi] < values[lo]) (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi] < values[m]) (values[hi], values[m]) = (values[m], values[hi]);
            T pivot = values[m];
            int a = lo, b = hi;
            while (a <= b)
            {
                while (values[a] < pivot) a++;
                while (values[b] > pivot) b--;
                if (a <= b) { (values[a], values[b]) = (values[b], values[a]); a++; b--; }
            }
            if (k <= b) hi = b;
            else if (k >= a) lo = a;
            else return values[k];
        }
        return values[k];
    }
}
