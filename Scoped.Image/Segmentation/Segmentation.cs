using Scoped.Image.Kernels;

namespace Scoped.Image;

/// <summary>The result of <see cref="Segmentation.RelabelSequential"/>: the relabelled array and scikit-image's two
/// ArrayMaps as their value lists (forward: <see cref="InputValues"/>[i] became <see cref="OutputValues"/>[i]; the
/// inverse map reads the same lists the other way).</summary>
/// <param name="Labels">The relabelled array.</param>
/// <param name="InputValues">The distinct input labels, ascending.</param>
/// <param name="OutputValues">What each input label became (0 stays 0).</param>
public sealed record SequentialLabels(NDArray Labels, long[] InputValues, long[] OutputValues);

/// <summary>skimage.segmentation (domain scoped.image.segmentation): watershed, and the label clean-up around it.</summary>
public static partial class Segmentation
{
    private static readonly DType[] LabelTypes = [DType.Bool, DType.UInt8, DType.UInt16, DType.Int32];

    /// <summary>
    /// skimage.segmentation.watershed: floods <paramref name="image"/> from <paramref name="markers"/>, lowest values
    /// first (Soille's priority-queue watershed; ties go to the element queued first, so plateaus split between the
    /// markers around them). Returns int32 labels of the image's shape: each element gets the label of the basin that
    /// reaches it; elements outside <paramref name="mask"/>, and those no marker reaches, stay 0. Same numbers as
    /// scikit-image 0.19.3 in any rank.
    /// </summary>
    /// <param name="image">The relief, any rank and numeric type (read as float64).</param>
    /// <param name="markers">Same shape: the basins' seeds, 0 where there is none (bool, uint8, uint16 or int32). A seed count
    /// or local-minima seeds (scikit-image's markers=int and markers=None) are not supported.</param>
    /// <param name="connectivity">1..rank: how many unit steps a neighbour may be away (1 = faces only).</param>
    /// <param name="mask">Same shape, or null: only elements where it is non-zero are flooded.</param>
    /// <param name="compactness">&gt;= 0: a compact watershed (Neubert and Protzel 2014) adds this times the distance to the
    /// seed to each element's value.</param>
    /// <param name="watershedLine">Separate the basins by a one-element line labelled 0.</param>
    public static NDArray Watershed(NDArray image, NDArray markers, int connectivity = 1, NDArray? mask = null, double compactness = 0,
        bool watershedLine = false)
    {
        Guard.Spatial(image, nameof(image), null);
        Guard.DTypeIn(image, nameof(image), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64);
        Guard.Spatial(markers, nameof(markers), null);
        Guard.SameShape(image, nameof(image), markers, nameof(markers));
        Guard.DTypeIn(markers, nameof(markers), LabelTypes);
        if (mask is not null)
        {
            Guard.SameShape(image, nameof(image), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64);
        }
        CheckConnectivity(connectivity, image.Rank);
        Guard.NonNegative(compactness, nameof(compactness));
        // The flood works on the array padded by one element per side: its size must be addressable, and the work
        // (float64 relief, labels, mask, queue) within the work limit.
        var padded = image.Shape.ToArray().Select(n => n + 2).ToArray();
        if (padded.Aggregate(1L, (a, n) => a * n) > int.MaxValue)
            throw new ArgumentException($"image {image.ShapeText} is too large for watershed: padded by one per side it must stay under 2^31 elements.", nameof(image));
        Guard.OutputShape(padded, nameof(image), "the padded work arrays");
        return Methods.Watershed.Invoke(image, markers, connectivity, mask, compactness, watershedLine);
    }

