using Scoped.Image.Kernels;

namespace Scoped.Image;

// convex_hull_image and convex_hull_object (2-D), and the footprints scikit-image builds from a hull: star, octagon.
public static partial class Morphology
{
    /// <summary>
    /// skimage.morphology.convex_hull_image (2-D): the pixels inside the smallest convex polygon around the non-zero
    /// pixels (on its boundary included). With <paramref name="offsetCoordinates"/> each pixel counts as its four edge
    /// midpoints, giving the hull some extent; without, as its centre (then pixels all on one line have no hull and the
    /// result is empty, as scikit-image warns). An image with no non-zero pixel gives an empty result. The hull is
    /// computed in exact integer arithmetic, so scikit-image's tolerance has nothing to do in 2-D.
    /// </summary>
    /// <param name="image">2-D, any element type; non-zero pixels are the object.</param>
    /// <param name="offsetCoordinates">Whether pixels count as their edge midpoints (true) or centres.</param>
    /// <returns>bool, the image's shape.</returns>
    public static NDArray ConvexHullImage(NDArray image, bool offsetCoordinates = true)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 2);
        return Methods.ConvexHullImage.Invoke(image, offsetCoordinates);
    }

    /// <summary>
    /// skimage.morphology.convex_hull_object: the objects labelled as measure.label labels them (equal non-zero values
    /// connected at <paramref name="connectivity"/>), the convex hull of each, and their union.
    /// </summary>
    /// <param name="image">2-D, bool, uint8, uint16 or int32.</param>
    /// <param name="connectivity">1 (edges) or 2 (edges and corners).</param>
    /// <returns>bool, the image's shape.</returns>
    public static NDArray ConvexHullObject(NDArray image, int connectivity = 2)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 2);
        Guard.DTypeIn(image, nameof(image), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32);
        if (connectivity is not (1 or 2)) throw new ArgumentException($"connectivity must be 1 or 2; got {connectivity}.", nameof(connectivity));
        return Methods.ConvexHullObject.Invoke(image, connectivity);
    }

    [Function(Domains.Morphology + ":convex_hull_image", FunctionKind.Labelling)]
    internal static NDArray ConvexHullImageCpu(NDArray image, bool offsetCoordinates)
    {
        var objects = (HostArray<bool>)Guard.Host(image, nameof(image)).AsType(DType.Bool);
        var rows = objects.Rows();
        var extremes = new List<(int, int, int)>();
        for (int r = 0; r < rows.Height; r++)
        {
            var row = rows.Row(r);
            int first = row.IndexOf(true);
            if (first >= 0) extremes.Add((r, first, row.LastIndexOf(true)));
        }
        var output = new bool[rows.Height * rows.Width];
        ConvexHull2D.Fill(extremes, offsetCoordinates, output, rows.Height, rows.Width);
        return HostArray.Create(output, rows.Height, rows.Width);
    }

    [Function(Domains.Morphology + ":convex_hull_object", FunctionKind.Labelling)]
    private static NDArray ConvexHullObjectCpu(NDArray image, int connectivity)
    {
        var values = ((HostArray<int>)Guard.Host(image, nameof(image)).AsType(DType.Int32)).Rows();
        var labels = Labeling.Label(values, 0, connectivity == 2, out int count).Rows();
        // Each object's leftmost and rightmost pixel in each of its rows, in one raster pass.
        var extremes = new List<(int Row, int First, int Last)>[count + 1];
        for (int r = 0; r < labels.Height; r++)
        {
            var row = labels.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                int k = row[c];
                if (k == 0) continue;
                var list = extremes[k] ??= [];
                if (list.Count > 0 && list[^1].Row == r) list[^1] = (r, list[^1].First, c);
                else list.Add((r, c, c));
            }
        }
        var output = new bool[labels.Height * labels.Width];
        for (int k = 1; k <= count; k++) ConvexHull2D.Fill(extremes[k] ?? [], true, output, labels.Height, labels.Width);
        return HostArray.Create(output, labels.Height, labels.Width);
    }

    /// <summary>skimage.morphology.octagon: uint8, (m + 2n) square, the convex hull of the octagon with horizontal and
    /// vertical sides of m pixels and slanted sides of n.</summary>
    /// <param name="m">&gt;= 0: the horizontal and vertical sides.</param>
    /// <param name="n">&gt;= 0: the slanted sides (m + 2n &gt;= 1).</param>
    public static HostArray<byte> Octagon(int m, int n)
    {
        if (m < 0) throw new ArgumentException($"m must be >= 0; got {m}.", nameof(m));
        if (n < 0) throw new ArgumentException($"n must be >= 0; got {n}.", nameof(n));
        if (m + 2L * n < 1) throw new ArgumentException($"m + 2 n must be >= 1 (the footprint's side); got m = {m}, n = {n}.", nameof(m));
        long size = m + 2L * n;
        Guard.Elements(size > int.MaxValue ? long.MaxValue : size * size, nameof(m), $"a footprint of {size} x {size}");
        int s = (int)size;
        // The eight corners scikit-image marks, then their hull.
        var corners = new (int R, int C)[] { (0, n), (n, 0), (0, m + n - 1), (m + n - 1, 0), (s - 1, n), (n, s - 1), (s - 1, m + n - 1), (m + n - 1, s - 1) };
        return HullFootprint(s, corners);
    }

    /// <summary>skimage.morphology.star: uint8, a square of 2a + 1 overlaid with the same square turned 45 degrees
    /// (the hull of its four tips), (2a + 1 + 2 floor(a / 2)) wide; star(1) is the 3 x 3 square.</summary>
    /// <param name="a">&gt;= 1: the square's half side.</param>
    public static HostArray<byte> Star(int a)
    {
        if (a < 1) throw new ArgumentException($"a must be >= 1; got {a}.", nameof(a));
        if (a == 1) return Rectangle(3, 3);
        long m = 2L * a + 1, n = a / 2, size = m + 2 * n;
        Guard.Elements(size > int.MaxValue ? long.MaxValue : size * size, nameof(a), $"a footprint of {size} x {size}");
        int s = (int)size, c = (s - 1) / 2;
        var star = HullFootprint(s, [(0, c), (s - 1, c), (c, 0), (c, s - 1)]);
        var rows = star.Rows();
        for (long y = n; y < m + n; y++) rows.Row((int)y).Slice((int)n, (int)m).Fill(1);
        return star;
    }

    /// <summary>A size x size uint8 footprint: the convex hull (with pixel extent) of the marked pixels.</summary>
    private static HostArray<byte> HullFootprint(int size, (int R, int C)[] marked)
    {
        var extremes = marked.GroupBy(p => p.R).Select(g => (g.Key, g.Min(p => p.C), g.Max(p => p.C))).ToList();
        var output = new bool[size * size];
        ConvexHull2D.Fill(extremes, true, output, size, size);
        return HostArray.Create(Array.ConvertAll(output, b => b ? (byte)1 : (byte)0), size, size);
    }
}
