using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

internal static partial class Labeling
{
    /// <summary>
    /// Labels an image of 3 or more axes (dense, C order), rows along the last axis: a pixel not equal to
    /// <paramref name="background"/> joins its earlier neighbours of equal value, neighbours being the elements of the
    /// 3 x ... x 3 cube at most <paramref name="connectivity"/> unit steps away (1 = faces, rank = every corner), as
    /// scipy.ndimage.generate_binary_structure gives them to skimage.measure.label. One raster pass with union-find
    /// (roots are the smallest provisional label, so the first-seen one), then the roots numbered in increasing order:
    /// components numbered in raster order of their first pixel, as in 2-D.
    /// </summary>
    public static HostArray<int> LabelVolume<T>(ImageRows<T> src, int[] shape, T background, int connectivity) where T : unmanaged, IEquatable<T>
    {
        var result = HostArray<int>.Allocate(shape);
        var dst = result.Lines();
        var neighbours = EarlierRows(shape.Length, connectivity);
        var parent = new List<int> { 0 };
        LabelPass(src, dst, shape, background, neighbours, parent);
        // Root of every provisional label, then the roots numbered 1, 2, ... in increasing (first-seen) order.
        var final = new int[parent.Count];
        int next = 0;
        for (int l = 1; l < parent.Count; l++)
        {
            int root = Find(parent, l);
            final[l] = root == l ? ++next : final[root];
        }
        Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var row = dst.Row(y);
                for (int x = 0; x < row.Length; x++) row[x] = final[row[x]];
            }
        });
        return result;
    }

    /// <summary>A neighbour row of the raster pass: its offset on the outer axes, and the offsets along the last axis
    /// (-1, 0, 1) that stay within the connectivity; only rows and pixels already visited are listed.</summary>
    private sealed record NeighbourRow(int[] Outer, int[] Along);

    private static NeighbourRow[] EarlierRows(int rank, int connectivity)
    {
        var rows = new List<NeighbourRow>();
        int outerCount = (int)Math.Pow(3, rank - 1);
        for (int i = 0; i < outerCount; i++)
        {
            var outer = new int[rank - 1];
            int steps = 0;
            for (int a = rank - 2, rest = i; a >= 0; a--, rest /= 3) { outer[a] = rest % 3 - 1; steps += outer[a] != 0 ? 1 : 0; }
            int firstNonZero = Array.FindIndex(outer, o => o != 0);
            if (firstNonZero >= 0 && outer[firstNonZero] > 0) continue;   // a later row
            var along = new List<int>();
            foreach (int dx in firstNonZero < 0 ? [-1] : new[] { -1, 0, 1 })
                if (steps + (dx != 0 ? 1 : 0) <= connectivity) along.Add(dx);
            if (along.Count > 0) rows.Add(new NeighbourRow(outer, along.ToArray()));
        }
        return rows.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LabelPass<T>(ImageRows<T> src, ImageRows<int> dst, int[] shape, T background, NeighbourRow[] neighbours, List<int> parent)
        where T : unmanaged, IEquatable<T>
    {
        int rank = shape.Length, width = shape[^1];
        var index = new int[rank - 1];
        var rowOf = new int[neighbours.Length];
        for (int y = 0; y < src.Height; y++)
        {
            for (int a = rank - 2, rest = y; a >= 0; a--) { index[a] = rest % shape[a]; rest /= shape[a]; }
            // Each neighbour row's index, or -1 where it falls outside the image.
            for (int n = 0; n < neighbours.Length; n++)
            {
                int row = 0;
                for (int a = 0; a < rank - 1 && row >= 0; a++)
                {
                    int i = index[a] + neighbours[n].Outer[a];
                    row = (uint)i < (uint)shape[a] ? row * shape[a] + i : -1;
                }
                rowOf[n] = row;
            }
            var values = src.Row(y);
            var labels = dst.Row(y);
            for (int x = 0; x < width; x++)
            {
                T v = values[x];
                if (v.Equals(background)) { labels[x] = 0; continue; }
                int label = 0;
                for (int n = 0; n < neighbours.Length; n++)
                {
                    if (rowOf[n] < 0) continue;
                    var otherValues = src.Row(rowOf[n]);
                    var otherLabels = dst.Row(rowOf[n]);
                    foreach (int dx in neighbours[n].Along)
                    {
                        int nx = x + dx;
                        if ((uint)nx >= (uint)width || !otherValues[nx].Equals(v)) continue;
                        int other = Find(parent, otherLabels[nx]);
                        if (label == 0) label = other;
                        else if (other != label)
                        {
                            // Union towards the smaller label, which was seen first.
                            if (other < label) { parent[label] = other; label = other; }
                            else parent[other] = label;
                        }
                    }
                }
                if (label == 0) { label = parent.Count; parent.Add(label); }
                labels[x] = label;
            }
        }
    }

    private static int Find(List<int> parent, int label)
    {
        int root = label;
        while (parent[root] != root) root = parent[root];
        // Path halving keeps later finds short.
        while (parent[label] != root) { int next = parent[label]; parent[label] = root; label = next; }
        return root;
    }
}
