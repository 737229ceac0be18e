using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>
/// One region of <see cref="Measure.Regionprops"/> (skimage's RegionProperties), with scikit-image's values.
/// </summary>
/// <param name="Label">The region's label.</param>
/// <param name="Area">Number of pixels (voxels in 3-D).</param>
/// <param name="Centroid">The mean of the pixel coordinates, one per axis: (row, col) in 2-D, (plane, row, col) in 3-D.</param>
/// <param name="Bbox">The minimum coordinate on every axis, then one past the maximum on every axis:
/// (min_row, min_col, max_row, max_col) in 2-D, (min_plane, min_row, min_col, max_plane, max_row, max_col) in 3-D.</param>
/// <param name="MeanIntensity">Mean of the intensity image over the region; null without an intensity image.</param>
/// <param name="MinIntensity">Minimum of the intensity image over the region, or null.</param>
/// <param name="MaxIntensity">Maximum of the intensity image over the region, or null.</param>
public sealed partial record RegionProperties(int Label, int Area, double[] Centroid, int[] Bbox, double? MeanIntensity, double? MinIntensity, double? MaxIntensity)
{
    /// <summary>area_bbox: the number of elements of the bounding box.</summary>
    public long AreaBbox { get; init; }

    /// <summary>extent: area / area_bbox.</summary>
    public double Extent { get; init; }

    /// <summary>equivalent_diameter_area: (2 ndim area / pi)^(1 / ndim), as scikit-image 0.19 writes it (the diameter of
    /// the disk of the region's area in 2-D).</summary>
    public double EquivalentDiameterArea { get; init; }

    /// <summary>inertia_tensor: ndim rows of ndim, from the central moments (diagonal: the other axes' second moments;
    /// off the diagonal: minus the mixed moment; each over the area). Rows of arrays, so it serialises as nested lists.</summary>
    public double[][] InertiaTensor { get; init; } = [];

    /// <summary>inertia_tensor_eigvals: the tensor's eigenvalues, clipped at 0, largest first.</summary>
    public double[] InertiaTensorEigvals { get; init; } = [];

    /// <summary>axis_major_length: 4 sqrt(l1) in 2-D, sqrt(10 (l1 + l2 - l3)) in 3-D; null in other ranks.</summary>
    public double? AxisMajorLength { get; init; }

    /// <summary>axis_minor_length: 4 sqrt(l2) in 2-D, sqrt(10 (-l1 + l2 + l3)) in 3-D (NaN where rounding makes that
    /// negative, where scikit-image raises); null in other ranks.</summary>
    public double? AxisMinorLength { get; init; }

    /// <summary>eccentricity (2-D): sqrt(1 - l2 / l1), 0 for a single pixel; null in other ranks.</summary>
    public double? Eccentricity { get; init; }

    /// <summary>orientation (2-D): the angle between axis 0 and the major axis, in [-pi/2, pi/2]; null in other ranks.</summary>
    public double? Orientation { get; init; }
}

/// <summary>skimage.measure (domain scoped.image.measure): connected-component labels and region properties.</summary>
public static partial class Measure
{
    public static partial class Methods
    {
        // Without an intensity image every per-label accumulator is an exact integer, merged across bands in order;
        // with one, the float64 sums would be added in another order than the raster pass adds them.
        internal static string? RegionpropsNotInBands(DispatchCall call) => call.Argument<NDArray?>("intensityImage") is not null
            ? "regionprops with an intensity image sums it per label in raster order (float64), which bands would change." : null;
    }

