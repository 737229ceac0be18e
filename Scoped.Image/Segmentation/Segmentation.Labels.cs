using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// clear_border, find_boundaries and relabel_sequential: the default implementations.
public static partial class Segmentation
{
    [Function(Domains.Segmentation + ":clear_border", FunctionKind.Labelling, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ClearBorderCpu(NDArray labels, int bufferSize, int bgval, NDArray? mask)
    {
        var host = Guard.Host(labels, nameof(labels));
        var shape = host.Shape.ToArray();
        // The objects as measure.label(labels, background=0) numbers them (full connectivity), then which touch the border.
        var objects = (int[])Measure.LabelVolume(host, 0, shape.Length).ToFlatArray();
        int count = objects.Length == 0 ? 0 : objects.Max();
        var touches = new bool[count + 1];
        var border = mask is null ? null : (bool[])Guard.Host(mask, nameof(mask)).ToFlatArray();
        int width = shape[^1], rows = objects.Length / width, ext = bufferSize + 1;
        var outer = new int[shape.Length - 1];
        for (int r = 0; r < rows; r++)
        {
            Raster.Unravel(r, shape.AsSpan(0, shape.Length - 1), outer);
            bool edgeRow = false;
            for (int a = 0; a < outer.Length; a++) edgeRow |= outer[a] < ext || outer[a] >= shape[a] - ext;
            for (int x = 0, at = r * width; x < width; x++, at++)
            {
                bool onBorder = border is not null ? !border[at] : edgeRow || x < ext || x >= width - ext;
                if (onBorder) touches[objects[at]] = true;
            }
        }
        return host switch
        {
            HostArray<bool> b => Cleared(b, objects, touches, bgval != 0),
            HostArray<byte> u8 => Cleared(u8, objects, touches, (byte)bgval),
            HostArray<ushort> u16 => Cleared(u16, objects, touches, (ushort)bgval),
            HostArray<int> i32 => Cleared(i32, objects, touches, bgval),
            var other => throw new ArgumentException($"labels has element type {other.DType.NumPyName()}; supported: bool, uint8, uint16, int32.", nameof(labels)),
        };
    }

    /// <summary>A copy of <paramref name="labels"/> with every element of an object that touches the border set to <paramref name="bgval"/>.</summary>
    private static HostArray<T> Cleared<T>(HostArray<T> labels, int[] objects, bool[] touches, T bgval) where T : unmanaged
    {
        var data = labels.ToArray();
        for (int i = 0; i < data.Length; i++) if (touches[objects[i]]) data[i] = bgval;
        return HostArray.Create(data, labels.Shape.ToArray());
    }

    public static partial class Methods
    {
        // The dilations, erosions and comparisons run in bands; the subpixel grid is one serial pass.
        internal static string? FindBoundariesNotInBands(DispatchCall call) => call.Argument<string>("mode") == "subpixel"
            ? "find_boundaries(mode=subpixel) walks the (2n - 1)-per-axis grid in one pass." : null;
    }

    [Function(Domains.Segmentation + ":find_boundaries", FunctionKind.Labelling, RunsInBands = true, NotInBandsWhen = nameof(Methods.FindBoundariesNotInBands),
        MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray FindBoundariesCpu(NDArray labelImg, int connectivity, string mode, int background)
    {
        var host = Guard.Host(labelImg, nameof(labelImg));
        if (host.DType == DType.Bool) host = host.AsType(DType.UInt8);
        var shape = host.Shape.ToArray();
        int rank = shape.Length;
        // np.iinfo(dtype).max: what outer mode and the subpixel grid fill the background and the in-between elements with.
        long maxLabel = (long)host.DType.Range().Max;
        if (mode == "subpixel") return Subpixel(Longs(host), shape, maxLabel);
        var boundaries = Differ(host, host, Structure(rank, connectivity));
        if (mode == "thick") return HostArray.Create(boundaries, shape);
        var labels = Longs(host);
        if (mode == "inner")
            InChunks(boundaries.Length, (first, last) => { for (int i = first; i < last; i++) boundaries[i] &= labels[i] != background; });
        else if (mode == "outer")
        {
            // Between two objects, or in the background next to an object: the full-connectivity dilation of the labels
            // differs from the erosion of the labels with the background raised to the type's maximum.
            var raised = HostArray.Create(labels.Select(v => (double)(v == background ? maxLabel : v)).ToArray(), shape).AsType(host.DType);
            var adjacent = Differ(host, raised, Structure(rank, rank));
            InChunks(boundaries.Length, (first, last) =>
            {
                for (int i = first; i < last; i++)
                {
                    bool inBackground = labels[i] == background;
                    boundaries[i] &= inBackground || (adjacent[i] && !inBackground);
                }
            });
        }
        return HostArray.Create(boundaries, shape);
    }

    /// <summary>Where the dilation of <paramref name="dilated"/> and the erosion of <paramref name="eroded"/> by <paramref name="footprint"/> differ.</summary>
    private static bool[] Differ(HostArray dilated, HostArray eroded, NDArray footprint) =>
        (Morphology.ErodeOrDilate(dilated, footprint, max: true), Morphology.ErodeOrDilate(eroded, footprint, max: false)) switch
        {
            (HostArray<byte> up, HostArray<byte> down) => NotEqual(up, down),
            (HostArray<ushort> up, HostArray<ushort> down) => NotEqual(up, down),
            (HostArray<int> up, HostArray<int> down) => NotEqual(up, down),
            var (up, _) => throw new ArgumentException($"Unsupported element type {up.DType.NumPyName()}.", "labelImg"),
        };

    private static bool[] NotEqual<T>(HostArray<T> a, HostArray<T> b) where T : unmanaged, IEquatable<T>
    {
        var (x, y) = (a.ToArray(), b.ToArray());
        var result = new bool[x.Length];
        InChunks(result.Length, (first, last) => { for (int i = first; i < last; i++) result[i] = !x[i].Equals(y[i]); });
        return result;
    }

    /// <summary>An element-wise pass over [0, <paramref name="count"/>) in bands of 4096-element chunks (each element
    /// written from its own inputs only, so any cut gives the same bytes).</summary>
    private static void InChunks(int count, Action<int, int> pass)
    {
        const int Chunk = 4096;
        Bands.For((count + Chunk - 1) / Chunk, (_, start, end) => pass(start * Chunk, Math.Min(count, end * Chunk)));
    }

    /// <summary>ndi.generate_binary_structure(rank, connectivity) as a bool array.</summary>
    private static HostArray<bool> Structure(int rank, int connectivity)
    {
        var footprint = FlatFootprint.Connectivity(rank, connectivity);
        return HostArray.Create(footprint.Values, footprint.Shape);
    }

    /// <summary>An integer array's values as long, in C order.</summary>
    private static long[] Longs(HostArray array) => array switch
    {
        HostArray<byte> a => Array.ConvertAll(a.ToArray(), v => (long)v),
        HostArray<ushort> a => Array.ConvertAll(a.ToArray(), v => (long)v),
        HostArray<int> a => Array.ConvertAll(a.ToArray(), v => (long)v),
        HostArray<bool> a => Array.ConvertAll(a.ToArray(), v => v ? 1L : 0L),
        var other => throw new ArgumentException($"Unsupported element type {other.DType.NumPyName()}.", "labelImg"),
    };

    /// <summary>
    /// find_boundaries' subpixel mode: the labels on the even elements of a (2n - 1)-per-axis grid, the type's maximum on
    /// the others; an in-between element is a boundary when its 3^n window (edge-extended) holds more than two values.
    /// </summary>
    private static HostArray<bool> Subpixel(long[] labels, int[] shape, long maxLabel)
    {
        int rank = shape.Length;
        var grid = shape.Select(n => 2 * n - 1).ToArray();
        var result = new bool[grid.Aggregate(1, (a, n) => a * n)];
        var at = new int[rank];
        var neighbour = new int[rank];
        int window = (int)Math.Pow(3, rank);
        var seen = new long[3];
        for (int e = 0; e < result.Length; e++)
        {
            for (int a = rank - 1, rest = e; a >= 0; a--) { at[a] = rest % grid[a]; rest /= grid[a]; }
            if (Array.TrueForAll(at, c => c % 2 == 0)) continue; // a pixel, not an in-between element
            int distinct = 0;
            for (int k = 0; k < window && distinct <= 2; k++)
            {
                for (int a = rank - 1, rest = k; a >= 0; a--, rest /= 3) neighbour[a] = Math.Clamp(at[a] + rest % 3 - 1, 0, grid[a] - 1);
                long value = maxLabel;
                if (Array.TrueForAll(neighbour, c => c % 2 == 0))
                {
                    int index = 0;
                    for (int a = 0; a < rank; a++) index = index * shape[a] + neighbour[a] / 2;
                    value = labels[index];
                }
                if (Array.IndexOf(seen, value, 0, distinct) < 0) { if (distinct < 3) seen[distinct] = value; distinct++; }
            }
            result[e] = distinct > 2;
        }
        return HostArray.Create(result, grid);
    }

    [Function(Domains.Segmentation + ":expand_labels", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ExpandLabelsCpu(NDArray labelImage, double distance)
    {
        var host = Guard.Host(labelImage, nameof(labelImage));
        var shape = host.Shape.ToArray();
        var labels = Longs(host);
        var grown = new long[labels.Length];
        if (Array.Exists(labels, v => v != 0))
        {
            var features = DistanceTransform.Features(Array.ConvertAll(labels, v => v == 0), shape);
            int rank = shape.Length;
            var coordinate = new int[rank];
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0) Raster.Next(coordinate, shape);
                double squares = 0;
                int nearest = 0;
                for (int k = 0; k < rank; k++)
                {
                    double t = features[k][i] - coordinate[k];
                    squares += t * t;
                    nearest = nearest * shape[k] + features[k][i];
                }
                if (Math.Sqrt(squares) <= distance) grown[i] = labels[nearest];
            }
        }
        return host switch
        {
            HostArray<bool> => HostArray.Create(Array.ConvertAll(grown, v => v != 0), shape),
            HostArray<byte> => HostArray.Create(Array.ConvertAll(grown, v => (byte)v), shape),
            HostArray<ushort> => HostArray.Create(Array.ConvertAll(grown, v => (ushort)v), shape),
            _ => HostArray.Create(Array.ConvertAll(grown, v => (int)v), shape),
        };
    }

    [Function(Domains.Segmentation + ":mark_boundaries", FunctionKind.Labelling, MaxRank = 3)]
    private static NDArray MarkBoundariesCpu(NDArray image, NDArray labelImg, double[] color, double[] outlineColor, string mode, int backgroundLabel)
    {
        var boundaries = (bool[])((HostArray)FindBoundariesCpu(labelImg, 1, mode, backgroundLabel)).ToFlatArray();
        bool[]? outlines = outlineColor.Length == 0 ? null
            : (bool[])Morphology.ErodeOrDilate(HostArray.Create(boundaries, labelImg.Shape.ToArray()), Morphology.Square(3), max: true).ToFlatArray();
        return FloatImages.ToFloat(Guard.Host(image, nameof(image))) switch
        {
            HostArray<float> f => Marked(f, boundaries, outlines, color, outlineColor),
            var other => Marked((HostArray<double>)other, boundaries, outlines, color, outlineColor),
        };
    }

    /// <summary>The float image as RGB (a new array) with the outline pixels, then the boundary pixels, painted.</summary>
    private static HostArray<T> Marked<T>(HostArray<T> image, bool[] boundaries, bool[]? outlines, double[] color, double[] outlineColor)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var source = image.ToArray();
        int pixels = boundaries.Length;
        var rgb = new T[pixels * 3];
        if (image.Rank == 2) for (int i = 0; i < pixels; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = source[i];
        else source.CopyTo(rgb, 0);
        void Paint(bool[] where, double[] colour)
        {
            T r = T.CreateTruncating(colour[0]), g = T.CreateTruncating(colour[1]), b = T.CreateTruncating(colour[2]);
            for (int i = 0; i < pixels; i++)
                if (where[i]) (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (r, g, b);
        }
        if (outlines is not null) Paint(outlines, outlineColor);
        Paint(boundaries, color);
        return HostArray.Create(rgb, image.Shape[0], image.Shape[1], 3);
    }

    [Function(Domains.Segmentation + ":relabel_sequential", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static SequentialLabels RelabelSequentialCpu(NDArray labelField, int offset)
    {
        var host = Guard.Host(labelField, nameof(labelField));
        var values = Longs(host);
        if (values.Length > 0 && values.Min() < 0)
            throw new ArgumentException("labelField has negative values; relabel_sequential needs labels >= 0.", nameof(labelField));
        var (inputs, index) = DistinctValues(values);
        var outputs = new long[inputs.Length];
        for (int i = 0, next = offset; i < inputs.Length; i++) outputs[i] = i == 0 && inputs[0] == 0 ? 0 : next++;
        long last = outputs.Length == 0 ? 0 : outputs[^1];
        // scikit-image's output type: the input's, unless the largest new label needs a wider type or is not below the
        // input type's maximum; then np.min_scalar_type of it (uint8, uint16, uint32: int32 here).
        DType required = last <= byte.MaxValue ? DType.UInt8 : last <= ushort.MaxValue ? DType.UInt16 : DType.Int32;
        DType output = ItemSize(host.DType) < ItemSize(required) ? required : last < (long)host.DType.Range().Max ? host.DType : required;
        if (output == DType.Int32 && last > int.MaxValue)
            throw new ArgumentException($"offset {offset} with {inputs.Length} labels gives labels past int32's maximum.", nameof(offset));
        var relabelled = new long[values.Length];
        for (int i = 0; i < values.Length; i++) relabelled[i] = outputs[index[i]];
        NDArray labels = output switch
        {
            DType.UInt8 => HostArray.Create(Array.ConvertAll(relabelled, v => (byte)v), host.Shape.ToArray()),
            DType.UInt16 => HostArray.Create(Array.ConvertAll(relabelled, v => (ushort)v), host.Shape.ToArray()),
            _ => HostArray.Create(Array.ConvertAll(relabelled, v => (int)v), host.Shape.ToArray()),
        };
        return new SequentialLabels(labels, inputs, outputs);
    }

    /// <summary>The distinct values (none negative) in increasing order, and each element's index among them.</summary>
    private static (long[] Distinct, int[] Index) DistinctValues(long[] values)
    {
        long largest = values.Length == 0 ? 0 : values.Max();
        var index = new int[values.Length];
        // Values up to a few times the element count: a presence table and a lookup table; sparse large values: sort.
        if (largest <= Math.Max(1 << 20, 4L * values.Length))
        {
            var lookup = new int[largest + 1];
            foreach (long v in values) lookup[v] = 1;
            var distinct = new List<long>();
            for (int v = 0; v < lookup.Length; v++)
                if (lookup[v] != 0) { lookup[v] = distinct.Count; distinct.Add(v); }
            for (int i = 0; i < values.Length; i++) index[i] = lookup[values[i]];
            return (distinct.ToArray(), index);
        }
        var sorted = values.Distinct().Order().ToArray();
        for (int i = 0; i < values.Length; i++) index[i] = Array.BinarySearch(sorted, values[i]);
        return (sorted, index);
    }

    [Function(Domains.Segmentation + ":join_segmentations", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray JoinSegmentationsCpu(NDArray s1, NDArray s2)
    {
        var first = SequentialIndex(Guard.Host(s1, nameof(s1)), nameof(s1));
        var second = SequentialIndex(Guard.Host(s2, nameof(s2)), nameof(s2));
        // Each pair of labels (0 with 0 only where both are background) is a key; keys renumbered in increasing order.
        long width = second.Length == 0 ? 1 : second.Max() + 1L;
        var keys = new long[first.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = (long)first[i] * width + second[i];
        return HostArray.Create(Sequential(keys), s1.Shape.ToArray());
    }

    /// <summary>relabel_sequential's labels (1, 2, ... in increasing order, 0 kept) of a label image.</summary>
    private static int[] SequentialIndex(HostArray labels, string name)
    {
        var values = Longs(labels);
        if (values.Length > 0 && values.Min() < 0)
            throw new ArgumentException($"{name} has negative values; labels must be >= 0.", name);
        return Sequential(values);
    }

    /// <summary>Values (none negative) renumbered 1, 2, ... in increasing order, 0 kept as 0.</summary>
    private static int[] Sequential(long[] values)
    {
        var (distinct, index) = DistinctValues(values);
        if (distinct.Length > 0 && distinct[0] != 0)
            for (int i = 0; i < index.Length; i++) index[i]++;
        return index;
    }

    // uint32 (np.min_scalar_type's next step) counts as int32's four bytes.
    private static int ItemSize(DType dtype) => dtype switch { DType.UInt8 => 1, DType.UInt16 => 2, _ => 4 };
}
