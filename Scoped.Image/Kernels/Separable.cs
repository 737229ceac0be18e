using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// Separable correlation: a 1-D kernel down the columns, then a 1-D kernel along the rows, fused row by row so the
/// intermediate never leaves the cache. Same order and result as two scipy.ndimage.correlate1d passes (axis 0,
/// then axis 1), summed in the element type with SIMD.
/// </summary>
internal static class Separable
{
    /// <summary>
    /// scipy's Gaussian kernel (_gaussian_kernel1d): exp((-0.5 / sigma^2) * x^2) over [-radius, radius], divided by
    /// its NumPy (pairwise) sum, in scipy's order of operations. np.exp itself may differ from Math.Exp in the last
    /// bit on NumPy builds that use Intel's SVML (AVX-512); see docs/image.md, "Rounding ties".
    /// </summary>
    public static double[] GaussianWeights(double sigma, double truncate)
    {
        if (sigma <= 1e-15) return [1.0];
        int radius = (int)(truncate * sigma + 0.5);
        var weights = new double[2 * radius + 1];
        double scale = -0.5 / (sigma * sigma);
        for (int i = -radius; i <= radius; i++)
            weights[i + radius] = Math.Exp(scale * ((double)i * i));
        double sum = Pairwise.Sum<double>(weights);
        for (int i = 0; i < weights.Length; i++) weights[i] /= sum;
        return weights;
    }

