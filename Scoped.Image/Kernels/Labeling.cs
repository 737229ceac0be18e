using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// Connected-component labelling in two raster passes with union-find: pixels not equal to the background value are
/// foreground, and neighbouring foreground pixels of equal value are connected (4- or 8-neighbours). Provisional
/// labels are merged towards the smallest, so the final labels number components in raster order of their first
/// pixel, as scipy.ndimage.label and skimage.measure.label do.
/// </summary>
internal static partial class Labeling
{
    /// <summary>Labels a bool mask: <paramref name="background"/> 0 labels the true pixels, 1 the false ones.</summary>
    public static HostArray<int> Label(HostArray<bool> mask, int background, bool eight, out int count) =>
        Label(Morphology.AsBytes(mask.Rows()), background == 0 ? (byte)0 : (byte)1, eight, out count);

    /// <summary>
    /// Labels an image of any supported element type; pixels equal to <paramref name="background"/> get 0. In bands of
    /// rows: each band labels its rows on its own (its first row as if it were the image's first) and numbers its
    /// components 1..n in raster order of their first pixel within the band; band b's component k becomes provisional
    /// global label offset[b] + k, so global labels still ascend in raster order of first pixels. The components that
    /// meet across each seam (a band's first row against the row above it) are then merged towards the smaller label,
    /// and the roots numbered in increasing order: exactly the labels of one pass over the whole image, for any cut.
    /// </summary>
    public static HostArray<int> Label<T>(ImageRows<T> src, T background, bool eight, out int count) where T : unmanaged, IEquatable<T>
    {
        int h = src.Height, w = src.Width;
        var result = HostArray<int>.Allocate(h, w);
        var dst = result.Rows();
        int bands = Bands.Count(h);
        // Per band: its parent table, turned into local label -> the band's component number, and its label count.
        var maps = new int[bands][];
        var nexts = new int[bands];
        var sizes = new int[bands];
        try
        {
            Bands.For(h, bands, (band, start, end) => maps[band] = LabelRows(src, dst, background, eight, start, end, out nexts[band], out sizes[band]));
            if (bands == 1) count = sizes[0];
            else count = MergeSeams(src, dst, background, eight, maps, nexts, sizes);
            Bands.For(h, bands, (band, start, end) => Relabel(dst, maps[band], start, end));
        }
        finally
        {
            foreach (var map in maps)
                if (map is not null) ArrayPool<int>.Shared.Return(map);
        }
        return result;
    }

    /// <summary>
    /// Provisional labels for rows [start, end) in <paramref name="dst"/>; returns the band's parent table with each
    /// provisional label replaced by its component's number (1..<paramref name="size"/>, raster order within the band).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] LabelRows<T>(ImageRows<T> src, ImageRows<int> dst, T background, bool eight, int start, int end, out int next, out int size)
        where T : unmanaged, IEquatable<T>
    {
        int w = src.Width;
        int[] parent = ArrayPool<int>.Shared.Rent(Math.Min((int)Math.Min((long)(end - start) * w + 1, int.MaxValue), 1 << 16));
        parent[0] = 0;
        next = 1;
        for (int y = start; y < end; y++)
        {
            var row = src.Row(y);
            var lab = dst.Row(y);
            if (y == start)
            {
                for (int x = 0; x < w; x++)
                {
                    T v = row[x];
                    if (v.Equals(background)) { lab[x] = 0; continue; }
                    if (x > 0 && row[x - 1].Equals(v)) { lab[x] = lab[x - 1]; continue; }
                    lab[x] = NewLabel(ref parent, ref next);
                }
                continue;
            }
            var prev = src.Row(y - 1);
            var plab = dst.Row(y - 1);
            if (eight) EightRow(row, prev, lab, plab, background, ref parent, ref next);
            else FourRow(row, prev, lab, plab, background, ref parent, ref next);
        }
        // Component numbers: roots in increasing order (their first pixels are in raster order); a non-root's parent
        // is smaller than itself, so it is already numbered.
        int n = 0;
        for (int i = 1; i < next; i++)
            parent[i] = parent[i] == i ? ++n : parent[parent[i]];
        size = n;
        return parent;
    }

