using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image;

// color.deltaE_*: the distance between two L*a*b* colours, pixel by pixel.
public static partial class Color
{
    /// <summary>
    /// skimage.color.deltaE_cie76: the Euclidean distance between two L*a*b* images, sqrt(dL² + da² + db²). The
    /// values are read as they are (no img_as_float): float32 when one input is float32 and the other float32, bool,
    /// uint8 or uint16; float64 otherwise.
    /// </summary>
    /// <param name="lab1">2 or more axes with 3 or more values along <paramref name="channelAxis"/> (the first three are
    /// L*, a*, b*), or one colour (1-D).</param>
    /// <param name="lab2">The same shape as <paramref name="lab1"/>, or one colour (1-D) compared with every pixel.</param>
    /// <param name="channelAxis">The channel axis of the images, any axis (negative counts from the end).</param>
    /// <returns>The image's shape without its channel axis; for two single colours, one value of shape (1,).</returns>
    public static NDArray DeltaECie76(NDArray lab1, NDArray lab2, int channelAxis = -1)
    {
        CheckColourPair(lab1, lab2, channelAxis);
        return Methods.DeltaECie76.Invoke(lab1, lab2, channelAxis);
    }

    /// <summary>
    /// skimage.color.deltaE_ciede2000: the CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), with scikit-image's
    /// conventions (hue in [0, 2π), hue difference 0 where a chroma is 0). Element types as in <see cref="DeltaECie76"/>.
    /// </summary>
    /// <param name="lab1">2 or more axes with 3 or more values along <paramref name="channelAxis"/>, or one colour (1-D).</param>
    /// <param name="lab2">The same shape as <paramref name="lab1"/>, or one colour (1-D) compared with every pixel.</param>
    /// <param name="kL">&gt; 0: the lightness weight (2 for textiles).</param>
    /// <param name="kC">&gt; 0: the chroma weight.</param>
    /// <param name="kH">&gt; 0: the hue weight.</param>
    /// <param name="channelAxis">The channel axis of the images, any axis (negative counts from the end).</param>
    /// <returns>The image's shape without its channel axis; for two single colours, one value of shape (1,).</returns>
    public static NDArray DeltaECiede2000(NDArray lab1, NDArray lab2, double kL = 1, double kC = 1, double kH = 1, int channelAxis = -1)
    {
        CheckColourPair(lab1, lab2, channelAxis);
        Guard.Positive(kL, nameof(kL));
        Guard.Positive(kC, nameof(kC));
        Guard.Positive(kH, nameof(kH));
        return Methods.DeltaECiede2000.Invoke(lab1, lab2, kL, kC, kH, channelAxis);
    }

    private static void CheckColourPair(NDArray lab1, NDArray lab2, int channelAxis)
    {
        Guard.AnyRank(lab1, nameof(lab1));
        Guard.AnyRank(lab2, nameof(lab2));
        CheckColours(lab1, nameof(lab1), channelAxis);
        CheckColours(lab2, nameof(lab2), channelAxis);
        if (lab1.Rank > 1 && lab2.Rank > 1 && !lab1.Shape.SequenceEqual(lab2.Shape))
            throw new ArgumentException($"lab1 and lab2 must have the same shape, or one of them be a single colour (1-D); got {lab1.ShapeText} and {lab2.ShapeText}.", nameof(lab2));
    }

    private static void CheckColours(NDArray lab, string name, int channelAxis)
    {
        int axis = lab.Rank == 1 ? 0 : Guard.ChannelAxisOf(lab, channelAxis, nameof(channelAxis))!.Value;
        if (lab.Shape[axis] < 3)
            throw new ArgumentException($"{name} must have 3 or more values (L*, a*, b*) along its channel axis; got shape {lab.ShapeText}.", name);
        if (lab.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {lab.ShapeText}.", name);
    }

    [Function(Domains.Color + ":deltaE_cie76", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray DeltaECie76Cpu(NDArray lab1, NDArray lab2, int channelAxis) => Difference(lab1, lab2, channelAxis, new Cie76<float>(), new Cie76<double>());

    [Function(Domains.Color + ":deltaE_ciede2000", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray DeltaECiede2000Cpu(NDArray lab1, NDArray lab2, double kL, double kC, double kH, int channelAxis) =>
        Difference(lab1, lab2, channelAxis, new Ciede2000<float>(kL, kC, kH), new Ciede2000<double>(kL, kC, kH));

    /// <summary>A difference of two L*a*b* colours.</summary>
    private interface IColourDifference<T>
    {
        T Invoke(T l1, T a1, T b1, T l2, T a2, T b2);
    }

    /// <summary>Both inputs in the common float type with their channels last, then the difference per pixel.</summary>
    private static HostArray Difference<TSingle, TDouble>(NDArray lab1, NDArray lab2, int channelAxis, TSingle single, TDouble @double)
        where TSingle : struct, IColourDifference<float> where TDouble : struct, IColourDifference<double>
    {
        var a = Guard.Host(lab1, nameof(lab1));
        var b = Guard.Host(lab2, nameof(lab2));
        bool IsNarrow(DType t) => t is DType.Float32 or DType.Bool or DType.UInt8 or DType.UInt16;
        bool single32 = (a.DType == DType.Float32 || b.DType == DType.Float32) && IsNarrow(a.DType) && IsNarrow(b.DType);
        return single32 ? Difference<float, TSingle>(a, b, channelAxis, single) : Difference<double, TDouble>(a, b, channelAxis, @double);
    }

    private static HostArray<T> Difference<T, TDifference>(HostArray lab1, HostArray lab2, int channelAxis, TDifference difference)
        where T : unmanaged, IFloatingPointIeee754<T> where TDifference : struct, IColourDifference<T>
    {
        static HostArray<T> ChannelsLast(HostArray lab, int channelAxis)
        {
            var typed = (HostArray<T>)lab.AsType(DTypes.Of<T>());
            return lab.Rank == 1 ? typed.Dense() : ImageAxes.Of(typed, Guard.ChannelAxisOf(typed, channelAxis, nameof(channelAxis))).ToKernel(typed);
        }
        var x = ChannelsLast(lab1, channelAxis);
        var y = ChannelsLast(lab2, channelAxis);
        var image = x.Rank >= y.Rank ? x : y;
        int[] shape = image.Rank == 1 ? [1] : image.Shape[..^1].ToArray();
        var result = HostArray<T>.Allocate(shape);
        var xs = x.Lines();
        var ys = y.Lines();
        var dst = result.Lines();
        int perLine = dst.Width;
        // Lines of the result hold perLine pixels; pixel i of result line r is line r * perLine + i of the inputs
        // (their lines are pixels, channels along them), or line 0 for a single colour.
        Kernels.Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                var d = dst.Row(r);
                for (int i = 0; i < d.Length; i++)
                {
                    int p = r * perLine + i;
                    var c1 = xs.Row(xs.Height == 1 ? 0 : p);
                    var c2 = ys.Row(ys.Height == 1 ? 0 : p);
                    d[i] = difference.Invoke(c1[0], c1[1], c1[2], c2[0], c2[1], c2[2]);
                }
            }
        });
        return result;
    }

    private readonly struct Cie76<T> : IColourDifference<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T l1, T a1, T b1, T l2, T a2, T b2)
        {
            T dl = l2 - l1, da = a2 - a1, db = b2 - b1;
            return T.Sqrt(dl * dl + da * da + db * db);
        }
    }

