using System.Numerics;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// color: CIE XYZ, CIE L*a*b* and haematoxylin-eosin-DAB stain space, each pixel on its own, in any rank.
public static partial class Color
{
    /// <summary>sRGB primaries to CIE XYZ (D65), scikit-image's xyz_from_rgb.</summary>
    private static readonly double[,] XyzFromRgb = { { 0.412453, 0.357580, 0.180423 }, { 0.212671, 0.715160, 0.072169 }, { 0.019334, 0.119193, 0.950227 } };

    private static readonly double[,] RgbFromXyz = Inverse(XyzFromRgb);

    /// <summary>The stain vectors of haematoxylin, eosin and DAB (Ruifrok and Johnston 2001), one per row.</summary>
    private static readonly double[,] RgbFromHed = { { 0.65, 0.70, 0.29 }, { 0.07, 0.99, 0.11 }, { 0.27, 0.57, 0.78 } };

    private static readonly double[,] HedFromRgb = Inverse(RgbFromHed);

    /// <summary>The stain sum's floor, 1e-6, and its logarithm: optical densities are scaled so that the floor reads 1.</summary>
    private const double StainFloor = 1e-6;

    /// <summary>The white points (X, Y, Z) of the CIE standard illuminants per observer ("2" and "10" degrees, and "R",
    /// R's grDevices::convertColor), the values scikit-image 0.19 uses.</summary>
    private static readonly Dictionary<string, double[][]> Illuminants = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = [[1.098466069456375, 1, 0.3558228003436005], [1.111420406956693, 1, 0.3519978321919493], [1.098466069456375, 1, 0.3558228003436005]],
        ["B"] = [[0.9909274480248003, 1, 0.8531327322886154], [0.9917777147717607, 1, 0.8434930535866175], [0.9909274480248003, 1, 0.8531327322886154]],
        ["C"] = [[0.980705971659919, 1, 1.1822494939271255], [0.9728569189782166, 1, 1.1614480488951577], [0.980705971659919, 1, 1.1822494939271255]],
        ["D50"] = [[0.9642119944211994, 1, 0.8251882845188288], [0.9672062750333777, 1, 0.8142801513128616], [0.9639501491621826, 1, 0.8241280285499208]],
        ["D55"] = [[0.956797052643698, 1, 0.9214805860173273], [0.9579665682254781, 1, 0.9092525159847462], [0.9565317453467969, 1, 0.9202554587037198]],
        ["D65"] = [[0.95047, 1, 1.08883], [0.94809667673716, 1, 1.0730513595166162], [0.9532057125493769, 1, 1.0853843816469158]],
        ["D75"] = [[0.9497220898840717, 1, 1.226393520724154], [0.9441713925645873, 1, 1.2064272211720228], [0.9497220898840717, 1, 1.226393520724154]],
        ["E"] = [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
    };

    /// <summary>
    /// skimage.color.rgb2xyz: sRGB (gamma-encoded, in [0, 1] once img_as_float has scaled integers) to CIE XYZ under
    /// D65: each channel linearised (((c + 0.055) / 1.055)^2.4 above 0.04045, c / 12.92 below), then the sRGB
    /// matrix. float32 stays float32; integers and bool give float64.
    /// </summary>
    /// <param name="rgb">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Rgb2Xyz(NDArray rgb, int channelAxis = -1)
    {
        CheckTriples(rgb, nameof(rgb), channelAxis);
        return Methods.Rgb2Xyz.Invoke(rgb, channelAxis);
    }

    /// <summary>skimage.color.xyz2rgb: the inverse of <see cref="Rgb2Xyz"/>, gamma-encoded and clipped to [0, 1].</summary>
    /// <param name="xyz">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Xyz2Rgb(NDArray xyz, int channelAxis = -1)
    {
        CheckTriples(xyz, nameof(xyz), channelAxis);
        return Methods.Xyz2Rgb.Invoke(xyz, channelAxis);
    }

