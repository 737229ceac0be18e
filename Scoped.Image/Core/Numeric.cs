using System.Numerics;

namespace Scoped.Image;

/// <summary>A computation written once for every numeric element type (all but bool).</summary>
internal interface INumericFunc<out TResult>
{
    TResult Invoke<T>(HostArray<T> image) where T : unmanaged, INumber<T>, IMinMaxValue<T>;
}

/// <summary>Runs an <see cref="INumericFunc{TResult}"/> on the element type of a host array: the one dtype switch
/// the functions that take any numeric image share.</summary>
internal static class Numeric
{
    public static TResult Apply<TResult, TFunc>(HostArray image, TFunc func, string name) where TFunc : INumericFunc<TResult> => image switch
    {
        HostArray<byte> a => func.Invoke(a),
        HostArray<ushort> a => func.Invoke(a),
        HostArray<int> a => func.Invoke(a),
        HostArray<float> a => func.Invoke(a),
        HostArray<double> a => func.Invoke(a),
        _ => throw new ArgumentException($"{name} must be numeric (uint8, uint16, int32, float32 or float64); got {image.DType.NumPyName()}.", name),
    };

    /// <summary>The numeric dtypes, for argument checks.</summary>
    public static readonly DType[] Types = [DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64];

    /// <summary>Whether <typeparamref name="T"/> is float32 or float64.</summary>
    public static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);
}
