using System.Runtime.CompilerServices;
namespace Scoped.Image.Kernels;

/// <summary>An element-by-element function; a struct, so the JIT inlines it into <see cref="Pointwise.Map"/>.</summary>
internal interface IElementMap<TIn, TOut>
{
    TOut Invoke(TIn value);
}

/// <summary>The one pointwise loop: a new array with a pure function applied to every element, rows in bands
/// (any cut gives the same bytes).</summary>
internal static class Pointwise
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HostArray<TOut> Map<TIn, TOut, TMap>(HostArray<TIn> image, TMap map)
        where TIn : unmanaged where TOut : unmanaged where TMap : struct, IElementMap<TIn, TOut>
    {
        var result = HostArray<TOut>.Allocate(image.Shape.ToArray());
        var src = image.Flat();
        var dst = result.Flat();
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int i = 0; i < s.Length; i++) d[i] = map.Invoke(s[i]);
            }
        });
        return result;
    }
}

/// <summary>A delegate as an element map (for call sites where the function is not worth its own struct).</summary>
internal readonly struct FuncMap<TIn, TOut>(Func<TIn, TOut> map) : IElementMap<TIn, TOut>
{
    public TOut Invoke(TIn value) => map(value);
}
