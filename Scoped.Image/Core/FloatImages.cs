using System.Numerics.Tensors;

namespace Scoped.Image;

/// <summary>scikit-image's float conversions (img_as_float, convert_to_float), used by every function that computes in floats.</summary>
internal static class FloatImages
{
    /// <summary>
    /// img_as_float: float32 and float64 are returned as they are (no copy); uint8/uint16 are divided by their
    /// maximum, int32 is multiplied by 1 / int.MaxValue (and int.MinValue clipped to -1), bool maps to 0/1; those give float64.
    /// With <paramref name="preserveRange"/>, integers are cast to float64 without scaling (convert_to_float).
    /// </summary>
    public static HostArray ToFloat(HostArray image, bool preserveRange = false)
    {
        switch (image)
        {
            case HostArray<float> or HostArray<double>: return image;
            case HostArray<byte> u8: return Scale(u8, preserveRange ? 1.0 : 1.0 / byte.MaxValue);
            case HostArray<ushort> u16: return Scale(u16, preserveRange ? 1.0 : 1.0 / ushort.MaxValue);
            case HostArray<int> i32: return Scale(i32, preserveRange ? 1.0 : 1.0 / int.MaxValue, preserveRange ? double.MinValue : -1);
            case HostArray<bool> b: return Scale(b, 1.0);
            default: throw new ArgumentException($"Unsupported element type {image.DType}.", nameof(image));
        }
    }

    /// <summary>ToFloat, then to float64 if it is float32 (for functions that always compute in float64).</summary>
    public static HostArray<double> ToFloat64(HostArray image, bool preserveRange = false) => ToFloat(image, preserveRange) switch
    {
        HostArray<double> d => d,
        var f => (HostArray<double>)f.AsType(DType.Float64),
    };

    /// <summary>max(x * scale, floor) as float64, NumPy's order of operations.</summary>
    private static HostArray<double> Scale<T>(HostArray<T> image, double scale, double floor = double.MinValue) where T : unmanaged =>
        Kernels.Pointwise.Map<T, double, ScaleMap<T>>(image, new(scale, floor));

    private readonly struct ScaleMap<T>(double scale, double floor) : Kernels.IElementMap<T, double> where T : unmanaged
    {
        public double Invoke(T value) => Math.Max(Elements.ToDouble(value) * scale, floor);
    }
}
