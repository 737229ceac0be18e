using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>measure.regionprops_table: one column per scalar property and per element of an array property
/// (bbox-0, inertia_tensor-0-1, ...), one row per region, in scikit-image's column order.</summary>
/// <param name="Columns">Column name to its values, one per region, in order.</param>
public sealed record RegionTable(OrderedDictionary<string, double[]> Columns)
{
    /// <summary>The number of regions (rows).</summary>
    public int Rows => Columns.Count == 0 ? 0 : Columns.GetAt(0).Value.Length;

    /// <summary>The table as CSV: a header of column names, then one line per region; numbers in invariant
    /// round-trip form, NaN as "nan" (what pandas reads and writes).</summary>
    public string ToCsv()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendJoin(',', Columns.Keys).Append('\n');
        for (int r = 0; r < Rows; r++)
        {
            int c = 0;
            foreach (var column in Columns.Values)
            {
                if (c++ > 0) sb.Append(',');
                double v = column[r];
                sb.Append(double.IsNaN(v) ? "nan" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

// The region-local computations behind RegionProperties' lazy properties, and regionprops_table.
public static partial class Measure
{
    /// <summary>regionprops_table's properties, scikit-image's names, each read from a region (a number, a vector,
    /// a nested array or an NDArray, expanded into columns in C order).</summary>
    internal static readonly SortedDictionary<string, Func<RegionProperties, object>> TableProperties = new(StringComparer.Ordinal)
    {
        ["area"] = r => r.Area,
        ["area_bbox"] = r => r.AreaBbox,
        ["area_convex"] = r => r.AreaConvex,
        ["area_filled"] = r => r.AreaFilled,
        ["axis_major_length"] = r => r.AxisMajorLength ?? double.NaN,
        ["axis_minor_length"] = r => r.AxisMinorLength ?? double.NaN,
        ["bbox"] = r => r.Bbox,
        ["centroid"] = r => r.Centroid,
        ["centroid_local"] = r => r.CentroidLocal,
        ["centroid_weighted"] = r => r.CentroidWeighted,
        ["centroid_weighted_local"] = r => r.CentroidWeightedLocal,
        ["eccentricity"] = r => r.Eccentricity ?? double.NaN,
        ["equivalent_diameter_area"] = r => r.EquivalentDiameterArea,
        ["euler_number"] = r => r.EulerNumber,
        ["extent"] = r => r.Extent,
        ["feret_diameter_max"] = r => r.FeretDiameterMax,
        ["inertia_tensor"] = r => r.InertiaTensor,
        ["inertia_tensor_eigvals"] = r => r.InertiaTensorEigvals,
        ["intensity_max"] = r => r.MaxIntensity ?? double.NaN,
        ["intensity_mean"] = r => r.MeanIntensity ?? double.NaN,
        ["intensity_min"] = r => r.MinIntensity ?? double.NaN,
        ["label"] = r => r.Label,
        ["moments"] = r => r.Moments,
        ["moments_central"] = r => r.MomentsCentral,
        ["moments_hu"] = r => r.MomentsHu,
        ["moments_normalized"] = r => r.MomentsNormalized,
        ["moments_weighted"] = r => r.MomentsWeighted,
        ["moments_weighted_central"] = r => r.MomentsWeightedCentral,
        ["moments_weighted_hu"] = r => r.MomentsWeightedHu,
        ["moments_weighted_normalized"] = r => r.MomentsWeightedNormalized,
        ["orientation"] = r => r.Orientation ?? double.NaN,
        ["perimeter"] = r => r.Perimeter,
        ["perimeter_crofton"] = r => r.PerimeterCrofton,
        ["solidity"] = r => r.Solidity,
    };

    private static readonly HashSet<string> PerRegionArrays = ["image", "image_convex", "image_filled", "image_intensity", "coords", "slice"];

    internal static readonly HashSet<string> Only2D = ["area_convex", "eccentricity", "feret_diameter_max", "image_convex", "moments_hu",
        "moments_weighted_hu", "orientation", "perimeter", "perimeter_crofton", "solidity"];

    /// <summary>
    /// skimage.measure.regionprops_table: the <paramref name="properties"/> of every region as columns (a vector or
    /// array property becomes one column per element, named property, separator, index: bbox-0 ... bbox-3), in the
    /// order given. Properties that are an array per region (image, image_convex, image_filled, image_intensity,
    /// coords, slice) are not table columns: read them from <see cref="Regionprops"/>.
    /// </summary>
    /// <param name="labelImage">As <see cref="Regionprops"/> takes it.</param>
    /// <param name="intensityImage">As <see cref="Regionprops"/> takes it; needed by the intensity properties.</param>
    /// <param name="properties">scikit-image's property names; null for label and bbox.</param>
    /// <param name="separator">Between a property's name and each index of its elements.</param>
    public static RegionTable RegionpropsTable(NDArray labelImage, NDArray? intensityImage = null, string[]? properties = null, string separator = "-")
    {
        properties ??= ["label", "bbox"];
        ArgumentNullException.ThrowIfNull(separator);
        foreach (var name in properties)
        {
            if (name is null) throw new ArgumentException("properties must not contain null.", nameof(properties));
            if (PerRegionArrays.Contains(name))
                throw new ArgumentException($"properties: {name} is an array per region, not a table column; read it from Measure.Regionprops.", nameof(properties));
            if (!TableProperties.ContainsKey(name))
                throw new ArgumentException($"properties: \"{name}\" is not a regionprops property; known: {string.Join(", ", TableProperties.Keys.Order())}.", nameof(properties));
            if (intensityImage is null && (name.Contains("intensity") || name.Contains("weighted")))
                throw new ArgumentException($"properties: {name} needs an intensity image.", nameof(properties));
            if (labelImage is not null && labelImage.Rank != 2 && Only2D.Contains(name))
                throw new ArgumentException($"properties: {name} is defined for 2-D label images only; got {labelImage.Rank}-D.", nameof(properties));
            if (labelImage is not null && labelImage.Rank > 3 && name == "euler_number")
                throw new ArgumentException($"properties: euler_number is defined for 2-D and 3-D label images; got {labelImage.Rank}-D.", nameof(properties));
        }
        var regions = Regionprops(labelImage!, intensityImage);
        var columns = new OrderedDictionary<string, double[]>();
        foreach (var name in properties)
        {
            var values = regions.Select(r => Elements(TableProperties[name](r))).ToArray();
            // Every region's value has the same shape; with no regions a property still gets its columns' names
            // from nothing, so it has none (scikit-image gives an empty column per name it can infer).
            var (suffixes, _) = values.Length == 0 ? (new[] { "" }, 0) : (values[0].Suffixes, 0);
            for (int k = 0; k < suffixes.Length; k++)
                columns[suffixes[k].Length == 0 ? name : name + string.Concat(suffixes[k].Split(',').Select(i => separator + i))] =
                    values.Select(v => v.Values[k]).ToArray();
        }
        return new RegionTable(columns);

        static (string[] Suffixes, double[] Values) Elements(object value) => value switch
        {
            int i => ([""], [i]),
            long l => ([""], [l]),
            double d => ([""], [d]),
            int[] a => (Indices([a.Length]), Array.ConvertAll(a, v => (double)v)),
            double[] a => (Indices([a.Length]), a),
            double[][] m => (Indices([m.Length, m.Length == 0 ? 0 : m[0].Length]), m.SelectMany(row => row).ToArray()),
            NDArray array => (Indices(array.Shape.ToArray()), (double[])((HostArray)array).AsType(DType.Float64).ToFlatArray()),
            _ => throw new InvalidOperationException($"unexpected property value {value.GetType().Name}"),
        };

        // Indices in C order, comma-joined: "0,0", "0,1", ...
        static string[] Indices(int[] shape)
        {
            long count = shape.Aggregate(1L, (p, n) => p * n);
            var result = new string[count];
            var index = new int[shape.Length];
            for (long i = 0; i < count; i++)
            {
                if (i > 0) Raster.Next(index, shape);
                result[i] = string.Join(',', index);
            }
            return result;
        }
    }

    /// <summary>Gives each region what its lazy properties read: the (dense) label image and the intensity image.</summary>
    private static RegionProperties[] WithSources(RegionProperties[] regions, NDArray labelImage, NDArray? intensityImage)
    {
        // Arrays on another device keep their regions' eager properties only.
        if (labelImage is not HostArray labels || intensityImage is not (null or HostArray)) return regions;
        var images = new RegionImages(labels, (HostArray?)intensityImage);
        return Array.ConvertAll(regions, r => r with { Source = new RegionSource(images, r.Label) });
    }

    /// <summary>image: the box of the label image, true where it holds the label.</summary>
    internal static NDArray RegionImage(RegionImages images, int label, int[] bbox)
    {
        var full = images.Shape;
        int rank = full.Length;
        var boxShape = Enumerable.Range(0, rank).Select(a => bbox[rank + a] - bbox[a]).ToArray();
        var source = images.Labels;
        var result = new bool[boxShape.Aggregate(1, (p, n) => p * n)];
        var index = new int[rank];
        for (int i = 0; i < result.Length; i++)
        {
            if (i > 0) Raster.Next(index, boxShape);
            long flat = 0;
            for (int a = 0; a < rank; a++) flat = flat * full[a] + index[a] + bbox[a];
            result[i] = source[flat] == label;
        }
        return HostArray.Create(result, boxShape);
    }

    /// <summary>coords: the true elements' coordinates in the image, in raster order, as (area, ndim) int32.</summary>
    internal static NDArray RegionCoords(HostArray<bool> image, int[] bbox)
    {
        int rank = image.Rank;
        var shape = image.Shape.ToArray();
        var values = image.ToArray();
        var coords = new List<int>();
        var index = new int[rank];
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) Raster.Next(index, shape);
            if (!values[i]) continue;
            for (int a = 0; a < rank; a++) coords.Add(index[a] + bbox[a]);
        }
        return HostArray.Create(coords.ToArray(), coords.Count / rank, rank);
    }

    /// <summary>The moments to order 3 of an image (bool read as uint8), raw or about a centre, float64.</summary>
    internal static NDArray RegionMoments(NDArray image, double[]? center)
    {
        var host = Guard.Host(image, nameof(image));
        if (host is HostArray<bool>) host = host.AsType(DType.UInt8);
        return HostArray.Create(MomentsAbout(host, center ?? new double[host.Rank], 3), Enumerable.Repeat(4, host.Rank).ToArray());
    }

    /// <summary>M[e_a] / M[0] per axis: the centroid from the raw moments.</summary>
    internal static double[] FirstMomentsOverZeroth(NDArray moments)
    {
        var m = (double[])((HostArray)moments).AsType(DType.Float64).ToFlatArray();
        int rank = moments.Rank;
        var result = new double[rank];
        for (int a = 0; a < rank; a++)
        {
            long flat = 1;
            for (int b = a + 1; b < rank; b++) flat *= 4;
            result[a] = m[flat] / m[0];
        }
        return result;
    }

    internal static NDArray RegionMomentsNormalized(NDArray mu) => MomentsNormalizedCpu(mu, 3);

    internal static NDArray RegionMomentsHu(NDArray nu) => MomentsHuCpu(nu);

    internal static int CountTrue(NDArray image) => ((HostArray<bool>)image).ToArray().Count(v => v);

    internal static int RegionEulerNumber(NDArray image) => EulerNumberCpu(image, image.Rank);

    internal static double RegionPerimeter(NDArray image) => PerimeterCpu(image, 4);

    internal static double RegionPerimeterCrofton(NDArray image) => PerimeterCroftonCpu(image, 4);

    /// <summary>scipy's binary_fill_holes with a full structure: background elements that no path of background
    /// (through faces, edges and corners) joins to the outside of the box become true.</summary>
    internal static NDArray FillHoles(HostArray<bool> image)
    {
        int rank = image.Rank;
        var shape = image.Shape.ToArray();
        var values = image.ToArray();
        var outside = new bool[values.Length];
        var strides = new int[rank];
        for (int a = rank - 1, s = 1; a >= 0; a--) { strides[a] = s; s *= shape[a]; }
        var queue = new Queue<int>();
        var index = new int[rank];
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) Raster.Next(index, shape);
            bool onBorder = false;
            for (int a = 0; a < rank; a++) onBorder |= index[a] == 0 || index[a] == shape[a] - 1;
            if (onBorder && !values[i]) { outside[i] = true; queue.Enqueue(i); }
        }
        var step = new int[rank];
        while (queue.Count > 0)
        {
            int i = queue.Dequeue();
            for (int a = 0, rest = i; a < rank; a++) { index[a] = rest / strides[a]; rest %= strides[a]; }
            // The 3^rank - 1 neighbours.
            int neighbours = (int)Math.Pow(3, rank);
            for (int k = 0; k < neighbours; k++)
            {
                int flat = 0;
                bool inside = true;
                for (int a = rank - 1, rest = k; a >= 0; a--, rest /= 3)
                {
                    int c = index[a] + rest % 3 - 1;
                    inside &= c >= 0 && c < shape[a];
                    flat += c * strides[a];
                }
                if (!inside || values[flat] || outside[flat]) continue;
                outside[flat] = true;
                queue.Enqueue(flat);
            }
        }
        return HostArray.Create(Array.ConvertAll(outside, o => !o), shape);
    }

