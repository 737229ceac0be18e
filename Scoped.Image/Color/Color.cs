using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>skimage.color (domain scoped.image.color). Colour images are (rows, cols, 3), channels last.</summary>
public static partial class Color
{
    /// <summary>
    /// skimage.color.rgb2gray: Y = 0.2125 R + 0.7154 G + 0.0721 B, computed in the input's float type (float32 stays
    /// float32; integers and bool go through img_as_float to float64). scikit-image 0.19.3 takes exactly 3 channels:
    /// RGBA is rejected as it does (drop alpha first).
    /// </summary>
    /// <param name="rgb">(rows, cols, 3).</param>
    /// <param name="channelAxis">The channel axis; only the last (-1 or 2) is supported.</param>
    public static NDArray Rgb2Gray(NDArray rgb, int channelAxis = -1)
    {
        CheckColor(rgb, nameof(rgb), channelAxis);
        return Methods.Rgb2Gray.Invoke(rgb, channelAxis);
    }

    /// <summary>skimage.color.gray2rgb: the 2-D image repeated into three channels, dtype kept.</summary>
    /// <param name="image">(rows, cols).</param>
    /// <param name="channelAxis">Where the new channel axis goes; only the last (-1 or 2) is supported.</param>
    public static NDArray Gray2Rgb(NDArray image, int channelAxis = -1)
    {
        Guard.Image(image, nameof(image), allowChannels: false);
        if (channelAxis is not (-1 or 2)) throw new ArgumentException($"channelAxis must be the last axis (-1 or 2); got {channelAxis}.", nameof(channelAxis));
        return Methods.Gray2Rgb.Invoke(image, channelAxis);
    }

    /// <summary>
    /// skimage.color.rgb2hsv: hue, saturation and value in [0, 1], in the input's float type (integers via
    /// img_as_float). Grey pixels (max == min) get hue 0 and saturation 0; NaN results become 0.
    /// </summary>
    /// <param name="rgb">(rows, cols, 3).</param>
    /// <param name="channelAxis">The channel axis; only the last (-1 or 2) is supported.</param>
    public static NDArray Rgb2Hsv(NDArray rgb, int channelAxis = -1)
    {
        CheckColor(rgb, nameof(rgb), channelAxis);
        return Methods.Rgb2Hsv.Invoke(rgb, channelAxis);
    }

    /// <summary>skimage.color.hsv2rgb: the inverse of <see cref="Rgb2Hsv"/>, in the input's float type.</summary>
    /// <param name="hsv">(rows, cols, 3).</param>
    /// <param name="channelAxis">The channel axis; only the last (-1 or 2) is supported.</param>
    public static NDArray Hsv2Rgb(NDArray hsv, int channelAxis = -1)
    {
        CheckColor(hsv, nameof(hsv), channelAxis);
        return Methods.Hsv2Rgb.Invoke(hsv, channelAxis);
    }

    private static void CheckColor(NDArray image, string name, int channelAxis)
    {
        Guard.Image(image, name);
        if (channelAxis is not (-1 or 2)) throw new ArgumentException($"channelAxis must be the last axis (-1 or 2); got {channelAxis}.", nameof(channelAxis));
        if (image.Rank != 3 || image.Shape[2] != 3)
            throw new ArgumentException($"{name} must have size 3 along the channel axis, (rows, cols, 3); got {image.ShapeText}.", name);
    }

    // ---------------------------------------------------------------- rgb2gray

    [Function(Domains.Color + ":rgb2gray", FunctionKind.Pointwise, RunsInBands = true)]
    private static NDArray Rgb2GrayCpu(NDArray rgb, int channelAxis) => FloatImages.ToFloat(Guard.Host(rgb, nameof(rgb))) switch
    {
        HostArray<float> f => Gray(f),
        HostArray<double> d => Gray(d),
        _ => throw new InvalidOperationException("unreachable"),
    };

