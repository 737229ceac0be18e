using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// scipy.ndimage.uniform_filter on a float32 image with ndimage's own arithmetic (NI_UniformFilter1D), for results that
/// match scipy to the last bit: each 1-D pass keeps a float64 running sum over the extended line (the first window
/// summed in order from 0.0, then <c>tmp += new - old</c>), writes <c>tmp / size</c> (a true division, not a multiply by
/// 1/size) and rounds it to float32, as ndimage stores a float32 output between the axis-0 and the axis-1 pass.
/// Both passes are vectorised with <see cref="Vector{T}"/> of double: the axis-0 pass across columns, the axis-1 pass
/// across groups of rows (interleaved so each lane carries one row's running sum).
/// </summary>
internal static class UniformFilter
{
    /// <summary>scipy.ndimage.uniform_filter1d of one float64 line with the same running sum (mode reflect, origin 0).</summary>
    public static void Line(ReadOnlySpan<double> src, Span<double> dst, int size)
    {
        int n = src.Length, before = size / 2, after = size - before - 1;
        double sum = 0;
        for (int k = -before; k <= after; k++) sum += src[Border.Map(k, n, BoundaryMode.Reflect)];
        dst[0] = sum / size;
        for (int i = 1; i < n; i++)
        {
            sum += src[Border.Map(i + after, n, BoundaryMode.Reflect)] - src[Border.Map(i - before - 1, n, BoundaryMode.Reflect)];
            dst[i] = sum / size;
        }
    }