    /// <summary>skimage.color.xyz2lab: CIE XYZ to CIE 1976 L*a*b* relative to the white point of
    /// <paramref name="illuminant"/> seen by <paramref name="observer"/>. L in [0, 100].</summary>
    /// <param name="xyz">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="illuminant">"A", "B", "C", "D50", "D55", "D65", "D75" or "E", in any case.</param>
    /// <param name="observer">"2", "10" (degrees) or "R".</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Xyz2Lab(NDArray xyz, string illuminant = "D65", string observer = "2", int channelAxis = -1)
    {
        CheckTriples(xyz, nameof(xyz), channelAxis);
        WhitePoint(illuminant, observer);
        return Methods.Xyz2Lab.Invoke(xyz, illuminant, observer, channelAxis);
    }

    /// <summary>skimage.color.lab2xyz: the inverse of <see cref="Xyz2Lab"/>; a negative Z (a b* too large for its L*)
    /// is set to 0 (scikit-image warns "Color data out of range").</summary>
    /// <param name="lab">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="illuminant">"A", "B", "C", "D50", "D55", "D65", "D75" or "E", in any case.</param>
    /// <param name="observer">"2", "10" (degrees) or "R".</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Lab2Xyz(NDArray lab, string illuminant = "D65", string observer = "2", int channelAxis = -1)
    {
        CheckTriples(lab, nameof(lab), channelAxis);
        WhitePoint(illuminant, observer);
        return Methods.Lab2Xyz.Invoke(lab, illuminant, observer, channelAxis);
    }

    /// <summary>skimage.color.rgb2lab: <see cref="Rgb2Xyz"/> then <see cref="Xyz2Lab"/>.</summary>
    /// <param name="rgb">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="illuminant">"A", "B", "C", "D50", "D55", "D65", "D75" or "E", in any case.</param>
    /// <param name="observer">"2", "10" (degrees) or "R".</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Rgb2Lab(NDArray rgb, string illuminant = "D65", string observer = "2", int channelAxis = -1)
    {
        CheckTriples(rgb, nameof(rgb), channelAxis);
        WhitePoint(illuminant, observer);
        return Methods.Rgb2Lab.Invoke(rgb, illuminant, observer, channelAxis);
    }

    /// <summary>skimage.color.lab2rgb: <see cref="Lab2Xyz"/> then <see cref="Xyz2Rgb"/>.</summary>
    /// <param name="lab">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="illuminant">"A", "B", "C", "D50", "D55", "D65", "D75" or "E", in any case.</param>
    /// <param name="observer">"2", "10" (degrees) or "R".</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Lab2Rgb(NDArray lab, string illuminant = "D65", string observer = "2", int channelAxis = -1)
    {
        CheckTriples(lab, nameof(lab), channelAxis);
        WhitePoint(illuminant, observer);
        return Methods.Lab2Rgb.Invoke(lab, illuminant, observer, channelAxis);
    }

    /// <summary>
    /// skimage.color.rgb2hed: colour deconvolution into haematoxylin, eosin and DAB (Ruifrok and Johnston): each
    /// channel's optical density -log(max(c, 1e-6)) / -log(1e-6) times the inverse of the stain matrix, negatives set to
    /// 0. The densities are computed in the input's float type and the product in float64, so the result is float64
    /// for every input (as scikit-image's float32 @ float64 gives).
    /// </summary>
    /// <param name="rgb">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Rgb2Hed(NDArray rgb, int channelAxis = -1)
    {
        CheckTriples(rgb, nameof(rgb), channelAxis);
        return Methods.Rgb2Hed.Invoke(rgb, channelAxis);
    }

    /// <summary>skimage.color.hed2rgb: the stains recombined, exp(-(stains * -log(1e-6)) · stain matrix), clipped to
    /// [0, 1]; float64 for every input.</summary>
    /// <param name="hed">2 or more axes, size 3 along <paramref name="channelAxis"/>.</param>
    /// <param name="channelAxis">The channel axis, any axis (negative counts from the end).</param>
    public static NDArray Hed2Rgb(NDArray hed, int channelAxis = -1)
    {
        CheckTriples(hed, nameof(hed), channelAxis);
        return Methods.Hed2Rgb.Invoke(hed, channelAxis);
    }

