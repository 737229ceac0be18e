using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// scipy.ndimage.median_filter over an N-D flat footprint of n elements: the element of rank n // 2. For footprints of
/// up to 64 elements (3 x 3 x 3 and the like) each run of Vector&lt;T&gt;.Count outputs loads one vector per footprint
/// element and runs Batcher's odd-even merge sort network, pruned to the comparators the median depends on, with SIMD
/// min/max; larger footprints sort each pixel's values. Rows along the last axis are read as <see cref="MinMaxVolume"/>
/// reads them (boundary mode per axis, cval rows in constant mode); each output row depends only on the input.
/// </summary>
internal static class MedianVolume
{
    private const int MaxNetwork = 64;

    public static void Filter<T>(ImageRows<T> src, ImageRows<T> dst, int[] shape, FlatFootprint footprint, BoundaryMode mode, T cval)
        where T : unmanaged, INumber<T>
    {
        int rank = shape.Length, length = footprint.Shape[^1];
        // Each footprint line (offsets on the outer axes) and, per element, its line and offset along the last axis.
        var outer = new List<int[]>();
        var elements = new List<(int Line, int Dx)>();
        for (int start = 0; start < footprint.Values.Length; start += length)
        {
            var offsets = new int[rank - 1];
            for (int a = rank - 2, rest = start / length; a >= 0; a--) { offsets[a] = rest % footprint.Shape[a] - footprint.Shape[a] / 2; rest /= footprint.Shape[a]; }
            bool any = false;
            for (int k = 0; k < length; k++)
                if (footprint.Values[start + k]) { elements.Add((outer.Count, k - length / 2)); any = true; }
            if (any) outer.Add(offsets);
        }
        int count = elements.Count, rankOfMedian = count / 2;
        (int A, int B)[]? network = null;
        int selected = rankOfMedian;
        if (count <= MaxNetwork) network = SelectionNetwork(count, rankOfMedian, out selected);
        var lines = outer.ToArray();
        var items = elements.ToArray();
        Bands.For(src.Height, (_, start, end) => FilterRows(src, dst, shape, lines, items, network, selected, mode, cval, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterRows<T>(ImageRows<T> src, ImageRows<T> dst, int[] shape, int[][] lines, (int Line, int Dx)[] items,
        (int A, int B)[]? network, int k, BoundaryMode mode, T cval, int start, int end) where T : unmanaged, INumber<T>
    {
        int rank = shape.Length, width = shape[^1], reach = 0;
        foreach (var item in items) reach = Math.Max(reach, Math.Abs(item.Dx));
        int padded = width + 2 * reach;
        T[] buffer = ArrayPool<T>.Shared.Rent(lines.Length * padded);
        int size = items.Length;
        var vectors = new Vector<T>[size];
        var scalars = new T[size];
        var index = new int[Math.Max(rank - 1, 0)];
        // Each element's place in the padded line buffer, less x.
        var origin = new int[size];
        for (int e = 0; e < size; e++) origin[e] = items[e].Line * padded + reach + items[e].Dx;
        try
        {
            for (int y = start; y < end; y++)
            {
                Raster.Unravel(y, shape.AsSpan(0, rank - 1), index);
                // Every line's source row, padded along the last axis.
                for (int l = 0; l < lines.Length; l++)
                {
                    var row = buffer.AsSpan(l * padded, padded);
                    int source = 0;
                    for (int a = 0; a < rank - 1 && source >= 0; a++)
                    {
                        int m = Border.Map(index[a] + lines[l][a], shape[a], mode);
                        source = m < 0 ? -1 : source * shape[a] + m;
                    }
                    if (source < 0) { row.Fill(cval); continue; }
                    src.Row(source).CopyTo(row.Slice(reach));
                    for (int p = 1; p <= reach; p++)
                    {
                        int left = Border.Map(-p, width, mode), right = Border.Map(width - 1 + p, width, mode);
                        row[reach - p] = left < 0 ? cval : row[reach + left];
                        row[reach + width - 1 + p] = right < 0 ? cval : row[reach + right];
                    }
                }
                var output = dst.Row(y);
                int x = 0, vc = Vector<T>.Count;
                if (network is not null && Vector.IsHardwareAccelerated && width >= vc)
                {
                    for (; ; x += vc)
                    {
                        if (x > width - vc) { if (x == width) break; x = width - vc; }
                        Network(buffer, origin, x, vectors, network);
                        vectors[k].CopyTo(output.Slice(x, vc));
                        if (x == width - vc) break;
                    }
                    continue;
                }
                for (; x < width; x++)
                {
                    for (int e = 0; e < items.Length; e++) scalars[e] = buffer[origin[e] + x];
                    if (network is null)
                    {
                        scalars.AsSpan(0, items.Length).Sort();
                    }
                    else
                    {
                        foreach (var (a, b) in network)
                        {
                            T lo = T.Min(scalars[a], scalars[b]);
                            scalars[b] = T.Max(scalars[a], scalars[b]);
                            scalars[a] = lo;
                        }
                    }
                    output[x] = scalars[k];
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(buffer); }
    }

    /// <summary>Loads one vector per footprint element at x and runs the network on them, in registers where the JIT can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Network<T>(T[] buffer, int[] origin, int x, Vector<T>[] vectors, (int A, int B)[] network) where T : unmanaged, INumber<T>
    {
        ref T data = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref Vector<T> v = ref MemoryMarshal.GetArrayDataReference(vectors);
        for (int e = 0; e < origin.Length; e++) Unsafe.Add(ref v, e) = Vector.LoadUnsafe(ref data, (nuint)(origin[e] + x));
        foreach (var (a, b) in network)
        {
            ref Vector<T> va = ref Unsafe.Add(ref v, a);
            ref Vector<T> vb = ref Unsafe.Add(ref v, b);
            var lo = Vector.Min(va, vb);
            vb = Vector.Max(va, vb);
            va = lo;
        }
    }

    /// <summary>
    /// Batcher's odd-even merge sort of the next power of two of <paramref name="count"/> inputs (min to the lower
    /// index), keeping only the comparators that output <paramref name="rank"/> depends on.
    /// </summary>
    internal static (int A, int B)[] SelectionNetwork(int count, int rank, out int output)
    {
        int n = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 2));
        var all = new List<(int, int)>();
        for (int p = 1; p < n; p <<= 1)
            for (int k = p; k >= 1; k >>= 1)
                for (int j = k % p; j <= n - 1 - k; j += 2 * k)
                    for (int i = 0; i <= Math.Min(k - 1, n - j - k - 1); i++)
                        if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) all.Add((i + j, i + j + k));
        // Wires count..n-1 carry +infinity: a comparator with one of them either does nothing or swaps, so it is
        // dropped and the swap followed by renaming which register each wire is in.
        var register = Enumerable.Range(0, n).ToArray();
        var infinite = new bool[n];
        for (int w = count; w < n; w++) infinite[w] = true;
        var real = new List<(int, int)>();
        foreach (var (a, b) in all)
        {
            if (infinite[b]) continue;
            if (infinite[a]) { (register[a], register[b]) = (register[b], register[a]); infinite[a] = false; infinite[b] = true; continue; }
            real.Add((register[a], register[b]));
        }
        output = register[rank];
        // Keep only what the output depends on.
        var needed = new bool[n];
        needed[output] = true;
        var kept = new List<(int, int)>();
        for (int c = real.Count - 1; c >= 0; c--)
        {
            var (a, b) = real[c];
            if (!needed[a] && !needed[b]) continue;
            needed[a] = needed[b] = true;
            kept.Add((a, b));
        }
        kept.Reverse();
        return kept.ToArray();
    }
}
