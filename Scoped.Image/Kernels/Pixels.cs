using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>A function of one three-channel pixel; a struct, so the JIT inlines it into <see cref="Pixels.Map"/>.</summary>
internal interface IPixelMap<TIn, TOut>
{
    (TOut, TOut, TOut) Invoke(TIn c0, TIn c1, TIn c2);
}

/// <summary>The one per-pixel loop of the colour conversions: a new channel-last array of three channels from a
/// channel-last one, pixel by pixel, rows in bands (any cut gives the same bytes).</summary>
internal static class Pixels
{
    /// <param name="image">Dense or not, channel axis last with length 3, 2 or more axes.</param>
    /// <param name="map">The function of a pixel.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HostArray<TOut> Map<TIn, TOut, TMap>(HostArray<TIn> image, TMap map)
        where TIn : unmanaged where TOut : unmanaged where TMap : struct, IPixelMap<TIn, TOut>
    {
        var result = HostArray<TOut>.Allocate(image.Shape.ToArray());
        // Flat rows of a channel-last array hold whole pixels: their length is a multiple of the last axis.
        var src = image.Flat();
        var dst = result.Flat();
        Bands.For(src.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int i = 0; i + 2 < s.Length; i += 3) (d[i], d[i + 1], d[i + 2]) = map.Invoke(s[i], s[i + 1], s[i + 2]);
            }
        });
        return result;
    }
}
