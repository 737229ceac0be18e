using Scoped.Image.Primitives;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;

namespace Scoped.Image;

/// <summary>A histogram: counts per bin (int32, or float64 when normalised) and the bin centres.</summary>
/// <param name="Counts">1-D counts; int32, or float64 fractions summing to 1 with <c>normalize</c>.</param>
/// <param name="BinCenters">The centre of each bin (the integer value itself for integer images).</param>
public sealed record HistogramResult(NDArray Counts, double[] BinCenters);

/// <summary>skimage.exposure (domain scoped.image.exposure).</summary>
public static partial class Exposure
{

    /// <summary>
    /// skimage.exposure.histogram of the flattened image. Integer images get one bin per integer value
    /// (<paramref name="nbins"/> is ignored); float images get <paramref name="nbins"/> equal bins over
    /// [min, max] ("image") or [-1, 1] ("dtype"), NumPy's np.histogram rules (last bin closed).
    /// </summary>
    /// <param name="image">2-D or 3-D uint8, uint16, int32, float32 or float64.</param>
    /// <param name="nbins">Number of bins for float images, &gt;= 1.</param>
    /// <param name="sourceRange">"image" (the image's min and max) or "dtype" (the dtype's range).</param>
    /// <param name="normalize">Return fractions (float64) instead of counts.</param>
    public static HistogramResult Histogram(NDArray image, int nbins = 256, string sourceRange = "image", bool normalize = false)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        if (nbins < 1) throw new ArgumentException($"nbins must be >= 1; got {nbins}.", nameof(nbins));
        if (sourceRange is not ("image" or "dtype"))
            throw new ArgumentException($"sourceRange must be 'image' or 'dtype'; got '{sourceRange}'.", nameof(sourceRange));
        if (sourceRange == "dtype" && image.DType == DType.Int32)
            throw new ArgumentException("sourceRange 'dtype' on an int32 image would need 2^32 bins; use 'image'.", nameof(sourceRange));
        return Methods.Histogram.Invoke(image, nbins, sourceRange, normalize);
    }

    /// <summary>
    /// skimage.exposure.equalize_hist: maps each value through the cumulative histogram (np.interp between bin
    /// centres). float32 gives float32; every other type gives float64.
    /// </summary>
    /// <param name="image">2-D or 3-D uint8, uint16, int32, float32 or float64.</param>
    /// <param name="nbins">Bins for float images (integer images use one bin per value).</param>
    /// <param name="mask">Optional bool (or uint8) array of the image's shape: only those pixels build the histogram.</param>
    public static NDArray EqualizeHist(NDArray image, int nbins = 256, NDArray? mask = null)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        if (nbins < 1) throw new ArgumentException($"nbins must be >= 1; got {nbins}.", nameof(nbins));
        if (mask is not null)
        {
            Guard.SameShape(image, nameof(image), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool, DType.UInt8);
        }
        return Methods.EqualizeHist.Invoke(image, nbins, mask);
    }

    /// <summary>
    /// skimage.exposure.rescale_intensity: clips to the input range and maps it linearly onto the output range.
    /// </summary>
    /// <param name="image">2-D or 3-D uint8, uint16, int32, float32 or float64.</param>
    /// <param name="inRange">"image" (min, max of the image), "dtype" (the image dtype's range), a dtype name
    /// ("uint8", "uint12", "float", ...) or two numbers "min,max".</param>
    /// <param name="outRange">As <paramref name="inRange"/>. "image"/"dtype" keep the image's dtype, a dtype name
    /// gives that dtype (uint10/12/14 give uint16), "min,max" gives float (float32 stays float32, else float64).
    /// With "dtype" or a name, the lower end is 0 when the input range is non-negative.</param>
    public static NDArray RescaleIntensity(NDArray image, string inRange = "image", string outRange = "dtype")
    {
        Guard.AnyRank(image, nameof(image));
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        ParseRange(inRange, nameof(inRange));
        var output = ParseRange(outRange, nameof(outRange));
        if (output.Kind == RangeKind.Named && output.OutType is null)
            throw new ArgumentException($"outRange '{outRange}' names a dtype Scoped.Image cannot return; use uint8, uint16, uint10/12/14, int32, float32, float64 or float.", nameof(outRange));
        return Methods.RescaleIntensity.Invoke(image, inRange, outRange);
    }

    /// <summary>
    /// skimage.exposure.adjust_gamma: out = gain * in^gamma on the dtype's [0, max] scale (uint8 through a 256-entry
    /// lookup table). The dtype is kept: integers truncate, and values past the top wrap around as NumPy's cast does.
    /// </summary>
    /// <param name="image">2-D or 3-D uint8, uint16, int32, float32 or float64, no negative values.</param>
    /// <param name="gamma">Exponent, &gt;= 0.</param>
    /// <param name="gain">Multiplier, finite.</param>
    public static NDArray AdjustGamma(NDArray image, double gamma = 1, double gain = 1)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        Guard.NonNegative(gamma, nameof(gamma));
        Guard.Finite(gain, nameof(gain));
        return Methods.AdjustGamma.Invoke(image, gamma, gain);
    }

    // ---------------------------------------------------------------- histogram

    [Function(Domains.Exposure + ":histogram", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static HistogramResult HistogramCpu(NDArray image, int nbins, string sourceRange, bool normalize)
    {
        var host = Guard.Host(image, nameof(image));
        var bins = Kernels.Histogram.Compute(host, null, nbins, sourceRange == "dtype", nameof(image));
        NDArray counts;
        if (normalize)
        {
            long sum = 0;
            foreach (var c in bins.Counts) sum += c;
            counts = HostArray.Create(bins.Counts.Select(c => c / (double)sum).ToArray(), bins.Counts.Length);
        }
        else counts = HostArray.Create(bins.Counts.Select(c => checked((int)c)).ToArray(), bins.Counts.Length);
        return new HistogramResult(counts, bins.Centers);
    }

    // ---------------------------------------------------------------- equalize_hist

    [Function(Domains.Exposure + ":equalize_hist", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray EqualizeHistCpu(NDArray image, int nbins, NDArray? mask)
    {
        HostArray<bool>? m = mask is null ? null : Guard.Host(mask, nameof(mask)) switch
        {
            HostArray<bool> b => b,
            HostArray<byte> u8 => NonZero(u8),
            var other => (HostArray<bool>)other.AsType(DType.Bool),
        };
        return Guard.Host(image, nameof(image)) switch
        {
            HostArray<byte> a => EqualizeInteger(a, m),
            HostArray<ushort> a => EqualizeInteger(a, m),
            HostArray<int> a => EqualizeInteger(a, m),
            HostArray<float> a => EqualizeFloat(a, m, nbins),
            HostArray<double> a => EqualizeFloat(a, m, nbins),
            var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
        };
    }

    /// <summary>A uint8 mask as bool (non-zero is true, as astype(bool) gives), in bands of rows.</summary>
    private static HostArray<bool> NonZero(HostArray<byte> mask) => Kernels.Pointwise.Map<byte, bool, NonZeroMap>(mask, default);

    private readonly struct NonZeroMap : Kernels.IElementMap<byte, bool>
    {
        public bool Invoke(byte value) => value != 0;
    }

    /// <summary>Integer images: every value is a bin centre, so np.interp is a table lookup (clamped for masked-out values).</summary>
    private static HostArray<double> EqualizeInteger<T>(HostArray<T> image, HostArray<bool>? mask)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (image is HostArray<byte> bytes) return EqualizeBytes(bytes, mask);
        var bins = Kernels.Histogram.Integers(image.Flat(), mask, dtypeRange: false, "image");
        var cdf = Cdf(bins.Counts);
        long min = bins.IntegerMin, last = cdf.Length - 1;
        var result = HostArray<double>.Allocate(image.Shape.ToArray());
        var src = image.Flat();
        var dst = result.Flat();
        Kernels.Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int i = 0; i < s.Length; i++)
                {
                    long k = (long)Elements.ToDouble(s[i]) - min;
                    d[i] = cdf[k < 0 ? 0 : k > last ? last : k];
                }
            }
        });
        return result;
    }

    /// <summary>uint8: the same histogram and cdf as the generic path, applied through a 256-entry lookup table.</summary>
    private static HostArray<double> EqualizeBytes(HostArray<byte> image, HostArray<bool>? mask)
    {
        var src = image.Flat();
        var maskRows = mask is null ? default : mask.Flat();
        bool masked = mask is not null;
        // Exact integer counts per band, summed in band order.
        int count = Kernels.Bands.Count(src.Height);
        var partial = new long[count][];
        Kernels.Bands.For(src.Height, count, (band, start, end) => CountBytes(src, maskRows, masked, partial[band] = new long[4 * 256], start, end));
        var sub = partial[0];
        for (int b = 1; b < count; b++)
            for (int i = 0; i < sub.Length; i++) sub[i] += partial[b][i];
        var full = new long[256];
        int min = 256, max = -1;
        for (int v = 0; v < 256; v++)
        {
            full[v] = sub[v] + sub[256 + v] + sub[512 + v] + sub[768 + v];
            if (full[v] == 0) continue;
            if (v < min) min = v;
            max = v;
        }
        if (max < 0) throw new ArgumentException("mask selects no pixels; the histogram would be empty.", "mask");
        var cdf = Cdf(full[min..(max + 1)]);
        var lut = new double[256];
        for (int v = 0; v < 256; v++) lut[v] = cdf[Math.Clamp(v - min, 0, max - min)];
        var result = HostArray<double>.Allocate(image.Shape.ToArray());
        var dst = result.Flat();
        Kernels.Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                ReadOnlySpan<byte> s = src.Row(y);
                Span<double> d = dst.Row(y);
                for (int i = 0; i < s.Length; i++) d[i] = lut[s[i]];
            }
        });
        return result;
    }

    /// <summary>Counts rows [start, end) of a uint8 image into four interleaved 256-bin sub-histograms.</summary>
    private static void CountBytes(ImageRows<byte> src, ImageRows<bool> maskRows, bool masked, long[] sub, int start, int end)
    {
        for (int y = start; y < end; y++)
        {
            ReadOnlySpan<byte> s = src.Row(y);
            if (!masked)
            {
                int i = 0;
                for (; i + 4 <= s.Length; i += 4)
                {
                    sub[s[i]]++;
                    sub[256 + s[i + 1]]++;
                    sub[512 + s[i + 2]]++;
                    sub[768 + s[i + 3]]++;
                }
                for (; i < s.Length; i++) sub[s[i]]++;
            }
            else
            {
                ReadOnlySpan<bool> m = maskRows.Row(y);
                for (int i = 0; i < s.Length; i++)
                    if (m[i]) sub[((i & 3) << 8) + s[i]]++;
            }
        }
    }

    /// <summary>cumsum / total in float64.</summary>
    internal static double[] Cdf(long[] counts)
    {
        var cdf = new double[counts.Length];
        long sum = 0, total = 0;
        foreach (var c in counts) total += c;
        for (int i = 0; i < counts.Length; i++) { sum += counts[i]; cdf[i] = sum / (double)total; }
        return cdf;
    }

    /// <summary>Float images: the cdf is stored in T (as skimage does), then np.interp in float64 between the T bin centres.</summary>
    private static HostArray<T> EqualizeFloat<T>(HostArray<T> image, HostArray<bool>? mask, int nbins) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bins = Kernels.Histogram.Floats(image.Flat(), mask, nbins, dtypeRange: false, "image");
        var (fp, slopes) = InterpTables<T>(bins);
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        HistogramKernels.InterpUniform(image.Flat(), result.Flat(), bins.Centers, fp, slopes);
        return result;
    }

    /// <summary>
    /// equalize_hist's np.interp tables for a float image: the cdf rounded to T (as skimage stores it) at the bin
    /// centres, and the slope of each interval. Shared with backends that count the bins themselves.
    /// </summary>
    internal static (double[] Fp, double[] Slopes) InterpTables<T>(Primitives.HistogramBins bins) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cdf64 = Cdf(bins.Counts);
        int n = cdf64.Length;
        var xp = bins.Centers;
        var fp = new double[n];
        for (int i = 0; i < n; i++) fp[i] = double.CreateTruncating(T.CreateTruncating(cdf64[i]));
        var slopes = new double[Math.Max(n - 1, 1)];
        for (int i = 0; i < n - 1; i++) slopes[i] = (fp[i + 1] - fp[i]) / (xp[i + 1] - xp[i]);
        return (fp, slopes);
    }

    // ---------------------------------------------------------------- rescale_intensity

    private enum RangeKind { Image, DType, Named, Explicit }

    private readonly record struct RangeSpec(RangeKind Kind, double Min, double Max, DType? OutType);

    /// <summary>Parses "image", "dtype", a dtype name (skimage's DTYPE_RANGE keys) or "min,max".</summary>
    private static RangeSpec ParseRange(string? text, string name)
    {
        if (text is null) throw new ArgumentNullException(name);
        string t = text.Trim();
        switch (t)
        {
            case "image": return new(RangeKind.Image, 0, 0, null);
            case "dtype": return new(RangeKind.DType, 0, 0, null);
            case "bool": return new(RangeKind.Named, 0, 1, null);
            case "uint8": return new(RangeKind.Named, 0, byte.MaxValue, DType.UInt8);
            case "uint16": return new(RangeKind.Named, 0, ushort.MaxValue, DType.UInt16);
            case "uint10": return new(RangeKind.Named, 0, 1023, DType.UInt16);
            case "uint12": return new(RangeKind.Named, 0, 4095, DType.UInt16);
            case "uint14": return new(RangeKind.Named, 0, 16383, DType.UInt16);
            case "uint32": return new(RangeKind.Named, 0, uint.MaxValue, null);
            case "uint64": return new(RangeKind.Named, 0, ulong.MaxValue, null);
            case "int8": return new(RangeKind.Named, sbyte.MinValue, sbyte.MaxValue, null);
            case "int16": return new(RangeKind.Named, short.MinValue, short.MaxValue, null);
            case "int32": return new(RangeKind.Named, int.MinValue, int.MaxValue, DType.Int32);
            case "int64": return new(RangeKind.Named, long.MinValue, long.MaxValue, null);
            case "float16": return new(RangeKind.Named, -1, 1, null);
            case "float32": return new(RangeKind.Named, -1, 1, DType.Float32);
            case "float64" or "float": return new(RangeKind.Named, -1, 1, DType.Float64);
        }
        var parts = t.Trim('(', ')', '[', ']').Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double lo)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double hi))
        {
            if (double.IsNaN(lo) || double.IsNaN(hi)) throw new ArgumentException($"{name} limits must be numbers; got '{text}'.", name);
            return new(RangeKind.Explicit, lo, hi, null);
        }
        throw new ArgumentException($"{name} must be 'image', 'dtype', a dtype name (uint8, uint16, uint10, uint12, uint14, int32, float32, float64, float, ...) or 'min,max'; got '{text}'.", name);
    }

    [Function(Domains.Exposure + ":rescale_intensity", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    internal static NDArray RescaleIntensityCpu(NDArray image, string inRange, string outRange)
    {
        var host = Guard.Host(image, nameof(image));
        return host switch
        {
            HostArray<float> a => Rescale<float, float>(a, inRange, outRange),
            HostArray<double> a => Rescale<double, double>(a, inRange, outRange),
            HostArray<byte> a => Rescale<byte, double>(a, inRange, outRange),
            HostArray<ushort> a => Rescale<ushort, double>(a, inRange, outRange),
            HostArray<int> a => Rescale<int, double>(a, inRange, outRange),
            var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
        };
    }

    /// <summary>Whether rescale_intensity needs the image's own min and max for these ranges.</summary>
    internal static bool RescaleNeedsImageRange(string inRange, string outRange) =>
        ParseRange(inRange, nameof(inRange)).Kind == RangeKind.Image || ParseRange(outRange, nameof(outRange)).Kind == RangeKind.Image;

    /// <summary>
    /// rescale_intensity's ranges and output dtype for an image of <paramref name="dtype"/> whose min and max are
    /// <paramref name="imageRange"/> (NaN when not needed, or when the image holds NaN). Shared with backends.
    /// </summary>
    internal static Primitives.RescalePlan PlanRescale(DType dtype, string inRange, string outRange, (double Min, double Max) imageRange)
    {
        var input = ParseRange(inRange, nameof(inRange));
        var output = ParseRange(outRange, nameof(outRange));
        DType outType = output.Kind switch
        {
            RangeKind.Image or RangeKind.DType => dtype,
            RangeKind.Named => output.OutType!.Value,
            _ => dtype == DType.Float32 ? DType.Float32 : DType.Float64,
        };
        (double imin, double imax) = input.Kind switch
        {
            RangeKind.Image => imageRange,
            RangeKind.DType => dtype.Range(),
            _ => (input.Min, input.Max),
        };
        bool clipNegative = imin >= 0;
        (double omin, double omax) = output.Kind switch
        {
            RangeKind.Image => imageRange,
            RangeKind.DType => (clipNegative ? 0 : dtype.Range().Min, dtype.Range().Max),
            RangeKind.Named => (clipNegative ? 0 : output.Min, output.Max),
            _ => (output.Min, output.Max),
        };
        return new Primitives.RescalePlan(outType, imin, imax, omin, omax);
    }

    /// <summary>Computes in <typeparamref name="TW"/> (float32 for float32 input, float64 otherwise: NumPy's promotion with Python floats).</summary>
    private static NDArray Rescale<T, TW>(HostArray<T> image, string inRange, string outRange)
        where T : unmanaged where TW : unmanaged, IFloatingPointIeee754<TW>
    {
        (double imageMin, double imageMax) = (double.NaN, double.NaN);
        if (RescaleNeedsImageRange(inRange, outRange)) (imageMin, imageMax) = ImageMinMax(image);
        var (outType, imin, imax, omin, omax) = PlanRescale(image.DType, inRange, outRange, (imageMin, imageMax));
        TW lo = TW.CreateTruncating(imin), hi = TW.CreateTruncating(imax);
        TW olo = TW.CreateTruncating(omin), ohi = TW.CreateTruncating(omax);
        TW inSpan = TW.CreateTruncating(imax - imin), outSpan = TW.CreateTruncating(omax - omin);
        bool flat = imin == imax;
        return outType switch
        {
            DType.UInt8 => Apply<T, TW, byte>(image, Map),
            DType.UInt16 => Apply<T, TW, ushort>(image, Map),
            DType.Int32 => Apply<T, TW, int>(image, Map),
            DType.Float32 => Apply<T, TW, float>(image, Map),
            _ => Apply<T, TW, double>(image, Map),
        };

        TW Map(TW x)
        {
            // np.clip propagates NaN: Max/Min here return NaN for NaN input.
            x = TW.Min(TW.Max(x, lo), hi);
            if (!flat) return (x - lo) / inSpan * outSpan + olo;
            return TW.Min(TW.Max(x, olo), ohi);
        }
    }

    private static HostArray<TOut> Apply<T, TW, TOut>(HostArray<T> image, Func<TW, TW> map)
        where T : unmanaged where TW : unmanaged, IFloatingPointIeee754<TW> where TOut : unmanaged
    {
        var result = HostArray<TOut>.Allocate(image.Shape.ToArray());
        var src = image.Flat();
        var dst = result.Flat();
        // Pointwise: any cut into row bands gives the same bytes.
        Kernels.Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int i = 0; i < s.Length; i++)
                    d[i] = Elements.From<TOut>(double.CreateTruncating(map(TW.CreateTruncating(Elements.ToDouble(s[i])))));
            }
        });
        return result;
    }

    /// <summary>np.min / np.max (NaN if any element is NaN).</summary>
    private static (double Min, double Max) ImageMinMax<T>(HostArray<T> image) where T : unmanaged
    {
        var rows = image.Flat();
        // One partial per band, merged in band order with the same strict comparisons: the first value seen in raster
        // order wins ties (-0 against +0) exactly as in one pass, and any NaN makes both NaN.
        int count = Kernels.Bands.Count(rows.Height);
        var partials = new (double Min, double Max, bool NaN)[count];
        Kernels.Bands.For(rows.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int y = start; y < end; y++)
                foreach (var v in rows.Row(y))
                {
                    double d = Elements.ToDouble(v);
                    if (double.IsNaN(d)) { partials[band] = (min, max, true); return; }
                    if (d < min) min = d;
                    if (d > max) max = d;
                }
            partials[band] = (min, max, false);
        });
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var (min, max, nan) in partials)
        {
            if (nan) return (double.NaN, double.NaN);
            if (min < lo) lo = min;
            if (max > hi) hi = max;
        }
        return (lo, hi);
    }

    // ---------------------------------------------------------------- adjust_gamma

    [Function(Domains.Exposure + ":adjust_gamma", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray AdjustGammaCpu(NDArray image, double gamma, double gain)
    {
        var host = Guard.Host(image, nameof(image));
        if (host is HostArray<byte> u8)
        {
            // lut = min(255 * gain * linspace(0, 1, 256) ** gamma, 255) truncated to uint8.
            var lut = new byte[256];
            double step = 1.0 / 255;
            for (int i = 0; i < 256; i++)
            {
                double x = i == 255 ? 1.0 : i * step;
                lut[i] = Elements.From<byte>(Math.Min(255 * gain * Power(x, gamma), 255));
            }
            return Util.Map(u8, v => lut[v]);
        }
        double min = host switch
        {
            HostArray<float> a => ImageMinMax(a).Min,
            HostArray<double> a => ImageMinMax(a).Min,
            HostArray<ushort> a => ImageMinMax(a).Min,
            HostArray<int> a => ImageMinMax(a).Min,
            _ => 0,
        };
        if (min < 0)
            throw new ArgumentException("image has negative values; adjust_gamma needs non-negative values (use rescale_intensity first).", nameof(image));
        switch (host)
        {
            case HostArray<float> f:
            {
                float g = (float)gamma, k = (float)gain;
                return Util.Map(f, v => Power(v / 1f, g) * 1f * k);
            }
            case HostArray<double> d:
                return Util.Map(d, v => Power(v / 1.0, gamma) * 1.0 * gain);
            case HostArray<ushort> u16:
                return Util.Map(u16, v => (ushort)(long)(Power(v / 65535.0, gamma) * 65535.0 * gain));
            case HostArray<int> i32:
                return Util.Map(i32, v => (int)(long)(Power(v / (double)int.MaxValue, gamma) * int.MaxValue * gain));
            default:
                throw new ArgumentException($"Unsupported element type {host.DType}.", nameof(image));
        }
    }

    /// <summary>NumPy's array ** scalar: exponents 0, 0.5, 1 and 2 take the fast paths (ones, sqrt, copy, square).</summary>
    private static T Power<T>(T x, T exponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (exponent == T.Zero) return T.One;
        if (exponent == T.One) return x;
        if (exponent == T.CreateTruncating(2)) return x * x;
        if (exponent == T.CreateTruncating(0.5)) return T.Sqrt(x);
        return T.Pow(x, exponent);
    }
}
