using System.Globalization;
using System.Numerics;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// color.label2rgb: a label image painted in colours, over an image or as each region's mean colour.
public static partial class Color
{
    /// <summary>scikit-image's DEFAULT_COLORS, the cycle labels are painted in.</summary>
    private static readonly string[] DefaultLabelColors = ["red", "blue", "yellow", "magenta", "green", "indigo", "darkorange", "cyan", "pink", "yellowgreen"];

    /// <summary>
    /// skimage.color.label2rgb. <c>kind: "overlay"</c> paints the labels in <paramref name="colors"/> (cycled in order of
    /// label value, the background label in <paramref name="bgColor"/>) blended over <paramref name="image"/> —
    /// colour * alpha + image * (1 - alpha), the image first desaturated by <paramref name="saturation"/> and faded by
    /// <paramref name="imageAlpha"/>; without an image the colours are drawn opaque. Returns float64. <c>kind: "avg"</c>
    /// gives each region the mean colour of <paramref name="image"/> over it, in the image's element type (integer
    /// means are truncated, as NumPy's assignment does), and the background <paramref name="bgColor"/>.
    /// </summary>
    /// <param name="label">bool, uint8, uint16 or int32 labels, any rank.</param>
    /// <param name="image">The label's shape (grey) or the label's shape plus a channel axis of 3 (RGB); required for "avg".</param>
    /// <param name="colors">The colours to cycle through: scikit-image's colour names ("red", "darkorange", …) or
    /// "r,g,b" with components in [0, 1]; null for scikit-image's ten defaults.</param>
    /// <param name="alpha">The labels' opacity over the image (finite; [0, 1] blends).</param>
    /// <param name="bgLabel">The background label.</param>
    /// <param name="bgColor">The background's colour (a name or "r,g,b"); null leaves the background as the image shows it ("overlay" only).</param>
    /// <param name="imageAlpha">The image's opacity over white (finite).</param>
    /// <param name="kind">"overlay" or "avg".</param>
    /// <param name="saturation">In [0, 1]: how much of the image's colour saturation is kept ("overlay").</param>
    /// <param name="channelAxis">Where the channel axis is in <paramref name="image"/> and goes in the result (any axis).</param>
    public static NDArray Label2Rgb(NDArray label, NDArray? image = null, string[]? colors = null, double alpha = 0.3, int bgLabel = 0,
        string? bgColor = "black", double imageAlpha = 1, string kind = "overlay", double saturation = 0, int channelAxis = -1)
    {
        Guard.AnyRank(label, nameof(label));
        Guard.DTypeIn(label, nameof(label), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32);
        if (label.Size == 0) throw new ArgumentException($"label must not be empty; got shape {label.ShapeText}.", nameof(label));
        if (kind is not ("overlay" or "avg")) throw new ArgumentException($"kind must be \"overlay\" or \"avg\"; got \"{kind}\".", nameof(kind));
        int resultRank = label.Rank + 1;
        if (channelAxis < -resultRank || channelAxis >= resultRank)
            throw new ArgumentException($"channelAxis must be an axis of the {resultRank}-D result ({-resultRank}..{resultRank - 1}); got {channelAxis}.", nameof(channelAxis));
        if (image is not null)
        {
            bool rgb = image.Rank == label.Rank + 1;
            var spatial = rgb ? ImageAxes.Of(image, Guard.ChannelAxisOf(image, channelAxis, nameof(channelAxis))) : ImageAxes.Of(image, null);
            if (!(rgb || image.Rank == label.Rank) || !spatial.Spatial.SequenceEqual(label.Shape.ToArray()))
                throw new ArgumentException($"image must have the label's shape {label.ShapeText}, with or without a channel axis; got {image.ShapeText}.", nameof(image));
            if (rgb && spatial.Channels != 3)
                throw new ArgumentException($"image must be RGB, 3 values along its channel axis; got shape {image.ShapeText}.", nameof(image));
            Guard.DTypeIn(image, nameof(image), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64);
            if (kind == "avg" && image.DType == DType.Bool)
                throw new ArgumentException("image must be numeric for kind \"avg\" (its mean colours keep its element type); got bool.", nameof(image));
        }
        else if (kind == "avg") throw new ArgumentException("image is required for kind \"avg\" (each region gets the image's mean colour).", nameof(image));
        foreach (var c in colors ?? []) ParseColor(c, nameof(colors));
        if (bgColor is not null) ParseColor(bgColor, nameof(bgColor));
        else if (kind == "avg") throw new ArgumentException("bgColor must be a colour for kind \"avg\".", nameof(bgColor));
        Guard.Finite(alpha, nameof(alpha));
        Guard.Finite(imageAlpha, nameof(imageAlpha));
        if (!(saturation >= 0 && saturation <= 1)) throw new ArgumentException($"saturation must be in [0, 1]; got {saturation}.", nameof(saturation));
        return Methods.Label2Rgb.Invoke(label, image, colors, alpha, bgLabel, bgColor, imageAlpha, kind, saturation, channelAxis);
    }

