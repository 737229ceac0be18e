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
        int height = src.Height, width = src.Width;
        var runs = new Runs<T>(Math.Max(16, height));
        var firstRun = new int[height + 1];
        for (int y = 0; y < height; y++)
        {
            firstRun[y] = runs.Count;
            ReadOnlySpan<T> row = src.Row(y);
            int x = 0;
            while (x < width)
            {
                int skip = row[x..].IndexOfAnyExcept(background);
                if (skip < 0) break;
                int start = x + skip;
                T value = row[start];
                int length = row[start..].IndexOfAnyExcept(value);
                int end = length < 0 ? width : start + length;
                runs.Add(start, end, value);
                x = end;
            }
        }
        firstRun[height] = runs.Count;
        // Union-find over runs (label = run index + 1).
        var parent = new int[runs.Count + 1];
        for (int i = 0; i < parent.Length; i++) parent[i] = i;
        var neighbours = EarlierRows(shape.Length, connectivity);
        JoinRuns(runs, firstRun, shape, neighbours, parent);
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

    /// <summary>The runs of every row, in raster order: [Start, End) and the value.</summary>
    private sealed class Runs<T>(int capacity)
    {
        public int[] Start = new int[capacity];
        public int[] End = new int[capacity];
        public T[] Value = new T[capacity];
        public int Count;

        public void Add(int start, int end, T value)
        {
            if (Count == Start.Length)
            {
                Array.Resize(ref Start, Count * 2);
                Array.Resize(ref End, Count * 2);
                Array.Resize(ref Value, Count * 2);
            }
            Start[Count] = start; End[Count] = end; Value[Count] = value;
            Count++;
        }
    }

    /// <summary>Joins every run to the overlapping runs of equal value in each earlier neighbour row (two pointers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void JoinRuns<T>(Runs<T> runs, int[] firstRun, int[] shape, NeighbourRow[] neighbours, int[] parent) where T : unmanaged, IEquatable<T>
    {
        int rank = shape.Length, height = firstRun.Length - 1;
        var index = new int[rank - 1];
        for (int y = 0; y < height; y++)
        {
            if (firstRun[y] == firstRun[y + 1]) continue;
            for (int a = rank - 2, rest = y; a >= 0; a--) { index[a] = rest % shape[a]; rest /= shape[a]; }
            foreach (var n in neighbours)
            {
                // The same row (only dx = -1) is already one run per stretch of equal values.
                if (Array.TrueForAll(n.Outer, o => o == 0)) continue;
                int row = 0;
                for (int a = 0; a < rank - 1 && row >= 0; a++)
                {
                    int i = index[a] + n.Outer[a];
                    row = (uint)i < (uint)shape[a] ? row * shape[a] + i : -1;
                }
                if (row < 0) continue;
                int widen = Array.IndexOf(n.Along, -1) >= 0 ? 1 : 0;
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
}
