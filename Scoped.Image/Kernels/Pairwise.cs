using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>NumPy's pairwise summation (np.sum / np.mean of a contiguous array), in the element type.</summary>
internal static class Pairwise
{
    /// <summary>0 + pairwise_sum(values), the order np.add.reduce uses.</summary>
    public static T Sum<T>(ReadOnlySpan<T> values) where T : IFloatingPointIeee754<T> => T.Zero + Block(values);

    /// <summary>np.mean: the pairwise sum divided by the count (NaN when empty).</summary>
    public static T Mean<T>(ReadOnlySpan<T> values) where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(double.CreateTruncating(Sum(values)) / values.Length);

    /// <summary>Pieces of at most this many elements are one band item in <see cref="SumInBands{T}"/>.</summary>
    private const int Leaf = 1 << 14;

    /// <summary>
    /// <see cref="Sum{T}"/> of values[0..n), bit for bit, with the pieces of its fixed recursion (split exactly as it
    /// splits, down to at most <see cref="Leaf"/> elements: a constant, so the tree never depends on the band cut)
    /// summed in bands and combined up the same tree.
    /// </summary>
    public static T SumInBands<T>(T[] values, int n) where T : IFloatingPointIeee754<T> => T.Zero + BlockInBands(values, n);

    /// <summary><see cref="Mean{T}"/> of values[0..n) through <see cref="SumInBands{T}"/>.</summary>
    public static T MeanInBands<T>(T[] values, int n) where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(double.CreateTruncating(SumInBands(values, n)) / n);

    /// <summary>The recursion of <see cref="Block{T}"/> over values[0..n), its pieces summed in bands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T BlockInBands<T>(T[] values, int n) where T : IFloatingPointIeee754<T>
    {
        if (n <= Leaf) return Block<T>(values.AsSpan(0, n));
        var pieces = new List<(int Start, int Length)>();
        Split(0, n, pieces);
        var sums = new T[pieces.Count];
        Bands.For(pieces.Count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int i = start; i < end; i++) sums[i] = Block<T>(values.AsSpan(pieces[i].Start, pieces[i].Length));
        });
        int next = 0;
        return Combine(n, sums, ref next);

        static void Split(int offset, int n, List<(int, int)> pieces)
        {
            if (n <= Leaf) { pieces.Add((offset, n)); return; }
            int half = Half(n);
            Split(offset, half, pieces);
            Split(offset + half, n - half, pieces);
        }

        static T Combine(int n, T[] sums, ref int next)
        {
            if (n <= Leaf) return sums[next++];
            int half = Half(n);
            T left = Combine(half, sums, ref next);
            return left + Combine(n - half, sums, ref next);
        }

        static int Half(int n) { int half = n / 2; return half - half % 8; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Block<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T>
    {
        int n = a.Length;
        if (n < 8)
        {
            T res = T.Zero;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= 128)
        {
            T r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i = 8;
            for (; i < n - n % 8; i += 8)
            {
                r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3];
                r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7];
            }
            T res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return Block(a[..half]) + Block(a[half..]);
    }
}
