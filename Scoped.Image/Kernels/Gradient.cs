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

    /// <summary>
    /// The 3-D edge magnitude sqrt(g0^2 + g1^2 + g2^2) / sqrt(3) of a (depth, height, width) volume (rows =
    /// depth * height), fused plane by plane: each source plane is smoothed and differenced along x once (kept in a
    /// ring of three planes), combined along z, then along y per output row; no full-size intermediates. Each band of
    /// output planes fills its own ring, so any cut gives the same bytes. Zero beyond the edge for Constant.
    /// </summary>
    public static void Magnitude3D<T>(ImageRows<T> src, ImageRows<T> dst, int depth, int height, ReadOnlySpan<double> smooth, BoundaryMode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(smooth[0]), b = T.CreateTruncating(smooth[1]);
        Bands.For(depth, (_, start, end) => MagnitudePlanes(src, dst, depth, height, a, b, mode, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MagnitudePlanes<T>(ImageRows<T> src, ImageRows<T> dst, int depth, int height, T a, T b, BoundaryMode mode, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = src.Width, plane = height * width;
        T norm = T.Sqrt(T.CreateTruncating(3));
        // Ring of three source planes: x-smoothed and x-differenced; then the z-combinations of the current output plane.
        var sx = new T[3][];
        var dx = new T[3][];
        var ringPlane = new[] { -1, -1, -1 };
        for (int i = 0; i < 3; i++) { sx[i] = new T[plane]; dx[i] = new T[plane]; }
        var zSmoothSx = new T[plane];
        var zDiffSx = new T[plane];
        var zSmoothDx = new T[plane];
        var zero = new T[plane];
        var padded = new T[width + 2];
        var g0 = new T[width];
        var g1 = new T[width];
        var g2 = new T[width];
        int left = Border.Map(-1, width, mode), right = Border.Map(width, width, mode);
        Span<int> planes = stackalloc int[3];
        for (int z = start; z < end; z++)
        {
            for (int k = 0; k < 3; k++) planes[k] = Border.Map(z + k - 1, depth, mode);
            ReadOnlySpan<T> Sx(int p) => p < 0 ? zero : Plane(p, sx, dx, ringPlane, src, height, width, padded, left, right, a, b).Sx;
            ReadOnlySpan<T> Dx(int p) => p < 0 ? zero : Plane(p, sx, dx, ringPlane, src, height, width, padded, left, right, a, b).Dx;
            // Fill the ring first so no plane is evicted while in use (the three are distinct unless the depth is small).
            for (int k = 0; k < 3; k++) if (planes[k] >= 0) Plane(planes[k], sx, dx, ringPlane, src, height, width, padded, left, right, a, b);
            Smooth3(Sx(planes[0]), Sx(planes[1]), Sx(planes[2]), zSmoothSx, a, b);
            Diff(Sx(planes[0]), Sx(planes[2]), zDiffSx);
            Smooth3(Dx(planes[0]), Dx(planes[1]), Dx(planes[2]), zSmoothDx, a, b);
            for (int y = 0; y < height; y++)
            {
                int yu = Border.Map(y - 1, height, mode), yd = Border.Map(y + 1, height, mode);
                Smooth3(RowOf(zDiffSx, yu, width, zero), RowOf(zDiffSx, y, width, zero), RowOf(zDiffSx, yd, width, zero), g0, a, b);
                Diff(RowOf(zSmoothSx, yu, width, zero), RowOf(zSmoothSx, yd, width, zero), g1);
                Smooth3(RowOf(zSmoothDx, yu, width, zero), RowOf(zSmoothDx, y, width, zero), RowOf(zSmoothDx, yd, width, zero), g2, a, b);
                Combine3(g0, g1, g2, dst.Row(z * height + y), norm);
            }
        }
    }

    private static ReadOnlySpan<T> RowOf<T>(T[] plane, int y, int width, T[] zero) => y < 0 ? zero.AsSpan(0, width) : plane.AsSpan(y * width, width);

    /// <summary>Plane <paramref name="p"/>'s x-smoothing and x-difference, from the ring or computed into it.</summary>
    private static (T[] Sx, T[] Dx) Plane<T>(int p, T[][] sx, T[][] dx, int[] ringPlane, ImageRows<T> src, int height, int width, T[] padded,
        int left, int right, T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int slot = p % 3;
        if (ringPlane[slot] == p) return (sx[slot], dx[slot]);
        for (int y = 0; y < height; y++)
        {
            var row = src.Row(p * height + y);
            row.CopyTo(padded.AsSpan(1));
            padded[0] = left < 0 ? T.Zero : row[left];
            padded[width + 1] = right < 0 ? T.Zero : row[right];
            Smooth3(padded.AsSpan(0, width), padded.AsSpan(1, width), padded.AsSpan(2, width), sx[slot].AsSpan(y * width, width), a, b);
            Diff(padded.AsSpan(0, width), padded.AsSpan(2, width), dx[slot].AsSpan(y * width, width));
        }
        ringPlane[slot] = p;
        return (sx[slot], dx[slot]);
    }

    /// <summary>out = b * q + a * (p + r): the symmetric smoothing [a, b, a] of three aligned spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Smooth3<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> q, ReadOnlySpan<T> r, Span<T> output, T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<T>(a);
            var vb = new Vector<T>(b);
            ref T rp = ref MemoryMarshal.GetReference(p), rq = ref MemoryMarshal.GetReference(q), rr = ref MemoryMarshal.GetReference(r);
            ref T ro = ref MemoryMarshal.GetReference(output);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count)
                (Vector.LoadUnsafe(ref rq, (nuint)x) * vb + (Vector.LoadUnsafe(ref rp, (nuint)x) + Vector.LoadUnsafe(ref rr, (nuint)x)) * va).StoreUnsafe(ref ro, (nuint)x);
        }
        for (; x < n; x++) output[x] = q[x] * b + (p[x] + r[x]) * a;
    }

    /// <summary>out = r - p: the difference [-1, 0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Diff<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> r, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref T rp = ref MemoryMarshal.GetReference(p), rr = ref MemoryMarshal.GetReference(r), ro = ref MemoryMarshal.GetReference(output);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count)
                (Vector.LoadUnsafe(ref rr, (nuint)x) - Vector.LoadUnsafe(ref rp, (nuint)x)).StoreUnsafe(ref ro, (nuint)x);
        }
        for (; x < n; x++) output[x] = r[x] - p[x];
    }

    /// <summary>out = sqrt((g0^2 + g1^2) + g2^2) / norm, squares added in axis order as scikit-image adds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine3<T>(ReadOnlySpan<T> g0, ReadOnlySpan<T> g1, ReadOnlySpan<T> g2, Span<T> output, T norm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = output.Length, x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vn = new Vector<T>(norm);
            ref T r0 = ref MemoryMarshal.GetReference(g0), r1 = ref MemoryMarshal.GetReference(g1), r2 = ref MemoryMarshal.GetReference(g2);
            ref T ro = ref MemoryMarshal.GetReference(output);
            for (; x <= n - Vector<T>.Count; x += Vector<T>.Count)
            {
                var a0 = Vector.LoadUnsafe(ref r0, (nuint)x);
                var a1 = Vector.LoadUnsafe(ref r1, (nuint)x);
                var a2 = Vector.LoadUnsafe(ref r2, (nuint)x);
                (Vector.SquareRoot(a0 * a0 + a1 * a1 + a2 * a2) / vn).StoreUnsafe(ref ro, (nuint)x);
            }
        }
        for (; x < n; x++) output[x] = T.Sqrt(g0[x] * g0[x] + g1[x] * g1[x] + g2[x] * g2[x]) / norm;
    }
}