    /// <summary>
    /// dst = correlate(correlate(src, <paramref name="rowWeights"/> along axis 0), <paramref name="colWeights"/> along axis 1).
    /// Channels are interleaved and never mixed. Both kernels have odd length, centred.
    /// </summary>
    public static void Correlate<T>(ImageRows<T> src, ImageRows<T> dst, ReadOnlySpan<double> rowWeights, ReadOnlySpan<double> colWeights,
        BoundaryMode mode, T cval) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CorrelateSlabs(src, dst, src.Height, rowWeights, colWeights, mode, cval);
    }

    /// <summary>
    /// As <see cref="Correlate{T}(ImageRows{T}, ImageRows{T}, ReadOnlySpan{double}, ReadOnlySpan{double}, BoundaryMode, T)"/>
    /// on rows that stack images of <paramref name="slabHeight"/> rows each: the vertical kernel never crosses from one
    /// image to the next, each image's edges are its own. One banded pass over all the rows, so a stack of thin
    /// slabs still splits evenly across cores.
    /// </summary>
    public static void CorrelateSlabs<T>(ImageRows<T> src, ImageRows<T> dst, int slabHeight, ReadOnlySpan<double> rowWeights, ReadOnlySpan<double> colWeights,
        BoundaryMode mode, T cval) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var wy = ToT<T>(rowWeights);
        var wx = ToT<T>(colWeights);
        if (wx.Length == 1 && wy.Length > 1 && src.RowLength > VerticalChunk)
        {
            // A vertical-only pass over long rows (an outer axis of a volume) is cut into bands of columns: bands of
            // rows would each copy the kernel's window of rows again at their start. A slab that stays in the
            // last-level cache is read in place; a larger one through the ring.
            bool ring = (long)slabHeight * src.RowStride * Unsafe.SizeOf<T>() > RingSlabBytes;
            int chunk = ring ? RingStrip<T>(wy.Length) : VerticalChunk;
            Bands.For((src.RowLength + chunk - 1) / chunk, (_, first, last) =>
            {
                if (ring) VerticalChunks(src, dst, slabHeight, wy, mode, cval, first * chunk, Math.Min(src.RowLength, last * chunk));
                else VerticalChunksInPlace(src, dst, slabHeight, wy, mode, cval, first * chunk, Math.Min(src.RowLength, last * chunk));
            });
            return;
        }
        Bands.For(src.Height, (_, start, end) => CorrelateRows(src, dst, slabHeight, wy, wx, mode, cval, start, end));
    }

    /// <summary>
    /// scipy.ndimage.gaussian_filter's order on an N-D array: <paramref name="weights"/>[k] along spatial axis k, axis 0
    /// first, of a C-contiguous (d0, ..., dn-1[, channels]) array (<paramref name="spatial"/> = d0..dn-1; channels
    /// interleaved last, never mixed). Axis k before the last two is one vertical pass over rows of
    /// d(k+1) * ... * channels elements in slabs of dk; the last two axes are the fused 2-D pass over slabs of
    /// d(n-2) rows, so a 2-D image is exactly the one fused pass it always was. Returns a new array (never
    /// <paramref name="src"/>); a kernel of one tap skips its axis.
    /// </summary>
    public static HostArray<T> CorrelateAxes<T>(HostArray<T> src, ReadOnlySpan<int> spatial, int channels, double[][] weights, BoundaryMode mode, T cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = spatial.Length;
        var shape = src.Shape.ToArray();
        if (n == 1)
        {
            var line = HostArray<T>.Allocate(shape);
            CorrelateSlabs(src.RowsOf(1, spatial[0], channels), line.RowsOf(1, spatial[0], channels), 1, [1.0], weights[0], mode, cval);
            return line;
        }
        HostArray<T> current = src;
        HostArray<T>? spare = null;
        int outer = 1, inner = (int)(src.Size / channels);
        for (int k = 0; k < n - 2; k++)
        {
            outer *= spatial[k];
            inner /= spatial[k];
            if (weights[k].Length == 1) continue;
            var next = spare ?? HostArray<T>.Allocate(shape);
            CorrelateSlabs(current.RowsOf(outer, inner * channels, 1), next.RowsOf(outer, inner * channels, 1), spatial[k], weights[k], [1.0], mode, cval);
            spare = ReferenceEquals(current, src) ? null : current;
            current = next;
        }
        var result = spare ?? HostArray<T>.Allocate(shape);
        int rows = outer * spatial[n - 2], width = spatial[n - 1];
        CorrelateSlabs(current.RowsOf(rows, width, channels), result.RowsOf(rows, width, channels), spatial[n - 2], weights[n - 2], weights[n - 1], mode, cval);
        return result;
    }

    // Rows longer than this (elements) take a vertical-only pass (an N-D axis before the last two) in bands of columns,
    // chunk by chunk (VerticalChunks, VerticalChunksInPlace).
    private const int VerticalChunk = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CorrelateRows<T>(ImageRows<T> src, ImageRows<T> dst, int slabHeight, T[] wy, T[] wx, BoundaryMode mode, T cval, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = src.Width, channels = src.Channels, rowLength = src.RowLength;
        int ry = wy.Length / 2, rx = wx.Length / 2;
        bool symmetricY = IsSymmetric(wy), symmetricX = IsSymmetric(wx);
        T[] padded = ArrayPool<T>.Shared.Rent((width + 2 * rx) * channels);
        T[] constantRow = ArrayPool<T>.Shared.Rent(rowLength);
        // Row pointers for the vertical window, re-filled per output row (no allocation per row); the row's edge
        // columns, the same for every row.
        var window = new int[wy.Length];
        var (left, right) = (new int[rx], new int[rx]);
        for (int p = 0; p < rx; p++) (left[p], right[p]) = (Border.Map(p - rx, width, mode), Border.Map(width + p, width, mode));
        try
        {
            Span<T> constant = constantRow.AsSpan(0, rowLength);
            constant.Fill(cval);
            Span<T> vertical = padded.AsSpan(rx * channels, rowLength);
            for (int y = start; y < end; y++)
            {
                Span<T> output = dst.Row(y);
                if (wy.Length == 1 && wx.Length == 1) { src.Row(y).CopyTo(output); continue; }
                if (wy.Length == 1) src.Row(y).CopyTo(vertical);
                else
                {
                    bool real = FillWindow(window, y, slabHeight, mode);
                    VerticalRow(src, window, wy, symmetricY, real, constant, wx.Length == 1 ? output : vertical);
                    if (wx.Length == 1) continue;
                }
                PadInPlace(padded.AsSpan(0, (width + 2 * rx) * channels), width, channels, left, right, cval);
                HorizontalRow(padded, wx, symmetricX, channels, output);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(padded);
            ArrayPool<T>.Shared.Return(constantRow);
        }
    }

    /// <summary>The source rows of output row <paramref name="y"/> in its slab (-1 for a constant row); whether all are real rows.</summary>
    private static bool FillWindow(int[] window, int y, int slabHeight, BoundaryMode mode)
    {
        int ry = window.Length / 2, slab = y / slabHeight * slabHeight, local = y - slab;
        if (local >= ry && local + ry < slabHeight)
        {
            for (int k = 0; k < window.Length; k++) window[k] = y - ry + k;
            return true;
        }
        bool real = true;
        for (int k = 0; k < window.Length; k++)
        {
            int row = Border.Map(local + k - ry, slabHeight, mode);
            window[k] = row < 0 ? -1 : slab + row;
            real &= row >= 0;
        }
        return real;
    }

    /// <summary>
    /// The vertical pass of columns [from, to) of every row, strip by strip: every row's first strip, then every row's second... The
    /// window's rows are copied into a small ring first, because long rows alias in the caches (17 rows 256 KB apart
    /// fall into the same L2 sets, so reading them in place misses on every tap); inside a slab each source row is
    /// copied once per strip, near its edges the mapped rows are copied for each output row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalChunks<T>(ImageRows<T> src, ImageRows<T> dst, int slabHeight, T[] wy, BoundaryMode mode, T cval, int from, int to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = wy.Length, ry = taps / 2, strip = RingStrip<T>(taps), start = 0, end = src.Height;
        var ring = HostArray<T>.Allocate(taps, strip);
        var ringRows = ring.RowsOf(taps, strip, 1);
        var window = new int[taps];
        bool symmetric = IsSymmetric(wy);
        T[] constantRow = ArrayPool<T>.Shared.Rent(strip);
        try
        {
            constantRow.AsSpan(0, strip).Fill(cval);
            for (int c0 = from; c0 < to; c0 += strip)
            {
                int length = Math.Min(strip, to - c0);
                int copiedUpTo = int.MinValue; // the newest row in the ring of a run of interior rows, or none
                for (int y = start; y < end; y++)
                {
                    int slab = y / slabHeight * slabHeight, local = y - slab;
                    if (local >= ry && local + ry < slabHeight)
                    {
                        // Interior: the window is rows y - ry .. y + ry, each in ring slot (row mod taps).
                        for (int row = copiedUpTo == y + ry - 1 ? y + ry : y - ry; row <= y + ry; row++)
                            src.Row(row).Slice(c0, length).CopyTo(ringRows.Row(row % taps));
                        copiedUpTo = y + ry;
                        for (int k = 0; k < taps; k++) window[k] = (y - ry + k) % taps;
                    }
                    else
                    {
                        for (int k = 0; k < taps; k++)
                        {
                            int row = Border.Map(local + k - ry, slabHeight, mode);
                            if (row >= 0) src.Row(slab + row).Slice(c0, length).CopyTo(ringRows.Row(k));
                            window[k] = row < 0 ? -1 : k;
                        }
                        copiedUpTo = int.MinValue;
                    }
                    VerticalRow(ringRows, window, wy, symmetric, Array.IndexOf(window, -1) < 0, constantRow.AsSpan(0, length), dst.Row(y).Slice(c0, length));
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(constantRow); }
    }

    // Slabs above this size (bytes) take the vertical-only pass through the ring: on this machine 256^3 float32 (64 MB
    // slabs) ran its axis-0 pass faster through the ring, 128^3 (8 MB, cached) faster in place.
    private const long RingSlabBytes = 16L << 20;

    /// <summary>The vertical pass of columns [from, to) of every row chunk by chunk, reading the rows in place: every
    /// row's first chunk, then every row's second...</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalChunksInPlace<T>(ImageRows<T> src, ImageRows<T> dst, int slabHeight, T[] wy, BoundaryMode mode, T cval, int from, int to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool symmetric = IsSymmetric(wy);
        var window = new int[wy.Length];
        T[] constantRow = ArrayPool<T>.Shared.Rent(VerticalChunk);
        try
        {
            constantRow.AsSpan(0, VerticalChunk).Fill(cval);
            for (int c0 = from; c0 < to; c0 += VerticalChunk)
            {
                int length = Math.Min(VerticalChunk, to - c0);
                for (int y = 0; y < src.Height; y++)
                {
                    bool real = FillWindow(window, y, slabHeight, mode);
                    VerticalRow(src, window, wy, symmetric, real, constantRow.AsSpan(0, length), dst.Row(y).Slice(c0, length), c0);
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(constantRow); }
    }

    // Bytes of the vertical window's ring: in L2 without aliasing (one buffer), with strips long enough that each row's
    // copy streams (measured on 256^3 float32, sigma 2: 16 KB 34 ms, 128 KB 24 ms, 512 KB 26 ms for the axis-0 pass).
    private const int RingBytes = 128 * 1024;

    /// <summary>Elements per strip of the ring: a whole number of four-vector blocks, the window's rows within RingBytes.</summary>
    private static int RingStrip<T>(int taps)
    {
        int block = 4 * Vector<T>.Count;
        return Math.Max(block, RingBytes / (taps * Unsafe.SizeOf<T>()) / block * block);
    }

    private static T[] ToT<T>(ReadOnlySpan<double> weights) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[weights.Length];
        for (int i = 0; i < weights.Length; i++) result[i] = T.CreateTruncating(weights[i]);
        return result;
    }

    private static bool IsSymmetric<T>(T[] w) where T : IEquatable<T>
    {
        for (int i = 0; i < w.Length / 2; i++) if (!w[i].Equals(w[^(i + 1)])) return false;
        return true;
    }

    /// <summary>
    /// out = sum_k w[k] * row(window[k]), one whole row per tap (pairs of rows for a symmetric kernel), so each
    /// inner loop is a plain fused multiply-add over spans that stay in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalRow<T>(ImageRows<T> src, int[] window, T[] w, bool symmetric, bool real, ReadOnlySpan<T> constant, Span<T> output,
        int offset = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = w.Length / 2;
        if (Vector.IsHardwareAccelerated && output.Length >= 4 * Vector<T>.Count && real && BlockedFits<T>(w.Length, src.RowStride))
        {
            VerticalBlocked(src, window, w, symmetric, output, offset);
            return;
        }
        if (symmetric)
        {
            Tap<T, FirstTap<T>>(Source(src, window[r], constant, offset, output.Length), w[r], output);
            for (int j = 1; j <= r; j++)
                AddPairTimes(Source(src, window[r - j], constant, offset, output.Length), Source(src, window[r + j], constant, offset, output.Length), w[r + j], output);
        }
        else
        {
            Tap<T, FirstTap<T>>(Source(src, window[0], constant, offset, output.Length), w[0], output);
            for (int k = 1; k < w.Length; k++) Tap<T, NextTap<T>>(Source(src, window[k], constant, offset, output.Length), w[k], output);
        }
    }

    /// <summary>
    /// Whether the register-blocked taps suit rows <paramref name="stride"/> elements apart: they read all the window's
    /// rows at once, and rows a multiple of 4 KB apart share L1 sets (2048-float rows: all 17 taps of sigma 2 in one
    /// set, 1.65x slower than the tap-by-tap loops at 2048^2), so the window must spread over enough sets.
    /// </summary>
    private static bool BlockedFits<T>(int taps, nint stride)
    {
        long bytes = stride * Unsafe.SizeOf<T>();
        long alignment = bytes == 0 ? 4096 : Math.Min(4096, bytes & -bytes); // gcd(bytes, 4096)
        return taps <= 6 * (4096 / alignment);
    }

    /// <summary>
    /// <see cref="VerticalRow{T}"/> when every tap reads a real row: four output vectors at a time take all their taps in
    /// registers and are stored once, where the tap-by-tap loops load and store the accumulator row per tap. Each
    /// element sums its taps in the same order as there (the centre, then the pairs outwards), so the two agree bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalBlocked<T>(ImageRows<T> src, int[] window, T[] w, bool symmetric, Span<T> output, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = w.Length, r = taps / 2, n = output.Length, vc = Vector<T>.Count;
        // Every row as an element offset from row 0 (rows of one buffer, RowStride apart), so the loop needs no spans.
        ref T origin = ref MemoryMarshal.GetReference(src.Row(0));
        Span<nint> rows = taps <= 128 ? stackalloc nint[taps] : new nint[taps];
        for (int k = 0; k < taps; k++) rows[k] = window[k] * src.RowStride + offset;
        ref T dst = ref MemoryMarshal.GetReference(output);
        int x = 0;
        for (; ; x += 4 * vc)
        {
            if (x > n - 4 * vc)
            {
                if (x == n) break;
                x = n - 4 * vc; // the last block overlaps the one before; its elements get the same values again
            }
            Vector<T> s0, s1, s2, s3;
            if (symmetric)
            {
                ref T c = ref Unsafe.Add(ref origin, rows[r] + x);
                var wc = new Vector<T>(w[r]);
                s0 = Vector.LoadUnsafe(ref c) * wc;
                s1 = Vector.LoadUnsafe(ref c, (nuint)vc) * wc;
                s2 = Vector.LoadUnsafe(ref c, (nuint)(2 * vc)) * wc;
                s3 = Vector.LoadUnsafe(ref c, (nuint)(3 * vc)) * wc;
                for (int j = 1; j <= r; j++)
                {
                    var wj = new Vector<T>(w[r + j]);
                    ref T lo = ref Unsafe.Add(ref origin, rows[r - j] + x);
                    ref T hi = ref Unsafe.Add(ref origin, rows[r + j] + x);
                    s0 = Fma(Vector.LoadUnsafe(ref lo) + Vector.LoadUnsafe(ref hi), wj, s0);
                    s1 = Fma(Vector.LoadUnsafe(ref lo, (nuint)vc) + Vector.LoadUnsafe(ref hi, (nuint)vc), wj, s1);
                    s2 = Fma(Vector.LoadUnsafe(ref lo, (nuint)(2 * vc)) + Vector.LoadUnsafe(ref hi, (nuint)(2 * vc)), wj, s2);
                    s3 = Fma(Vector.LoadUnsafe(ref lo, (nuint)(3 * vc)) + Vector.LoadUnsafe(ref hi, (nuint)(3 * vc)), wj, s3);
                }
            }
            else
            {
                ref T first = ref Unsafe.Add(ref origin, rows[0] + x);
                var w0 = new Vector<T>(w[0]);
                s0 = Vector.LoadUnsafe(ref first) * w0;
                s1 = Vector.LoadUnsafe(ref first, (nuint)vc) * w0;
                s2 = Vector.LoadUnsafe(ref first, (nuint)(2 * vc)) * w0;
                s3 = Vector.LoadUnsafe(ref first, (nuint)(3 * vc)) * w0;
                for (int k = 1; k < taps; k++)
                {
                    var wk = new Vector<T>(w[k]);
                    ref T row = ref Unsafe.Add(ref origin, rows[k] + x);
                    s0 = Fma(Vector.LoadUnsafe(ref row), wk, s0);
                    s1 = Fma(Vector.LoadUnsafe(ref row, (nuint)vc), wk, s1);
                    s2 = Fma(Vector.LoadUnsafe(ref row, (nuint)(2 * vc)), wk, s2);
                    s3 = Fma(Vector.LoadUnsafe(ref row, (nuint)(3 * vc)), wk, s3);
                }
            }
            s0.StoreUnsafe(ref dst, (nuint)x);
            s1.StoreUnsafe(ref dst, (nuint)(x + vc));
            s2.StoreUnsafe(ref dst, (nuint)(x + 2 * vc));
            s3.StoreUnsafe(ref dst, (nuint)(x + 3 * vc));
        }
    }

    /// <summary>What one tap does to the accumulator row: <see cref="FirstTap{T}"/> starts it, <see cref="NextTap{T}"/> adds to it.</summary>
    private interface ITap<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract Vector<T> Apply(Vector<T> x, Vector<T> w, Vector<T> acc);
        static abstract T Apply(T x, T w, T acc);
    }

    /// <summary>acc = x * w.</summary>
    private readonly struct FirstTap<T> : ITap<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Apply(Vector<T> x, Vector<T> w, Vector<T> acc) => x * w;
        public static T Apply(T x, T w, T acc) => x * w;
    }

    /// <summary>acc = fma(x, w, acc).</summary>
    private readonly struct NextTap<T> : ITap<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Apply(Vector<T> x, Vector<T> w, Vector<T> acc) => Fma(x, w, acc);
        public static T Apply(T x, T w, T acc) => T.FusedMultiplyAdd(x, w, acc);
    }

    /// <summary>One tap over a whole row. Not TensorPrimitives.Multiply / FusedMultiplyAdd: their generic code runs
    /// unoptimised for the first calls of a process.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tap<T, TTap>(ReadOnlySpan<T> x, T w, Span<T> acc) where T : unmanaged, IFloatingPointIeee754<T> where TTap : struct, ITap<T>
    {
        int n = acc.Length, i = 0;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rc = ref MemoryMarshal.GetReference(acc);
        if (Vector.IsHardwareAccelerated)
        {
            var vw = new Vector<T>(w);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
                TTap.Apply(Vector.LoadUnsafe(ref rx, (nuint)i), vw, Vector.LoadUnsafe(ref rc, (nuint)i)).StoreUnsafe(ref rc, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref rc, i) = TTap.Apply(Unsafe.Add(ref rx, i), w, Unsafe.Add(ref rc, i));
    }

    /// <summary>acc += (a + b) * w, in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddPairTimes<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, T w, Span<T> acc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = acc.Length, i = 0;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(acc);
        if (Vector.IsHardwareAccelerated)
        {
            var vw = new Vector<T>(w);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var sum = Vector.LoadUnsafe(ref ra, (nuint)i) + Vector.LoadUnsafe(ref rb, (nuint)i);
                Fma(sum, vw, Vector.LoadUnsafe(ref rc, (nuint)i)).StoreUnsafe(ref rc, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref rc, i) = T.FusedMultiplyAdd(Unsafe.Add(ref ra, i) + Unsafe.Add(ref rb, i), w, Unsafe.Add(ref rc, i));
    }

    /// <summary>a * b + c with one rounding where the hardware has FMA (float and double), else multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<T> Source<T>(ImageRows<T> src, int row, ReadOnlySpan<T> constant, int offset, int length) =>
        row < 0 ? constant[..length] : src.Row(row).Slice(offset, length);

    /// <summary>Fills the border of a row whose middle is already in place: its <paramref name="left"/> and
    /// <paramref name="right"/> edge columns map to these columns (-1: <paramref name="cval"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadInPlace<T>(Span<T> padded, int width, int channels, int[] left, int[] right, T cval)
    {
        int radius = left.Length;
        for (int p = 0; p < radius; p++)
            for (int c = 0; c < channels; c++)
            {
                padded[p * channels + c] = left[p] < 0 ? cval : padded[(radius + left[p]) * channels + c];
                padded[(radius + width + p) * channels + c] = right[p] < 0 ? cval : padded[(radius + right[p]) * channels + c];
            }
    }

    /// <summary>out[i] = sum_k w[k] * padded[i + k * channels], vectorised across the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalRow<T>(T[] padded, T[] w, bool symmetric, int channels, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, r = w.Length / 2;
        ref T src = ref MemoryMarshal.GetArrayDataReference(padded);
        ref T dst = ref MemoryMarshal.GetReference(output);
        int x = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            // Four output vectors at a time: four independent chains of fused multiply-adds keep the FMA units busy,
            // where one chain waits on each FMA's latency; every element still sums its taps in the same order.
            if (symmetric)
                for (; x <= n - 4 * Vector<T>.Count; x += 4 * Vector<T>.Count) StoreHorizontalSymmetric4(ref src, w, channels, x, r, ref dst);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count) StoreHorizontal(ref src, w, channels, x, symmetric, r, ref dst);
            if (x < n) StoreHorizontal(ref src, w, channels, n - Vector<T>.Count, symmetric, r, ref dst);
            return;
        }
        for (; x < n; x++)
        {
            T sum = T.Zero;
            for (int k = 0; k < w.Length; k++) sum += w[k] * padded[x + k * channels];
            output[x] = sum;
        }
    }

    /// <summary><see cref="StoreHorizontal{T}"/> of a symmetric kernel for the four vectors from x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreHorizontalSymmetric4<T>(ref T src, T[] w, int channels, int x, int r, ref T dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vc = Vector<T>.Count;
        nuint c = (nuint)(x + r * channels);
        var wc = new Vector<T>(w[r]);
        var s0 = Vector.LoadUnsafe(ref src, c) * wc;
        var s1 = Vector.LoadUnsafe(ref src, c + (nuint)vc) * wc;
        var s2 = Vector.LoadUnsafe(ref src, c + (nuint)(2 * vc)) * wc;
        var s3 = Vector.LoadUnsafe(ref src, c + (nuint)(3 * vc)) * wc;
        for (int j = 1; j <= r; j++)
        {
            var wj = new Vector<T>(w[r + j]);
            nuint lo = (nuint)(x + (r - j) * channels), hi = (nuint)(x + (r + j) * channels);
            s0 = Fma(Vector.LoadUnsafe(ref src, lo) + Vector.LoadUnsafe(ref src, hi), wj, s0);
            s1 = Fma(Vector.LoadUnsafe(ref src, lo + (nuint)vc) + Vector.LoadUnsafe(ref src, hi + (nuint)vc), wj, s1);
            s2 = Fma(Vector.LoadUnsafe(ref src, lo + (nuint)(2 * vc)) + Vector.LoadUnsafe(ref src, hi + (nuint)(2 * vc)), wj, s2);
            s3 = Fma(Vector.LoadUnsafe(ref src, lo + (nuint)(3 * vc)) + Vector.LoadUnsafe(ref src, hi + (nuint)(3 * vc)), wj, s3);
        }
        s0.StoreUnsafe(ref dst, (nuint)x);
        s1.StoreUnsafe(ref dst, (nuint)(x + vc));
        s2.StoreUnsafe(ref dst, (nuint)(x + 2 * vc));
        s3.StoreUnsafe(ref dst, (nuint)(x + 3 * vc));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreHorizontal<T>(ref T src, T[] w, int channels, int x, bool symmetric, int r, ref T dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> sum;
        if (symmetric)
        {
            sum = Vector.LoadUnsafe(ref src, (nuint)(x + r * channels)) * new Vector<T>(w[r]);
            for (int j = 1; j <= r; j++)
            {
                var pair = Vector.LoadUnsafe(ref src, (nuint)(x + (r - j) * channels)) + Vector.LoadUnsafe(ref src, (nuint)(x + (r + j) * channels));
                sum = Fma(pair, new Vector<T>(w[r + j]), sum);
            }
        }
        else
        {
            sum = Vector.LoadUnsafe(ref src, (nuint)x) * new Vector<T>(w[0]);
            for (int k = 1; k < w.Length; k++) sum = Fma(Vector.LoadUnsafe(ref src, (nuint)(x + k * channels)), new Vector<T>(w[k]), sum);
        }
        sum.StoreUnsafe(ref dst, (nuint)x);
    }
}
