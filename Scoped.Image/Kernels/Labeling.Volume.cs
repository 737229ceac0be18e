using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

internal static partial class Labeling
{
    /// <summary>
    /// Labels an image of 3 or more axes (dense, C order), rows along the last axis: a pixel not equal to
    /// <paramref name="background"/> joins its neighbours of equal value, neighbours being the elements of the
    /// 3 x ... x 3 cube at most <paramref name="connectivity"/> unit steps away (1 = faces, rank = every corner), as
    /// scipy.ndimage.generate_binary_structure gives them to skimage.measure.label. Works on runs: each row is cut into
    /// runs of equal foreground values (vectorised scans), each run is joined to the overlapping runs of the earlier
    /// neighbour rows (overlap widened by one where diagonal steps count), union-find towards the smaller run, runs
    /// numbered in raster order; so the roots, numbered in increasing order, number the components in raster order of
    /// their first pixel, as in 2-D.
    /// </summary>
    public static HostArray<int> LabelVolume<T>(ImageRows<T> src, int[] shape, T background, int connectivity) where T : unmanaged, IEquatable<T>
    {
        var result = HostArray<int>.Allocate(shape);
        var dst = result.Lines();
        int height = src.Height;
        // The runs of each band of rows (bands may run at once), then one list in raster order: band order is raster order.
        int bands = Bands.Count(height);
        var bandRuns = new Runs<T>[bands];
        var firstRun = new int[height + 1];
        Bands.For(height, bands, (band, start, end) => bandRuns[band] = FindRuns(src, background, firstRun, start, end));
        var runs = Concatenate(bandRuns, firstRun, height);
        // Union-find over runs (label = run index + 1), always under the smaller root, so each root is its component's
        // first run whatever order the unions come in: first within each band (the bands touch disjoint parts of
        // parent), then the first rows of each band with the rows of the bands before it.
        var parent = new int[runs.Count + 1];
        for (int i = 0; i < parent.Length; i++) parent[i] = i;
        var neighbours = EarlierRows(shape.Length, connectivity);
        Bands.For(height, bands, (_, start, end) => JoinRuns(runs, firstRun, shape, neighbours, parent, start, end, start, int.MaxValue));
        int reach = Reach(shape, neighbours);
        for (int band = 1; band < bands; band++)
        {
            var (start, end) = Bands.Range(height, bands, band);
            JoinRuns(runs, firstRun, shape, neighbours, parent, start, (int)Math.Min(end, (long)start + reach), 0, start);
        }
        var final = new int[parent.Length];
        int next = 0;
        for (int l = 1; l < parent.Length; l++)
        {
            int root = Find(parent, l);
            final[l] = root == l ? ++next : final[root];
        }
        Bands.For(height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var row = dst.Row(y);
                row.Clear();
                for (int r = firstRun[y]; r < firstRun[y + 1]; r++) row[runs.Start[r]..runs.End[r]].Fill(final[r + 1]);
            }
        });
        return result;
    }

    /// <summary>The runs of rows [start, end); firstRun[y] is set to each row's first run within them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Runs<T> FindRuns<T>(ImageRows<T> src, T background, int[] firstRun, int start, int end) where T : unmanaged, IEquatable<T>
    {
        int width = src.Width;
        var runs = new Runs<T>(Math.Max(16, end - start));
        bool bytes = Unsafe.SizeOf<T>() == 1;
        for (int y = start; y < end; y++)
        {
            firstRun[y] = runs.Count;
            ReadOnlySpan<T> row = src.Row(y);
            if (bytes) { ByteRuns(row, background, runs); continue; }
            int x = 0;
            while (x < width)
            {
                int skip = row[x..].IndexOfAnyExcept(background);
                if (skip < 0) break;
                int first = x + skip;
                T value = row[first];
                int length = row[first..].IndexOfAnyExcept(value);
                int last = length < 0 ? width : first + length;
                runs.Add(first, last, value);
                x = last;
            }
        }
        return runs;
    }

    /// <summary>The bands' runs as one list; each band's firstRun entries are moved on by the runs of the bands before it.</summary>
    private static Runs<T> Concatenate<T>(Runs<T>[] bandRuns, int[] firstRun, int height)
    {
        if (bandRuns.Length == 1)
        {
            firstRun[height] = bandRuns[0].Count;
            return bandRuns[0];
        }
        var all = new Runs<T>(Math.Max(16, bandRuns.Sum(r => r.Count)));
        for (int band = 0; band < bandRuns.Length; band++)
        {
            var (start, end) = Bands.Range(height, bandRuns.Length, band);
            var part = bandRuns[band];
            for (int y = start; y < end; y++) firstRun[y] += all.Count;
            part.Start.AsSpan(0, part.Count).CopyTo(all.Start.AsSpan(all.Count));
            part.End.AsSpan(0, part.Count).CopyTo(all.End.AsSpan(all.Count));
            part.Value.AsSpan(0, part.Count).CopyTo(all.Value.AsSpan(all.Count));
            all.Count += part.Count;
        }
        firstRun[height] = all.Count;
        return all;
    }

    /// <summary>How many rows back the farthest earlier neighbour row lies (rows numbered in raster order of the outer axes).</summary>
    private static int Reach(int[] shape, NeighbourRow[] neighbours)
    {
        long reach = 0;
        foreach (var n in neighbours)
        {
            long offset = 0, stride = 1;
            for (int a = shape.Length - 2; a >= 0; a--) { offset += n.Outer[a] * stride; stride *= shape[a]; }
            reach = Math.Max(reach, -offset);
        }
        return (int)Math.Min(reach, int.MaxValue);
    }

    /// <summary>
    /// The runs of one row of a one-byte type (bool, uint8), as the general scan finds them: the row is compared with
    /// itself shifted by one, 32 bytes at a time, and each set bit of the mask is a place where the value changes; a
    /// stretch between changes whose value is not the background is a run. Rows are mostly a few long runs, so this
    /// visits the changes instead of calling a search twice per run.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByteRuns<T>(ReadOnlySpan<T> typed, T background, Runs<T> runs) where T : unmanaged, IEquatable<T>
    {
        var row = MemoryMarshal.AsBytes(typed);
        byte bg = Unsafe.As<T, byte>(ref background);
        int width = row.Length, start = -1; // the open run's start, or -1
        byte value = bg;
        ref byte r0 = ref MemoryMarshal.GetReference(row);
        int x = 0;
        void Change(int at, byte next, Runs<T> runs, ref int start, ref byte value)
        {
            if (start >= 0) runs.Add(start, at, Unsafe.As<byte, T>(ref value));
            start = next == bg ? -1 : at;
            value = next;
        }
        // Element 0 changes from the background; later elements from their left neighbour.
        if (width > 0 && r0 != bg) Change(0, r0, runs, ref start, ref value);
        x = 1;
        if (Vector256.IsHardwareAccelerated)
            for (; x + Vector256<byte>.Count <= width; x += Vector256<byte>.Count)
            {
                var current = Vector256.LoadUnsafe(ref r0, (nuint)x);
                var previous = Vector256.LoadUnsafe(ref r0, (nuint)(x - 1));
                uint changes = ~Vector256.Equals(current, previous).ExtractMostSignificantBits();
                while (changes != 0)
                {
                    int at = x + BitOperations.TrailingZeroCount(changes);
                    Change(at, Unsafe.Add(ref r0, at), runs, ref start, ref value);
                    changes &= changes - 1;
                }
            }
        for (; x < width; x++)
        {
            byte next = Unsafe.Add(ref r0, x);
            if (next != Unsafe.Add(ref r0, x - 1)) Change(x, next, runs, ref start, ref value);
        }
        if (start >= 0) runs.Add(start, width, Unsafe.As<byte, T>(ref value));
    }

    /// <summary>The runs of every row, in raster order: [Start, End) and the value.</summary>
    private sealed class Runs<T>(int capacity)
    {
        public int[] Start = new int[capacity];
        public int[] End = new int[capacity];
        public T[] Value = new T[capacity];
        public int Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int start, int end, T value)
        {
            if (Count == Start.Length) Grow();
            Start[Count] = start; End[Count] = end; Value[Count] = value;
            Count++;
        }

        private void Grow()
        {
            Array.Resize(ref Start, Count * 2);
            Array.Resize(ref End, Count * 2);
            Array.Resize(ref Value, Count * 2);
        }
    }

    /// <summary>Joins every run of rows [from, to) to the overlapping runs of equal value in each earlier neighbour row
    /// in [neighboursFrom, neighboursBelow) (two pointers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void JoinRuns<T>(Runs<T> runs, int[] firstRun, int[] shape, NeighbourRow[] neighbours, int[] parent, int from, int to,
        int neighboursFrom, int neighboursBelow) where T : unmanaged, IEquatable<T>
    {
        int rank = shape.Length;
        var index = new int[rank - 1];
        for (int y = from; y < to; y++)
        {
            if (firstRun[y] == firstRun[y + 1]) continue;
            Raster.Unravel(y, shape.AsSpan(0, rank - 1), index);
            foreach (var n in neighbours)
            {
                // The same row (only dx = -1) is already one run per stretch of equal values.
                if (n.SameRow) continue;
                int row = 0;
                for (int a = 0; a < rank - 1 && row >= 0; a++)
                {
                    int i = index[a] + n.Outer[a];
                    row = (uint)i < (uint)shape[a] ? row * shape[a] + i : -1;
                }
                if (row < neighboursFrom || row >= neighboursBelow) continue;
                int widen = n.Widen;
                int p = firstRun[y], pEnd = firstRun[y + 1], q = firstRun[row], qEnd = firstRun[row + 1];
                // For each run, the neighbour row's runs from the first that does not end before it (widened) up to
                // the first that starts after it; runs of different values may touch, so one run can meet several.
                for (; p < pEnd; p++)
                {
                    while (q < qEnd && runs.End[q] + widen <= runs.Start[p]) q++;
                    for (int r = q; r < qEnd && runs.Start[r] < runs.End[p] + widen; r++)
                        if (runs.Value[p].Equals(runs.Value[r])) Union(parent, p + 1, r + 1);
                }
            }
        }
    }

    /// <summary>A neighbour row of the raster pass: its offset on the outer axes, and the offsets along the last axis
    /// (-1, 0, 1) that stay within the connectivity; only rows and pixels already visited are listed.</summary>
    private sealed record NeighbourRow(int[] Outer, int[] Along)
    {
        /// <summary>Whether this is the row itself (no outer offset).</summary>
        public bool SameRow { get; } = Array.TrueForAll(Outer, o => o == 0);

        /// <summary>1 where diagonal steps along the row count, so runs that only touch at a corner meet; else 0.</summary>
        public int Widen { get; } = Array.IndexOf(Along, -1) >= 0 ? 1 : 0;
    }

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
}
