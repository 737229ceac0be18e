using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// The fused 3x3 edge magnitude sqrt(h^2 + v^2) / sqrt(2) of sobel/scharr/prewitt, one output row at a time: the
/// vertical difference and the vertical smoothing of three source rows are formed with SIMD, padded, and combined
/// with the horizontal smoothing and difference in the same pass (no full-size intermediates). Zero beyond the edge
/// for <see cref="BoundaryMode.Constant"/>, as scikit-image 0.19 does.
/// </summary>
internal static class Gradient
{
    /// <summary>dst = the edge magnitude of src for the symmetric smoothing weights <paramref name="smooth"/> = [a, b, a].</summary>
    public static void Magnitude<T>(ImageRows<T> src, ImageRows<T> dst, ReadOnlySpan<double> smooth, BoundaryMode mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(smooth[0]), b = T.CreateTruncating(smooth[1]);
        Bands.For(src.Height, (_, start, end) => MagnitudeRows(src, dst, a, b, mode, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MagnitudeRows<T>(ImageRows<T> src, ImageRows<T> dst, T a, T b, BoundaryMode mode, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = src.Height, width = src.Width;
        T norm = T.CreateTruncating(Math.Sqrt(2));
        int padded = width + 2;
        T[] buffer = ArrayPool<T>.Shared.Rent(2 * padded + width);
        try
        {
            Span<T> diff = buffer.AsSpan(0, padded), mean = buffer.AsSpan(padded, padded), zero = buffer.AsSpan(2 * padded, width);
            zero.Clear();
            int left = Border.Map(-1, width, mode), right = Border.Map(width, width, mode);
            for (int y = start; y < end; y++)
            {
                int yu = Border.Map(y - 1, height, mode), yd = Border.Map(y + 1, height, mode);
                ReadOnlySpan<T> up = yu < 0 ? zero : src.Row(yu), mid = src.Row(y), down = yd < 0 ? zero : src.Row(yd);
                Vertical(up, mid, down, diff[1..(width + 1)], mean[1..(width + 1)], a, b);
                diff[0] = left < 0 ? T.Zero : diff[1 + left];
                mean[0] = left < 0 ? T.Zero : mean[1 + left];
                diff[width + 1] = right < 0 ? T.Zero : diff[1 + right];
                mean[width + 1] = right < 0 ? T.Zero : mean[1 + right];
                Horizontal(diff, mean, dst.Row(y), a, b, norm);
            }
        }
        finally { ArrayPool<T>.Shared.Return(buffer); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vertical<T>(ReadOnlySpan<T> up, ReadOnlySpan<T> mid, ReadOnlySpan<T> down, Span<T> diff, Span<T> mean, T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = diff.Length, x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<T>(a);
            var vb = new Vector<T>(b);
            ref T ru = ref MemoryMarshal.GetReference(up), rm = ref MemoryMarshal.GetReference(mid), rd = ref MemoryMarshal.GetReference(down);
            ref T rdiff = ref MemoryMarshal.GetReference(diff), rmean = ref MemoryMarshal.GetReference(mean);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count)
            {
                var u = Vector.LoadUnsafe(ref ru, (nuint)x);
                var d = Vector.LoadUnsafe(ref rd, (nuint)x);
                (d - u).StoreUnsafe(ref rdiff, (nuint)x);
                (Vector.LoadUnsafe(ref rm, (nuint)x) * vb + (u + d) * va).StoreUnsafe(ref rmean, (nuint)x);
            }
        }
        for (; x < n; x++)
        {
            diff[x] = down[x] - up[x];
            mean[x] = mid[x] * b + (up[x] + down[x]) * a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Horizontal<T>(ReadOnlySpan<T> diff, ReadOnlySpan<T> mean, Span<T> output, T a, T b, T norm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<T>(a);
            var vb = new Vector<T>(b);
            var vn = new Vector<T>(norm);
            ref T rdiff = ref MemoryMarshal.GetReference(diff), rmean = ref MemoryMarshal.GetReference(mean), ro = ref MemoryMarshal.GetReference(output);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count)
            {
                var h = Vector.LoadUnsafe(ref rdiff, (nuint)x + 1) * vb + (Vector.LoadUnsafe(ref rdiff, (nuint)x) + Vector.LoadUnsafe(ref rdiff, (nuint)x + 2)) * va;
                var v = Vector.LoadUnsafe(ref rmean, (nuint)x + 2) - Vector.LoadUnsafe(ref rmean, (nuint)x);
                (Vector.SquareRoot(h * h + v * v) / vn).StoreUnsafe(ref ro, (nuint)x);
            }
        }
        for (; x < n; x++)
        {
            T h = diff[x + 1] * b + (diff[x] + diff[x + 2]) * a;
            T v = mean[x + 2] - mean[x];
            output[x] = T.Sqrt(h * h + v * v) / norm;
        }
    }
}