    /// <summary>dst = uniform_filter(src, size, mode, cval): the axis-0 pass, then the axis-1 pass, dst dense (height, width).</summary>
    public static void Float32(ImageRows<float> src, float[] dst, int size, BoundaryMode mode, double cval)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size));
        Columns(src, dst, size, mode, cval);
        Rows(dst, src.Height, src.Width, size, mode, cval);
    }

    /// <summary>
    /// The axis-0 pass: one running sum per column, SIMD across columns. The sums run down the rows, so restarting them
    /// per row band would change their rounding: this pass is cut into bands of COLUMNS instead (each column's sum is
    /// independent of the others, so any cut gives the same bytes).
    /// </summary>
    private static void Columns(ImageRows<float> src, float[] dst, int size, BoundaryMode mode, double cval) =>
        Bands.For(src.Width, (_, start, end) => ColumnRange(src, dst, size, mode, cval, start, end));

    /// <summary>The axis-0 pass for columns [<paramref name="x0"/>, <paramref name="x1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnRange(ImageRows<float> src, float[] dst, int size, BoundaryMode mode, double cval, int x0, int x1)
    {
        int height = src.Height, width = x1 - x0, stride = src.Width, before = size / 2, after = size - before - 1;
        double[] acc = ArrayPool<double>.Shared.Rent(width);
        float[] constant = ArrayPool<float>.Shared.Rent(width);
        try
        {
            var sums = acc.AsSpan(0, width);
            sums.Clear();
            // cval is a double in ndimage's line buffer; a float32 row holds it only when it is a float32 value, so the
            // constant-row path adds cval in double directly.
            bool cvalIsFloat = (double)(float)cval == cval;
            constant.AsSpan(0, width).Fill((float)cval);
            for (int k = -before; k <= after; k++)
            {
                int source = Border.Map(k, height, mode);
                if (source < 0 && !cvalIsFloat) { foreach (ref double s in sums) s += cval; continue; }
                ReadOnlySpan<float> row = source < 0 ? constant.AsSpan(0, width) : src.Row(source).Slice(x0, width);
                for (int x = 0; x < width; x++) sums[x] += row[x];
            }
            Divide(sums, size, dst.AsSpan(x0, width));
            for (int y = 1; y < height; y++)
            {
                int enter = Border.Map(y + after, height, mode), leave = Border.Map(y - before - 1, height, mode);
                var output = dst.AsSpan(y * stride + x0, width);
                if ((enter < 0 || leave < 0) && !cvalIsFloat)
                {
                    for (int x = 0; x < width; x++)
                    {
                        double a = enter < 0 ? cval : src.Row(enter)[x0 + x], b = leave < 0 ? cval : src.Row(leave)[x0 + x];
                        sums[x] += a - b;
                    }
                    Divide(sums, size, output);
                    continue;
                }
                ReadOnlySpan<float> add = enter < 0 ? constant.AsSpan(0, width) : src.Row(enter).Slice(x0, width);
                ReadOnlySpan<float> sub = leave < 0 ? constant.AsSpan(0, width) : src.Row(leave).Slice(x0, width);
                Step(sums, add, sub, size, output);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(acc);
            ArrayPool<float>.Shared.Return(constant);
        }
    }

    /// <summary>sums += add - sub (each difference in double), output = (float)(sums / size).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Step(Span<double> sums, ReadOnlySpan<float> add, ReadOnlySpan<float> sub, int size, Span<float> output)
    {
        int width = sums.Length, x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref double s = ref MemoryMarshal.GetReference(sums);
            ref float a = ref MemoryMarshal.GetReference(add);
            ref float b = ref MemoryMarshal.GetReference(sub);
            ref float o = ref MemoryMarshal.GetReference(output);
            var divisor = new Vector<double>(size);
            for (; x <= width - Vector<float>.Count; x += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref a, (nuint)x), out var a0, out var a1);
                Vector.Widen(Vector.LoadUnsafe(ref b, (nuint)x), out var b0, out var b1);
                var s0 = Vector.LoadUnsafe(ref s, (nuint)x) + (a0 - b0);
                var s1 = Vector.LoadUnsafe(ref s, (nuint)(x + Vector<double>.Count)) + (a1 - b1);
                s0.StoreUnsafe(ref s, (nuint)x);
                s1.StoreUnsafe(ref s, (nuint)(x + Vector<double>.Count));
                Vector.Narrow(s0 / divisor, s1 / divisor).StoreUnsafe(ref o, (nuint)x);
            }
        }
        for (; x < width; x++)
        {
            sums[x] += (double)add[x] - sub[x];
            output[x] = (float)(sums[x] / size);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide(ReadOnlySpan<double> sums, int size, Span<float> output)
    {
        for (int x = 0; x < sums.Length; x++) output[x] = (float)(sums[x] / size);
    }

    /// <summary>
    /// The axis-1 pass, in place: rows taken <see cref="Vector{T}.Count"/> at a time into an interleaved, extended float64
    /// buffer (lane k = row k), one running sum per lane.
    /// </summary>
    private static void Rows(float[] image, int height, int width, int size, BoundaryMode mode, double cval)
    {
        // Bands of whole lane groups; each lane's running sum is its own row's, so any cut gives the same bytes.
        int lanes = Vector<double>.Count, groups = (height + lanes - 1) / lanes;
        Bands.For(groups, (_, start, end) => RowGroups(image, width, size, mode, cval, start * lanes, Math.Min(end * lanes, height)));
    }

    /// <summary>The axis-1 pass for rows [<paramref name="first"/>, <paramref name="last"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowGroups(float[] image, int width, int size, BoundaryMode mode, double cval, int first, int last)
    {
        int lanes = Vector<double>.Count, before = size / 2, extended = width + size - 1;
        var map = new int[extended];
        for (int p = 0; p < extended; p++) map[p] = Border.Map(p - before, width, mode);
        double[] lines = ArrayPool<double>.Shared.Rent(extended * lanes);
        double[] quotients = ArrayPool<double>.Shared.Rent(width * lanes);
        try
        {
            ref double line = ref MemoryMarshal.GetArrayDataReference(lines);
            ref double quotient = ref MemoryMarshal.GetArrayDataReference(quotients);
            var divisor = new Vector<double>(size);
            for (int y0 = first; y0 < last; y0 += lanes)
            {
                int count = Math.Min(lanes, last - y0);
                for (int k = 0; k < lanes; k++)
                {
                    // A short last group repeats its last row in the spare lanes; those results are not written.
                    var row = image.AsSpan((y0 + Math.Min(k, count - 1)) * width, width);
                    ref double lane = ref Unsafe.Add(ref line, k);
                    for (int p = 0; p < before; p++) Unsafe.Add(ref lane, p * lanes) = map[p] < 0 ? cval : row[map[p]];
                    for (int x = 0; x < width; x++) Unsafe.Add(ref lane, (before + x) * lanes) = row[x];
                    for (int p = before + width; p < extended; p++) Unsafe.Add(ref lane, p * lanes) = map[p] < 0 ? cval : row[map[p]];
                }
                var sum = Vector<double>.Zero;
                for (int p = 0; p < size; p++) sum += Vector.LoadUnsafe(ref line, (nuint)(p * lanes));
                (sum / divisor).StoreUnsafe(ref quotient, 0);
                for (int x = 1; x < width; x++)
                {
                    sum += Vector.LoadUnsafe(ref line, (nuint)((x + size - 1) * lanes)) - Vector.LoadUnsafe(ref line, (nuint)((x - 1) * lanes));
                    (sum / divisor).StoreUnsafe(ref quotient, (nuint)(x * lanes));
                }
                for (int k = 0; k < count; k++)
                {
                    var row = image.AsSpan((y0 + k) * width, width);
                    ref double q = ref Unsafe.Add(ref quotient, k);
                    for (int x = 0; x < width; x++) row[x] = (float)Unsafe.Add(ref q, x * lanes);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(lines);
            ArrayPool<double>.Shared.Return(quotients);
        }
    }
}
