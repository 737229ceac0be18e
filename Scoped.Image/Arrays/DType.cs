namespace Scoped.Image;

/// <summary>The element types an image array can hold, named as NumPy names them.</summary>
public enum DType
{
    /// <summary>bool (one byte per element, 0 or 1).</summary>
    Bool,
    /// <summary>uint8.</summary>
    UInt8,
    /// <summary>uint16.</summary>
    UInt16,
    /// <summary>int32.</summary>
    Int32,
    /// <summary>float32.</summary>
    Float32,
    /// <summary>float64.</summary>
    Float64,
}

/// <summary>Facts about <see cref="DType"/> values: size, NumPy name, and scikit-image's value range.</summary>
public static class DTypes
{
    /// <summary>The dtype of a CLR element type; throws for unsupported types.</summary>
    public static DType Of<T>() where T : unmanaged => Of(typeof(T));

    /// <summary>The dtype of a CLR element type; throws for unsupported types.</summary>
    public static DType Of(Type type) =>
        type == typeof(float) ? DType.Float32 :
        type == typeof(double) ? DType.Float64 :
        type == typeof(byte) ? DType.UInt8 :
        type == typeof(ushort) ? DType.UInt16 :
        type == typeof(int) ? DType.Int32 :
        type == typeof(bool) ? DType.Bool :
        throw new ArgumentException($"Element type {type.Name} is not supported; use float, double, byte, ushort, int or bool.", nameof(type));

    /// <summary>The CLR element type of a dtype.</summary>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Bool => typeof(bool),
        DType.UInt8 => typeof(byte),
        DType.UInt16 => typeof(ushort),
        DType.Int32 => typeof(int),
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>Bytes per element.</summary>
    public static int ItemSize(this DType dtype) => dtype switch
    {
        DType.Bool or DType.UInt8 => 1,
        DType.UInt16 => 2,
        DType.Int32 or DType.Float32 => 4,
        _ => 8,
    };

    /// <summary>True for float32 and float64.</summary>
    public static bool IsFloat(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>NumPy's name: "float32", "uint8", ...</summary>
    public static string NumPyName(this DType dtype) => dtype switch
    {
        DType.Bool => "bool",
        DType.UInt8 => "uint8",
        DType.UInt16 => "uint16",
        DType.Int32 => "int32",
        DType.Float32 => "float32",
        _ => "float64",
    };

    /// <summary>
    /// The value range scikit-image assigns the type (<c>dtype_range</c>): [0, 1] for bool, the integer limits
    /// for integers, and [-1, 1] for floats.
    /// </summary>
    public static (double Min, double Max) Range(this DType dtype) => dtype switch
    {
        DType.Bool => (0, 1),
        DType.UInt8 => (0, byte.MaxValue),
        DType.UInt16 => (0, ushort.MaxValue),
        DType.Int32 => (int.MinValue, int.MaxValue),
        _ => (-1, 1),
    };

    /// <summary>
    /// <paramref name="value"/> as an element of <paramref name="dtype"/> would hold it (NumPy's astype of a scalar, as
    /// Scoped.Image converts cval and fill values: integers truncated toward zero and saturated, non-zero is true),
    /// returned as a double (exact for every dtype). Backends that pass scalars to their own kernels use it.
    /// </summary>
    public static double Cast(this DType dtype, double value) => dtype switch
    {
        DType.Bool => value != 0 ? 1 : 0,
        DType.UInt8 => Elements.From<byte>(value),
        DType.UInt16 => Elements.From<ushort>(value),
        DType.Int32 => Elements.From<int>(value),
        DType.Float32 => (float)value,
        _ => value,
    };
}