    /// <summary>scikit-image's deltaE_ciede2000 step by step, each NumPy operation rounded in T (Python scalars take
    /// the array's type) and in the order NumPy evaluates it.</summary>
    private readonly struct Ciede2000<T>(double kL, double kC, double kH) : IColourDifference<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static readonly T Half = T.CreateTruncating(0.5), Two = T.CreateTruncating(2), TwoPi = T.CreateTruncating(2 * Math.PI),
            Pi = T.CreateTruncating(Math.PI), TwentyFive7 = T.CreateTruncating(6103515625.0), Seven = T.CreateTruncating(7);

        private static T C(double value) => T.CreateTruncating(value);

        private static T Deg2Rad(double degrees) => T.CreateTruncating(degrees * (Math.PI / 180));

        /// <summary>_cart2polar_2pi's angle: arctan2, plus 2π where negative — added in float64 (np.where builds a float64
        /// array) and rounded back into T by the in-place add.</summary>
        private static T Angle(T y, T x)
        {
            T t = T.Atan2(y, x);
            return t < T.Zero ? T.CreateTruncating(double.CreateTruncating(t) + 2 * Math.PI) : t;
        }

        public T Invoke(T l1, T a1, T b1, T l2, T a2, T b2)
        {
            T cbar = Half * (T.Hypot(a1, b1) + T.Hypot(a2, b2));
            T c7 = T.Pow(cbar, Seven);
            T g = Half * (T.One - T.Sqrt(c7 / (c7 + TwentyFive7)));
            T scale = T.One + g;
            T a1s = a1 * scale, a2s = a2 * scale;
            T c1 = T.Hypot(a1s, b1), h1 = Angle(b1, a1s);
            T c2 = T.Hypot(a2s, b2), h2 = Angle(b2, a2s);

            T lbar = Half * (l1 + l2);
            T tmp = (lbar - C(50)) * (lbar - C(50));
            T sl = T.One + C(0.015) * tmp / T.Sqrt(C(20) + tmp);
            T lTerm = (l2 - l1) / (C(kL) * sl);

            cbar = Half * (c1 + c2);
            T sc = T.One + C(0.045) * cbar;
            T cTerm = (c2 - c1) / (C(kC) * sc);

            T hDiff = h2 - h1;
            T hSum = h1 + h2;
            T cc = c1 * c2;
            T dh = hDiff;
            if (hDiff > Pi) dh -= TwoPi;
            if (hDiff < -Pi) dh += TwoPi;
            if (cc == T.Zero) dh = T.Zero;
            T dhTerm = Two * T.Sqrt(cc) * T.Sin(dh / Two);

            T hbar = hSum;
            if (cc != T.Zero && T.Abs(hDiff) > Pi)
            {
                if (hSum < TwoPi) hbar += TwoPi;
                else hbar -= TwoPi;
            }
            if (cc == T.Zero) hbar *= Two;
            hbar *= Half;

            T t = T.One - C(0.17) * T.Cos(hbar - Deg2Rad(30)) + C(0.24) * T.Cos(Two * hbar) + C(0.32) * T.Cos(C(3) * hbar + Deg2Rad(6))
                  - C(0.20) * T.Cos(C(4) * hbar - Deg2Rad(63));
            T sh = T.One + C(0.015) * cbar * t;
            T hTerm = dhTerm / (C(kH) * sh);

            c7 = T.Pow(cbar, Seven);
            T rc = Two * T.Sqrt(c7 / (c7 + TwentyFive7));
            T z = (hbar * C(180 / Math.PI) - C(275)) / C(25);
            T dtheta = Deg2Rad(30) * T.Exp(-(z * z));
            T rTerm = -T.Sin(Two * dtheta) * rc * cTerm * hTerm;

            T de2 = lTerm * lTerm;
            de2 += cTerm * cTerm;
            de2 += hTerm * hTerm;
            de2 += rTerm;
            return T.Sqrt(T.Max(de2, T.Zero));
        }
    }
}
