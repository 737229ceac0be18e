using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Scoped.Dispatch;

namespace Scoped.Image;

/// <summary>skimage.util: dtype conversions and array helpers (domain scoped.image.util).</summary>
public static partial class Util
{
    /// <summary>
    /// skimage.util.img_as_float: floats unchanged; uint8/uint16 scaled to [0, 1], int32 to [-1, 1] (x / int.MaxValue), bool to 0/1, as float64.
    /// </summary>
    public static NDArray ImgAsFloat(NDArray image)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.ImgAsFloat.Invoke(image);
    }

    /// <summary>
    /// skimage.util.img_as_ubyte: floats in [-1, 1] are scaled by 255 and rounded half to even (negatives clip to 0);
    /// uint16 keeps its high byte and int32 the high bits of its non-negative part, except that an integer image whose
    /// largest value is below 256 is cast without scaling (negatives to 0), as scikit-image 0.19 does; bool becomes 0/255.
    /// </summary>
    /// <exception cref="ArgumentException">A float image has values outside [-1, 1].</exception>
    public static NDArray ImgAsUbyte(NDArray image)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.ImgAsUbyte.Invoke(image);
    }

    /// <summary>
    /// skimage.util.img_as_float32: float32 unchanged; float64 rounded to float32; uint8/uint16/int32 multiplied in
    /// float32 by float32(1 / the type's maximum) (int32's minimum clipped to -1), as scikit-image computes it; bool to 0/1.
    /// </summary>
    public static NDArray ImgAsFloat32(NDArray image)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.ImgAsFloat32.Invoke(image);
    }

    /// <summary>
    /// skimage.util.img_as_uint (uint16): floats in [-1, 1] multiplied by 65535 in their own type, rounded half to
    /// even and clipped at 0; uint8 multiplied by 257; int32 with negatives at 0, shifted down 15 bits unless its
    /// largest value already fits in 16 bits (then cast unscaled, as scikit-image 0.19 does); bool to 0/65535.
    /// </summary>
    /// <exception cref="ArgumentException">A float image has values outside [-1, 1].</exception>
    public static NDArray ImgAsUint(NDArray image)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.ImgAsUint.Invoke(image);
    }

    /// <summary>
    /// skimage.util.img_as_bool: true above half the type's maximum, as scikit-image casts it: uint8 &gt; 127, uint16
    /// &gt; 32767, int32 &gt; 1073741823, floats &gt; 0.5; bool unchanged.
    /// </summary>
    public static NDArray ImgAsBool(NDArray image)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.ImgAsBool.Invoke(image);
    }

    /// <summary>
    /// skimage.util.invert: each value reflected in the element type's range, the type kept. bool: not; unsigned
    /// integers: the type's maximum minus the value; signed integers: -1 minus the value (the range's own mirror, so
    /// the minimum becomes the maximum); floats: 1 minus the value, or its negation with <paramref name="signedFloat"/>
    /// (for images in [-1, 1]).
    /// </summary>
    /// <param name="image">The image (any element type).</param>
    /// <param name="signedFloat">Floats are taken to lie in [-1, 1] and negated, instead of in [0, 1] and subtracted from 1.</param>
    public static NDArray Invert(NDArray image, bool signedFloat = false)
    {
        Guard.AnyRank(image, nameof(image));
        return Methods.Invert.Invoke(image, signedFloat);
    }

    [Function(Domains.Util + ":invert", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray InvertCpu(NDArray image, bool signedFloat) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<bool> b => Kernels.Pointwise.Map<bool, bool, InvertBool>(b, default),
        HostArray<byte> u8 => Kernels.Pointwise.Map<byte, byte, InvertUnsigned<byte>>(u8, default),
        HostArray<ushort> u16 => Kernels.Pointwise.Map<ushort, ushort, InvertUnsigned<ushort>>(u16, default),
        HostArray<int> i32 => Kernels.Pointwise.Map<int, int, InvertSigned<int>>(i32, default),
        HostArray<float> f => signedFloat ? Kernels.Pointwise.Map<float, float, Negate<float>>(f, default) : Kernels.Pointwise.Map<float, float, FromOne<float>>(f, default),
        HostArray<double> d => signedFloat ? Kernels.Pointwise.Map<double, double, Negate<double>>(d, default) : Kernels.Pointwise.Map<double, double, FromOne<double>>(d, default),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
    };

    /// <summary>invert of a host array, for the functions built on it (local_minima, the attribute closings).</summary>
    internal static HostArray InvertHost(HostArray image, bool signedFloat = false) => (HostArray)InvertCpu(image, signedFloat);

    private readonly struct InvertBool : Kernels.IElementMap<bool, bool>
    {
        public bool Invoke(bool value) => !value;
    }

    private readonly struct InvertUnsigned<T> : Kernels.IElementMap<T, T> where T : System.Numerics.IUnsignedNumber<T>, System.Numerics.IMinMaxValue<T>, System.Numerics.INumber<T>
    {
        public T Invoke(T value) => T.MaxValue - value;
    }

    private readonly struct InvertSigned<T> : Kernels.IElementMap<T, T> where T : System.Numerics.IBinaryInteger<T>
    {
        public T Invoke(T value) => ~value; // -1 - value in two's complement, never overflowing
    }

    private readonly struct FromOne<T> : Kernels.IElementMap<T, T> where T : System.Numerics.IFloatingPointIeee754<T>
    {
        public T Invoke(T value) => T.One - value; // in the image's own float type, as NumPy's subtract(1, image, dtype=...)
    }

    private readonly struct Negate<T> : Kernels.IElementMap<T, T> where T : System.Numerics.IFloatingPointIeee754<T>
    {
        public T Invoke(T value) => -value;
    }

    [Function(Domains.Util + ":img_as_float", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ImgAsFloatCpu(NDArray image) => FloatImages.ToFloat(Guard.Host(image, nameof(image)));

    [Function(Domains.Util + ":img_as_ubyte", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ImgAsUbyteCpu(NDArray image) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<byte> u8 => u8,
        HostArray<float> f => FloatToUbyte(f, nameof(image)),
        HostArray<double> d => FloatToUbyte(d, nameof(image)),
        // scikit-image 0.19 (_scale) downcasts without scaling, with a warning, when the largest value already fits
        // in 8 bits; otherwise it keeps the high bits.
        HostArray<ushort> u16 => Max(u16) < 256 ? Map(u16, v => (byte)v) : Map(u16, v => (byte)(v >> 8)),
        HostArray<int> i32 => Max(i32) < 256 ? Map(i32, v => (byte)Math.Max(v, 0)) : Map(i32, v => (byte)(Math.Max(v, 0) >> 23)),
        HostArray<bool> b => Map(b, v => v ? (byte)255 : (byte)0),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
    };

    [Function(Domains.Util + ":img_as_float32", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ImgAsFloat32Cpu(NDArray image) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<float> f => f,
        HostArray<double> d => Map(d, v => (float)v),
        HostArray<byte> u8 => Map(u8, v => v * (float)(1.0 / byte.MaxValue)),
        HostArray<ushort> u16 => Map(u16, v => v * (float)(1.0 / ushort.MaxValue)),
        HostArray<int> i32 => Map(i32, v => MathF.Max(v * (float)(1.0 / int.MaxValue), -1f)),
        HostArray<bool> b => Map(b, v => v ? 1f : 0f),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
    };

    [Function(Domains.Util + ":img_as_uint", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    internal static NDArray ImgAsUintCpu(NDArray image) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<ushort> u16 => u16,
        HostArray<float> f => FloatToUint(f, nameof(image)),
        HostArray<double> d => FloatToUint(d, nameof(image)),
        HostArray<byte> u8 => Map(u8, v => (ushort)(v * 257)),
        // scikit-image 0.19 (_scale) casts without scaling when the largest value already fits in 16 bits.
        HostArray<int> i32 => Max(i32) < 65536 ? Map(i32, v => (ushort)Math.Max(v, 0)) : Map(i32, v => (ushort)(Math.Max(v, 0) >> 15)),
        HostArray<bool> b => Map(b, v => v ? ushort.MaxValue : (ushort)0),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
    };

    private static HostArray<ushort> FloatToUint<T>(HostArray<T> image, string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        CheckSignedUnitRange(image, name, "img_as_uint");
        if (image is HostArray<float> singles) return SinglesToUInt16(singles);
        return Kernels.Pointwise.Map<T, ushort, UnitToUInt16<T>>(image, default);
    }

    /// <summary>float32 to uint16 eight elements at a time, each as <see cref="UnitToUInt16{T}"/> computes it.</summary>
    private static HostArray<ushort> SinglesToUInt16(HostArray<float> image)
    {
        var result = HostArray<ushort>.Allocate(image.Shape.ToArray());
        var src = image.Flat();
        var dst = result.Flat();
        Kernels.Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            var scale = Vector256.Create((float)ushort.MaxValue);
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                int i = 0;
                for (; i <= s.Length - 16; i += 16)
                {
                    var low = Vector256.Create(s.Slice(i, 8));
                    var high = Vector256.Create(s.Slice(i + 8, 8));
                    low = Vector256.Min(Vector256.Max(Vector256.Round(low * scale), default), scale);
                    high = Vector256.Min(Vector256.Max(Vector256.Round(high * scale), default), scale);
                    // Levels fit 16 bits: narrowing int32 keeps their low halves, the uint16 values.
                    Vector256.Narrow(Vector256.ConvertToInt32(low), Vector256.ConvertToInt32(high)).AsUInt16()
                        .StoreUnsafe(ref d[i]);
                }
                for (; i < s.Length; i++) d[i] = default(UnitToUInt16<float>).Invoke(s[i]);
            }
        });
        return result;
    }

    /// <summary>scikit-image's float to uint16: times 65535 in the float's own type, rounded half to even, clipped.</summary>
    private readonly struct UnitToUInt16<T> : Kernels.IElementMap<T, ushort> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public ushort Invoke(T value) =>
            (ushort)double.Clamp(double.CreateTruncating(T.Round(value * T.CreateTruncating(ushort.MaxValue))), 0, ushort.MaxValue);
    }

    [Function(Domains.Util + ":img_as_bool", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ImgAsBoolCpu(NDArray image) => Guard.Host(image, nameof(image)) switch
    {
        HostArray<bool> b => b,
        HostArray<byte> u8 => Map(u8, v => v > 127),
        HostArray<ushort> u16 => Map(u16, v => v > 32767),
        HostArray<int> i32 => Map(i32, v => v > 1073741823),
        HostArray<float> f => Map(f, v => v > 0.5f),
        HostArray<double> d => Map(d, v => v > 0.5),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(image)),
    };

    /// <summary>A float image's values must lie in [-1, 1] for the integer conversions. The check runs in bands (each band
    /// only flags); the message names the first offending value in raster order, so when a band flags, the rows are
    /// scanned again in order to find it.</summary>
    private static void CheckSignedUnitRange<T>(HostArray<T> image, string name, string function) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var src = image.Flat();
        int count = Kernels.Bands.Count(src.Height);
        var bad = new bool[count];
        Kernels.Bands.For(src.Height, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            // Min and Max are vectorised and give NaN when a NaN is present, which fails both comparisons.
            for (int y = start; y < end && !bad[band]; y++)
            {
                var row = src.Row(y);
                if (row.Length > 0 && !(System.Numerics.Tensors.TensorPrimitives.Min<T>(row) >= -T.One && System.Numerics.Tensors.TensorPrimitives.Max<T>(row) <= T.One))
                    bad[band] = true;
            }
        });
        if (Array.IndexOf(bad, true) >= 0)
            for (int y = 0; y < src.Height; y++)
                foreach (var v in src.Row(y))
                    if (!(v >= -T.One && v <= T.One))
                        throw new ArgumentException($"{name} is a float image with values outside [-1, 1] (found {v}); {function} needs that range.", name);
    }

    private static HostArray<byte> FloatToUbyte<T>(HostArray<T> image, string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        CheckSignedUnitRange(image, name, "img_as_ubyte");
        // Multiply in the input's own float type, as scikit-image does, then round half to even and clip.
        T scale = T.CreateTruncating(255);
        return Map(image, v => (byte)double.Clamp(double.CreateTruncating(T.Round(v * scale)), 0, 255));
    }

    /// <summary>The largest element (every row of a possibly strided view).</summary>
    private static T Max<T>(HostArray<T> image) where T : unmanaged, System.Numerics.INumber<T>
    {
        var rows = image.Flat();
        T max = rows.Row(0)[0];
        for (int y = 0; y < rows.Height; y++)
            if (rows.Row(y).Length > 0) max = T.Max(max, Kernels.Extrema.Of<T, Kernels.NaNPropagates<T>>(rows.Row(y)).Max);
        return max;
    }

    /// <summary>A new array of <typeparamref name="TOut"/> with <paramref name="map"/> applied to each element.</summary>
    internal static HostArray<TOut> Map<TIn, TOut>(HostArray<TIn> image, Func<TIn, TOut> map) where TIn : unmanaged where TOut : unmanaged =>
        Kernels.Pointwise.Map<TIn, TOut, Kernels.FuncMap<TIn, TOut>>(image, new(map));
}