    /// <summary>
    /// skimage.segmentation.clear_border: a copy of <paramref name="labels"/> in which every object touching the border
    /// (the outer <paramref name="bufferSize"/> + 1 elements of every axis, or where <paramref name="mask"/> is false) is
    /// set to <paramref name="bgval"/>. Objects are found as measure.label finds them (full connectivity, equal values
    /// connect); as in scikit-image, background pixels on the border are set to bgval too.
    /// </summary>
    /// <param name="labels">bool, uint8, uint16 or int32 labels of 2 or more axes.</param>
    /// <param name="bufferSize">&gt;= 0 and smaller than every axis when no mask is given.</param>
    /// <param name="bgval">The value cleared objects get; must fit the labels' element type.</param>
    /// <param name="mask">bool, same shape, or null: where it is false counts as border.</param>
    public static NDArray ClearBorder(NDArray labels, int bufferSize = 0, int bgval = 0, NDArray? mask = null)
    {
        Guard.Spatial(labels, nameof(labels), null, minRank: 2);
        Guard.DTypeIn(labels, nameof(labels), LabelTypes);
        if (bufferSize < 0) throw new ArgumentException($"bufferSize must be >= 0; got {bufferSize}.", nameof(bufferSize));
        if (mask is null && labels.Shape.ToArray().Any(n => bufferSize >= n))
            throw new ArgumentException($"bufferSize {bufferSize} must be smaller than every axis of labels {labels.ShapeText} (scikit-image: buffer size may not be greater than labels size).", nameof(bufferSize));
        if (mask is not null)
        {
            Guard.SameShape(labels, nameof(labels), mask, nameof(mask));
            Guard.DTypeIn(mask, nameof(mask), DType.Bool);
        }
        var (min, max) = labels.DType == DType.Bool ? (0.0, 1.0) : labels.DType.Range();
        if (bgval < min || bgval > max)
            throw new ArgumentException($"bgval {bgval} does not fit labels of element type {labels.DType.NumPyName()} ({min}..{max}).", nameof(bgval));
        return Methods.ClearBorder.Invoke(labels, bufferSize, bgval, mask);
    }

    /// <summary>
    /// skimage.segmentation.find_boundaries: a bool array, true on the boundaries between labelled regions.
    /// "thick": where the dilation and erosion of the labels (connectivity's cross) differ; "inner": those inside
    /// objects; "outer": those in the background or between two objects; "subpixel": on the (2n - 1)-per-axis grid
    /// between pixels, true where the 3^n window around an in-between element sees two labels.
    /// </summary>
    /// <param name="labelImg">bool, uint8, uint16 or int32 labels of any rank (bool is read as uint8).</param>
    /// <param name="connectivity">1..rank.</param>
    /// <param name="mode">thick, inner, outer or subpixel.</param>
    /// <param name="background">The background label (inner and outer modes).</param>
    public static NDArray FindBoundaries(NDArray labelImg, int connectivity = 1, string mode = "thick", int background = 0)
    {
        Guard.Spatial(labelImg, nameof(labelImg), null);
        Guard.DTypeIn(labelImg, nameof(labelImg), LabelTypes);
        CheckConnectivity(connectivity, labelImg.Rank);
        if (mode is not ("thick" or "inner" or "outer" or "subpixel"))
            throw new ArgumentException($"mode must be thick, inner, outer or subpixel; got '{mode}'.", nameof(mode));
        if (mode == "subpixel") Guard.OutputShape(labelImg.Shape.ToArray().Select(n => 2 * n - 1).ToArray(), nameof(labelImg), "the subpixel boundaries");
        return Methods.FindBoundaries.Invoke(labelImg, connectivity, mode, background);
    }

    /// <summary>
    /// skimage.segmentation.expand_labels: every background element within <paramref name="distance"/> (Euclidean) of a
    /// label takes the label of its nearest labelled element, found by scipy's exact feature transform (so among equally
    /// near labels the same one wins); the rest stay 0. The labels' element type is kept.
    /// </summary>
    /// <param name="labelImage">bool, uint8, uint16 or int32 labels of any rank (0 = background).</param>
    /// <param name="distance">How far to grow, &gt;= 0 (infinity grows every label into all the background).</param>
    public static NDArray ExpandLabels(NDArray labelImage, double distance = 1)
    {
        Guard.Spatial(labelImage, nameof(labelImage), null);
        Guard.DTypeIn(labelImage, nameof(labelImage), LabelTypes);
        if (double.IsNaN(distance) || distance < 0) throw new ArgumentException($"distance must be >= 0; got {distance}.", nameof(distance));
        return Methods.ExpandLabels.Invoke(labelImage, distance);
    }