    /// <summary>Two entries of skimage.color.rgb_colors that are not their CSS colours (palevioletred has
    /// paleturquoise's values, sandybrown's red is 0.98); kept, so that the names paint what scikit-image paints.</summary>
    private static readonly Dictionary<string, double[]> ScikitImageColourQuirks = new()
    {
        ["palevioletred"] = [0.686, 0.933, 0.933],
        ["sandybrown"] = [0.98, 0.643, 0.376],
    };

    /// <summary>A colour given as one of scikit-image's names (the CSS colour keywords, "grey" spellings included, each
    /// component c / 255 to three significant digits as skimage.color.rgb_colors has them) or as "r,g,b" in [0, 1].</summary>
    internal static double[] ParseColor(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{name}: a colour must be a name or \"r,g,b\"; got an empty string.", name);
        var parts = text.Split(',');
        if (parts.Length == 3)
        {
            var rgb = new double[3];
            for (int i = 0; i < 3; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out rgb[i]) || !(rgb[i] >= 0 && rgb[i] <= 1))
                    throw new ArgumentException($"{name}: \"{text}\" must have three components in [0, 1].", name);
            return rgb;
        }
        // scikit-image's table is the CSS keywords with both spellings of grey; .NET knows them with "gray".
        string key = text.Trim().ToLowerInvariant().Replace("grey", "gray");
        if (ScikitImageColourQuirks.TryGetValue(key, out var quirk)) return (double[])quirk.Clone();
        static double Component(byte c) => c == 0 ? 0 : Math.Round(c / 255.0, 2 - (int)Math.Floor(Math.Log10(c / 255.0)));
        if (key.Length > 0 && key.All(char.IsAsciiLetterLower) && Enum.TryParse<System.Drawing.KnownColor>(key, ignoreCase: true, out var known)
            && System.Drawing.Color.FromKnownColor(known) is { IsSystemColor: false } c && known != System.Drawing.KnownColor.Transparent
            && known != System.Drawing.KnownColor.RebeccaPurple)
            return [Component(c.R), Component(c.G), Component(c.B)];
        throw new ArgumentException($"{name}: \"{text}\" is not a colour scikit-image names (CSS keywords such as \"red\" or \"darkorange\") nor \"r,g,b\".", name);
    }

    [Function(Domains.Color + ":label2rgb", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray Label2RgbCpu(NDArray label, NDArray? image, string[]? colors, double alpha, int bgLabel, string? bgColor,
        double imageAlpha, string kind, double saturation, int channelAxis)
    {
        var labels = ((HostArray<int>)Guard.Host(label, nameof(label)).AsType(DType.Int32)).Dense();
        HostArray? pixels = null;
        if (image is not null)
        {
            var host = Guard.Host(image, nameof(image));
            pixels = host.Rank == label.Rank + 1 ? MoveChannelsLast(host, Guard.ChannelAxisOf(host, channelAxis, nameof(channelAxis))!.Value) : host;
        }
        HostArray result = kind == "avg"
            ? pixels! switch
            {
                HostArray<float> a => Average(labels, a, bgLabel, ParseColor(bgColor, nameof(bgColor))),
                HostArray<double> a => Average(labels, a, bgLabel, ParseColor(bgColor, nameof(bgColor))),
                HostArray<byte> a => Average(labels, a, bgLabel, ParseColor(bgColor, nameof(bgColor))),
                HostArray<ushort> a => Average(labels, a, bgLabel, ParseColor(bgColor, nameof(bgColor))),
                HostArray<int> a => Average(labels, a, bgLabel, ParseColor(bgColor, nameof(bgColor))),
                _ => throw new ArgumentException("image must be numeric for kind \"avg\"; got bool.", nameof(image)),
            }
            : Overlay(labels, pixels, Array.ConvertAll(colors ?? DefaultLabelColors, c => ParseColor(c, nameof(colors))), alpha, bgLabel,
                bgColor is null ? null : ParseColor(bgColor, nameof(bgColor)), imageAlpha, saturation);
        int axis = channelAxis < 0 ? channelAxis + result.Rank : channelAxis;
        return result switch
        {
            _ when axis == result.Rank - 1 => result,
            HostArray<float> a => a.MoveAxis(a.Rank - 1, axis),
            HostArray<double> a => a.MoveAxis(a.Rank - 1, axis),
            HostArray<byte> a => a.MoveAxis(a.Rank - 1, axis),
            HostArray<ushort> a => a.MoveAxis(a.Rank - 1, axis),
            HostArray<int> a => a.MoveAxis(a.Rank - 1, axis),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static HostArray MoveChannelsLast(HostArray image, int axis) => image switch
    {
        HostArray<float> a => ImageAxes.Of(a, axis).ToKernel(a),
        HostArray<double> a => ImageAxes.Of(a, axis).ToKernel(a),
        HostArray<byte> a => ImageAxes.Of(a, axis).ToKernel(a),
        HostArray<ushort> a => ImageAxes.Of(a, axis).ToKernel(a),
        HostArray<int> a => ImageAxes.Of(a, axis).ToKernel(a),
        HostArray<bool> a => ImageAxes.Of(a, axis).ToKernel(a),
        _ => throw new InvalidOperationException("unreachable"),
    };

    /// <summary>The distinct labels ascending, and for each element the index of its label among them.</summary>
    private static (int[] Values, int[] Ranks) RankLabels(ReadOnlySpan<int> labels)
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (int v in labels) { if (v < min) min = v; if (v > max) max = v; }
        var ranks = new int[labels.Length];
        long range = (long)max - min + 1;
        if (range <= Math.Max(1 << 16, 4L * labels.Length))
        {
            // A dense table when the labels span little more than the image: two passes, no sorting.
            var rankOf = new int[range];
            foreach (int v in labels) rankOf[v - min] = 1;
            var values = new List<int>();
            for (int i = 0; i < range; i++) if (rankOf[i] != 0) { rankOf[i] = values.Count; values.Add((int)(i + min)); }
            for (int i = 0; i < labels.Length; i++) ranks[i] = rankOf[labels[i] - min];
            return (values.ToArray(), ranks);
        }
        var distinct = new SortedSet<int>();
        foreach (int v in labels) distinct.Add(v);
        var sorted = distinct.ToArray();
        for (int i = 0; i < labels.Length; i++) ranks[i] = Array.BinarySearch(sorted, labels[i]);
        return (sorted, ranks);
    }

    /// <summary>The label scikit-image paints each element with: the background label (when present) 0, the others
    /// 1, 2, ... in order of value — the index into bg colour, colour 0, colour 1, ...</summary>
    private static int[] ColourIndices(int[] labels, int bgLabel)
    {
        var (values, ranks) = RankLabels(labels);
        int bgRank = Array.BinarySearch(values, bgLabel);
        for (int i = 0; i < ranks.Length; i++)
        {
            int r = ranks[i];
            ranks[i] = bgRank < 0 || r < bgRank ? r + 1 : r == bgRank ? 0 : r;
        }
        return ranks;
    }

    /// <summary>
    /// The overlay: colour * alpha + base * (1 - alpha) per pixel, the colour term in float64 and the base term in the
    /// image's float type (NumPy's float64 array times a Python float, and the float32 base times one), added in
    /// float64; without a bgColor the background shows the base.
    /// </summary>
    private static HostArray<double> Overlay(HostArray<int> labels, HostArray? image, double[][] colors, double alpha, int bgLabel, double[]? bgColor,
        double imageAlpha, double saturation) => image is null
        ? Blend<double>(labels, null, colors, 1, bgLabel, bgColor)
        : FloatImages.ToFloat(image) switch
        {
            HostArray<float> f => Blend(labels, OverlayBase(f, labels.Rank, imageAlpha, saturation), colors, alpha, bgLabel, bgColor),
            HostArray<double> d => Blend(labels, OverlayBase(d, labels.Rank, imageAlpha, saturation), colors, alpha, bgLabel, bgColor),
            _ => throw new InvalidOperationException("unreachable"),
        };

    /// <summary>The image under the labels, three values per pixel: RGB desaturated through HSV (rgb2hsv, saturation
    /// scaled, hsv2rgb) or grey repeated, then faded to white by imageAlpha, all in T.</summary>
    private static T[] OverlayBase<T>(HostArray<T> image, int labelRank, double imageAlpha, double saturation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = image.Dense().ToArray();
        bool rgb = image.Rank == labelRank + 1;
        var result = new T[rgb ? values.Length : 3 * values.Length];
        T keep = T.CreateTruncating(saturation), a = T.CreateTruncating(imageAlpha), white = T.CreateTruncating(1 - imageAlpha);
        for (int p = 0; p < result.Length / 3; p++)
        {
            T r, g, b;
            if (rgb)
            {
                var (h, s, v) = ToHsv(values[3 * p], values[3 * p + 1], values[3 * p + 2]);
                (r, g, b) = ToRgb(h, s * keep, v);
            }
            else r = g = b = values[p];
            result[3 * p] = r * a + white;
            result[3 * p + 1] = g * a + white;
            result[3 * p + 2] = b * a + white;
        }
        return result;
    }

    private static HostArray<double> Blend<T>(HostArray<int> labels, T[]? baseImage, double[][] colors, double alpha, int bgLabel, double[]? bgColor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var flat = labels.ToArray();
        var painted = ColourIndices(flat, bgLabel);
        var palette = new double[1 + colors.Length][];
        palette[0] = bgColor ?? [0, 0, 0];
        colors.CopyTo(palette, 1);
        T under = T.CreateTruncating(1 - alpha);
        var result = HostArray<double>.Allocate([.. labels.Shape.ToArray(), 3]);
        var dst = result.Lines();
        for (int p = 0; p < flat.Length; p++)
        {
            var d = dst.Row(p);
            int m = painted[p];
            for (int c = 0; c < 3; c++)
            {
                double basePart = baseImage is null ? 0 : double.CreateTruncating(baseImage[3 * p + c]);
                d[c] = m == 0 && bgColor is null
                    ? basePart
                    : palette[m == 0 ? 0 : 1 + (m - 1) % colors.Length][c] * alpha + (baseImage is null ? 0 : double.CreateTruncating(baseImage[3 * p + c] * under));
            }
        }
        return result;
    }

    /// <summary>kind "avg": each region's mean colour in the image's element type, the background bgColor. The means
    /// add up in NumPy's order: RGB pixels one after another (a reduction over the outer axis), grey values pairwise;
    /// float32 in float32, the rest in float64.</summary>
    private static HostArray<T> Average<T>(HostArray<int> labels, HostArray<T> image, int bgLabel, double[] bgColor) where T : unmanaged, INumber<T>
    {
        var flat = labels.ToArray();
        var (values, ranks) = RankLabels(flat);
        var pixels = image.Dense().ToArray();
        bool rgb = pixels.Length == 3 * flat.Length;
        // The elements of each label, in raster order (a counting sort by rank).
        var start = new int[values.Length + 1];
        foreach (int r in ranks) start[r + 1]++;
        for (int i = 0; i < values.Length; i++) start[i + 1] += start[i];
        var order = new int[flat.Length];
        var next = (int[])start.Clone();
        for (int p = 0; p < flat.Length; p++) order[next[ranks[p]]++] = p;

        var colourOf = new T[values.Length][];
        var buffer = new double[rgb ? 0 : flat.Length];
        for (int k = 0; k < values.Length; k++)
        {
            if (values[k] == bgLabel) { colourOf[k] = Array.ConvertAll(bgColor, T.CreateTruncating); continue; }
            int n = start[k + 1] - start[k];
            var members = order.AsSpan(start[k], n);
            var mean = new T[3];
            if (typeof(T) == typeof(float))
            {
                for (int c = 0; c < (rgb ? 3 : 1); c++)
                {
                    float sum;
                    if (rgb) { sum = 0; foreach (int p in members) sum += float.CreateTruncating(pixels[3 * p + c]); }
                    else
                    {
                        var grey = new float[n];
                        for (int i = 0; i < n; i++) grey[i] = float.CreateTruncating(pixels[members[i]]);
                        sum = Pairwise.Sum<float>(grey);
                    }
                    mean[c] = T.CreateTruncating(sum / n);
                }
            }
            else
            {
                for (int c = 0; c < (rgb ? 3 : 1); c++)
                {
                    double sum;
                    if (rgb) { sum = 0; foreach (int p in members) sum += double.CreateTruncating(pixels[3 * p + c]); }
                    else
                    {
                        for (int i = 0; i < n; i++) buffer[i] = double.CreateTruncating(pixels[members[i]]);
                        sum = Pairwise.Sum<double>(buffer.AsSpan(0, n));
                    }
                    mean[c] = T.CreateTruncating(sum / n);
                }
            }
            if (!rgb) mean[1] = mean[2] = mean[0];
            colourOf[k] = mean;
        }
        var result = HostArray<T>.Allocate([.. labels.Shape.ToArray(), 3]);
        var dst = result.Lines();
        for (int p = 0; p < flat.Length; p++) colourOf[ranks[p]].CopyTo(dst.Row(p));
        return result;
    }
}
