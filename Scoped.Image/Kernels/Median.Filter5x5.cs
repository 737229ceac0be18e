using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scoped.Image.Kernels;
// The 5x5 median's forgetful-selection network (Median25 is written out as straight-line min/max pairs).
internal static partial class Median
{
    /// <summary>
    /// The 5x5 median by forgetful selection with SIMD min/max across the row: 14 of the 25 window values are kept,
    /// the smallest and largest are dropped and the next value added until all 25 are seen, then the median of the
    /// last three is taken. Images narrower than one vector use <see cref="FilterFootprint{T}"/>.
    /// </summary>
    public static void Filter5x5<T>(ImageRows<T> src, ImageRows<T> dst, BoundaryMode mode, T cval) where T : unmanaged, INumber<T>
    {
        int height = src.Height, width = src.Width;
        if (!Vector.IsHardwareAccelerated || !Vector<T>.IsSupported || width < Vector<T>.Count)
        {
            var full = new bool[5, 5];
            for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) full[i, j] = true;
            FilterFootprint(src, dst, full, mode, cval);
            return;
        }
        Bands.For(height, (_, start, end) => Filter5x5Rows(src, dst, mode, cval, start, end));
    }

    /// <summary>Output rows [start, end) of <see cref="Filter5x5{T}"/>; reads source rows start - 2 .. end + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filter5x5Rows<T>(ImageRows<T> src, ImageRows<T> dst, BoundaryMode mode, T cval, int start, int end) where T : unmanaged, INumber<T>
    {
        int height = src.Height, width = src.Width, padded = width + 4;
        T[] buffer = ArrayPool<T>.Shared.Rent(5 * padded + width);
        try
        {
            Span<T> constant = buffer.AsSpan(5 * padded, width);
            constant.Fill(cval);
            for (int y = start; y < end; y++)
            {
                for (int k = 0; k < 5; k++)
                {
                    int sy = Border.Map(y + k - 2, height, mode);
                    Border.PadRow<T>(sy < 0 ? constant : src.Row(sy), width, 1, buffer.AsSpan(k * padded, padded), 2, mode, cval);
                }
                ref T origin = ref MemoryMarshal.GetArrayDataReference(buffer);
                ref T output = ref MemoryMarshal.GetReference(dst.Row(y));
                for (int x = 0; ; x += Vector<T>.Count)
                {
                    if (x > width - Vector<T>.Count) { if (x == width) break; x = width - Vector<T>.Count; }
                    Median25(ref origin, padded, x).StoreUnsafe(ref output, (nuint)x);
                    if (x == width - Vector<T>.Count) break;
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(buffer); }
    }

    /// <summary>The median of the 5x5 window at column <paramref name="x"/> of five padded rows (forgetful selection, straight-line so the set stays in registers; generated).</summary>
    private static Vector<T> Median25<T>(ref T origin, int padded, int x)
    {
        var v0 = Vector.LoadUnsafe(ref origin, (nuint)(0 * padded + x + 0));
        var v1 = Vector.LoadUnsafe(ref origin, (nuint)(0 * padded + x + 1));
        var v2 = Vector.LoadUnsafe(ref origin, (nuint)(0 * padded + x + 2));
        var v3 = Vector.LoadUnsafe(ref origin, (nuint)(0 * padded + x + 3));
        var v4 = Vector.LoadUnsafe(ref origin, (nuint)(0 * padded + x + 4));
        var v5 = Vector.LoadUnsafe(ref origin, (nuint)(1 * padded + x + 0));
        var v6 = Vector.LoadUnsafe(ref origin, (nuint)(1 * padded + x + 1));
        var v7 = Vector.LoadUnsafe(ref origin, (nuint)(1 * padded + x + 2));
        var v8 = Vector.LoadUnsafe(ref origin, (nuint)(1 * padded + x + 3));
        var v9 = Vector.LoadUnsafe(ref origin, (nuint)(1 * padded + x + 4));
        var v10 = Vector.LoadUnsafe(ref origin, (nuint)(2 * padded + x + 0));
        var v11 = Vector.LoadUnsafe(ref origin, (nuint)(2 * padded + x + 1));
        var v12 = Vector.LoadUnsafe(ref origin, (nuint)(2 * padded + x + 2));
        var v13 = Vector.LoadUnsafe(ref origin, (nuint)(2 * padded + x + 3));
        Vector<T> t;
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v0, v8); v8 = Vector.MaxNative(v0, v8); v0 = t;
        t = Vector.MinNative(v0, v9); v9 = Vector.MaxNative(v0, v9); v0 = t;
        t = Vector.MinNative(v0, v10); v10 = Vector.MaxNative(v0, v10); v0 = t;
        t = Vector.MinNative(v0, v11); v11 = Vector.MaxNative(v0, v11); v0 = t;
        t = Vector.MinNative(v0, v12); v12 = Vector.MaxNative(v0, v12); v0 = t;
        t = Vector.MinNative(v0, v13); v13 = Vector.MaxNative(v0, v13); v0 = t;
        t = Vector.MinNative(v1, v13); v13 = Vector.MaxNative(v1, v13); v1 = t;
        t = Vector.MinNative(v2, v13); v13 = Vector.MaxNative(v2, v13); v2 = t;
        t = Vector.MinNative(v3, v13); v13 = Vector.MaxNative(v3, v13); v3 = t;
        t = Vector.MinNative(v4, v13); v13 = Vector.MaxNative(v4, v13); v4 = t;
        t = Vector.MinNative(v5, v13); v13 = Vector.MaxNative(v5, v13); v5 = t;
        t = Vector.MinNative(v6, v13); v13 = Vector.MaxNative(v6, v13); v6 = t;
        t = Vector.MinNative(v7, v13); v13 = Vector.MaxNative(v7, v13); v7 = t;
        t = Vector.MinNative(v8, v13); v13 = Vector.MaxNative(v8, v13); v8 = t;
        t = Vector.MinNative(v9, v13); v13 = Vector.MaxNative(v9, v13); v9 = t;
        t = Vector.MinNative(v10, v13); v13 = Vector.MaxNative(v10, v13); v10 = t;
        t = Vector.MinNative(v11, v13); v13 = Vector.MaxNative(v11, v13); v11 = t;
        t = Vector.MinNative(v12, v13); v13 = Vector.MaxNative(v12, v13); v12 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(2 * padded + x + 4));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v0, v8); v8 = Vector.MaxNative(v0, v8); v0 = t;
        t = Vector.MinNative(v0, v9); v9 = Vector.MaxNative(v0, v9); v0 = t;
        t = Vector.MinNative(v0, v10); v10 = Vector.MaxNative(v0, v10); v0 = t;
        t = Vector.MinNative(v0, v11); v11 = Vector.MaxNative(v0, v11); v0 = t;
        t = Vector.MinNative(v0, v12); v12 = Vector.MaxNative(v0, v12); v0 = t;
        t = Vector.MinNative(v1, v12); v12 = Vector.MaxNative(v1, v12); v1 = t;
        t = Vector.MinNative(v2, v12); v12 = Vector.MaxNative(v2, v12); v2 = t;
        t = Vector.MinNative(v3, v12); v12 = Vector.MaxNative(v3, v12); v3 = t;
        t = Vector.MinNative(v4, v12); v12 = Vector.MaxNative(v4, v12); v4 = t;
        t = Vector.MinNative(v5, v12); v12 = Vector.MaxNative(v5, v12); v5 = t;
        t = Vector.MinNative(v6, v12); v12 = Vector.MaxNative(v6, v12); v6 = t;
        t = Vector.MinNative(v7, v12); v12 = Vector.MaxNative(v7, v12); v7 = t;
        t = Vector.MinNative(v8, v12); v12 = Vector.MaxNative(v8, v12); v8 = t;
        t = Vector.MinNative(v9, v12); v12 = Vector.MaxNative(v9, v12); v9 = t;
        t = Vector.MinNative(v10, v12); v12 = Vector.MaxNative(v10, v12); v10 = t;
        t = Vector.MinNative(v11, v12); v12 = Vector.MaxNative(v11, v12); v11 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(3 * padded + x + 0));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v0, v8); v8 = Vector.MaxNative(v0, v8); v0 = t;
        t = Vector.MinNative(v0, v9); v9 = Vector.MaxNative(v0, v9); v0 = t;
        t = Vector.MinNative(v0, v10); v10 = Vector.MaxNative(v0, v10); v0 = t;
        t = Vector.MinNative(v0, v11); v11 = Vector.MaxNative(v0, v11); v0 = t;
        t = Vector.MinNative(v1, v11); v11 = Vector.MaxNative(v1, v11); v1 = t;
        t = Vector.MinNative(v2, v11); v11 = Vector.MaxNative(v2, v11); v2 = t;
        t = Vector.MinNative(v3, v11); v11 = Vector.MaxNative(v3, v11); v3 = t;
        t = Vector.MinNative(v4, v11); v11 = Vector.MaxNative(v4, v11); v4 = t;
        t = Vector.MinNative(v5, v11); v11 = Vector.MaxNative(v5, v11); v5 = t;
        t = Vector.MinNative(v6, v11); v11 = Vector.MaxNative(v6, v11); v6 = t;
        t = Vector.MinNative(v7, v11); v11 = Vector.MaxNative(v7, v11); v7 = t;
        t = Vector.MinNative(v8, v11); v11 = Vector.MaxNative(v8, v11); v8 = t;
        t = Vector.MinNative(v9, v11); v11 = Vector.MaxNative(v9, v11); v9 = t;
        t = Vector.MinNative(v10, v11); v11 = Vector.MaxNative(v10, v11); v10 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(3 * padded + x + 1));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v0, v8); v8 = Vector.MaxNative(v0, v8); v0 = t;
        t = Vector.MinNative(v0, v9); v9 = Vector.MaxNative(v0, v9); v0 = t;
        t = Vector.MinNative(v0, v10); v10 = Vector.MaxNative(v0, v10); v0 = t;
        t = Vector.MinNative(v1, v10); v10 = Vector.MaxNative(v1, v10); v1 = t;
        t = Vector.MinNative(v2, v10); v10 = Vector.MaxNative(v2, v10); v2 = t;
        t = Vector.MinNative(v3, v10); v10 = Vector.MaxNative(v3, v10); v3 = t;
        t = Vector.MinNative(v4, v10); v10 = Vector.MaxNative(v4, v10); v4 = t;
        t = Vector.MinNative(v5, v10); v10 = Vector.MaxNative(v5, v10); v5 = t;
        t = Vector.MinNative(v6, v10); v10 = Vector.MaxNative(v6, v10); v6 = t;
        t = Vector.MinNative(v7, v10); v10 = Vector.MaxNative(v7, v10); v7 = t;
        t = Vector.MinNative(v8, v10); v10 = Vector.MaxNative(v8, v10); v8 = t;
        t = Vector.MinNative(v9, v10); v10 = Vector.MaxNative(v9, v10); v9 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(3 * padded + x + 2));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v0, v8); v8 = Vector.MaxNative(v0, v8); v0 = t;
        t = Vector.MinNative(v0, v9); v9 = Vector.MaxNative(v0, v9); v0 = t;
        t = Vector.MinNative(v1, v9); v9 = Vector.MaxNative(v1, v9); v1 = t;
        t = Vector.MinNative(v2, v9); v9 = Vector.MaxNative(v2, v9); v2 = t;
        t = Vector.MinNative(v3, v9); v9 = Vector.MaxNative(v3, v9); v3 = t;
        t = Vector.MinNative(v4, v9); v9 = Vector.MaxNative(v4, v9); v4 = t;
        t = Vector.MinNative(v5, v9); v9 = Vector.MaxNative(v5, v9); v5 = t;
        t = Vector.MinNative(v6, v9); v9 = Vector.MaxNative(v6, v9); v6 = t;
        t = Vector.MinNative(v7, v9); v9 = Vector.MaxNative(v7, v9); v7 = t;
        t = Vector.MinNative(v8, v9); v9 = Vector.MaxNative(v8, v9); v8 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(3 * padded + x + 3));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v0, v8); v8 = Vector.MaxNative(v0, v8); v0 = t;
        t = Vector.MinNative(v1, v8); v8 = Vector.MaxNative(v1, v8); v1 = t;
        t = Vector.MinNative(v2, v8); v8 = Vector.MaxNative(v2, v8); v2 = t;
        t = Vector.MinNative(v3, v8); v8 = Vector.MaxNative(v3, v8); v3 = t;
        t = Vector.MinNative(v4, v8); v8 = Vector.MaxNative(v4, v8); v4 = t;
        t = Vector.MinNative(v5, v8); v8 = Vector.MaxNative(v5, v8); v5 = t;
        t = Vector.MinNative(v6, v8); v8 = Vector.MaxNative(v6, v8); v6 = t;
        t = Vector.MinNative(v7, v8); v8 = Vector.MaxNative(v7, v8); v7 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(3 * padded + x + 4));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v0, v7); v7 = Vector.MaxNative(v0, v7); v0 = t;
        t = Vector.MinNative(v1, v7); v7 = Vector.MaxNative(v1, v7); v1 = t;
        t = Vector.MinNative(v2, v7); v7 = Vector.MaxNative(v2, v7); v2 = t;
        t = Vector.MinNative(v3, v7); v7 = Vector.MaxNative(v3, v7); v3 = t;
        t = Vector.MinNative(v4, v7); v7 = Vector.MaxNative(v4, v7); v4 = t;
        t = Vector.MinNative(v5, v7); v7 = Vector.MaxNative(v5, v7); v5 = t;
        t = Vector.MinNative(v6, v7); v7 = Vector.MaxNative(v6, v7); v6 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(4 * padded + x + 0));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v0, v6); v6 = Vector.MaxNative(v0, v6); v0 = t;
        t = Vector.MinNative(v1, v6); v6 = Vector.MaxNative(v1, v6); v1 = t;
        t = Vector.MinNative(v2, v6); v6 = Vector.MaxNative(v2, v6); v2 = t;
        t = Vector.MinNative(v3, v6); v6 = Vector.MaxNative(v3, v6); v3 = t;
        t = Vector.MinNative(v4, v6); v6 = Vector.MaxNative(v4, v6); v4 = t;
        t = Vector.MinNative(v5, v6); v6 = Vector.MaxNative(v5, v6); v5 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(4 * padded + x + 1));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v0, v5); v5 = Vector.MaxNative(v0, v5); v0 = t;
        t = Vector.MinNative(v1, v5); v5 = Vector.MaxNative(v1, v5); v1 = t;
        t = Vector.MinNative(v2, v5); v5 = Vector.MaxNative(v2, v5); v2 = t;
        t = Vector.MinNative(v3, v5); v5 = Vector.MaxNative(v3, v5); v3 = t;
        t = Vector.MinNative(v4, v5); v5 = Vector.MaxNative(v4, v5); v4 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(4 * padded + x + 2));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v0, v4); v4 = Vector.MaxNative(v0, v4); v0 = t;
        t = Vector.MinNative(v1, v4); v4 = Vector.MaxNative(v1, v4); v1 = t;
        t = Vector.MinNative(v2, v4); v4 = Vector.MaxNative(v2, v4); v2 = t;
        t = Vector.MinNative(v3, v4); v4 = Vector.MaxNative(v3, v4); v3 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(4 * padded + x + 3));
        t = Vector.MinNative(v0, v1); v1 = Vector.MaxNative(v0, v1); v0 = t;
        t = Vector.MinNative(v0, v2); v2 = Vector.MaxNative(v0, v2); v0 = t;
        t = Vector.MinNative(v0, v3); v3 = Vector.MaxNative(v0, v3); v0 = t;
        t = Vector.MinNative(v1, v3); v3 = Vector.MaxNative(v1, v3); v1 = t;
        t = Vector.MinNative(v2, v3); v3 = Vector.MaxNative(v2, v3); v2 = t;
        v0 = Vector.LoadUnsafe(ref origin, (nuint)(4 * padded + x + 4));
        return Med3(v0, v1, v2);
    }
}