    /// <summary>
    /// skimage.segmentation.mark_boundaries: the image as float RGB (img_as_float; a grey image repeated in three
    /// channels; float32 stays float32, else float64) with the find_boundaries pixels of <paramref name="labelImg"/> set
    /// to <paramref name="color"/>, and, given <paramref name="outlineColor"/>, the boundaries dilated by a 3 x 3 square
    /// set to it first.
    /// </summary>
    /// <param name="image">(rows, cols) grey or (rows, cols, 3) RGB, any supported element type.</param>
    /// <param name="labelImg">(rows, cols) labels: bool, uint8, uint16 or int32.</param>
    /// <param name="color">Three values in the float range; default (1, 1, 0), yellow.</param>
    /// <param name="outlineColor">Three values, or null for no outline.</param>
    /// <param name="mode">find_boundaries' mode: thick, inner or outer (subpixel, which zooms the image, is not supported).</param>
    /// <param name="backgroundLabel">The background label for inner and outer.</param>
    public static NDArray MarkBoundaries(NDArray image, NDArray labelImg, double[]? color = null, double[]? outlineColor = null, string mode = "outer",
        int backgroundLabel = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        Guard.Spatial(image, nameof(image), image.Rank == 3 ? 2 : null, minRank: 2, maxRank: 2);
        if (image.Rank == 3 && image.Shape[2] != 3)
            throw new ArgumentException($"image must be (rows, cols) or (rows, cols, 3); got {image.ShapeText}.", nameof(image));
        Guard.DTypeIn(image, nameof(image), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64);
        Guard.Spatial(labelImg, nameof(labelImg), null, minRank: 2, maxRank: 2);
        Guard.DTypeIn(labelImg, nameof(labelImg), LabelTypes);
        if (labelImg.Shape[0] != image.Shape[0] || labelImg.Shape[1] != image.Shape[1])
            throw new ArgumentException($"labelImg {labelImg.ShapeText} must have the image's rows and columns ({image.ShapeText}).", nameof(labelImg));
        color ??= [1, 1, 0];
        CheckColour(color, nameof(color));
        if (outlineColor is not null) CheckColour(outlineColor, nameof(outlineColor));
        if (mode is not ("thick" or "inner" or "outer"))
            throw new ArgumentException($"mode must be thick, inner or outer; got '{mode}' (subpixel is not supported by mark_boundaries here).", nameof(mode));
        return Methods.MarkBoundaries.Invoke(image, labelImg, color, outlineColor ?? [], mode, backgroundLabel);
    }

    private static void CheckColour(double[] colour, string name)
    {
        if (colour.Length != 3) throw new ArgumentException($"{name} must have three values (R, G, B); got {colour.Length}.", name);
        foreach (var v in colour) Guard.Finite(v, name);
    }

    /// <summary>
    /// skimage.segmentation.relabel_sequential: the labels renumbered offset, offset + 1, ... in increasing order of
    /// the old labels, 0 kept as 0; with the forward and inverse maps. The element type is the input's unless the new
    /// largest label does not fit below its maximum, then the smallest unsigned type that holds it (as NumPy's
    /// min_scalar_type), int32 where that would be uint32 (this library's widest label type).
    /// </summary>
    /// <param name="labelField">uint8, uint16 or int32 labels, no negative values, any rank.</param>
    /// <param name="offset">The first new label, &gt;= 1.</param>
    public static SequentialLabels RelabelSequential(NDArray labelField, int offset = 1)
    {
        Guard.Spatial(labelField, nameof(labelField), null);
        Guard.DTypeIn(labelField, nameof(labelField), DType.UInt8, DType.UInt16, DType.Int32);
        if (offset <= 0) throw new ArgumentException($"offset must be >= 1 (scikit-image: strictly positive); got {offset}.", nameof(offset));
        return Methods.RelabelSequential.Invoke(labelField, offset);
    }

    /// <summary>
    /// skimage.segmentation.join_segmentations: the segmentation whose regions are the non-empty intersections of the
    /// regions of <paramref name="s1"/> and <paramref name="s2"/>, numbered 1, 2, ... in increasing order of (label
    /// in s1, label in s2), 0 where both are 0. int32. scikit-image computes the pair in the inputs' type, which wraps
    /// for uint8 and uint16 labels past 255 or 65535 pairs; here it never wraps.
    /// </summary>
    /// <param name="s1">uint8, uint16 or int32 labels, no negative values, any rank.</param>
    /// <param name="s2">As <paramref name="s1"/>, of its shape.</param>
    public static NDArray JoinSegmentations(NDArray s1, NDArray s2)
    {
        Guard.Spatial(s1, nameof(s1), null);
        Guard.Spatial(s2, nameof(s2), null);
        Guard.DTypeIn(s1, nameof(s1), DType.UInt8, DType.UInt16, DType.Int32);
        Guard.DTypeIn(s2, nameof(s2), DType.UInt8, DType.UInt16, DType.Int32);
        Guard.SameShape(s1, nameof(s1), s2, nameof(s2));
        return Methods.JoinSegmentations.Invoke(s1, s2);
    }

