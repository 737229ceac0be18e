namespace Scoped.Image.Kernels;

/// <summary>
/// The convex hull of pixels as scikit-image's 2-D convex_hull_image draws it: each pixel stands for its four edge
/// midpoints (r ± 0.5, c) and (r, c ± 0.5) (offset_coordinates) or for its centre, the hull of those points, and every
/// pixel centre inside the hull or on its boundary. Coordinates are doubled so that every point is an integer and
/// every test exact: what Qhull and the crossing-number test give for these points, without their rounding.
/// </summary>
internal static class ConvexHull2D
{
    /// <summary>A point in doubled coordinates (2 row, 2 col).</summary>
    private readonly record struct Point(long R, long C);

    /// <summary>Adds the hull of the pixels whose rows' leftmost and rightmost pixels are given (row, first col,
    /// last col; rows in any order) to <paramref name="output"/>. The extremes of each row are enough: every other
    /// pixel of a row, and its midpoints, lie on the segments between theirs.</summary>
    public static void Fill(List<(int Row, int First, int Last)> rows, bool offsetCoordinates, bool[] output, int height, int width)
    {
        if (rows.Count == 0) return;
        var points = new List<Point>(rows.Count * 8);
        foreach (var (r, first, last) in rows)
            foreach (int c in first == last ? [first] : new[] { first, last })
            {
                if (offsetCoordinates)
                {
                    points.Add(new(2L * r - 1, 2L * c));
                    points.Add(new(2L * r + 1, 2L * c));
                    points.Add(new(2L * r, 2L * c - 1));
                    points.Add(new(2L * r, 2L * c + 1));
                }
                else points.Add(new(2L * r, 2L * c));
            }
        var hull = Hull(points);
        // Centres on one line have no 2-D hull: Qhull refuses them and scikit-image returns an empty image.
        if (hull.Count < 3) return;
        // Row by row, the columns whose centres lie in the closed polygon.
        long top = long.MaxValue, bottom = long.MinValue;
        foreach (var p in hull) { top = Math.Min(top, p.R); bottom = Math.Max(bottom, p.R); }
        for (int r = (int)Math.Max(0, CeilDiv(top, 2)); r <= Math.Min(height - 1, FloorDiv(bottom, 2)); r++)
        {
            long y = 2L * r;
            // The polygon's extent along this row, as fractions num / den: the least and greatest crossing.
            long loNum = 0, loDen = 0, hiNum = 0, hiDen = 0;
            for (int i = 0; i < hull.Count; i++)
            {
                var p = hull[i];
                var q = hull[(i + 1) % hull.Count];
                if (y < Math.Min(p.R, q.R) || y > Math.Max(p.R, q.R)) continue;
                long num, den;
                if (p.R == q.R) { Extend(p.C, 1); Extend(q.C, 1); continue; }
                // c = p.C + (y - p.R) * (q.C - p.C) / (q.R - p.R), with a positive denominator.
                den = q.R - p.R;
                num = p.C * den + (y - p.R) * (q.C - p.C);
                if (den < 0) { den = -den; num = -num; }
                Extend(num, den);
                continue;

                void Extend(long n, long d)
                {
                    if (loDen == 0 || n * loDen < loNum * d) { loNum = n; loDen = d; }
                    if (hiDen == 0 || n * hiDen > hiNum * d) { hiNum = n; hiDen = d; }
                }
            }
            if (loDen == 0) continue;
            // Pixel c is inside when lo <= 2c <= hi.
            long first = Math.Max(0, CeilDiv(loNum, 2 * loDen)), last = Math.Min(width - 1, FloorDiv(hiNum, 2 * hiDen));
            for (long c = first; c <= last; c++) output[(long)r * width + c] = true;
        }
    }

    /// <summary>Andrew's monotone chain: the hull's corners counter-clockwise, collinear points dropped (a single point
    /// or a segment when the points are degenerate).</summary>
    private static List<Point> Hull(List<Point> points)
    {
        points.Sort((a, b) => a.R != b.R ? a.R.CompareTo(b.R) : a.C.CompareTo(b.C));
        var unique = new List<Point>(points.Count);
        foreach (var p in points) if (unique.Count == 0 || unique[^1] != p) unique.Add(p);
        if (unique.Count <= 2) return unique;
        var hull = new List<Point>(2 * unique.Count);
        for (int pass = 0; pass < 2; pass++)
        {
            int start = hull.Count;
            for (int k = 0; k < unique.Count; k++)
            {
                var p = unique[pass == 0 ? k : unique.Count - 1 - k];
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0) hull.RemoveAt(hull.Count - 1);
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull;
    }

    private static long Cross(Point o, Point a, Point b) => (a.R - o.R) * (b.C - o.C) - (a.C - o.C) * (b.R - o.R);

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