    /// <summary>((R * wr) + G * wg) + B * wb per pixel, each step rounded in T (NumPy's reference-BLAS gemv order).</summary>
    private static HostArray<T> Gray<T>(HostArray<T> rgb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T wr = T.CreateTruncating(0.2125), wg = T.CreateTruncating(0.7154), wb = T.CreateTruncating(0.0721);
        var result = HostArray<T>.Allocate(rgb.Shape[0], rgb.Shape[1]);
        var src = rgb.Rows();
        var dst = result.Rows();
        // Per pixel: any cut into row bands gives the same bytes.
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                ref T s = ref MemoryMarshal.GetReference(src.Row(y));
                Span<T> d = dst.Row(y);
                int x = 0;
                if (typeof(T) == typeof(float) && Avx2.IsSupported)
                    x = GrayAvx2(ref Unsafe.As<T, float>(ref s), ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(d)), d.Length,
                        float.CreateTruncating(wr), float.CreateTruncating(wg), float.CreateTruncating(wb));
                for (; x < d.Length; x++)
                {
                    int i = 3 * x;
                    d[x] = Unsafe.Add(ref s, i) * wr + Unsafe.Add(ref s, i + 1) * wg + Unsafe.Add(ref s, i + 2) * wb;
                }
            }
        });
        return result;
    }

    /// <summary>
    /// Eight pixels at a time: three loads of interleaved RGB, two blends and one lane permutation per channel
    /// (lane i of the blend takes the vector whose element of that channel sits at i), then the same three
    /// rounded multiply-adds as the scalar loop. Returns how many pixels were done.
    /// </summary>
    private static int GrayAvx2(ref float src, ref float dst, int width, float wr, float wg, float wb)
    {
        var vr = Vector256.Create(wr);
        var vg = Vector256.Create(wg);
        var vb = Vector256.Create(wb);
        var pr = Vector256.Create(0, 3, 6, 1, 4, 7, 2, 5);
        var pg = Vector256.Create(1, 4, 7, 2, 5, 0, 3, 6);
        var pb = Vector256.Create(2, 5, 0, 3, 6, 1, 4, 7);
        int x = 0;
        for (; x <= width - 8; x += 8)
        {
            ref float p = ref Unsafe.Add(ref src, 3 * x);
            var a = Vector256.LoadUnsafe(ref p);
            var b = Vector256.LoadUnsafe(ref p, 8);
            var c = Vector256.LoadUnsafe(ref p, 16);
            // a holds channels r g b r g b r g, b holds g b r g b r g b, c holds b r g b r g b r.
            var r = Avx2.PermuteVar8x32(Avx.Blend(Avx.Blend(a, b, 0x92), c, 0x24), pr);
            var g = Avx2.PermuteVar8x32(Avx.Blend(Avx.Blend(a, b, 0x24), c, 0x49), pg);
            var bl = Avx2.PermuteVar8x32(Avx.Blend(Avx.Blend(a, b, 0x49), c, 0x92), pb);
            var sum = r * vr;
            sum += g * vg;
            sum += bl * vb;
            sum.StoreUnsafe(ref dst, (nuint)x);
        }
        return x;
    }

    // ---------------------------------------------------------------- gray2rgb

    [Function(Domains.Color + ":gray2rgb", FunctionKind.Pointwise, RunsInBands = true)]
    private static NDArray Gray2RgbCpu(NDArray image, int channelAxis) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<float> a => Stack3(a),
        HostArray<double> a => Stack3(a),
        HostArray<byte> a => Stack3(a),
        HostArray<ushort> a => Stack3(a),
        HostArray<int> a => Stack3(a),
        HostArray<bool> a => Stack3(a),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
    };

    private static HostArray<T> Stack3<T>(HostArray<T> image) where T : unmanaged
    {
        var result = HostArray<T>.Allocate(image.Shape[0], image.Shape[1], 3);
        var src = image.Rows();
        var dst = result.Rows();
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int x = 0; x < s.Length; x++) d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
            }
        });
        return result;
    }

    // ---------------------------------------------------------------- hsv

    [Function(Domains.Color + ":rgb2hsv", FunctionKind.Pointwise, RunsInBands = true)]
    internal static NDArray Rgb2HsvCpu(NDArray rgb, int channelAxis) => FloatImages.ToFloat(Guard.Host(rgb, nameof(rgb))) switch
    {
        HostArray<float> f => PerPixel(f, ToHsv),
        HostArray<double> d => PerPixel(d, ToHsv),
        _ => throw new InvalidOperationException("unreachable"),
    };

    [Function(Domains.Color + ":hsv2rgb", FunctionKind.Pointwise, RunsInBands = true)]
    internal static NDArray Hsv2RgbCpu(NDArray hsv, int channelAxis) => FloatImages.ToFloat(Guard.Host(hsv, nameof(hsv))) switch
    {
        HostArray<float> f => PerPixel(f, ToRgb),
        HostArray<double> d => PerPixel(d, ToRgb),
        _ => throw new InvalidOperationException("unreachable"),
    };

    private delegate (T, T, T) PixelMap<T>(T a, T b, T c);

    private static HostArray<T> PerPixel<T>(HostArray<T> image, PixelMap<T> map) where T : unmanaged
    {
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        var src = image.Rows();
        var dst = result.Rows();
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int i = 0; i < s.Length; i += 3) (d[i], d[i + 1], d[i + 2]) = map(s[i], s[i + 1], s[i + 2]);
            }
        });
        return result;
    }

    private static (T, T, T) ToHsv<T>(T r, T g, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // NumPy's max/ptp propagate NaN.
        T v = T.Max(T.Max(r, g), b);
        T delta = v - T.Min(T.Min(r, g), b);
        T s = delta == T.Zero ? T.Zero : delta / v;
        T h = T.NaN;
        // Later channels win ties, as the successive masked assignments do.
        if (b == v) h = T.CreateTruncating(4) + (r - g) / delta;
        else if (g == v) h = T.CreateTruncating(2) + (b - r) / delta;
        else if (r == v) h = (g - b) / delta;
        h = PyMod(h / T.CreateTruncating(6));
        if (delta == T.Zero) h = T.Zero;
        return (Zero(h), Zero(s), Zero(v));
    }

    /// <summary>NumPy's float remainder x % 1: the result has the sign of the divisor (so lies in [0, 1)).</summary>
    private static T PyMod<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = x % T.One;
        if (m != T.Zero) { if (m < T.Zero) m += T.One; }
        else m = T.Zero;
        return m;
    }

    private static T Zero<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.IsNaN(x) ? T.Zero : x;

    private static (T, T, T) ToRgb<T>(T h, T s, T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T six = T.CreateTruncating(6);
        T hi = T.Floor(h * six);
        T f = h * six - hi;
        T p = v * (T.One - s);
        T q = v * (T.One - f * s);
        T t = v * (T.One - (T.One - f) * s);
        // astype(uint8) % 6: the float is truncated to an integer and its low byte kept (what the C cast does on x86-64).
        int sector = T.IsNaN(hi) || T.IsInfinity(hi) ? 0 : (byte)(long)double.CreateTruncating(hi) % 6;
        return sector switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }
}
