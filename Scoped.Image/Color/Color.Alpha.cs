using System.Numerics;

namespace Scoped.Image;

// color.rgba2rgb: alpha blended onto a background colour.
public static partial class Color
{
    /// <summary>
    /// skimage.color.rgba2rgb: each colour channel blended onto <paramref name="background"/> by the alpha channel,
    /// (1 - alpha) * background + alpha * channel, clipped to [0, 1], in the image's float type (float32 stays float32;
    /// integers and bool go through img_as_float to float64).
    /// </summary>
    /// <param name="rgba">(rows, cols, 4).</param>
    /// <param name="background">Three values in [0, 1]; null for white.</param>
    /// <param name="channelAxis">The channel axis; only the last (-1 or 2) is supported.</param>
    public static NDArray Rgba2Rgb(NDArray rgba, double[]? background = null, int channelAxis = -1)
    {
        Guard.Image(rgba, nameof(rgba));
        if (channelAxis is not (-1 or 2)) throw new ArgumentException($"channelAxis must be the last axis (-1 or 2); got {channelAxis}.", nameof(channelAxis));
        if (rgba.Rank != 3 || rgba.Shape[2] != 4)
            throw new ArgumentException($"rgba must have size 4 along the channel axis, (rows, cols, 4); got {rgba.ShapeText}.", nameof(rgba));
        background ??= [1, 1, 1];
        if (background.Length != 3) throw new ArgumentException($"background must have three values (R, G, B); got {background.Length}.", nameof(background));
        if (Array.Exists(background, v => !(v >= 0 && v <= 1))) throw new ArgumentException("background values must be in [0, 1].", nameof(background));
        return Methods.Rgba2Rgb.Invoke(rgba, background, channelAxis);
    }

    [Function(Domains.Color + ":rgba2rgb", FunctionKind.Pointwise, RunsInBands = true)]
    private static NDArray Rgba2RgbCpu(NDArray rgba, double[] background, int channelAxis) => Rgba2RgbHost(Guard.Host(rgba, nameof(rgba)), background);

    /// <summary>rgba2rgb of a host array, for the functions built on it (is_low_contrast).</summary>
    internal static HostArray Rgba2RgbHost(HostArray rgba, double[] background) => FloatImages.ToFloat(rgba) switch
    {
        HostArray<float> f => Blend(f, background),
        HostArray<double> d => Blend(d, background),
        _ => throw new InvalidOperationException("unreachable"),
    };

    private static HostArray<T> Blend<T>(HostArray<T> rgba, double[] background) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bg = Array.ConvertAll(background, T.CreateTruncating);
        var result = HostArray<T>.Allocate(rgba.Shape[0], rgba.Shape[1], 3);
        var src = rgba.Rows();
        var dst = result.Rows();
        Kernels.Bands.For(src.Height, (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var d = dst.Row(y);
                for (int x = 0, n = d.Length / 3; x < n; x++)
                {
                    T alpha = s[4 * x + 3];
                    for (int c = 0; c < 3; c++) d[3 * x + c] = T.Clamp((T.One - alpha) * bg[c] + alpha * s[4 * x + c], T.Zero, T.One);
                }
            }
        });
        return result;
    }
}
