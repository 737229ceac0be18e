using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>How the smallest and largest element are chosen when the data holds NaN or signed zeros.</summary>
internal interface IExtremaRule<T> where T : unmanaged, INumber<T>
{
    static abstract T Min(T a, T b);
    static abstract T Max(T a, T b);
    static abstract Vector<T> Min(Vector<T> a, Vector<T> b);
    static abstract Vector<T> Max(Vector<T> a, Vector<T> b);
}

/// <summary>NumPy's min/max: a NaN anywhere is the answer, and -0 orders below +0 (T.Min, IEEE 754 minimum).</summary>
internal readonly struct NaNPropagates<T> : IExtremaRule<T> where T : unmanaged, INumber<T>
{
    public static T Min(T a, T b) => T.Min(a, b);
    public static T Max(T a, T b) => T.Max(a, b);
    public static Vector<T> Min(Vector<T> a, Vector<T> b) => Vector.Min(a, b);
    public static Vector<T> Max(Vector<T> a, Vector<T> b) => Vector.Max(a, b);
}

/// <summary>NumPy's nanmin/nanmax: NaN is skipped unless every element is NaN (T.MinNumber, IEEE 754 minimumNumber).</summary>
internal readonly struct NaNSkipped<T> : IExtremaRule<T> where T : unmanaged, INumber<T>
{
    public static T Min(T a, T b) => T.MinNumber(a, b);
    public static T Max(T a, T b) => T.MaxNumber(a, b);
    public static Vector<T> Min(Vector<T> a, Vector<T> b) => Vector.MinNumber(a, b);
    public static Vector<T> Max(Vector<T> a, Vector<T> b) => Vector.MaxNumber(a, b);
}

/// <summary>
/// The smallest and largest element of a span in one pass. TensorPrimitives has the same reductions, but its
/// generic instantiations cannot be precompiled and run as unoptimised tier-0 code for the first calls of a fresh
/// process (otsu, equalize_hist and resize spent most of their second call there); this loop is compiled fully
/// optimised on first use. Both rules are associative and commutative, so lane order does not change the answer.
/// </summary>
internal static class Extrema
{
    /// <summary>(min, max) of a non-empty span under <typeparamref name="TRule"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (T Min, T Max) Of<T, TRule>(ReadOnlySpan<T> values) where T : unmanaged, INumber<T> where TRule : struct, IExtremaRule<T>
    {
        if (values.IsEmpty) throw new ArgumentException("an empty span has no extrema", nameof(values));
        ref T start = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        T min = start, max = start;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vmin = Vector.LoadUnsafe(ref start);
            var vmax = vmin;
            for (i = Vector<T>.Count; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                vmin = TRule.Min(vmin, v);
                vmax = TRule.Max(vmax, v);
            }
            min = vmin[0];
            max = vmax[0];
            for (int lane = 1; lane < Vector<T>.Count; lane++)
            {
                min = TRule.Min(min, vmin[lane]);
                max = TRule.Max(max, vmax[lane]);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref start, i);
            min = TRule.Min(min, v);
            max = TRule.Max(max, v);
        }
        return (min, max);
    }
}
