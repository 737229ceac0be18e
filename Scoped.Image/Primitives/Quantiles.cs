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
        int n = sorted.Length;
        if (n == 0) throw new ArgumentException("sorted must not be empty.", nameof(sorted));
        double index = (n - 1) * (percent / 100);
        double floor = Math.Floor(index);
        int previous, next;
        if (index >= n - 1) previous = next = n - 1;
        else { previous = (int)floor; next = previous + 1; }
        double gamma = index >= n - 1 ? index + 1 : index - floor;
        double a = double.CreateTruncating(sorted[previous]), b = double.CreateTruncating(sorted[next]);
        double diff = double.CreateTruncating(unchecked(sorted[next] - sorted[previous]));
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
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