    /// <summary>feret_diameter_max: the hull padded by 2, its 0.5 contours (fully connected), and the greatest distance
    /// between two of their points.</summary>
    internal static double FeretDiameter(NDArray hull)
    {
        var h = (HostArray<bool>)hull;
        int rows = h.Shape[0], cols = h.Shape[1];
        var padded = new bool[(rows + 4) * (cols + 4)];
        var src = h.Rows();
        for (int r = 0; r < rows; r++)
        {
            var row = src.Row(r);
            for (int c = 0; c < cols; c++) padded[(r + 2) * (cols + 4) + c + 2] = row[c];
        }
        var points = FindContoursCpu(HostArray.Create(padded, rows + 4, cols + 4), 0.5, "high", "low", null)
            .SelectMany(c => ((HostArray<double>)c).ToArray().Chunk(2)).ToArray();
        double best = 0;
        for (int i = 0; i < points.Length; i++)
            for (int j = i + 1; j < points.Length; j++)
            {
                double dr = points[i][0] - points[j][0], dc = points[i][1] - points[j][1];
                best = Math.Max(best, dr * dr + dc * dc);
            }
        return Math.Sqrt(best);
    }

    /// <summary>image_intensity: the intensity over the box times the region's image, in the intensity's type.</summary>
    internal static NDArray RegionIntensity(RegionImages images, HostArray<bool> image, int[] bbox)
    {
        int rank = image.Rank;
        var boxShape = image.Shape.ToArray();
        var full = images.Shape;
        var source = images.Intensity!;
        var inside = image.ToArray();
        var result = new double[inside.Length];
        var index = new int[rank];
        for (int i = 0; i < result.Length; i++)
        {
            if (i > 0) Raster.Next(index, boxShape);
            long flat = 0;
            for (int a = 0; a < rank; a++) flat = flat * full[a] + index[a] + bbox[a];
            result[i] = source[flat] * (inside[i] ? 1 : 0);
        }
        return HostArray.Create(result, boxShape).AsType(images.IntensityType!.Value);
    }
}