    private static void CheckConnectivity(int connectivity, int rank)
    {
        if (connectivity < 1 || connectivity > rank)
            throw new ArgumentException($"connectivity must be in [1, {rank}] for a {rank}-D image; got {connectivity}.", nameof(connectivity));
    }

    // ---------------------------------------------------------------- implementations

    [Function(Domains.Segmentation + ":watershed", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray WatershedCpu(NDArray image, NDArray markers, int connectivity, NDArray? mask, double compactness, bool watershedLine)
    {
        var shape = image.Shape.ToArray();
        int rank = shape.Length;
        var padded = shape.Select(n => n + 2).ToArray();
        var strides = new int[rank];
        for (int a = rank - 1, s = 1; a >= 0; s *= padded[a], a--) strides[a] = s;
        int size = strides[0] * padded[0];
        var relief = (double[])Guard.Host(image, nameof(image)).AsType(DType.Float64).ToFlatArray();
        var seeds = (int[])Guard.Host(markers, nameof(markers)).AsType(DType.Int32).ToFlatArray();
        var inside = mask is null ? null : (bool[])Guard.Host(mask, nameof(mask)).AsType(DType.Bool).ToFlatArray();
        var values = new double[size];
        var output = new int[size];
        var flood = new byte[size];
        // The padding is 0 in all three (np.pad constant): the mask's zero border keeps the flood inside.
        int width = shape[^1], rows = relief.Length / Math.Max(1, width);
        var index = new int[rank];
        for (int r = 0; r < rows; r++)
        {
            int at = PaddedRowStart(r, shape, strides, index);
            for (int x = 0, i = r * width; x < width; x++, i++)
            {
                values[at + x] = relief[i];
                bool within = inside?[i] ?? true;
                flood[at + x] = within ? (byte)1 : (byte)0;
                output[at + x] = within ? seeds[i] : 0; // markers * mask
            }
        }
        Kernels.Watershed.Flood(values, output, flood, Neighbours(rank, connectivity, strides), strides, compactness, watershedLine);
        var labels = new int[relief.Length];
        for (int r = 0; r < rows; r++)
            Array.Copy(output, PaddedRowStart(r, shape, strides, index), labels, r * width, width);
        return HostArray.Create(labels, shape);
    }

    /// <summary>Where row <paramref name="row"/> (along the last axis) of the unpadded array starts in the padded one.</summary>
    private static int PaddedRowStart(int row, int[] shape, int[] strides, int[] index)
    {
        Raster.Unravel(row, shape.AsSpan(0, shape.Length - 1), index);
        int at = 1;
        for (int a = 0; a < shape.Length - 1; a++) at += (index[a] + 1) * strides[a];
        return at;
    }

    /// <summary>
    /// scikit-image's _offsets_to_raveled_neighbors for generate_binary_structure(rank, connectivity) centred: the
    /// raveled offsets in the footprint's C order, sorted by distance with NumPy's argsort (whose order among equal
    /// distances the flood inherits), the centre left out.
    /// </summary>
    private static int[] Neighbours(int rank, int connectivity, int[] strides)
    {
        var footprint = FlatFootprint.Connectivity(rank, connectivity);
        var offsets = new List<int>();
        var distances = new List<double>();
        for (int i = 0; i < footprint.Values.Length; i++)
        {
            if (!footprint.Values[i]) continue;
            int offset = 0, squares = 0;
            for (int a = rank - 1, rest = i; a >= 0; a--, rest /= 3)
            {
                int step = rest % 3 - 1;
                offset += step * strides[a];
                squares += step * step;
            }
            offsets.Add(offset);
            distances.Add(Math.Sqrt(squares));
        }
        var order = Enumerable.Range(0, offsets.Count).ToArray();
        NumPySort.ArgQuickSort(distances.ToArray(), order);
        return order.Skip(1).Select(k => offsets[k]).ToArray();
    }
}
