using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>A test on one element, for <see cref="FlatBands.Partition{T, TTest}"/>.</summary>
internal interface IElementTest<T>
{
    bool Keep(T value);
}

/// <summary>
/// Passes over a flat array (items, not rows) in bands, each exact for any cut: copies, stable partitions (counts per
/// band, then each band writes at its offset), and a sort whose result is the one sorted array.
/// </summary>
internal static class FlatBands
{
    /// <summary>The elements of <paramref name="rows"/> in C order, copied in bands of rows.</summary>
    public static T[] Flatten<T>(ImageRows<T> rows) where T : unmanaged
    {
        int length = rows.RowLength;
        var flat = new T[(long)rows.Height * length];
        Bands.For(rows.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++) rows.Row(y).CopyTo(flat.AsSpan(y * length, length));
        });
        return flat;
    }

    /// <summary>
    /// Copies src[0..n) in order: the elements that pass <paramref name="test"/> to <paramref name="kept"/>, the others
    /// to <paramref name="rest"/> (when given). Returns how many went to each.
    /// </summary>
    public static (int Kept, int Others) Partition<T, TTest>(T[] src, int n, TTest test, T[] kept, T[]? rest)
        where TTest : struct, IElementTest<T>
    {
        int count = Bands.Count(n);
        if (count == 1) return PartitionRange(src, 0, n, test, kept, 0, rest, 0);
        var keptCounts = new int[count];
        Bands.For(n, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            int k = 0;
            for (int i = start; i < end; i++) if (test.Keep(src[i])) k++;
            keptCounts[band] = k;
        });
        var keptAt = new int[count];
        var restAt = new int[count];
        int keptTotal = 0, restTotal = 0;
        for (int b = 0; b < count; b++)
        {
            var (start, end) = Bands.Range(n, count, b);
            keptAt[b] = keptTotal;
            restAt[b] = restTotal;
            keptTotal += keptCounts[b];
            restTotal += end - start - keptCounts[b];
        }
        Bands.For(n, count, (band, start, end) => PartitionRange(src, start, end, test, kept, keptAt[band], rest, restAt[band]));
        return (keptTotal, restTotal);
    }

    private static (int Kept, int Others) PartitionRange<T, TTest>(T[] src, int start, int end, TTest test, T[] kept, int k, T[]? rest, int r)
        where TTest : struct, IElementTest<T>
    {
        int k0 = k, r0 = r;
        for (int i = start; i < end; i++)
        {
            T v = src[i];
            if (test.Keep(v)) kept[k++] = v;
            else if (rest is not null) rest[r++] = v;
            else r++;
        }
        return (k - k0, r - r0);
    }

    /// <summary>
    /// <paramref name="values"/> sorted (in place, or into a second array that is returned): each band sorted, then the runs merged pairwise, round by round. The
    /// sorted sequence is unique up to the order of elements that compare equal (only -0 and +0 among non-NaN floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T[] Sorted<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = values.Length;
        var a = values;
        int count = Bands.Count(n);
        if (count == 1) { Array.Sort(a); return a; }
        Bands.For(n, count, (_, start, end) => Array.Sort(a, start, end - start));
        var runs = new List<(int Start, int End)>();
        for (int b = 0; b < count; b++) runs.Add(Bands.Range(n, count, b));
        var b2 = new T[n];
        T[] from = a, to = b2;
        while (runs.Count > 1)
        {
            var current = runs;
            T[] src = from, dst = to;
            int pairs = (current.Count + 1) / 2;
            Bands.For(pairs, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, first, last) =>
            {
                for (int p = first; p < last; p++)
                {
                    if (2 * p + 1 == current.Count) { Array.Copy(src, current[2 * p].Start, dst, current[2 * p].Start, current[2 * p].End - current[2 * p].Start); continue; }
                    Merge(src, current[2 * p], current[2 * p + 1], dst);
                }
            });
            runs = [];
            for (int p = 0; p < pairs; p++)
                runs.Add((current[2 * p].Start, 2 * p + 1 == current.Count ? current[2 * p].End : current[2 * p + 1].End));
            (from, to) = (to, from);
        }
        return from;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Merge<T>(T[] src, (int Start, int End) left, (int Start, int End) right, T[] dst) where T : IComparisonOperators<T, T, bool>
    {
        int i = left.Start, j = right.Start, k = left.Start;
        while (i < left.End && j < right.End) dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
        while (i < left.End) dst[k++] = src[i++];
        while (j < right.End) dst[k++] = src[j++];
    }
}