    /// <summary>
    /// skimage.measure.label: int32 labels of the connected regions, numbered 1, 2, ... in raster order of each
    /// region's first pixel; background pixels get 0. A bool image labels its true pixels (false ones with
    /// <paramref name="background"/> = 1); an integer image connects neighbouring pixels of equal value, and pixels
    /// equal to <paramref name="background"/> (default 0) are background. (scikit-image returns int64 for integer
    /// input; this returns int32 always.)
    /// </summary>
    /// <param name="labelImage">bool, uint8, uint16 or int32 image of 2 or more axes (a volume: 3-D neighbours).</param>
    /// <param name="background">The background value; null = 0.</param>
    /// <param name="connectivity">1..rank: how many unit steps a neighbour may be away (2-D: 1 = 4-neighbours, 2 =
    /// 8-neighbours; 3-D: 1 = 6, 2 = 18, 3 = 26); null = the image's rank (full connectivity).</param>
    public static NDArray Label(NDArray labelImage, int? background = null, int? connectivity = null)
    {
        CheckLabelArgs(labelImage, connectivity);
        return Methods.Label.Invoke(labelImage, background, connectivity);
    }

    /// <summary>skimage.measure.label(..., return_num=True): the labels and the number of regions.</summary>
    /// <param name="labelImage">bool, uint8, uint16 or int32 image of 2 or more axes.</param>
    /// <param name="num">The number of regions (the largest label).</param>
    /// <param name="background">The background value; null = 0.</param>
    /// <param name="connectivity">1..rank; null = the image's rank.</param>
    public static NDArray Label(NDArray labelImage, out int num, int? background = null, int? connectivity = null)
    {
        var labels = Label(labelImage, background, connectivity);
        num = 0;
        foreach (var v in (int[])((HostArray)labels).ToFlatArray()) num = Math.Max(num, v);
        return labels;
    }

    /// <summary>
    /// skimage.measure.regionprops: one record per label present (labels &gt; 0, in increasing order) with area,
    /// centroid, bounding box and, given <paramref name="intensityImage"/>, mean/min/max intensity.
    /// </summary>
    /// <param name="labelImage">2-D uint8, uint16 or int32 labels (0 = background; negative labels are rejected).</param>
    /// <param name="intensityImage">Optional 2-D image of the same shape, any supported dtype.</param>
    public static RegionProperties[] Regionprops(NDArray labelImage, NDArray? intensityImage = null)
    {
        Guard.Spatial(labelImage, nameof(labelImage), null, minRank: 2);
        Guard.DTypeIn(labelImage, nameof(labelImage), DType.UInt8, DType.UInt16, DType.Int32);
        if (intensityImage is not null)
        {
            Guard.Spatial(intensityImage, nameof(intensityImage), null, minRank: 2);
            Guard.SameShape(labelImage, nameof(labelImage), intensityImage, nameof(intensityImage));
        }
        return WithSources(Methods.Regionprops.Invoke(labelImage, intensityImage), labelImage, intensityImage);
    }

    private static void CheckLabelArgs(NDArray labelImage, int? connectivity)
    {
        Guard.Spatial(labelImage, nameof(labelImage), null, minRank: 2);
        Guard.DTypeIn(labelImage, nameof(labelImage), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32);
        if (connectivity is { } c && (c < 1 || c > labelImage.Rank))
            throw new ArgumentException($"connectivity for a {labelImage.Rank}-D image must be in [1, {labelImage.Rank}]; got {c}.", nameof(connectivity));
    }

