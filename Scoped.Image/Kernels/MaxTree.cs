using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// The max-tree of an image (Berger et al. 2007; Najman and Couprie 2006): the connected components of every upper
/// level set, nested, built by union-find over the elements taken from the highest value down, then canonised so that
/// each component's elements point at one of them (its node) and each node at the node of the component it lies in one
/// level down. Attribute openings keep the components whose attribute reaches a threshold and lower every other one to
/// the level of its nearest kept ancestor (the direct rule); the attributes here (area, bounding-box extent) grow
/// towards the root, so the result is unique whatever order equal values were taken in.
/// </summary>
internal sealed class MaxTree<T> where T : unmanaged, INumber<T>
{
    private readonly PaddedGrid grid;
    private readonly T[] values;
    private readonly int[] parent;
    private readonly int[] order;

    /// <summary>The max-tree of a dense C-order image, neighbours the true elements of a 3 x ... x 3 footprint.</summary>
    public MaxTree(T[] image, int[] shape, FlatFootprint neighbourhood)
    {
        grid = PaddedGrid.ByOne(shape);
        values = grid.Pad<T>(image, T.Zero);
        order = Ascending(image, grid);
        var offsets = grid.Offsets(neighbourhood, Enumerable.Repeat(1, shape.Length).ToArray());
        parent = Build(values, order, offsets, grid.Length);
    }

    /// <summary>The padded grid the tree's indices live in.</summary>
    public PaddedGrid Grid => grid;

    /// <summary>Elements per component (meaningful at each node).</summary>
    public double[] Areas()
    {
        var area = new double[grid.Length];
        foreach (var p in order) area[p] = 1;
        for (int k = order.Length - 1; k > 0; k--) area[parent[order[k]]] += area[order[k]];
        return area;
    }

    /// <summary>The largest side of each component's bounding box, in elements (meaningful at each node).</summary>
    public double[] Extents()
    {
        int rank = grid.Shape.Length;
        var low = new int[rank][];
        var high = new int[rank][];
        for (int a = 0; a < rank; a++) { low[a] = new int[grid.Length]; high[a] = new int[grid.Length]; }
        foreach (var p in order)
            for (int a = 0, rest = p; a < rank; a++)
            {
                int c = rest / grid.Strides[a];
                rest -= c * grid.Strides[a];
                low[a][p] = high[a][p] = c;
            }
        for (int k = order.Length - 1; k > 0; k--)
        {
            int p = order[k], q = parent[p];
            for (int a = 0; a < rank; a++)
            {
                if (low[a][p] < low[a][q]) low[a][q] = low[a][p];
                if (high[a][p] > high[a][q]) high[a][q] = high[a][p];
            }
        }
        var extent = new double[grid.Length];
        foreach (var p in order)
        {
            int largest = 0;
            for (int a = 0; a < rank; a++) largest = Math.Max(largest, high[a][p] - low[a][p]);
            extent[p] = largest + 1;
        }
        return extent;
    }

    /// <summary>The direct filter: each component whose attribute is below <paramref name="threshold"/> takes its
    /// parent's output; the root, below it, becomes 0. Dense, C order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T[] Filter(double[] attribute, double threshold)
    {
        var output = new T[grid.Length];
        int root = order[0];
        output[root] = attribute[root] < threshold ? T.Zero : values[root];
        for (int k = 1; k < order.Length; k++)
        {
            int p = order[k], q = parent[p];
            output[p] = values[p] == values[q] || attribute[p] < threshold ? output[q] : values[p];
        }
        return grid.Crop(output);
    }

    /// <summary>The padded indices of the inside elements in increasing order of value (a counting sort for 8 and 16 bits).</summary>
    private static int[] Ascending(T[] image, PaddedGrid grid)
    {
        var indices = new int[image.Length];
        int width = grid.Width;
        for (int l = 0, i = 0; l < grid.LineStarts.Length; l++)
            for (int x = 0; x < width; x++) indices[i++] = grid.LineStarts[l] + x;
        if (typeof(T) == typeof(byte) || typeof(T) == typeof(ushort))
        {
            var start = new int[(typeof(T) == typeof(byte) ? 256 : 65536) + 1];
            foreach (var v in image) start[int.CreateTruncating(v) + 1]++;
            for (int b = 1; b < start.Length; b++) start[b] += start[b - 1];
            var sorted = new int[image.Length];
            for (int i = 0; i < image.Length; i++) sorted[start[int.CreateTruncating(image[i])]++] = indices[i];
            return sorted;
        }
        var keys = (T[])image.Clone();
        Array.Sort(keys, indices);
        return indices;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Build(T[] values, int[] order, int[] offsets, int length)
    {
        var parent = new int[length];
        var zpar = new int[length];
        Array.Fill(parent, -1);
        // From the highest element down: each joins the components of its already-seen neighbours as their new root.
        for (int k = order.Length - 1; k >= 0; k--)
        {
            int p = order[k];
            parent[p] = zpar[p] = p;
            foreach (var o in offsets)
            {
                int n = p + o;
                if (parent[n] < 0) continue;
                int root = Find(zpar, n);
                if (root != p) zpar[root] = parent[root] = p;
            }
        }
        // Canonise, lowest first: an element whose parent is not a node points at the parent's node instead.
        foreach (var p in order)
        {
            int q = parent[p];
            if (values[q] == values[parent[q]]) parent[p] = parent[q];
        }
        return parent;
    }

    private static int Find(int[] zpar, int i)
    {
        while (zpar[i] != zpar[zpar[i]]) i = zpar[i] = zpar[zpar[i]];
        return zpar[i];
    }
}
