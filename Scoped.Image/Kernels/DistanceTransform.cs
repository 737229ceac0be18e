using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// The exact Euclidean feature transform of scipy.ndimage.distance_transform_edt (Maurer, Qi and Raghavan, PAMI 2003):
/// for every element, the coordinates of the nearest element that does not need a distance (a "feature"). Axis by
/// axis, each line keeps the features whose Voronoi cells cross it (a stack, dropping the middle of three when it
/// is hidden), then every element takes the nearest of them scanning forward. Ties are kept as scipy keeps them (a
/// site leaves the stack only when strictly hidden; the scan moves on only to a strictly nearer site), because
/// expand_labels takes the label of the feature it finds.
/// </summary>
internal static class DistanceTransform
{
    /// <summary>
    /// The feature of each element of a C-order array of <paramref name="shape"/>: <c>result[k][i]</c> is coordinate k
    /// of the feature nearest to element i. Elements with <paramref name="needsDistance"/> false are their own
    /// feature; with no feature at all, coordinate 0 is -1 (as scipy leaves it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[][] Features(bool[] needsDistance, int[] shape)
    {
        int rank = shape.Length, size = needsDistance.Length;
        var features = new int[rank][];
        for (int k = 0; k < rank; k++) features[k] = new int[size];
        var strides = new int[rank];
        for (int a = rank - 1, s = 1; a >= 0; s *= shape[a], a--) strides[a] = s;
        // Each element starts as its own feature, or as none (-1 in coordinate 0; the others stay 0, as in scipy).
        var coordinate = new int[rank];
        for (int i = 0; i < size; i++)
        {
            if (i > 0) Raster.Next(coordinate, shape);
            if (needsDistance[i]) features[0][i] = -1;
            else for (int k = 0; k < rank; k++) features[k][i] = coordinate[k];
        }
        int longest = shape.Max();
        var line = new int[longest * rank]; // the line's features, element by element
        var stack = new int[longest];
        var off = new double[longest];
        var origin = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int stride = strides[d], length = shape[d], block = stride * length;
            for (int start = 0; start < size; start += block)
                for (int inner = 0; inner < stride; inner++)
                {
                    int first = start + inner;
                    Raster.Unravel(first, shape, origin);
                    Voronoi(features, first, stride, length, origin, d, line, stack, off);
                }
        }
        return features;
    }

    /// <summary>
    /// One line along axis <paramref name="d"/>: its elements take the nearest of the features found so far. Every
    /// quantity is a sum or product of whole numbers far below 2^53, so each is exact in double and the order of its
    /// terms cannot change it: a site's squared distance off the line (<c>off</c>) is kept with it on the stack rather
    /// than summed again, and the distance to an element is (f_d - i)^2 + off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Voronoi(int[][] features, int first, int stride, int length, int[] origin, int d, int[] line, int[] stack, double[] off)
    {
        int rank = features.Length;
        for (int i = 0; i < length; i++)
            for (int k = 0; k < rank; k++) line[i * rank + k] = features[k][first + i * stride];
        int top = -1;
        for (int i = 0; i < length; i++)
        {
            if (line[i * rank] < 0) continue;
            double fd = line[i * rank + d], w = 0;
            for (int k = 0; k < rank; k++)
                if (k != d) { double t = line[i * rank + k] - origin[k]; w += t * t; }
            while (top >= 1)
            {
                double f1 = line[stack[top] * rank + d];
                double a = f1 - line[stack[top - 1] * rank + d], b = fd - f1, c = a + b;
                // The upper site's cell no longer reaches the line: drop it.
                if (c * off[top] - b * off[top - 1] - a * w - a * b * c <= 0) break;
                top--;
            }
            stack[++top] = i;
            off[top] = w;
        }
        if (top < 0) return;
        int last = top, at = 0;
        for (int i = 0; i < length; i++)
        {
            double t = line[stack[at] * rank + d] - i, near = t * t + off[at];
            while (at < last)
            {
                double u = line[stack[at + 1] * rank + d] - i, next = u * u + off[at + 1];
                if (near <= next) break;
                near = next;
                at++;
            }
            int site = stack[at];
            for (int k = 0; k < rank; k++) features[k][first + i * stride] = line[site * rank + k];
        }
    }
}