    /// <summary>An array of 2 or more axes with three values along its channel axis (any axis, as scikit-image's
    /// channel_as_last_axis takes it).</summary>
    private static void CheckTriples(NDArray image, string name, int channelAxis)
    {
        Guard.AnyRank(image, name);
        if (image.Rank < 2) throw new ArgumentException($"{name} must have 2 or more axes, (..., 3); got shape {image.ShapeText}.", name);
        int axis = Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis))!.Value;
        if (image.Shape[axis] != 3)
            throw new ArgumentException($"{name} must have size 3 along the channel axis {channelAxis}; got shape {image.ShapeText}.", name);
        if (image.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {image.ShapeText}.", name);
    }

    private static double[] WhitePoint(string illuminant, string observer)
    {
        ArgumentNullException.ThrowIfNull(illuminant);
        ArgumentNullException.ThrowIfNull(observer);
        if (!Illuminants.TryGetValue(illuminant, out var points))
            throw new ArgumentException($"illuminant must be one of {string.Join(", ", Illuminants.Keys)}; got \"{illuminant}\".", nameof(illuminant));
        int index = observer.ToUpperInvariant() switch
        {
            "2" => 0,
            "10" => 1,
            "R" => 2,
            _ => throw new ArgumentException($"observer must be \"2\", \"10\" or \"R\"; got \"{observer}\".", nameof(observer)),
        };
        return points[index];
    }

    /// <summary>A colour conversion of channel-last float32 and float64 arrays.</summary>
    private interface IConversion
    {
        HostArray Invoke(HostArray<float> image);
        HostArray Invoke(HostArray<double> image);
    }

    /// <summary>The conversion in the input's float type (img_as_float), with the channel axis moved last and back.</summary>
    private static HostArray Convert<TConversion>(NDArray image, string name, int channelAxis, TConversion conversion) where TConversion : IConversion
    {
        var host = FloatImages.ToFloat(Guard.Host(image, name));
        var axes = ImageAxes.Of(host, Guard.ChannelAxisOf(host, channelAxis, nameof(channelAxis)));
        var result = host switch
        {
            HostArray<float> f => conversion.Invoke(axes.ToKernel(f)),
            HostArray<double> d => conversion.Invoke(axes.ToKernel(d)),
            _ => throw new InvalidOperationException("unreachable"),
        };
        return result switch
        {
            HostArray<float> f => axes.FromKernel(f),
            HostArray<double> d => axes.FromKernel(d),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    [Function(Domains.Color + ":rgb2xyz", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Rgb2XyzCpu(NDArray rgb, int channelAxis) => Convert(rgb, nameof(rgb), channelAxis, new Via<ToXyz<float>, ToXyz<double>>());

    [Function(Domains.Color + ":xyz2rgb", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Xyz2RgbCpu(NDArray xyz, int channelAxis) => Convert(xyz, nameof(xyz), channelAxis, new Via<FromXyz<float>, FromXyz<double>>());

    [Function(Domains.Color + ":xyz2lab", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Xyz2LabCpu(NDArray xyz, string illuminant, string observer, int channelAxis) =>
        Convert(xyz, nameof(xyz), channelAxis, new Via<ToLab<float>, ToLab<double>>(new(WhitePoint(illuminant, observer)), new(WhitePoint(illuminant, observer))));

    [Function(Domains.Color + ":lab2xyz", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Lab2XyzCpu(NDArray lab, string illuminant, string observer, int channelAxis) =>
        Convert(lab, nameof(lab), channelAxis, new Via<FromLab<float>, FromLab<double>>(new(WhitePoint(illuminant, observer)), new(WhitePoint(illuminant, observer))));

    [Function(Domains.Color + ":rgb2lab", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Rgb2LabCpu(NDArray rgb, string illuminant, string observer, int channelAxis)
    {
        var white = WhitePoint(illuminant, observer);
        return Convert(rgb, nameof(rgb), channelAxis, new Via<Then<float, ToXyz<float>, ToLab<float>>, Then<double, ToXyz<double>, ToLab<double>>>(
            new(default, new(white)), new(default, new(white))));
    }

    [Function(Domains.Color + ":lab2rgb", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Lab2RgbCpu(NDArray lab, string illuminant, string observer, int channelAxis)
    {
        var white = WhitePoint(illuminant, observer);
        return Convert(lab, nameof(lab), channelAxis, new Via<Then<float, FromLab<float>, FromXyz<float>>, Then<double, FromLab<double>, FromXyz<double>>>(
            new(new(white), default), new(new(white), default)));
    }

    [Function(Domains.Color + ":rgb2hed", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Rgb2HedCpu(NDArray rgb, int channelAxis) => Convert(rgb, nameof(rgb), channelAxis, new Stains<ToStains<float>, ToStains<double>>());

    [Function(Domains.Color + ":hed2rgb", FunctionKind.Pointwise, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Hed2RgbCpu(NDArray hed, int channelAxis) => Convert(hed, nameof(hed), channelAxis, new Stains<FromStains<float>, FromStains<double>>());

    /// <summary>A pixel map per float type, applied to a channel-last float32 or float64 array, same type out.</summary>
    private readonly struct Via<TSingle, TDouble>(TSingle single, TDouble @double) : IConversion
        where TSingle : struct, IPixelMap<float, float> where TDouble : struct, IPixelMap<double, double>
    {
        public Via() : this(default, default) { }

        public HostArray Invoke(HostArray<float> image) => Pixels.Map<float, float, TSingle>(image, single);

        public HostArray Invoke(HostArray<double> image) => Pixels.Map<double, double, TDouble>(image, @double);
    }

    /// <summary>The stain maps: float32 or float64 in, float64 out.</summary>
    private readonly struct Stains<TSingle, TDouble> : IConversion
        where TSingle : struct, IPixelMap<float, double> where TDouble : struct, IPixelMap<double, double>
    {
        public HostArray Invoke(HostArray<float> image) => Pixels.Map<float, double, TSingle>(image, default);

        public HostArray Invoke(HostArray<double> image) => Pixels.Map<double, double, TDouble>(image, default);
    }

    /// <summary>One map after another, each rounding in T as NumPy's chained calls do.</summary>
    private readonly struct Then<T, TFirst, TSecond>(TFirst first, TSecond second) : IPixelMap<T, T>
        where TFirst : struct, IPixelMap<T, T> where TSecond : struct, IPixelMap<T, T>
    {
        public (T, T, T) Invoke(T c0, T c1, T c2)
        {
            var (a, b, c) = first.Invoke(c0, c1, c2);
            return second.Invoke(a, b, c);
        }
    }

    /// <summary>A 3 x 3 matrix times a column, (m0 * x + m1 * y) + m2 * z per row, each step rounded in T.</summary>
    private static (T, T, T) Times<T>(double[,] m, T x, T y, T z) where T : IFloatingPointIeee754<T>
    {
        T Row(int r) => T.CreateTruncating(m[r, 0]) * x + T.CreateTruncating(m[r, 1]) * y + T.CreateTruncating(m[r, 2]) * z;
        return (Row(0), Row(1), Row(2));
    }

    private readonly struct ToXyz<T> : IPixelMap<T, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static T Linear(T c) => c > T.CreateTruncating(0.04045)
            ? T.Pow((c + T.CreateTruncating(0.055)) / T.CreateTruncating(1.055), T.CreateTruncating(2.4))
            : c / T.CreateTruncating(12.92);

        public (T, T, T) Invoke(T r, T g, T b) => Times(XyzFromRgb, Linear(r), Linear(g), Linear(b));
    }

    private readonly struct FromXyz<T> : IPixelMap<T, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static T Encoded(T c)
        {
            c = c > T.CreateTruncating(0.0031308)
                ? T.CreateTruncating(1.055) * T.Pow(c, T.CreateTruncating(1 / 2.4)) - T.CreateTruncating(0.055)
                : c * T.CreateTruncating(12.92);
            return T.Clamp(c, T.Zero, T.One);
        }

        public (T, T, T) Invoke(T x, T y, T z)
        {
            var (r, g, b) = Times(RgbFromXyz, x, y, z);
            return (Encoded(r), Encoded(g), Encoded(b));
        }
    }

    private readonly struct ToLab<T>(double[] white) : IPixelMap<T, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The white point in T, as get_xyz_coords(..., arr.dtype) gives it.
        private readonly T _wx = T.CreateTruncating(white[0]), _wy = T.CreateTruncating(white[1]), _wz = T.CreateTruncating(white[2]);

        private static T F(T t) => t > T.CreateTruncating(0.008856) ? T.Cbrt(t) : T.CreateTruncating(7.787) * t + T.CreateTruncating(16.0 / 116.0);

        public (T, T, T) Invoke(T x, T y, T z)
        {
            T fx = F(x / _wx), fy = F(y / _wy), fz = F(z / _wz);
            return (T.CreateTruncating(116) * fy - T.CreateTruncating(16), T.CreateTruncating(500) * (fx - fy), T.CreateTruncating(200) * (fy - fz));
        }
    }

    private readonly struct FromLab<T>(double[] white) : IPixelMap<T, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static T Finv(T t) => t > T.CreateTruncating(0.2068966)
            ? T.Pow(t, T.CreateTruncating(3))
            : (t - T.CreateTruncating(16.0 / 116.0)) / T.CreateTruncating(7.787);

        // The white point stays float64 (get_xyz_coords' default dtype): the product is rounded to T once.
        private static T Scale(T t, double w) => T.CreateTruncating(double.CreateTruncating(t) * w);

        public (T, T, T) Invoke(T l, T a, T b)
        {
            T y = (l + T.CreateTruncating(16)) / T.CreateTruncating(116);
            T x = a / T.CreateTruncating(500) + y;
            T z = y - b / T.CreateTruncating(200);
            if (z < T.Zero) z = T.Zero;
            return (Scale(Finv(x), white[0]), Scale(Finv(y), white[1]), Scale(Finv(z), white[2]));
        }
    }

    private readonly struct ToStains<T> : IPixelMap<T, double> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static readonly T LogFloor = T.CreateTruncating(Math.Log(StainFloor));

        private static double Density(T c) => double.CreateTruncating(T.Log(T.Max(c, T.CreateTruncating(StainFloor))) / LogFloor);

        public (double, double, double) Invoke(T r, T g, T b)
        {
            double dr = Density(r), dg = Density(g), db = Density(b);
            // A row vector times the matrix (stains = densities @ hed_from_rgb).
            double Stain(int j) => Math.Max(dr * HedFromRgb[0, j] + dg * HedFromRgb[1, j] + db * HedFromRgb[2, j], 0);
            return (Stain(0), Stain(1), Stain(2));
        }
    }

    private readonly struct FromStains<T> : IPixelMap<T, double> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static readonly T LogAdjust = T.CreateTruncating(-Math.Log(StainFloor));

        public (double, double, double) Invoke(T h, T e, T d)
        {
            double lh = double.CreateTruncating(-(h * LogAdjust)), le = double.CreateTruncating(-(e * LogAdjust)), ld = double.CreateTruncating(-(d * LogAdjust));
            double Channel(int j) => Math.Clamp(Math.Exp(lh * RgbFromHed[0, j] + le * RgbFromHed[1, j] + ld * RgbFromHed[2, j]), 0, 1);
            return (Channel(0), Channel(1), Channel(2));
        }
    }

    /// <summary>The inverse of a 3 x 3 matrix by Gauss-Jordan elimination with partial pivoting (LAPACK's getrf/getri
    /// do the same steps, so the inverse agrees with scipy.linalg.inv to an ulp or so).</summary>
    private static double[,] Inverse(double[,] m)
    {
        var a = (double[,])m.Clone();
        var inv = new double[3, 3];
        for (int i = 0; i < 3; i++) inv[i, i] = 1;
        for (int col = 0; col < 3; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < 3; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int k = 0; k < 3; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                (inv[col, k], inv[pivot, k]) = (inv[pivot, k], inv[col, k]);
            }
            double p = a[col, col];
            for (int k = 0; k < 3; k++) { a[col, k] /= p; inv[col, k] /= p; }
            for (int r = 0; r < 3; r++)
            {
                if (r == col) continue;
                double f = a[r, col];
                for (int k = 0; k < 3; k++) { a[r, k] -= f * a[col, k]; inv[r, k] -= f * inv[col, k]; }
            }
        }
        return inv;
    }
}
