namespace Scoped.Image;

// find_contours: marching squares over 2 x 2 squares in raster order, then the segments joined into contours in the
// order scikit-image's _assemble_contours joins them, so the contours, their order and their first points agree.
public static partial class Measure
{
    /// <summary>
    /// skimage.measure.find_contours: the iso-valued contours of a 2-D image at <paramref name="level"/>, by marching
    /// squares with linear interpolation between pixel centres. Each contour is an (n, 2) float64 array of (row, col)
    /// points; a closed contour ends on its first point. Squares with a NaN corner, or a corner outside the mask, give
    /// no segments. The default level is (min + max) / 2 of the non-NaN values, computed in float64 (scikit-image 0.19 adds
    /// the two in the image's type, so a uint8 image whose min + max exceeds 255 wraps around: Scoped does not).
    /// </summary>
    /// <param name="image">2-D, at least 2 x 2, any element type (read as float64).</param>
    /// <param name="level">The value to contour; null for the midpoint of the image's range.</param>
    /// <param name="fullyConnected">"low" or "high": which side of a saddle square is joined across its corners.</param>
    /// <param name="positiveOrientation">"low" or "high": contours wind counter-clockwise around the values that are
    /// low ("low"), or high.</param>
    /// <param name="mask">bool, the image's shape, or null: where false there is no data.</param>
    /// <returns>The contours in scikit-image's order.</returns>
    public static NDArray[] FindContours(NDArray image, double? level = null, string fullyConnected = "low", string positiveOrientation = "low",
        NDArray? mask = null)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 2);
        if (image.Shape[0] < 2 || image.Shape[1] < 2)
            throw new ArgumentException($"image must be at least 2 x 2; got {image.ShapeText}.", nameof(image));
        if (fullyConnected is not ("low" or "high"))
            throw new ArgumentException($"fullyConnected must be \"low\" or \"high\"; got \"{fullyConnected}\".", nameof(fullyConnected));
        if (positiveOrientation is not ("low" or "high"))
            throw new ArgumentException($"positiveOrientation must be \"low\" or \"high\"; got \"{positiveOrientation}\".", nameof(positiveOrientation));
        if (mask is not null)
        {
            Guard.SameShape(image, nameof(image), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool);
        }
        if (level is double.PositiveInfinity or double.NegativeInfinity)
            throw new ArgumentException($"level must be finite or NaN; got {level}.", nameof(level));
        return Methods.FindContours.Invoke(image, level, fullyConnected, positiveOrientation, mask);
    }

    [Function(Domains.Measure + ":find_contours", FunctionKind.Labelling)]
    private static NDArray[] FindContoursCpu(NDArray image, double? level, string fullyConnected, string positiveOrientation, NDArray? mask)
    {
        var values = (HostArray<double>)Guard.Host(image, nameof(image)).AsType(DType.Float64);
        var rows = values.Rows();
        bool[]? inside = mask is null ? null : ((HostArray<bool>)Guard.Host(mask, nameof(mask))).Dense().ToArray();
        double at = level ?? Midpoint(rows);
        var contours = new ContourAssembly();
        int height = rows.Height, width = rows.Width;
        for (int r0 = 0; r0 < height - 1; r0++)
        {
            var top = rows.Row(r0);
            var bottom = rows.Row(r0 + 1);
            for (int c0 = 0; c0 < width - 1; c0++)
            {
                if (inside is not null && !(inside[r0 * width + c0] && inside[r0 * width + c0 + 1] && inside[(r0 + 1) * width + c0] && inside[(r0 + 1) * width + c0 + 1]))
                    continue;
                double ul = top[c0], ur = top[c0 + 1], ll = bottom[c0], lr = bottom[c0 + 1];
                if (double.IsNaN(ul) || double.IsNaN(ur) || double.IsNaN(ll) || double.IsNaN(lr)) continue;
                int square = (ul > at ? 1 : 0) | (ur > at ? 2 : 0) | (ll > at ? 4 : 0) | (lr > at ? 8 : 0);
                if (square is 0 or 15) continue;
                var t = new ContourPoint(r0, c0 + Fraction(ul, ur, at));
                var b = new ContourPoint(r0 + 1, c0 + Fraction(ll, lr, at));
                var l = new ContourPoint(r0 + Fraction(ul, ll, at), c0);
                var r = new ContourPoint(r0 + Fraction(ur, lr, at), c0 + 1);
                bool high = fullyConnected == "high";
                // Each segment runs with the high values on its right, so closed contours wind counter-clockwise around
                // low values; the saddles (6, 9) join the corners of the side fullyConnected names.
                switch (square)
                {
                    case 1: contours.Add(t, l); break;
                    case 2: contours.Add(r, t); break;
                    case 3: contours.Add(r, l); break;
                    case 4: contours.Add(l, b); break;
                    case 5: contours.Add(t, b); break;
                    case 6:
                        if (high) { contours.Add(l, t); contours.Add(r, b); }
                        else { contours.Add(r, t); contours.Add(l, b); }
                        break;
                    case 7: contours.Add(r, b); break;
                    case 8: contours.Add(b, r); break;
                    case 9:
                        if (high) { contours.Add(t, r); contours.Add(b, l); }
                        else { contours.Add(t, l); contours.Add(b, r); }
                        break;
                    case 10: contours.Add(b, t); break;
                    case 11: contours.Add(b, l); break;
                    case 12: contours.Add(l, r); break;
                    case 13: contours.Add(t, r); break;
                    case 14: contours.Add(l, t); break;
                }
            }
        }
        return contours.Result(reverse: positiveOrientation == "high");
    }

    private static double Fraction(double from, double to, double level) => to == from ? 0 : (level - from) / (to - from);

    /// <summary>(nanmin + nanmax) / 2; NaN when every value is NaN (then no square has a crossing).</summary>
    private static double Midpoint(ImageRows<double> rows)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int y = 0; y < rows.Height; y++)
            foreach (double v in rows.Row(y))
                if (!double.IsNaN(v)) { if (v < min) min = v; if (v > max) max = v; }
        return min > max ? double.NaN : (min + max) / 2.0;
    }

    /// <summary>A point where a contour crosses a square's side: equal points from neighbouring squares are computed from
    /// the same two values, so they are equal as doubles and join.</summary>
    private readonly record struct ContourPoint(double Row, double Col);

    /// <summary>A contour growing at both ends (scikit-image's deque): points put in front are kept reversed.</summary>
    private sealed class Contour(int number, ContourPoint from, ContourPoint to)
    {
        private readonly List<ContourPoint> _front = [];
        private readonly List<ContourPoint> _back = [from, to];

        public int Number { get; } = number;

        public ContourPoint First => _front.Count > 0 ? _front[^1] : _back[0];

        public ContourPoint Last => _back.Count > 0 ? _back[^1] : _front[0];

        public int Count => _front.Count + _back.Count;

        public ContourPoint this[int i] => i < _front.Count ? _front[_front.Count - 1 - i] : _back[i - _front.Count];

        public void Append(ContourPoint p) => _back.Add(p);

        public void Prepend(ContourPoint p) => _front.Add(p);

        public void Append(Contour other) { for (int i = 0; i < other.Count; i++) _back.Add(other[i]); }

        public void Prepend(Contour other) { for (int i = other.Count - 1; i >= 0; i--) _front.Add(other[i]); }

        public HostArray<double> ToArray(bool reverse)
        {
            int n = Count;
            var data = new double[2 * n];
            for (int i = 0; i < n; i++)
            {
                var p = this[reverse ? n - 1 - i : i];
                data[2 * i] = p.Row;
                data[2 * i + 1] = p.Col;
            }
            return HostArray.Create(data, n, 2);
        }
    }

    /// <summary>scikit-image's _assemble_contours, segment by segment: a segment extends the contour ending where it
    /// starts and/or the one starting where it ends (joining the two, the older absorbing the newer), or starts one.</summary>
    private sealed class ContourAssembly
    {
        private readonly Dictionary<int, Contour> _contours = [];
        private readonly Dictionary<ContourPoint, Contour> _starts = [];
        private readonly Dictionary<ContourPoint, Contour> _ends = [];
        private int _next;

        public void Add(ContourPoint from, ContourPoint to)
        {
            if (from == to) return;
            _starts.Remove(to, out var tail);
            _ends.Remove(from, out var head);
            if (tail is not null && head is not null)
            {
                if (ReferenceEquals(tail, head)) head.Append(to);
                else if (tail.Number > head.Number)
                {
                    head.Append(tail);
                    _contours.Remove(tail.Number);
                    _starts[head.First] = head;
                    _ends[head.Last] = head;
                }
                else
                {
                    tail.Prepend(head);
                    _starts.Remove(head.First);
                    _contours.Remove(head.Number);
                    _starts[tail.First] = tail;
                    _ends[tail.Last] = tail;
                }
            }
            else if (tail is null && head is null)
            {
                var contour = new Contour(_next++, from, to);
                _contours[contour.Number] = contour;
                _starts[from] = contour;
                _ends[to] = contour;
            }
            else if (head is null)
            {
                tail!.Prepend(from);
                _starts[from] = tail;
            }
            else
            {
                head.Append(to);
                _ends[to] = head;
            }
        }

        public NDArray[] Result(bool reverse) => [.. _contours.OrderBy(c => c.Key).Select(c => (NDArray)c.Value.ToArray(reverse))];
    }
}
