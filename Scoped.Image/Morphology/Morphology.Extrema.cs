using System.Numerics;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// Regional extrema and flood filling (skimage.morphology.local_maxima, local_minima, flood, flood_fill), in any rank,
// neighbours from a 3 x ... x 3 footprint or a connectivity, as scikit-image's _resolve_neighborhood gives them.
public static partial class Morphology
{
    /// <summary>
    /// skimage.morphology.local_maxima: true on every plateau (connected elements of one value) whose neighbours are
    /// all lower. With <paramref name="allowBorders"/> a plateau may touch the image's edge (the image is padded with
    /// its minimum, so a plateau at the minimum touching the edge is not one); without, edge elements are never maxima
    /// and a plateau touching them is not one.
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank.</param>
    /// <param name="footprint">3 on every axis, non-zero = neighbour, centre set; null for <paramref name="connectivity"/>.</param>
    /// <param name="connectivity">1..rank (1 = faces, rank = every corner); null for rank. Unused with a footprint.</param>
    /// <param name="allowBorders">Whether plateaus touching the image's edge count.</param>
    public static NDArray LocalMaxima(NDArray image, NDArray? footprint = null, int? connectivity = null, bool allowBorders = true)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 1);
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        Neighbourhood(footprint, connectivity, image.Rank);
        return Methods.LocalMaxima.Invoke(image, footprint, connectivity, allowBorders);
    }

    /// <summary>skimage.morphology.local_minima: the local maxima of the inverted image (<see cref="Util.Invert"/>:
    /// floats as 1 - x, so values that round to one 1 - x are one plateau, as in scikit-image).</summary>
    /// <inheritdoc cref="LocalMaxima"/>
    public static NDArray LocalMinima(NDArray image, NDArray? footprint = null, int? connectivity = null, bool allowBorders = true)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 1);
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        Neighbourhood(footprint, connectivity, image.Rank);
        return Methods.LocalMinima.Invoke(image, footprint, connectivity, allowBorders);
    }

    /// <summary>
    /// skimage.morphology.flood: true on the seed and every element connected to it through elements equal to the
    /// seed's value, or, with <paramref name="tolerance"/>, within seed ± tolerance (clipped to the type's range and
    /// then cast to it: integers truncate, as scikit-image's bounds do).
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank.</param>
    /// <param name="seedPoint">One index per axis; negative indices count from the end.</param>
    /// <param name="footprint">3 on every axis, non-zero = neighbour, centre set; null for <paramref name="connectivity"/>.</param>
    /// <param name="connectivity">1..rank; null for rank (every corner). Unused with a footprint.</param>
    /// <param name="tolerance">How far from the seed's value a value may be; null for equal values only.</param>
    public static NDArray Flood(NDArray image, int[] seedPoint, NDArray? footprint = null, int? connectivity = null, double? tolerance = null)
    {
        CheckFlood(image, seedPoint, footprint, connectivity, tolerance);
        return Methods.Flood.Invoke(image, seedPoint, footprint, connectivity, tolerance);
    }

    /// <summary>
    /// skimage.morphology.flood_fill: a copy of the image with the <see cref="Flood"/> region set to
    /// <paramref name="newValue"/>, cast to the image's type as NumPy assigns it (integers truncate, then wrap).
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank.</param>
    /// <param name="seedPoint">One index per axis; negative indices count from the end.</param>
    /// <param name="newValue">The value written.</param>
    /// <param name="footprint">3 on every axis, non-zero = neighbour, centre set; null for <paramref name="connectivity"/>.</param>
    /// <param name="connectivity">1..rank; null for rank (every corner). Unused with a footprint.</param>
    /// <param name="tolerance">How far from the seed's value a value may be; null for equal values only.</param>
    public static NDArray FloodFill(NDArray image, int[] seedPoint, double newValue, NDArray? footprint = null, int? connectivity = null, double? tolerance = null)
    {
        CheckFlood(image, seedPoint, footprint, connectivity, tolerance);
        Guard.Finite(newValue, nameof(newValue));
        return Methods.FloodFill.Invoke(image, seedPoint, newValue, footprint, connectivity, tolerance);
    }

    private static void CheckFlood(NDArray image, int[] seedPoint, NDArray? footprint, int? connectivity, double? tolerance)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 1);
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        SeedIndex(image.Shape.ToArray(), seedPoint);
        Neighbourhood(footprint, connectivity, image.Rank);
        if (tolerance is { } t) Guard.Finite(t, nameof(tolerance));
    }

    /// <summary>The seed's index in each axis (negative ones wrapped), checked.</summary>
    private static int[] SeedIndex(int[] shape, int[] seedPoint)
    {
        ArgumentNullException.ThrowIfNull(seedPoint);
        if (seedPoint.Length != shape.Length)
            throw new ArgumentException($"seedPoint must have one index per axis ({shape.Length}); got {seedPoint.Length}.", nameof(seedPoint));
        var index = new int[shape.Length];
        for (int a = 0; a < shape.Length; a++)
        {
            if (seedPoint[a] < -shape[a] || seedPoint[a] >= shape[a])
                throw new ArgumentException($"seedPoint[{a}] must be in [{-shape[a]}, {shape[a] - 1}] for an axis of {shape[a]}; got {seedPoint[a]}.", nameof(seedPoint));
            index[a] = seedPoint[a] < 0 ? seedPoint[a] + shape[a] : seedPoint[a];
        }
        return index;
    }

    /// <summary>The 3 x ... x 3 neighbourhood of local_maxima and flood: the footprint given, or generate_binary_structure(rank, connectivity).</summary>
    private static FlatFootprint Neighbourhood(NDArray? footprint, int? connectivity, int rank)
    {
        if (footprint is null)
        {
            int c = connectivity ?? rank;
            if (c < 1 || c > rank) throw new ArgumentException($"connectivity must be in [1, {rank}] for a {rank}-D image; got {c}.", nameof(connectivity));
            return FlatFootprint.Connectivity(rank, c);
        }
        if (footprint.Rank != rank)
            throw new ArgumentException($"footprint must have as many axes as the image ({rank}); got shape {footprint.ShapeText}.", nameof(footprint));
        if (Enumerable.Range(0, rank).Any(a => footprint.Shape[a] != 3))
            throw new ArgumentException($"footprint must be 3 long on every axis (direct neighbours only); got shape {footprint.ShapeText}.", nameof(footprint));
        var host = footprint as HostArray ?? throw new ArgumentException($"footprint must be a host array; got a {footprint.Kind} array.", nameof(footprint));
        var values = (bool[])host.AsType(DType.Bool).ToFlatArray();
        // scikit-image drops the nearest offset in place of the centre, which is wrong when the centre is unset: refused.
        if (!values[values.Length / 2]) throw new ArgumentException("footprint must have its centre set.", nameof(footprint));
        return new FlatFootprint(footprint.Shape.ToArray(), values);
    }

    // ---------------------------------------------------------------- implementations

    [Function(Domains.Morphology + ":local_maxima", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray LocalMaximaCpu(NDArray image, NDArray? footprint, int? connectivity, bool allowBorders) =>
        Numeric.Apply<NDArray, RegionalMaxima>(Guard.Host(image, nameof(image)), new(Neighbourhood(footprint, connectivity, image.Rank), allowBorders), nameof(image));

    [Function(Domains.Morphology + ":local_minima", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray LocalMinimaCpu(NDArray image, NDArray? footprint, int? connectivity, bool allowBorders) =>
        Numeric.Apply<NDArray, RegionalMaxima>(Util.InvertHost(Guard.Host(image, nameof(image))), new(Neighbourhood(footprint, connectivity, image.Rank), allowBorders), nameof(image));

    private readonly record struct RegionalMaxima(FlatFootprint Neighbours, bool AllowBorders) : INumericFunc<NDArray>
    {
        public NDArray Invoke<T>(HostArray<T> image) where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var shape = image.Shape.ToArray();
            var values = image.ToArray();
            int rank = shape.Length;
            var centre = Enumerable.Repeat(1, rank).ToArray();
            if (AllowBorders)
            {
                // Padded with the image's minimum, the margin flagged: a plateau may reach the image's edge.
                T min = values[0];
                foreach (var v in values) if (v < min) min = v;
                var grid = PaddedGrid.ByOne(shape);
                var flags = grid.Margin(Plateaus.NotMaximum, Plateaus.Border);
                Plateaus.Maxima(grid.Pad<T>(values, min), flags, grid.Offsets(Neighbours, centre));
                return HostArray.Create(Array.ConvertAll(grid.Crop(flags), f => f == Plateaus.Maximum), shape);
            }
            // The image's own edge is the border (nothing can be a maximum when an axis is shorter than 3).
            if (Array.Exists(shape, n => n < 3)) return HostArray<bool>.Allocate(shape);
            var inside = new PaddedGrid(shape, new int[rank], new int[rank]);
            var edge = new byte[values.Length];
            for (int i = 0; i < edge.Length; i++)
                for (int a = 0, rest = i; a < rank; a++)
                {
                    int c = rest / inside.Strides[a];
                    rest -= c * inside.Strides[a];
                    if (c == 0 || c == shape[a] - 1) { edge[i] = Plateaus.Border; break; }
                }
            Plateaus.Maxima(values, edge, inside.Offsets(Neighbours, centre));
            return HostArray.Create(Array.ConvertAll(edge, f => f == Plateaus.Maximum), shape);
        }
    }

    [Function(Domains.Morphology + ":flood", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray FloodCpu(NDArray image, int[] seedPoint, NDArray? footprint, int? connectivity, double? tolerance) =>
        Numeric.Apply<NDArray, FloodRegion>(Guard.Host(image, nameof(image)),
            new(SeedIndex(image.Shape.ToArray(), seedPoint), Neighbourhood(footprint, connectivity, image.Rank), tolerance, null), nameof(image));

    [Function(Domains.Morphology + ":flood_fill", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray FloodFillCpu(NDArray image, int[] seedPoint, double newValue, NDArray? footprint, int? connectivity, double? tolerance) =>
        Numeric.Apply<NDArray, FloodRegion>(Guard.Host(image, nameof(image)),
            new(SeedIndex(image.Shape.ToArray(), seedPoint), Neighbourhood(footprint, connectivity, image.Rank), tolerance, newValue), nameof(image));

    /// <summary>The flooded region as a mask, or (with <see cref="NewValue"/>) a copy of the image with it filled.</summary>
    private readonly record struct FloodRegion(int[] Seed, FlatFootprint Neighbours, double? Tolerance, double? NewValue) : INumericFunc<NDArray>
    {
        public NDArray Invoke<T>(HostArray<T> image) where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var shape = image.Shape.ToArray();
            var values = image.ToArray();
            var grid = PaddedGrid.ByOne(shape);
            var padded = grid.Pad<T>(values, T.Zero);
            var flags = grid.Margin(Kernels.Flood.Unknown, Kernels.Flood.Border);
            int start = 0, rank = shape.Length;
            for (int a = 0; a < rank; a++) start += (Seed[a] + 1) * grid.Strides[a];
            var offsets = grid.Offsets(Neighbours, Enumerable.Repeat(1, rank).ToArray());
            T seed = padded[start];
            if (Tolerance is { } t)
            {
                // The bounds in float64, clipped to the type's range, then cast to it (scikit-image passes them as the element type).
                double s = double.CreateTruncating(seed);
                double lowest = Numeric.IsFloat<T>() ? -double.CreateTruncating(T.MaxValue) : double.CreateTruncating(T.MinValue);
                double highest = double.CreateTruncating(T.MaxValue);
                var within = new Within<T>(T.CreateTruncating(Math.Max(lowest, s - t)), T.CreateTruncating(Math.Min(highest, s + t)));
                Kernels.Flood.Fill(padded, flags, offsets, start, within);
            }
            else Kernels.Flood.Fill(padded, flags, offsets, start, new EqualTo<T>(seed));
            var region = grid.Crop(flags);
            if (NewValue is not { } fill) return HostArray.Create(Array.ConvertAll(region, f => f == Kernels.Flood.Filled), shape);
            T value = Numeric.IsFloat<T>() ? T.CreateTruncating(fill) : T.CreateTruncating((long)fill);
            for (int i = 0; i < values.Length; i++) if (region[i] == Kernels.Flood.Filled) values[i] = value;
            return HostArray.Create(values, shape);
        }
    }
}