    /// <summary>
    /// Joins the bands: unions the components that touch across each seam in a global table (band b's component k
    /// is offset[b] + k), numbers the roots in increasing order, and turns each band's map into local label -> final
    /// label. Returns the number of components.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MergeSeams<T>(ImageRows<T> src, ImageRows<int> dst, T background, bool eight, int[][] maps, int[] nexts, int[] sizes)
        where T : unmanaged, IEquatable<T>
    {
        int bands = maps.Length, h = src.Height, w = src.Width;
        var offsets = new int[bands];
        int total = 0;
        for (int b = 0; b < bands; b++) { offsets[b] = total; total += sizes[b]; }
        var parent = new int[total + 1];
        for (int i = 0; i <= total; i++) parent[i] = i;
        for (int b = 1; b < bands; b++)
        {
            int y = Bands.Range(h, bands, b).Start;
            var row = src.Row(y);
            var prev = src.Row(y - 1);
            var lab = dst.Row(y);
            var plab = dst.Row(y - 1);
            int[] map = maps[b], above = maps[b - 1];
            int offset = offsets[b], offsetAbove = offsets[b - 1];
            for (int x = 0; x < w; x++)
            {
                T v = row[x];
                if (v.Equals(background)) continue;
                int g = offset + map[lab[x]];
                if (prev[x].Equals(v)) Union(parent, g, offsetAbove + above[plab[x]]);
                if (!eight) continue;
                if (x > 0 && prev[x - 1].Equals(v)) Union(parent, g, offsetAbove + above[plab[x - 1]]);
                if (x + 1 < w && prev[x + 1].Equals(v)) Union(parent, g, offsetAbove + above[plab[x + 1]]);
            }
        }
        int n = 0;
        for (int i = 1; i <= total; i++)
            parent[i] = parent[i] == i ? ++n : parent[parent[i]];
        for (int b = 0; b < bands; b++)
        {
            int[] map = maps[b];
            for (int l = 1; l < nexts[b]; l++) map[l] = parent[offsets[b] + map[l]];
        }
        return n;
    }

    /// <summary>Rows [start, end): provisional label -> final label.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Relabel(ImageRows<int> dst, int[] map, int start, int end)
    {
        for (int y = start; y < end; y++)
        {
            var lab = dst.Row(y);
            ref int r = ref MemoryMarshal.GetReference(lab);
            for (int x = 0; x < lab.Length; x++)
            {
                ref int l = ref Unsafe.Add(ref r, x);
                l = map[l];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EightRow<T>(Span<T> row, Span<T> prev, Span<int> lab, Span<int> plab, T background, ref int[] parent, ref int next)
        where T : unmanaged, IEquatable<T>
    {
        int w = row.Length;
        for (int x = 0; x < w; x++)
        {
            T v = row[x];
            if (v.Equals(background)) { lab[x] = 0; continue; }
            // N connects to NW, NE and W already; nothing to merge.
            if (prev[x].Equals(v)) { lab[x] = plab[x]; continue; }
            bool ne = x + 1 < w && prev[x + 1].Equals(v);
            if (x > 0 && row[x - 1].Equals(v))
            {
                int l = lab[x - 1];
                lab[x] = ne && plab[x + 1] != l ? Union(parent, l, plab[x + 1]) : l;
            }
            else if (x > 0 && prev[x - 1].Equals(v))
            {
                int l = plab[x - 1];
                lab[x] = ne && plab[x + 1] != l ? Union(parent, l, plab[x + 1]) : l;
            }
            else if (ne) lab[x] = plab[x + 1];
            else lab[x] = NewLabel(ref parent, ref next);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRow<T>(Span<T> row, Span<T> prev, Span<int> lab, Span<int> plab, T background, ref int[] parent, ref int next)
        where T : unmanaged, IEquatable<T>
    {
        int w = row.Length, lastA = -1, lastB = -1;
        for (int x = 0; x < w; x++)
        {
            T v = row[x];
            if (v.Equals(background)) { lab[x] = 0; continue; }
            bool n = prev[x].Equals(v);
            bool west = x > 0 && row[x - 1].Equals(v);
            if (n && west)
            {
                int a = plab[x], b = lab[x - 1];
                // Along a merged boundary the same pair repeats: remember the last merge.
                if (a == b || (a == lastA && b == lastB)) lab[x] = b;
                else { lab[x] = Union(parent, a, b); lastA = a; lastB = lab[x]; }
            }
            else if (n) lab[x] = plab[x];
            else if (west) lab[x] = lab[x - 1];
            else lab[x] = NewLabel(ref parent, ref next);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NewLabel(ref int[] parent, ref int next)
    {
        if (next == parent.Length)
        {
            var bigger = ArrayPool<int>.Shared.Rent(parent.Length * 2);
            Array.Copy(parent, bigger, next);
            ArrayPool<int>.Shared.Return(parent);
            parent = bigger;
        }
        parent[next] = next;
        return next++;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            int p = parent[i];
            parent[i] = parent[p];
            i = p;
        }
        return i;
    }

    /// <summary>Merges two sets under the smaller root and returns it.</summary>
    private static int Union(int[] parent, int a, int b)
    {
        if (a == b) return a;
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra < rb) { parent[rb] = ra; return ra; }
        parent[ra] = rb;
        return rb;
    }

    /// <summary>The largest label, with the maximum per band merged (exact); -1 when any label is negative.</summary>
    public static long LargestLabel<T>(ImageRows<T> labels) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        int bands = Bands.Count(labels.Height);
        var maxes = new long[bands];
        Bands.For(labels.Height, bands, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            long max = 0;
            for (int y = start; y < end; y++)
                foreach (var v in labels.Row(y))
                {
                    long l = long.CreateTruncating(v);
                    if (l < 0) { maxes[band] = -1; return; }
                    if (l > max) max = l;
                }
            maxes[band] = max;
        });
        return maxes.Contains(-1) ? -1 : maxes.Max();
    }
}
