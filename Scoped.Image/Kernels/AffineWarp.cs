using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// Inverse-mapped warps with a 3x3 homogeneous matrix (x = column, y = row) that maps each output pixel to its
/// source position. <see cref="Linear{T}"/> reproduces scikit-image's _warp_fast (order 1): coordinates computed in
/// the image's own float type, in the same order of operations, then bilinear interpolation between floor and
/// ceil of each coordinate. <see cref="Nearest{T}"/> reproduces ndimage.map_coordinates of order 0 (coordinates in
/// float64, rounded half up), which is what warp uses for order 0.
/// </summary>
internal static class AffineWarp
{
    private enum Kind { Metric, Affine, Projective }

    private static Kind KindOf<T>(ReadOnlySpan<T> h) where T : IFloatingPointIeee754<T>
    {
        if (h[6] == T.Zero && h[7] == T.Zero && h[8] == T.One)
            return h[1] == T.Zero && h[3] == T.Zero ? Kind.Metric : Kind.Affine;
        return Kind.Projective;
    }

    /// <summary>Bilinear warp; <paramref name="h"/> is the row-major matrix already cast to T.</summary>
    public static void Linear<T>(ImageRows<T> src, ImageRows<T> dst, T[] h, BoundaryMode mode, T cval)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ch = src.Channels, outW = dst.Width;
        var kind = KindOf<T>(h);
        if (typeof(T) == typeof(float) && ch == 1 && kind != Kind.Projective)
        {
            AffineFloat(Unsafe.As<ImageRows<T>, ImageRows<float>>(ref src), Unsafe.As<ImageRows<T>, ImageRows<float>>(ref dst),
                (float[])(object)h, mode, (float)(object)cval);
            return;
        }
        // Per-column products, so each pixel costs two additions like the C expression (H0*x + H1*y) + H2.
        var colX = new T[outW];
        var colY = new T[outW];
        var colZ = new T[outW];
        for (int c = 0; c < outW; c++)
        {
            T x = T.CreateTruncating(c);
            colX[c] = h[0] * x;
            colY[c] = h[3] * x;
            colZ[c] = h[6] * x;
        }
        Bands.For(dst.Height, (_, start, end) => LinearRows(src, dst, h, kind, mode, cval, colX, colY, colZ, start, end));
    }

    /// <summary>Output rows [start, end) of <see cref="Linear{T}"/>: each row's coordinates come from its own index r
    /// (h[1] * r, ...), never from the previous row, so any cut into bands gives the same bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LinearRows<T>(ImageRows<T> src, ImageRows<T> dst, T[] h, Kind kind, BoundaryMode mode, T cval,
        T[] colX, T[] colY, T[] colZ, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = src.Height, cols = src.Width, ch = src.Channels, outW = dst.Width;
        T one = T.One;
        for (int r = start; r < end; r++)
        {
            T y = T.CreateTruncating(r);
            T rowX = h[1] * y, rowY = h[4] * y, rowZ = h[7] * y;
            Span<T> output = dst.Row(r);
            for (int c = 0; c < outW; c++)
            {
                T sx, sy;
                switch (kind)
                {
                    case Kind.Metric:
                        sx = colX[c] + h[2];
                        sy = rowY + h[5];
                        break;
                    case Kind.Affine:
                        sx = colX[c] + rowX + h[2];
                        sy = colY[c] + rowY + h[5];
                        break;
                    default:
                        T z = colZ[c] + rowZ + h[8];
                        sx = (colX[c] + rowX + h[2]) / z;
                        sy = (colY[c] + rowY + h[5]) / z;
                        break;
                }
                T fr = T.Floor(sy), fc = T.Floor(sx);
                // NaN or far-out coordinates go to the careful path through the range check below.
                long minr = fr >= T.CreateTruncating(-1e9) && fr <= T.CreateTruncating(1e9) ? long.CreateTruncating(fr) : -2_000_000_000L;
                long minc = fc >= T.CreateTruncating(-1e9) && fc <= T.CreateTruncating(1e9) ? long.CreateTruncating(fc) : -2_000_000_000L;
                T dr = sy - T.CreateTruncating(minr), dc = sx - T.CreateTruncating(minc);
                long maxr = T.Ceiling(sy) == fr ? minr : minr + 1;
                long maxc = T.Ceiling(sx) == fc ? minc : minc + 1;
                bool inside = (ulong)minr < (ulong)(rows - 1) && (ulong)minc < (ulong)(cols - 1);
                for (int k = 0; k < ch; k++)
                {
                    T tl, tr, bl, br;
                    if (inside)
                    {
                        ReadOnlySpan<T> top = src.Row((int)minr), bottom = src.Row((int)maxr);
                        tl = top[(int)minc * ch + k]; tr = top[(int)maxc * ch + k];
                        bl = bottom[(int)minc * ch + k]; br = bottom[(int)maxc * ch + k];
                    }
                    else
                    {
                        tl = Pixel(src, minr, minc, k, mode, cval);
                        tr = Pixel(src, minr, maxc, k, mode, cval);
                        bl = Pixel(src, maxr, minc, k, mode, cval);
                        br = Pixel(src, maxr, maxc, k, mode, cval);
                    }
                    T topValue = (one - dc) * tl + dc * tr;
                    T bottomValue = (one - dc) * bl + dc * br;
                    double value = double.CreateTruncating(one - dr) * double.CreateTruncating(topValue) + double.CreateTruncating(dr) * double.CreateTruncating(bottomValue);
                    output[c * ch + k] = T.CreateTruncating(value);
                }
            }
        }
    }

    /// <summary>
    /// The float32 single-channel affine case (rotate): the same float operations as the generic loop, with the
    /// interior (all four neighbours inside) read straight from the row memory and no per-pixel mode handling.
    /// </summary>
    private static void AffineFloat(ImageRows<float> src, ImageRows<float> dst, float[] h, BoundaryMode mode, float cval)
    {
        int outW = dst.Width;
        var colX = new float[outW];
        var colY = new float[outW];
        for (int c = 0; c < outW; c++) { colX[c] = h[0] * c; colY[c] = h[3] * c; }
        Bands.For(dst.Height, (_, start, end) => AffineFloatRows(src, dst, h, mode, cval, colX, colY, start, end));
    }

    /// <summary>Output rows [start, end) of <see cref="AffineFloat"/> (coordinates from the row index, as above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AffineFloatRows(ImageRows<float> src, ImageRows<float> dst, float[] h, BoundaryMode mode, float cval,
        float[] colX, float[] colY, int start, int end)
    {
        int rows = src.Height, cols = src.Width, outW = dst.Width;
        ref float origin = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(src.Row(0));
        nint stride = src.RowStride;
        float h2 = h[2], h5 = h[5];
        uint rowLimit = (uint)(rows - 1), colLimit = (uint)(cols - 1);
        for (int r = start; r < end; r++)
        {
            float rowX = h[1] * r, rowY = h[4] * r;
            Span<float> output = dst.Row(r);
            ref float outRef = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(output);
            ref float cx0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(colX);
            ref float cy0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(colY);
            for (int c = 0; c < outW; c++)
            {
                float sx = Unsafe.Add(ref cx0, c) + rowX + h2;
                float sy = Unsafe.Add(ref cy0, c) + rowY + h5;
                float fr = MathF.Floor(sy), fc = MathF.Floor(sx);
                int ir = (int)fr, ic = (int)fc;
                float dr = sy - fr, dc = sx - fc;
                float value;
                if ((uint)ir < rowLimit && (uint)ic < colLimit)
                {
                    ref float p = ref Unsafe.Add(ref origin, ir * stride + ic);
                    nint right = dc != 0 ? 1 : 0;
                    ref float q = ref Unsafe.Add(ref p, dr != 0 ? stride : 0);
                    float top = (1 - dc) * p + dc * Unsafe.Add(ref p, right);
                    float bottom = (1 - dc) * q + dc * Unsafe.Add(ref q, right);
                    value = (float)((double)(1 - dr) * top + (double)dr * bottom);
                }
                else if (mode == BoundaryMode.Constant && (ir < -1 || ir >= rows || ic < -1 || ic >= cols) && float.IsFinite(sx) && float.IsFinite(sy))
                {
                    // all four neighbours outside: the same arithmetic on cval
                    float top = (1 - dc) * cval + dc * cval;
                    value = (float)((double)(1 - dr) * top + (double)dr * top);
                }
                else
                {
                    long minr = (long)fr, minc = (long)fc;
                    long maxr = MathF.Ceiling(sy) == fr ? minr : minr + 1, maxc = MathF.Ceiling(sx) == fc ? minc : minc + 1;
                    if (!float.IsFinite(sx) || !float.IsFinite(sy) || Math.Abs(fr) > 1e9f || Math.Abs(fc) > 1e9f) { minr = maxr = minc = maxc = -2_000_000_000L; }
                    float tl = Pixel(src, minr, minc, 0, mode, cval), tr = Pixel(src, minr, maxc, 0, mode, cval);
                    float bl = Pixel(src, maxr, minc, 0, mode, cval), br = Pixel(src, maxr, maxc, 0, mode, cval);
                    float top = (1 - dc) * tl + dc * tr;
                    float bottom = (1 - dc) * bl + dc * br;
                    value = (float)((double)(1 - dr) * top + (double)dr * bottom);
                }
                Unsafe.Add(ref outRef, c) = value;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Pixel<T>(ImageRows<T> src, long r, long c, int k, BoundaryMode mode, T cval) where T : unmanaged
    {
        int rows = src.Height, cols = src.Width;
        if (mode == BoundaryMode.Constant)
            return r < 0 || r >= rows || c < 0 || c >= cols ? cval : src.Row((int)r)[(int)c * src.Channels + k];
        int rr = MapLong(r, rows, mode), cc = MapLong(c, cols, mode);
        return src.Row(rr)[cc * src.Channels + k];
    }

    private static int MapLong(long i, int n, BoundaryMode mode)
    {
        if (i >= 0 && i < n) return (int)i;
        // Far coordinates are reduced by the mode's own period before the int mapping: edge has none (it clamps),
        // wrap repeats every n, symmetric ('reflect' here) every 2n, NumPy's reflect ('mirror' here) every 2n - 2.
        switch (mode)
        {
            case BoundaryMode.Constant: return -1;
            case BoundaryMode.Nearest: return i < 0 ? 0 : n - 1;
        }
        long period = mode switch { BoundaryMode.Wrap => n, BoundaryMode.Reflect => 2L * n, _ => Math.Max(2L * n - 2, 1) };
        return Border.Map((int)(i % period), n, mode);
    }

    /// <summary>Order-0 warp (any element type): source index floor(coordinate + 0.5), mapped by the mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Nearest<T>(ImageRows<T> src, ImageRows<T> dst, double[] h, BoundaryMode mode, T cval) where T : unmanaged
    {
        int rows = src.Height, cols = src.Width, ch = src.Channels;
        bool projective = !(h[6] == 0 && h[7] == 0 && h[8] == 1);
        // Coordinates from each pixel's own (r, c): any cut into bands of output rows gives the same bytes.
        Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                Span<T> output = dst.Row(r);
                for (int c = 0; c < dst.Width; c++)
                {
                    double sx = c * h[0] + r * h[1] + h[2];
                    double sy = c * h[3] + r * h[4] + h[5];
                    if (projective)
                    {
                        double z = c * h[6] + r * h[7] + h[8];
                        if (z == 0) z = 2.220446049250313e-16; // np.finfo(float).eps, as skimage's _apply_mat
                        sx /= z; sy /= z;
                    }
                    long ir = Round(sy), ic = Round(sx);
                    bool outside;
                    int rr = 0, cc = 0;
                    if (ir == long.MinValue || ic == long.MinValue) outside = true;
                    else if (mode == BoundaryMode.Constant) { outside = ir < 0 || ir >= rows || ic < 0 || ic >= cols; rr = (int)ir; cc = (int)ic; }
                    else { outside = false; rr = MapLong(ir, rows, mode); cc = MapLong(ic, cols, mode); }
                    for (int k = 0; k < ch; k++)
                        output[c * ch + k] = outside ? cval : src.Row(rr)[cc * ch + k];
                }
            }
        });
    }

    private static long Round(double v)
    {
        double f = Math.Floor(v + 0.5);
        return f >= -1e15 && f <= 1e15 ? (long)f : long.MinValue;
    }
}
