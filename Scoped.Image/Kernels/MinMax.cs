using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>A commutative, idempotent binary operator (min or max) in scalar and SIMD form.</summary>
internal interface IMinMaxOp<T> where T : unmanaged
{
    static abstract T Invoke(T a, T b);
    static abstract Vector<T> Invoke(Vector<T> a, Vector<T> b);
}

/// <summary>min(a, b).</summary>
internal readonly struct MinOp<T> : IMinMaxOp<T> where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T a, T b) => b < a ? b : a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.MinNative(a, b);
}

/// <summary>max(a, b).</summary>
internal readonly struct MaxOp<T> : IMinMaxOp<T> where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T a, T b) => b > a ? b : a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.MaxNative(a, b);
}

/// <summary>
/// Where the footprint sits on each pixel and what lies beyond the edge: offset (dy, dx) of footprint element
/// (k, l) is (k - CenterRow, l - CenterCol), negated when <see cref="Mirror"/>; outside the image the filter reads
/// <see cref="Mode"/> (Reflect or Nearest or any ndimage mode) or <see cref="Cval"/> for Constant.
/// </summary>
internal readonly record struct MinMaxPlacement(int CenterRow, int CenterCol, bool Mirror, BoundaryMode Mode, double Cval);

/// <summary>
/// Grey-level min/max filters over a flat footprint (ndimage's minimum_filter / maximum_filter), written once for
/// every element type through <see cref="IMinMaxOp{T}"/>. A footprint inside 3x3 (square, cross, ...) runs in one
/// SIMD pass straight from the input rows; a larger full rectangle runs separably (vertical op over the rows, then a
/// horizontal running op on one padded row buffer); any other footprint is split into horizontal runs: a running op
/// of each run length along each padded row (kept in ring buffers of footprint height), then the op over the runs.
/// NaN handling follows the hardware min/max instructions (unspecified, as in ndimage).
/// </summary>
internal static class MinMax
{
    /// <summary>Applies the filter of <paramref name="footprint"/> (rows x cols, non-zero = in) to <paramref name="src"/>.</summary>
    public static void Filter<T, TOp>(ImageRows<T> src, ImageRows<T> dst, bool[,] footprint, MinMaxPlacement place)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        // Offsets of every footprint element, grouped in horizontal runs (dy, dx0, length).
        var runs = new List<(int Dy, int Dx, int Len)>();
        int fr = footprint.GetLength(0), fc = footprint.GetLength(1);
        bool full = true;
        for (int k = 0; k < fr; k++)
        {
            int l = 0;
            while (l < fc)
            {
                if (!footprint[k, l]) { full = false; l++; continue; }
                int start = l;
                while (l < fc && footprint[k, l]) l++;
                int dy = k - place.CenterRow, dx0 = start - place.CenterCol, dx1 = l - 1 - place.CenterCol;
                if (place.Mirror) { dy = -dy; (dx0, dx1) = (-dx1, -dx0); }
                runs.Add((dy, dx0, dx1 - dx0 + 1));
            }
        }
        if (runs.Count == 0) throw new ArgumentException("footprint must contain at least one non-zero element.", nameof(footprint));
        T cval = T.CreateTruncating(place.Cval);
        if (fr <= 3 && fc <= 3)
        {
            // Offsets of the elements inside the 3x3 window rows dy0 .. dy0 + 2, cols dx0 .. dx0 + 2.
            int dyMin = int.MaxValue, dxMin = int.MaxValue;
            foreach (var (dy, dx, _) in runs) { dyMin = Math.Min(dyMin, dy); dxMin = Math.Min(dxMin, dx); }
            var mask = new bool[9];
            foreach (var (dy, dx, len) in runs)
                for (int l = 0; l < len; l++)
                {
                    int k = dy - dyMin, c = dx + l - dxMin;
                    if (k > 2 || c > 2) { mask = null!; break; }
                    mask[k * 3 + c] = true;
                }
            if (mask is not null)
            {
                Fused3x3<T, TOp>(src, dst, dyMin, dxMin, mask, place.Mode, cval);
                return;
            }
        }
        if (full)
        {
            int dy0 = place.Mirror ? -(fr - 1 - place.CenterRow) : -place.CenterRow;
            int dx0 = place.Mirror ? -(fc - 1 - place.CenterCol) : -place.CenterCol;
            Separable<T, TOp>(src, dst, dy0, fr, dx0, fc, place.Mode, cval);
        }
        else
        {
            Runs<T, TOp>(src, dst, runs, place.Mode, cval);
        }
    }

    /// <summary>
    /// A footprint inside a 3x3 window (rows dy0 .. dy0 + 2, cols dx0 .. dx0 + 2; <paramref name="mask"/> row-major)
    /// in one pass per row: each output vector takes the op of unaligned loads straight from the input rows (nine for
    /// a square, five for the cross), with no intermediate buffer; columns whose window leaves the image go one by one.
    /// </summary>
    private static void Fused3x3<T, TOp>(ImageRows<T> src, ImageRows<T> dst, int dy0, int dx0, bool[] mask, BoundaryMode mode, T cval)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        bool square = mask.All(m => m);
        bool cross = mask.SequenceEqual([false, true, false, true, true, true, false, true, false]);
        // The generic case starts from a middle-row element when there is one (any element would do: op is idempotent).
        int first = mask[3] ? 0 : mask[4] ? 1 : mask[5] ? 2 : -1;
        Bands.For(src.Height, (_, start, end) => Fused3x3Rows<T, TOp>(src, dst, dy0, dx0, mask, square, cross, first, mode, cval, start, end));
    }

    /// <summary>Output rows [start, end) of <see cref="Fused3x3"/>; reads source rows start + dy0 .. end + dy0 + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fused3x3Rows<T, TOp>(ImageRows<T> src, ImageRows<T> dst, int dy0, int dx0, bool[] mask, bool square, bool cross, int first,
        BoundaryMode mode, T cval, int start, int end)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        int w = src.Width, vc = Vector<T>.Count;
        int xs = Math.Max(0, -dx0), xe = Math.Min(w, w - (dx0 + 2)); // windows inside the image: [xs, xe)
        var cbuf = ArrayPool<T>.Shared.Rent(w);
        try
        {
            var crow = cbuf.AsSpan(0, w);
            crow.Fill(cval);
            for (int y = start; y < end; y++)
            {
                var r0 = InputRow(src, crow, y + dy0, mode);
                var r1 = InputRow(src, crow, y + dy0 + 1, mode);
                var r2 = InputRow(src, crow, y + dy0 + 2, mode);
                var d = dst.Row(y);
                ref T a = ref MemoryMarshal.GetReference(r0);
                ref T b = ref MemoryMarshal.GetReference(r1);
                ref T c = ref MemoryMarshal.GetReference(r2);
                ref T o = ref MemoryMarshal.GetReference(d);
                int x = xs;
                if (Vector.IsHardwareAccelerated && xe - xs >= vc)
                {
                    for (; x <= xe - vc; x += vc)
                        Vector.StoreUnsafe(Window<T, TOp>(ref a, ref b, ref c, (nuint)(x + dx0), mask, square, cross, first), ref o, (nuint)x);
                    // The last vector overlaps the one before rather than leaving up to vc - 1 columns to the scalar
                    // path (31 per row for bytes): the overlapped columns get the same values again.
                    if (x < xe)
                    {
                        x = xe - vc;
                        Vector.StoreUnsafe(Window<T, TOp>(ref a, ref b, ref c, (nuint)(x + dx0), mask, square, cross, first), ref o, (nuint)x);
                        x = xe;
                    }
                }
                for (; x < xe; x++) d[x] = Masked<T, TOp>(r0, r1, r2, x + dx0, mask, w, BoundaryMode.Constant, cval);
                for (x = 0; x < w; x++)
                {
                    if (x >= xs && x < xe) { x = xe - 1; continue; }
                    d[x] = Masked<T, TOp>(r0, r1, r2, x + dx0, mask, w, mode, cval);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(cbuf);
        }
    }

    /// <summary>The op over the 3x3-window footprint of the vector of outputs whose windows start at column i of rows a, b, c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Window<T, TOp>(ref T a, ref T b, ref T c, nuint i, bool[] mask, bool square, bool cross, int first)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        if (square)
        {
            var left = TOp.Invoke(TOp.Invoke(Vector.LoadUnsafe(ref a, i), Vector.LoadUnsafe(ref b, i)), Vector.LoadUnsafe(ref c, i));
            var mid = TOp.Invoke(TOp.Invoke(Vector.LoadUnsafe(ref a, i + 1), Vector.LoadUnsafe(ref b, i + 1)), Vector.LoadUnsafe(ref c, i + 1));
            var right = TOp.Invoke(TOp.Invoke(Vector.LoadUnsafe(ref a, i + 2), Vector.LoadUnsafe(ref b, i + 2)), Vector.LoadUnsafe(ref c, i + 2));
            return TOp.Invoke(TOp.Invoke(left, mid), right);
        }
        if (cross)
        {
            var row = TOp.Invoke(TOp.Invoke(Vector.LoadUnsafe(ref b, i), Vector.LoadUnsafe(ref b, i + 1)), Vector.LoadUnsafe(ref b, i + 2));
            return TOp.Invoke(TOp.Invoke(row, Vector.LoadUnsafe(ref a, i + 1)), Vector.LoadUnsafe(ref c, i + 1));
        }
        var acc = first >= 0 ? Vector.LoadUnsafe(ref b, i + (nuint)first) : FirstElement(ref a, ref c, i, mask);
        for (int l = 0; l < 3; l++)
        {
            if (mask[l]) acc = TOp.Invoke(acc, Vector.LoadUnsafe(ref a, i + (nuint)l));
            if (mask[3 + l]) acc = TOp.Invoke(acc, Vector.LoadUnsafe(ref b, i + (nuint)l));
            if (mask[6 + l]) acc = TOp.Invoke(acc, Vector.LoadUnsafe(ref c, i + (nuint)l));
        }
        return acc;
    }

    private static Vector<T> FirstElement<T>(ref T a, ref T c, nuint i, bool[] mask) where T : unmanaged
    {
        for (int l = 0; l < 3; l++)
        {
            if (mask[l]) return Vector.LoadUnsafe(ref a, i + (nuint)l);
            if (mask[6 + l]) return Vector.LoadUnsafe(ref c, i + (nuint)l);
        }
        throw new InvalidOperationException("empty footprint");
    }

    /// <summary>One output pixel of the 3x3-window kernel, columns read through <paramref name="mode"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Masked<T, TOp>(ReadOnlySpan<T> r0, ReadOnlySpan<T> r1, ReadOnlySpan<T> r2, int x0, bool[] mask, int w, BoundaryMode mode, T cval)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        bool any = false;
        T acc = cval;
        for (int l = 0; l < 3; l++)
        {
            if (!mask[l] && !mask[3 + l] && !mask[6 + l]) continue;
            int xx = Border.Map(x0 + l, w, mode);
            for (int k = 0; k < 3; k++)
            {
                if (!mask[k * 3 + l]) continue;
                T v = xx < 0 ? cval : (k == 0 ? r0 : k == 1 ? r1 : r2)[xx];
                acc = any ? TOp.Invoke(acc, v) : v;
                any = true;
            }
        }
        return acc;
    }

    /// <summary>The rectangle rows [dy0, dy0 + ny), cols [dx0, dx0 + nx) around each pixel.</summary>
    private static void Separable<T, TOp>(ImageRows<T> src, ImageRows<T> dst, int dy0, int ny, int dx0, int nx, BoundaryMode mode, T cval)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        Bands.For(src.Height, (_, start, end) => SeparableRows<T, TOp>(src, dst, dy0, ny, dx0, nx, mode, cval, start, end));
    }

    /// <summary>Output rows [start, end) of <see cref="Separable"/>; reads source rows start + dy0 .. end - 1 + dy0 + ny - 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SeparableRows<T, TOp>(ImageRows<T> src, ImageRows<T> dst, int dy0, int ny, int dx0, int nx, BoundaryMode mode, T cval, int start, int end)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        int w = src.Width;
        // v[j] holds the vertical result of column j + dx0 (columns -left .. w - 1 + right).
        int left = Math.Max(0, -dx0), right = Math.Max(0, dx0 + nx - 1);
        int vlen = left + w + right;
        int skip = dx0 + left; // first v index a window starts at
        var vbuf = ArrayPool<T>.Shared.Rent(vlen + Vector<T>.Count);
        var cbuf = ArrayPool<T>.Shared.Rent(w);
        try
        {
            var v = vbuf.AsSpan(0, vlen);
            var crow = cbuf.AsSpan(0, w);
            crow.Fill(cval);
            for (int y = start; y < end; y++)
            {
                var inner = v.Slice(left, w);
                if (ny == 1) InputRow(src, crow, y + dy0, mode).CopyTo(inner);
                else if (ny == 3) Combine3<T, TOp>(InputRow(src, crow, y + dy0, mode), InputRow(src, crow, y + dy0 + 1, mode), InputRow(src, crow, y + dy0 + 2, mode), inner);
                else
                {
                    Combine<T, TOp>(InputRow(src, crow, y + dy0, mode), InputRow(src, crow, y + dy0 + 1, mode), inner);
                    for (int k = 2; k < ny; k++) Combine<T, TOp>(inner, InputRow(src, crow, y + dy0 + k, mode), inner);
                }
                for (int j = 0; j < left; j++)
                {
                    int xx = Border.Map(j - left, w, mode);
                    v[j] = xx < 0 ? cval : inner[xx];
                }
                for (int j = 0; j < right; j++)
                {
                    int xx = Border.Map(w + j, w, mode);
                    v[left + w + j] = xx < 0 ? cval : inner[xx];
                }
                Window<T, TOp>(v.Slice(skip), nx, dst.Row(y));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(vbuf);
            ArrayPool<T>.Shared.Return(cbuf);
        }
    }

    private static ReadOnlySpan<T> InputRow<T>(ImageRows<T> src, ReadOnlySpan<T> constantRow, int y, BoundaryMode mode)
    {
        int yy = Border.Map(y, src.Height, mode);
        return yy < 0 ? constantRow : src.Row(yy);
    }

    private static void Runs<T, TOp>(ImageRows<T> src, ImageRows<T> dst, List<(int Dy, int Dx, int Len)> runs, BoundaryMode mode, T cval)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        int top = 0, bottom = 0, left = 0, right = 0;
        foreach (var (dy, dx, len) in runs)
        {
            top = Math.Max(top, -dy);
            bottom = Math.Max(bottom, dy);
            left = Math.Max(left, -dx);
            right = Math.Max(right, dx + len - 1);
        }
        var lengths = runs.Select(r => r.Len).Distinct().OrderBy(l => l).ToList();
        if (lengths[0] != 1) lengths.Insert(0, 1);
        var runSlot = runs.Select(r => lengths.IndexOf(r.Len)).ToArray();
        Bands.For(src.Height, (_, start, end) => RunsRows<T, TOp>(src, dst, runs, lengths, runSlot, top, bottom, left, right, mode, cval, start, end));
    }

    /// <summary>
    /// Output rows [start, end) of <see cref="Runs"/>: the band fills its own rings from padded row start (source row
    /// start - top) on, so it reads source rows start - top .. end - 1 + bottom and nothing another band writes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunsRows<T, TOp>(ImageRows<T> src, ImageRows<T> dst, List<(int Dy, int Dx, int Len)> runs, List<int> lengths, int[] runSlot,
        int top, int bottom, int left, int right, BoundaryMode mode, T cval, int start, int end)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        int h = src.Height, w = src.Width;
        int span = top + bottom + 1, wp = w + left + right;
        // Ring buffers over the padded rows: slot 0 holds the padded rows themselves, slot j the running op of
        // lengths[j] along each of them; padded row py lives in ring row py % span.
        var rings = new T[lengths.Count][];
        var widths = new int[lengths.Count];
        for (int j = 0; j < lengths.Count; j++)
        {
            widths[j] = wp - lengths[j] + 1;
            rings[j] = ArrayPool<T>.Shared.Rent(span * widths[j] + Vector<T>.Count);
        }
        try
        {
            int ready = start; // padded rows [start, ready) are computed
            for (int y = start; y < end; y++)
            {
                for (; ready <= y + span - 1; ready++)
                {
                    int slot = ready % span;
                    var prow = rings[0].AsSpan(slot * wp, wp);
                    int yy = Border.Map(ready - top, h, mode);
                    if (yy < 0) prow.Fill(cval);
                    else
                    {
                        var row = src.Row(yy);
                        row.CopyTo(prow.Slice(left));
                        for (int j = 0; j < left; j++) { int xx = Border.Map(j - left, w, mode); prow[j] = xx < 0 ? cval : row[xx]; }
                        for (int j = 0; j < right; j++) { int xx = Border.Map(w + j, w, mode); prow[left + w + j] = xx < 0 ? cval : row[xx]; }
                    }
                    for (int j = 1; j < lengths.Count; j++)
                        Window<T, TOp>(prow, lengths[j], rings[j].AsSpan(slot * widths[j], widths[j]));
                }
                var outRow = dst.Row(y);
                for (int r = 0; r < runs.Count; r++)
                {
                    var (dy, dx, _) = runs[r];
                    int j = runSlot[r], py = y + top + dy;
                    var row = rings[j].AsSpan((py % span) * widths[j] + left + dx, w);
                    if (r == 0)
                    {
                        if (runs.Count == 1) row.CopyTo(outRow);
                        continue;
                    }
                    if (r == 1)
                    {
                        var (dy0, dx0, _) = runs[0];
                        int j0 = runSlot[0], py0 = y + top + dy0;
                        Combine<T, TOp>(rings[j0].AsSpan((py0 % span) * widths[j0] + left + dx0, w), row, outRow);
                    }
                    else Combine<T, TOp>(outRow, row, outRow);
                }
            }
        }
        finally
        {
            foreach (var ring in rings) ArrayPool<T>.Shared.Return(ring);
        }
    }

    /// <summary>dst[i] = op(a[i], b[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst)
        where T : unmanaged where TOp : struct, IMinMaxOp<T>
    {
        int n = dst.Length, i = 0, vc = Vector<T>.Count;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rd = ref MemoryMarshal.GetReference(dst);
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - vc; i += vc)
                Vector.StoreUnsafe(TOp.Invoke(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i)), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = TOp.Invoke(Unsafe.Add(ref ra, i), Unsafe.Add(ref rb, i));
    }

    /// <summary>dst[i] = op(a[i], b[i], c[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine3<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c, Span<T> dst)
        where T : unmanaged where TOp : struct, IMinMaxOp<T>
    {
        int n = dst.Length, i = 0, vc = Vector<T>.Count;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(c);
        ref T rd = ref MemoryMarshal.GetReference(dst);
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - vc; i += vc)
                Vector.StoreUnsafe(TOp.Invoke(TOp.Invoke(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i)), Vector.LoadUnsafe(ref rc, (nuint)i)), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = TOp.Invoke(TOp.Invoke(Unsafe.Add(ref ra, i), Unsafe.Add(ref rb, i)), Unsafe.Add(ref rc, i));
    }

    /// <summary>dst[i] = op(src[i], ..., src[i + len - 1]) for every i of dst; src holds dst.Length + len - 1 elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Window<T, TOp>(ReadOnlySpan<T> src, int len, Span<T> dst)
        where T : unmanaged where TOp : struct, IMinMaxOp<T>
    {
        int n = dst.Length, i = 0, vc = Vector<T>.Count;
        ref T rs = ref MemoryMarshal.GetReference(src);
        ref T rd = ref MemoryMarshal.GetReference(dst);
        if (len == 1) { src[..n].CopyTo(dst); return; }
        if (Vector.IsHardwareAccelerated)
        {
            if (len == 3)
            {
                for (; i <= n - vc; i += vc)
                {
                    var a = Vector.LoadUnsafe(ref rs, (nuint)i);
                    var b = Vector.LoadUnsafe(ref rs, (nuint)(i + 1));
                    var c = Vector.LoadUnsafe(ref rs, (nuint)(i + 2));
                    Vector.StoreUnsafe(TOp.Invoke(TOp.Invoke(a, b), c), ref rd, (nuint)i);
                }
            }
            else
            {
                for (; i <= n - vc; i += vc)
                {
                    var acc = Vector.LoadUnsafe(ref rs, (nuint)i);
                    for (int k = 1; k < len; k++) acc = TOp.Invoke(acc, Vector.LoadUnsafe(ref rs, (nuint)(i + k)));
                    Vector.StoreUnsafe(acc, ref rd, (nuint)i);
                }
            }
        }
        for (; i < n; i++)
        {
            T acc = Unsafe.Add(ref rs, i);
            for (int k = 1; k < len; k++) acc = TOp.Invoke(acc, Unsafe.Add(ref rs, i + k));
            Unsafe.Add(ref rd, i) = acc;
        }
    }
}
