using System.Numerics;

namespace Scoped.Image.Primitives;

/// <summary>np.percentile and np.interp with NumPy's own arithmetic, for the functions that call them.</summary>
public static class Quantiles
{
    /// <summary>
    /// np.percentile(values, percent) with linear interpolation, of values already sorted ascending: the index is
    /// (n - 1) * (percent / 100), and the lerp runs in float64 from the neighbours' difference taken in their own type
    /// (so integer differences wrap and float32 ones round as NumPy's do), from the nearer neighbour.
    /// </summary>
    /// <param name="sorted">The values in ascending order (at least one).</param>
    /// <param name="percent">0..100.</param>
    public static double Percentile<T>(ReadOnlySpan<T> sorted, double percent) where T : unmanaged, INumber<T>
    {
        var (previous, next, gamma) = Neighbours(sorted.Length, percent, nameof(sorted));
        return Lerp(sorted[previous], sorted[next], gamma);
    }

    /// <summary>
    /// <see cref="Percentile{T}(ReadOnlySpan{T}, double)"/> of values in any order, found by selection (as NumPy's
    /// partition finds them) instead of a sort: linear time. The values are reordered; the ones it reads are those
    /// a sort would put at the percentile's neighbours (the order of <see cref="IComparable{T}"/>, NaN first).
    /// </summary>
    /// <param name="values">At least one value; reordered in place.</param>
    /// <param name="percent">0..100.</param>
    public static double PercentileOfUnsorted<T>(Span<T> values, double percent) where T : unmanaged, INumber<T>
    {
        var (previous, next, gamma) = Neighbours(values.Length, percent, nameof(values));
        Select(values, previous);
        T after = values[previous];
        if (next != previous)
        {
            after = values[next];
            foreach (var v in values[next..]) if (v.CompareTo(after) < 0) after = v;
        }
        return Lerp(values[previous], after, gamma);
    }

    /// <summary>The sorted positions np.percentile interpolates between, and the weight of the second.</summary>
    private static (int Previous, int Next, double Gamma) Neighbours(int n, double percent, string name)
    {
        if (n == 0) throw new ArgumentException($"{name} must not be empty.", name);
        double index = (n - 1) * (percent / 100);
        if (index >= n - 1) return (n - 1, n - 1, index + 1);
        int previous = (int)Math.Floor(index);
        return (previous, previous + 1, index - previous);
    }

    private static double Lerp<T>(T previous, T next, double gamma) where T : unmanaged, INumber<T>
    {
        double a = double.CreateTruncating(previous), b = double.CreateTruncating(next);
        double diff = double.CreateTruncating(unchecked(next - previous));
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    /// <summary>Reorders values so that values[k] is the k-th smallest, none after it smaller and none before it
    /// larger: Hoare partitions around a median of three, falling back to a sort if the partitions keep being
    /// lopsided (so the worst case stays n log n).</summary>
    private static void Select<T>(Span<T> values, int k) where T : unmanaged, INumber<T>
    {
        int lo = 0, hi = values.Length - 1;
        int budget = 2 * BitOperations.Log2((uint)values.Length) + 8;
        while (hi > lo)
        {
            if (budget-- == 0) { values[lo..(hi + 1)].Sort(); return; }
            int mid = lo + (hi - lo) / 2;
            if (values[mid].CompareTo(values[lo]) < 0) (values[mid], values[lo]) = (values[lo], values[mid]);
            if (values[hi].CompareTo(values[lo]) < 0) (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi].CompareTo(values[mid]) < 0) (values[hi], values[mid]) = (values[mid], values[hi]);
            T pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i].CompareTo(pivot) < 0) i++;
                while (values[j].CompareTo(pivot) > 0) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            // [lo, j] holds nothing above the pivot, [i, hi] nothing below it, and (j, i) only the pivot's value.
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    /// <summary>
    /// np.interp(x, xp, fp) for one x: fp[0] left of xp, fp[^1] at or right of its end, fp[j] on a point, else
    /// slope * (x - xp[j]) + fp[j] with the interval's slope (retried from the right end if that is NaN).
    /// </summary>
    /// <param name="x">The point.</param>
    /// <param name="xp">Ascending points.</param>
    /// <param name="fp">Values at xp.</param>
    /// <param name="j">The interval found for the previous (smaller) x, and for this one on return: a guess that makes
    /// a walk over ascending x linear.</param>
    public static double Interp(double x, ReadOnlySpan<double> xp, ReadOnlySpan<double> fp, ref int j)
    {
        int n = xp.Length;
        if (double.IsNaN(x)) return x;
        if (x < xp[0]) return fp[0];
        if (x >= xp[n - 1]) return fp[n - 1];
        if (j < 0 || j >= n - 1 || xp[j] > x) j = 0;
        while (xp[j + 1] <= x) j++;
        if (xp[j] == x) return fp[j];
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        double value = slope * (x - xp[j]) + fp[j];
        if (double.IsNaN(value))
        {
            value = slope * (x - xp[j + 1]) + fp[j + 1];
            if (double.IsNaN(value) && fp[j] == fp[j + 1]) value = fp[j];
        }
        return value;
    }
}
