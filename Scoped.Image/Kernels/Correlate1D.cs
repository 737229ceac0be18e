using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// One scipy.ndimage.correlate1d pass with ndimage's own arithmetic, for results that must match bit for bit (Canny's
/// ties): sums in float64 over a float64 image, the centre tap first and then the symmetric (or antisymmetric) pairs
/// from the outermost in, and the result rounded to the storage type <typeparamref name="T"/> (float32 images keep
/// float32 values between passes, as ndimage stores them). <see cref="Separable"/> is the fast fused path where
/// float rounding does not change the answer.
/// </summary>
internal static class Correlate1D<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly bool RoundToSingle = typeof(T) == typeof(float);

    /// <summary>dst = correlate1d(src, weights, axis), src and dst dense (height, width) float64 images holding T values.</summary>
    public static void Run(double[] src, double[] dst, int height, int width, int axis, double[] weights, BoundaryMode mode, double cval)
    {
        int r = weights.Length / 2;
        bool symmetric = true, antisymmetric = true;
        for (int j = 1; j <= r; j++)
        {
            symmetric &= weights[r - j] == weights[r + j];
            antisymmetric &= weights[r - j] == -weights[r + j];
        }
        if (!symmetric && !antisymmetric) throw new ArgumentException("Only symmetric or antisymmetric kernels are supported.", nameof(weights));
        double sign = symmetric ? 1 : -1;
        if (axis == 1) Rows(src, dst, height, width, weights, r, sign, mode, cval);
        else Columns(src, dst, height, width, weights, r, sign, mode, cval);
    }

    /// <summary>
    /// Both passes of a symmetric kernel (axis 0, then axis 1) on an image of T, streamed row by row: each source row is
    /// converted to float64 once (0 where <paramref name="mask"/> is false) as it enters the window, so no float64 copy
    /// of the image is made; <paramref name="then"/> runs on each output row once it is done. Same arithmetic as two <see cref="Run"/> calls.
    /// </summary>
    public static void RunBoth(ImageRows<T> src, bool[]? mask, double[] dst, double[] weights, BoundaryMode mode, double cval, RowAction? then = null)
    {
        int height = src.Height, width = src.Width, r = weights.Length / 2, size = 2 * r + 1;
        for (int j = 1; j <= r; j++)
            if (weights[r - j] != weights[r + j]) throw new ArgumentException("The kernel must be symmetric.", nameof(weights));
        if (mode == BoundaryMode.Wrap || height < size)
        {
            var values = new double[height * width];
            Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
            {
                for (int y = start; y < end; y++) Convert(src.Row(y), mask, y * width, values.AsSpan(y * width, width));
            });
            var scratch = new double[height * width];
            Run(values, scratch, height, width, 0, weights, mode, cval);
            Run(scratch, dst, height, width, 1, weights, mode, cval);
            if (then is not null)
                Bands.For(height, (_, start, end) =>
                {
                    for (int y = start; y < end; y++) then(y, dst.AsSpan(y * width, width));
                });
            return;
        }
        // Every output row is computed from the source rows afresh (the ring only saves converting a row twice), so
        // each band keeps its own ring and the bytes do not depend on the cut.
        Bands.For(height, (_, start, end) => BothRows(src, mask, dst, weights, mode, cval, then, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BothRows(ImageRows<T> src, bool[]? mask, double[] dst, double[] weights, BoundaryMode mode, double cval, RowAction? then,
        int start, int end)
    {
        int height = src.Height, width = src.Width, r = weights.Length / 2, size = 2 * r + 1;
        var ring = new double[size][];
        var ringRow = new int[size];
        for (int k = 0; k < size; k++) { ring[k] = new double[width]; ringRow[k] = -1; }
        var constant = new double[width];
        constant.AsSpan().Fill(cval);
        var window = new double[size][];
        var offsets = new int[size];
        double[] padded = ArrayPool<double>.Shared.Rent(width + 2 * r + Vector<double>.Count);
        try
        {
            for (int y = start; y < end; y++)
            {
                for (int k = 0; k < size; k++)
                {
                    int source = Border.Map(y + k - r, height, mode);
                    if (source < 0) { window[k] = constant; continue; }
                    int slot = source % size;
                    if (ringRow[slot] != source)
                    {
                        Convert(src.Row(source), mask, source * width, ring[slot]);
                        ringRow[slot] = source;
                    }
                    window[k] = ring[slot];
                }
                var vertical = padded.AsSpan(r, width);
                Stack(window, offsets, weights, r, 1, vertical, width);
                for (int p = 0; p < r; p++)
                {
                    int left = Border.Map(p - r, width, mode), right = Border.Map(width + p, width, mode);
                    padded[p] = left < 0 ? cval : padded[r + left];
                    padded[r + width + p] = right < 0 ? cval : padded[r + right];
                }
                Line(padded, weights, r, 1, dst.AsSpan(y * width, width));
                then?.Invoke(y, dst.AsSpan(y * width, width));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(padded);
        }
    }

    /// <summary>Work on one finished output row of <see cref="RunBoth"/>, while it is still in cache.</summary>
    public delegate void RowAction(int y, Span<double> row);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Convert(ReadOnlySpan<T> row, bool[]? mask, int start, Span<double> output)
    {
        int x = 0;
        if (mask is null && typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
        {
            // float32 to float64 is exact: widen a vector at a time.
            var f = MemoryMarshal.Cast<T, float>(row);
            ref float source = ref MemoryMarshal.GetReference(f);
            ref double target = ref MemoryMarshal.GetReference(output);
            for (; x <= f.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref source, (nuint)x), out var low, out var high);
                low.StoreUnsafe(ref target, (nuint)x);
                high.StoreUnsafe(ref target, (nuint)(x + Vector<double>.Count));
            }
        }
        if (mask is null) for (; x < row.Length; x++) output[x] = double.CreateTruncating(row[x]);
        else for (; x < row.Length; x++) output[x] = mask[start + x] ? double.CreateTruncating(row[x]) : 0.0;
    }

    private static void Rows(double[] src, double[] dst, int height, int width, double[] w, int r, double sign, BoundaryMode mode, double cval) =>
        Bands.For(height, (_, start, end) => RowRange(src, dst, width, w, r, sign, mode, cval, start, end));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowRange(double[] src, double[] dst, int width, double[] w, int r, double sign, BoundaryMode mode, double cval, int start, int end)
    {
        double[] padded = ArrayPool<double>.Shared.Rent(width + 2 * r + Vector<double>.Count);
        try
        {
            for (int y = start; y < end; y++)
            {
                var row = src.AsSpan(y * width, width);
                row.CopyTo(padded.AsSpan(r));
                for (int p = 0; p < r; p++)
                {
                    int left = Border.Map(p - r, width, mode), right = Border.Map(width + p, width, mode);
                    padded[p] = left < 0 ? cval : row[left];
                    padded[r + width + p] = right < 0 ? cval : row[right];
                }
                Line(padded, w, r, sign, dst.AsSpan(y * width, width));
            }
        }
        finally { ArrayPool<double>.Shared.Return(padded); }
    }

    // Each output row reads its window of source rows directly (no running state), so rows go in bands.
    private static void Columns(double[] src, double[] dst, int height, int width, double[] w, int r, double sign, BoundaryMode mode, double cval) =>
        Bands.For(height, (_, start, end) => ColumnRange(src, dst, height, width, w, r, sign, mode, cval, start, end));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnRange(double[] src, double[] dst, int height, int width, double[] w, int r, double sign, BoundaryMode mode, double cval,
        int start, int end)
    {
        double[] constant = ArrayPool<double>.Shared.Rent(width);
        double[][] window = new double[2 * r + 1][];
        int[] offsets = new int[2 * r + 1];
        try
        {
            constant.AsSpan(0, width).Fill(cval);
            for (int y = start; y < end; y++)
            {
                for (int k = 0; k < window.Length; k++)
                {
                    int source = Border.Map(y + k - r, height, mode);
                    window[k] = source < 0 ? constant : src;
                    offsets[k] = source < 0 ? 0 : source * width;
                }
                Stack(window, offsets, w, r, sign, dst.AsSpan(y * width, width), width);
            }
        }
        finally { ArrayPool<double>.Shared.Return(constant); }
    }

    /// <summary>A horizontal line: out[x] = padded[x + r] w[r] + sum over j = r..1 of (padded[x + r - j] ± padded[x + r + j]) w[r - j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Line(double[] padded, double[] w, int r, double sign, Span<double> output)
    {
        int n = output.Length, x = 0;
        ref double p = ref MemoryMarshal.GetArrayDataReference(padded);
        if (Vector.IsHardwareAccelerated)
        {
            var vSign = new Vector<double>(sign);
            int vc = Vector<double>.Count;
            // Four vectors per step: four independent chains of adds (one chain waits on each add's latency); every
            // element still sums its taps in the same order, so the bits are the same.
            for (; x <= n - 4 * vc; x += 4 * vc)
            {
                var wr = new Vector<double>(w[r]);
                var a0 = Vector.LoadUnsafe(ref p, (nuint)(x + r)) * wr;
                var a1 = Vector.LoadUnsafe(ref p, (nuint)(x + r + vc)) * wr;
                var a2 = Vector.LoadUnsafe(ref p, (nuint)(x + r + 2 * vc)) * wr;
                var a3 = Vector.LoadUnsafe(ref p, (nuint)(x + r + 3 * vc)) * wr;
                for (int j = r; j >= 1; j--)
                {
                    var wj = new Vector<double>(w[r - j]);
                    nuint lo = (nuint)(x + r - j), hi = (nuint)(x + r + j);
                    a0 += (Vector.LoadUnsafe(ref p, lo) + vSign * Vector.LoadUnsafe(ref p, hi)) * wj;
                    a1 += (Vector.LoadUnsafe(ref p, lo + (nuint)vc) + vSign * Vector.LoadUnsafe(ref p, hi + (nuint)vc)) * wj;
                    a2 += (Vector.LoadUnsafe(ref p, lo + (nuint)(2 * vc)) + vSign * Vector.LoadUnsafe(ref p, hi + (nuint)(2 * vc))) * wj;
                    a3 += (Vector.LoadUnsafe(ref p, lo + (nuint)(3 * vc)) + vSign * Vector.LoadUnsafe(ref p, hi + (nuint)(3 * vc))) * wj;
                }
                Store(a0, output, x);
                Store(a1, output, x + vc);
                Store(a2, output, x + 2 * vc);
                Store(a3, output, x + 3 * vc);
            }
            for (; x <= n - Vector<double>.Count; x += Vector<double>.Count)
            {
                var acc = Vector.LoadUnsafe(ref p, (nuint)(x + r)) * new Vector<double>(w[r]);
                for (int j = r; j >= 1; j--)
                    acc += (Vector.LoadUnsafe(ref p, (nuint)(x + r - j)) + vSign * Vector.LoadUnsafe(ref p, (nuint)(x + r + j))) * new Vector<double>(w[r - j]);
                Store(acc, output, x);
            }
        }
        for (; x < n; x++)
        {
            double acc = padded[x + r] * w[r];
            for (int j = r; j >= 1; j--) acc += (padded[x + r - j] + sign * padded[x + r + j]) * w[r - j];
            output[x] = Round(acc);
        }
    }

    /// <summary>A vertical line set: out[x] = sum over the window rows, same order as <see cref="Line"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Stack(double[][] rows, int[] offsets, double[] w, int r, double sign, Span<double> output, int width)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vSign = new Vector<double>(sign);
            int vc = Vector<double>.Count;
            // Four vectors per step, as in Line: independent chains, the same order per element.
            for (; x <= width - 4 * vc; x += 4 * vc)
            {
                var wr = new Vector<double>(w[r]);
                ref double c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(rows[r]), offsets[r] + x);
                var a0 = Vector.LoadUnsafe(ref c) * wr;
                var a1 = Vector.LoadUnsafe(ref c, (nuint)vc) * wr;
                var a2 = Vector.LoadUnsafe(ref c, (nuint)(2 * vc)) * wr;
                var a3 = Vector.LoadUnsafe(ref c, (nuint)(3 * vc)) * wr;
                for (int j = r; j >= 1; j--)
                {
                    var wj = new Vector<double>(w[r - j]);
                    ref double lo = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(rows[r - j]), offsets[r - j] + x);
                    ref double hi = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(rows[r + j]), offsets[r + j] + x);
                    a0 += (Vector.LoadUnsafe(ref lo) + vSign * Vector.LoadUnsafe(ref hi)) * wj;
                    a1 += (Vector.LoadUnsafe(ref lo, (nuint)vc) + vSign * Vector.LoadUnsafe(ref hi, (nuint)vc)) * wj;
                    a2 += (Vector.LoadUnsafe(ref lo, (nuint)(2 * vc)) + vSign * Vector.LoadUnsafe(ref hi, (nuint)(2 * vc))) * wj;
                    a3 += (Vector.LoadUnsafe(ref lo, (nuint)(3 * vc)) + vSign * Vector.LoadUnsafe(ref hi, (nuint)(3 * vc))) * wj;
                }
                Store(a0, output, x);
                Store(a1, output, x + vc);
                Store(a2, output, x + 2 * vc);
                Store(a3, output, x + 3 * vc);
            }
            for (; x <= width - Vector<double>.Count; x += Vector<double>.Count)
            {
                var acc = Load(rows[r], offsets[r] + x) * new Vector<double>(w[r]);
                for (int j = r; j >= 1; j--)
                    acc += (Load(rows[r - j], offsets[r - j] + x) + vSign * Load(rows[r + j], offsets[r + j] + x)) * new Vector<double>(w[r - j]);
                Store(acc, output, x);
            }
        }
        for (; x < width; x++)
        {
            double acc = rows[r][offsets[r] + x] * w[r];
            for (int j = r; j >= 1; j--) acc += (rows[r - j][offsets[r - j] + x] + sign * rows[r + j][offsets[r + j] + x]) * w[r - j];
            output[x] = Round(acc);
        }
    }

    private static Vector<double> Load(double[] a, int i) => Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);

    /// <summary>Stores a vector of sums as the storage type holds them.</summary>
    public static void Store(Vector<double> v, Span<double> output, int x)
    {
        if (RoundToSingle)
        {
            Vector.Widen(Vector.Narrow(v, v), out v, out _);
        }
        v.StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)x);
    }

    /// <summary>The value as the storage type holds it.</summary>
    public static double Round(double v) => RoundToSingle ? (float)v : v;
}