    [Function(Domains.Measure + ":label", FunctionKind.Labelling, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray LabelCpu(NDArray labelImage, int? background, int? connectivity)
    {
        int bg = background ?? 0;
        if (labelImage.Rank != 2) return LabelVolume(Guard.Host(labelImage, nameof(labelImage)), bg, connectivity ?? labelImage.Rank);
        bool eight = (connectivity ?? 2) == 2;
        return Guard.Host(labelImage, nameof(labelImage)) switch
        {
            HostArray<bool> b => Labeling.Label(b, bg == 1 ? 1 : 0, eight, out _),
            HostArray<byte> u8 => bg is < 0 or > byte.MaxValue ? Labeling.Label(Widen(u8).Rows(), bg, eight, out _) : Labeling.Label(u8.Rows(), (byte)bg, eight, out _),
            HostArray<ushort> u16 => bg is < 0 or > ushort.MaxValue ? Labeling.Label(Widen(u16).Rows(), bg, eight, out _) : Labeling.Label(u16.Rows(), (ushort)bg, eight, out _),
            HostArray<int> i32 => Labeling.Label(i32.Rows(), bg, eight, out _),
            var other => throw new ArgumentException($"labelImage has element type {other.DType.NumPyName()}; supported: bool, uint8, uint16, int32.", nameof(labelImage)),
        };
    }

    /// <summary>measure.label of an image of 3 or more axes (Labeling.LabelVolume).</summary>
    internal static HostArray<int> LabelVolume(HostArray image, int background, int connectivity)
    {
        var shape = image.Shape.ToArray();
        return image switch
        {
            HostArray<bool> b => Labeling.LabelVolume(b.Dense().Lines().Reinterpret<byte>(), shape, background == 1 ? (byte)1 : (byte)0, connectivity),
            HostArray<byte> u8 when background is >= 0 and <= byte.MaxValue => Labeling.LabelVolume(u8.Dense().Lines(), shape, (byte)background, connectivity),
            HostArray<ushort> u16 when background is >= 0 and <= ushort.MaxValue => Labeling.LabelVolume(u16.Dense().Lines(), shape, (ushort)background, connectivity),
            HostArray<byte> u8 => Labeling.LabelVolume(Widen(u8).Lines(), shape, background, connectivity),
            HostArray<ushort> u16 => Labeling.LabelVolume(Widen(u16).Lines(), shape, background, connectivity),
            HostArray<int> i32 => Labeling.LabelVolume(i32.Dense().Lines(), shape, background, connectivity),
            var other => throw new ArgumentException($"labelImage has element type {other.DType.NumPyName()}; supported: bool, uint8, uint16, int32.", "labelImage"),
        };
    }

    /// <summary>An unsigned image as int32 (a background outside its range then matches no pixel), in bands of rows.</summary>
    private static HostArray<int> Widen<T>(HostArray<T> image) where T : unmanaged, IBinaryInteger<T> =>
        Pointwise.Map<T, int, WidenMap<T>>(image, default);

    private readonly struct WidenMap<T> : IElementMap<T, int> where T : unmanaged, IBinaryInteger<T>
    {
        public int Invoke(T value) => int.CreateTruncating(value);
    }

    [Function(Domains.Measure + ":regionprops", FunctionKind.Labelling, RunsInBands = true, NotInBandsWhen = nameof(Methods.RegionpropsNotInBands),
        MaxRank = ImageAxes.MaxSpatialRank)]
    private static RegionProperties[] RegionpropsCpu(NDArray labelImage, NDArray? intensityImage)
    {
        // The accumulators are indexed by label; labels far above the pixel count (1e9 in a 5x5 image) are renumbered
        // 1..n first, so the tables stay the size of the image, and the regions get their labels back at the end.
        if (Renumbered(Guard.Host(labelImage, nameof(labelImage))) is var (compact, original))
            return Array.ConvertAll(RegionpropsCpu(compact, intensityImage), r => r with { Label = original[r.Label] });
        if (labelImage.Rank != 2) return RegionpropsVolume(Guard.Host(labelImage, nameof(labelImage)), intensityImage is null ? null : Guard.Host(intensityImage, nameof(intensityImage)));
        // Without an intensity image every property is an exact integer sum, minimum or maximum: kept per band and
        // merged in band order. (The mean intensity is a float64 sum in raster order per label, which bands would change.)
        if (intensityImage is null)
            switch (Guard.Host(labelImage, nameof(labelImage)))
            {
                case HostArray<byte> a: return Shapes(a.Rows());
                case HostArray<ushort> a: return Shapes(a.Rows());
                case HostArray<int> a: return Shapes(a.Rows());
            }
        // With an intensity image: one raster pass, the same as for volumes.
        return RegionpropsVolume(Guard.Host(labelImage, nameof(labelImage)), intensityImage is null ? null : Guard.Host(intensityImage, nameof(intensityImage)));
    }

    /// <summary>The labels renumbered 1..n in increasing order (0 stays 0) with the original of each, when the largest
    /// label exceeds both 4096 and twice the pixel count; null otherwise (and for negative labels, which the caller rejects).</summary>
    private static (HostArray<int> Compact, int[] Original)? Renumbered(HostArray labels)
    {
        long largest = labels switch
        {
            HostArray<byte> a => Labeling.LargestLabel(a.Flat()),
            HostArray<ushort> a => Labeling.LargestLabel(a.Flat()),
            HostArray<int> a => Labeling.LargestLabel(a.Flat()),
            _ => -1,
        };
        if (largest <= Math.Max(4096, 2 * labels.Size)) return null;
        var flat = (int[])labels.AsType(DType.Int32).ToFlatArray();
        var present = flat.Distinct().Order().ToArray();
        int[] original = present[0] == 0 ? present : [0, .. present];
        var compact = Array.ConvertAll(flat, l => Array.BinarySearch(original, l));
        return (HostArray.Create(compact, labels.Shape.ToArray()), original);
    }

    /// <summary>
    /// regionprops in one raster pass, any rank (2-D with an intensity image, and every volume): area (voxels), centroid and bbox per axis
    /// (bbox = the minimum on every axis, then one past the maximum, as scikit-image orders it), and the intensity's
    /// mean (summed in raster order), minimum and maximum.
    /// </summary>
    private static RegionProperties[] RegionpropsVolume(HostArray labelImage, HostArray? intensityImage)
    {
        var flat = (int[])labelImage.AsType(DType.Int32).ToFlatArray();
        double[]? intensity = intensityImage is null ? null : (double[])intensityImage.AsType(DType.Float64).ToFlatArray();
        int rank = labelImage.Rank;
        var shape = labelImage.Shape.ToArray();
        int max = 0;
        foreach (var v in flat)
        {
            if (v < 0) throw new ArgumentException("labelImage has negative labels; regionprops needs labels >= 0.", nameof(labelImage));
            max = Math.Max(max, v);
        }
        var area = new long[max + 1];
        var sums = new long[(max + 1) * rank];
        int pairs = rank * (rank + 1) / 2;
        var products = new long[(max + 1) * pairs];
        var lowest = new int[(max + 1) * rank];
        var highest = new int[(max + 1) * rank];
        var sum = intensity is null ? null : new double[max + 1];
        var lo = intensity is null ? null : new double[max + 1];
        var hi = intensity is null ? null : new double[max + 1];
        var index = new int[rank];
        for (int i = 0; i < flat.Length; i++)
        {
            if (i > 0) Raster.Next(index, shape);
            int l = flat[i];
            if (l == 0) continue;
            bool first = area[l]++ == 0;
            for (int a = 0; a < rank; a++)
            {
                int k = l * rank + a, c = index[a];
                sums[k] += c;
                if (first || c < lowest[k]) lowest[k] = c;
                if (first || c > highest[k]) highest[k] = c;
            }
            for (int a = 0, k = l * pairs; a < rank; a++)
                for (int b = a; b < rank; b++, k++) products[k] += (long)index[a] * index[b];
            if (intensity is null) continue;
            double v = intensity[i];
            if (first) { lo![l] = v; hi![l] = v; }
            sum![l] += v;
            if (v < lo![l]) lo[l] = v;
            if (v > hi![l]) hi[l] = v;
        }
        var regions = new List<RegionProperties>();
        for (int l = 1; l <= max; l++)
        {
            if (area[l] == 0) continue;
            var centroid = new double[rank];
            var bbox = new int[2 * rank];
            for (int a = 0; a < rank; a++)
            {
                centroid[a] = sums[l * rank + a] / (double)area[l];
                bbox[a] = lowest[l * rank + a];
                bbox[rank + a] = highest[l * rank + a] + 1;
            }
            regions.Add(WithShape(new RegionProperties(l, checked((int)area[l]), centroid, bbox, sum is null ? null : sum[l] / area[l], lo?[l], hi?[l]),
                sums.AsSpan(l * rank, rank), products.AsSpan(l * pairs, pairs)));
        }
        return regions.ToArray();
    }

    /// <summary>Per-label accumulators of one band: area, row and column sums, and the box (first row, min col, last row, max col).</summary>
    private sealed class ShapeSums(long labels)
    {
        public readonly int[] Area = new int[labels];
        public readonly long[] SumRow = new long[labels];
        public readonly long[] SumCol = new long[labels];
        public readonly long[] SumRowRow = new long[labels];
        public readonly long[] SumRowCol = new long[labels];
        public readonly long[] SumColCol = new long[labels];
        public readonly int[] Box = new int[labels * 4];
    }

    /// <summary>regionprops without an intensity image: area, centroid and bbox, in bands.</summary>
    private static RegionProperties[] Shapes<T>(ImageRows<T> rows) where T : unmanaged, IBinaryInteger<T>
    {
        int h = rows.Height;
        int bands = Bands.Count(h);
        long largest = Labeling.LargestLabel(rows);
        if (largest < 0) throw new ArgumentException("labelImage has negative labels; regionprops needs labels >= 0.", "labelImage");
        long labels = largest + 1;
        // One set of accumulators per band; fewer bands when the labels go high.
        int count = Math.Max(1, Math.Min(bands, (int)Math.Min(int.MaxValue, (1L << 22) / labels)));
        var partial = new ShapeSums[count];
        Bands.For(h, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            var p = partial[band] = new ShapeSums(labels);
            for (int y = start; y < end; y++)
            {
                var row = rows.Row(y);
                for (int x = 0; x < row.Length; x++)
                {
                    int l = int.CreateTruncating(row[x]);
                    if (l == 0) continue;
                    if (p.Area[l]++ == 0) { p.Box[4 * l] = y; p.Box[4 * l + 1] = x; p.Box[4 * l + 2] = y; p.Box[4 * l + 3] = x; }
                    else
                    {
                        if (x < p.Box[4 * l + 1]) p.Box[4 * l + 1] = x;
                        if (x > p.Box[4 * l + 3]) p.Box[4 * l + 3] = x;
                        p.Box[4 * l + 2] = y;
                    }
                    p.SumRow[l] += y;
                    p.SumCol[l] += x;
                    p.SumRowRow[l] += (long)y * y;
                    p.SumRowCol[l] += (long)y * x;
                    p.SumColCol[l] += (long)x * x;
                }
            }
        });
        // Merged in band order: later bands lie below, so the first row comes from the first band holding the label
        // and the last row from the last.
        var all = partial[0];
        for (int b = 1; b < count; b++)
        {
            var p = partial[b];
            for (long l = 1; l < labels; l++)
            {
                if (p.Area[l] == 0) continue;
                if (all.Area[l] == 0)
                {
                    for (int k = 0; k < 4; k++) all.Box[4 * l + k] = p.Box[4 * l + k];
                }
                else
                {
                    all.Box[4 * l + 1] = Math.Min(all.Box[4 * l + 1], p.Box[4 * l + 1]);
                    all.Box[4 * l + 2] = p.Box[4 * l + 2];
                    all.Box[4 * l + 3] = Math.Max(all.Box[4 * l + 3], p.Box[4 * l + 3]);
                }
                all.Area[l] += p.Area[l];
                all.SumRow[l] += p.SumRow[l];
                all.SumCol[l] += p.SumCol[l];
                all.SumRowRow[l] += p.SumRowRow[l];
                all.SumRowCol[l] += p.SumRowCol[l];
                all.SumColCol[l] += p.SumColCol[l];
            }
        }
        var regions = new List<RegionProperties>();
        for (int l = 1; l < labels; l++)
        {
            if (all.Area[l] == 0) continue;
            regions.Add(WithShape(new RegionProperties(l, all.Area[l],
                [all.SumRow[l] / (double)all.Area[l], all.SumCol[l] / (double)all.Area[l]],
                [all.Box[4 * l], all.Box[4 * l + 1], all.Box[4 * l + 2] + 1, all.Box[4 * l + 3] + 1],
                null, null, null), [all.SumRow[l], all.SumCol[l]], [all.SumRowRow[l], all.SumRowCol[l], all.SumColCol[l]]));
        }
        return regions.ToArray();
    }

    /// <summary>
    /// The shape properties from exact integer sums: the coordinates' <paramref name="sums"/> per axis and the
    /// <paramref name="products"/> c_a c_b for a &lt;= b (row-major upper triangle). The central moments are
    /// (n S_ab - S_a S_b) / n, formed exactly in 128 bits before the one division, so they carry no cancellation error
    /// (scikit-image sums the same moments in float64 over the region's box).
    /// </summary>
    private static RegionProperties WithShape(RegionProperties region, ReadOnlySpan<long> sums, ReadOnlySpan<long> products)
    {
        int rank = sums.Length;
        long n = region.Area;
        var mu = new double[rank, rank];
        for (int a = 0, k = 0; a < rank; a++)
            for (int b = a; b < rank; b++, k++)
                mu[a, b] = mu[b, a] = (double)((Int128)n * products[k] - (Int128)sums[a] * sums[b]) / n;
        double trace = 0;
        for (int a = 0; a < rank; a++) trace += mu[a, a];
        var tensor = new double[rank, rank];
        for (int a = 0; a < rank; a++)
            for (int b = 0; b < rank; b++)
                tensor[a, b] = a == b ? (trace - mu[a, a]) / n : -mu[a, b] / n;
        var eigvals = SymmetricEigenvalues(tensor);
        long boxArea = 1;
        for (int a = 0; a < rank; a++) boxArea *= region.Bbox[rank + a] - region.Bbox[a];
        double? major = null, minor = null, eccentricity = null, orientation = null;
        if (rank == 2)
        {
            major = 4 * Math.Sqrt(eigvals[0]);
            minor = 4 * Math.Sqrt(eigvals[1]);
            eccentricity = eigvals[0] == 0 ? 0 : Math.Sqrt(1 - eigvals[1] / eigvals[0]);
            double ta = tensor[0, 0], tb = tensor[0, 1], tc = tensor[1, 1];
            orientation = ta - tc == 0 ? (tb < 0 ? -Math.PI / 4 : Math.PI / 4) : 0.5 * Math.Atan2(-2 * tb, tc - ta);
        }
        else if (rank == 3)
        {
            major = Math.Sqrt(10 * (eigvals[0] + eigvals[1] - eigvals[2]));
            minor = Math.Sqrt(10 * (-eigvals[0] + eigvals[1] + eigvals[2]));
        }
        return region with
        {
            AreaBbox = boxArea,
            Extent = region.Area / (double)boxArea,
            EquivalentDiameterArea = Math.Pow(2 * rank * region.Area / Math.PI, 1.0 / rank),
            InertiaTensor = Enumerable.Range(0, rank).Select(a => Enumerable.Range(0, rank).Select(b => tensor[a, b]).ToArray()).ToArray(),
            InertiaTensorEigvals = eigvals,
            AxisMajorLength = major,
            AxisMinorLength = minor,
            Eccentricity = eccentricity,
            Orientation = orientation,
        };
    }

    /// <summary>The eigenvalues of a small symmetric matrix by cyclic Jacobi rotations, clipped at 0 and largest first
    /// (np.linalg.eigvalsh, then scikit-image's clip and sort).</summary>
    private static double[] SymmetricEigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var m = (double[,])matrix.Clone();
        for (int sweep = 0; sweep < 64; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += m[p, q] * m[p, q];
            if (off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (m[p, q] == 0) continue;
                    // The rotation that zeroes m[p, q] (Golub and Van Loan, 8.4), the smaller angle.
                    double theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = Math.Max(0, m[i, i]);
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }
}
