using System.ComponentModel;

namespace Scoped.Image;

/// <summary>The label and intensity images a regionprops call measured, shared by its regions: their elements are
/// read out (flat, int32 and float64) once, when a region first needs them.</summary>
internal sealed class RegionImages(HostArray labels, HostArray? intensity)
{
    private readonly Lazy<int[]> _labels = new(() => (int[])labels.AsType(DType.Int32).ToFlatArray());
    private readonly Lazy<double[]?> _intensity = new(() => intensity is null ? null : (double[])intensity.AsType(DType.Float64).ToFlatArray());

    public int[] Shape { get; } = labels.Shape.ToArray();
    public int[] Labels => _labels.Value;
    public double[]? Intensity => _intensity.Value;
    public DType? IntensityType { get; } = intensity?.DType;
}

/// <summary>What a region's lazily computed properties read: the images and the region's label in them.</summary>
internal sealed record RegionSource(RegionImages Images, int Label);

// The properties scikit-image computes from the region's own box (its image, hull, filled image, moments and the
// intensity-weighted ones), each computed when first read and then kept, as RegionProperties' cache does.
public sealed partial record RegionProperties
{
    internal RegionSource? Source { get; init; }

    private readonly Dictionary<string, object> _cache = [];

    private T Cached<T>(string name, Func<RegionSource, T> compute) where T : notnull
    {
        var source = Source ?? throw new InvalidOperationException($"{name} needs the label image: this region was not made by Measure.Regionprops.");
        lock (_cache)
        {
            if (_cache.TryGetValue(name, out var value)) return (T)value;
            var result = compute(source);
            _cache[name] = result;
            return result;
        }
    }

    private int Rank => Centroid.Length;

    // The record's printout lists what regionprops computed in its pass; the lazy properties may not apply (2-D only,
    // or needing an intensity image) and are read by name.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Label = {Label}, Area = {Area}, Centroid = [{string.Join(", ", Centroid)}], Bbox = [{string.Join(", ", Bbox)}]");
        if (MeanIntensity is { } mean) builder.Append($", MeanIntensity = {mean}, MinIntensity = {MinIntensity}, MaxIntensity = {MaxIntensity}");
        return true;
    }

    private void Need2D(string name)
    {
        if (Rank != 2) throw new InvalidOperationException($"{name} is defined for 2-D regions only (scikit-image: only2d); this region is {Rank}-D.");
    }

    private RegionImages NeedIntensity(string name) => Source?.Images.IntensityType is null
        ? throw new InvalidOperationException($"{name} needs an intensity image: pass one to Measure.Regionprops.")
        : Source.Images;

    /// <summary>
    /// Every regionprops_table property defined for this region, under scikit-image's names, in their alphabetical
    /// order: the 2-D ones only in 2-D, the intensity ones only when an intensity image was given. Values are as the
    /// properties give them (numbers, vectors, nested arrays, NDArrays); the arrays per region (image, coords, ...)
    /// are left out. Reading it computes every lazy property.
    /// </summary>
    public OrderedDictionary<string, object> ToDictionary()
    {
        var result = new OrderedDictionary<string, object>();
        foreach (var (name, read) in Measure.TableProperties)
        {
            if (Rank != 2 && Measure.Only2D.Contains(name)) continue;
            if (Rank > 3 && name == "euler_number") continue;
            if (Source?.Images.IntensityType is null && (name.Contains("intensity") || name.Contains("weighted"))) continue;
            result[name] = read(this);
        }
        return result;
    }

    /// <summary>slice: the region's box, (start, stop) per axis.</summary>
    public (int Start, int Stop)[] Slice => Enumerable.Range(0, Rank).Select(a => (Bbox[a], Bbox[Rank + a])).ToArray();

    /// <summary>image: bool, the box's shape, true on the region's elements.</summary>
    [Browsable(false)]
    public NDArray Image => Cached(nameof(Image), s => Measure.RegionImage(s.Images, s.Label, Bbox));

    /// <summary>coords: int32 (area, ndim), the region's element coordinates in raster order.</summary>
    [Browsable(false)]
    public NDArray Coords => Cached(nameof(Coords), _ => Measure.RegionCoords((HostArray<bool>)Image, Bbox));

    /// <summary>moments: the raw moments of <see cref="Image"/> up to order 3, float64 (4,) * ndim.</summary>
    public NDArray Moments => Cached(nameof(Moments), _ => Measure.RegionMoments(Image, null));

    /// <summary>centroid_local: the centroid relative to the box, from <see cref="Moments"/>.</summary>
    public double[] CentroidLocal => Cached(nameof(CentroidLocal), _ => Measure.FirstMomentsOverZeroth(Moments));

    /// <summary>moments_central: the central moments of <see cref="Image"/> about <see cref="CentroidLocal"/>, to order 3.</summary>
    public NDArray MomentsCentral => Cached(nameof(MomentsCentral), _ => Measure.RegionMoments(Image, CentroidLocal));

    /// <summary>moments_normalized: <see cref="MomentsCentral"/> scale-normalised (NaN below order 2).</summary>
    public NDArray MomentsNormalized => Cached(nameof(MomentsNormalized), _ => Measure.RegionMomentsNormalized(MomentsCentral));

    /// <summary>moments_hu (2-D): Hu's seven invariants of <see cref="MomentsNormalized"/>.</summary>
    public NDArray MomentsHu { get { Need2D("moments_hu"); return Cached(nameof(MomentsHu), _ => Measure.RegionMomentsHu(MomentsNormalized)); } }

    /// <summary>image_convex (2-D): bool, the convex hull of <see cref="Image"/> in the box.</summary>
    [Browsable(false)]
    public NDArray ImageConvex { get { Need2D("image_convex"); return Cached(nameof(ImageConvex), _ => Morphology.ConvexHullImageCpu(Image, true)); } }

    /// <summary>area_convex (2-D): the pixels of <see cref="ImageConvex"/>.</summary>
    public int AreaConvex => Cached(nameof(AreaConvex), _ => Measure.CountTrue(ImageConvex));

    /// <summary>solidity (2-D): area / area_convex.</summary>
    public double Solidity => Area / (double)AreaConvex;

    /// <summary>image_filled: bool, <see cref="Image"/> with its holes filled (background not connected, through
    /// faces, edges or corners, to the outside of the box).</summary>
    [Browsable(false)]
    public NDArray ImageFilled => Cached(nameof(ImageFilled), _ => Measure.FillHoles((HostArray<bool>)Image));

    /// <summary>area_filled: the elements of <see cref="ImageFilled"/>.</summary>
    public int AreaFilled => Cached(nameof(AreaFilled), _ => Measure.CountTrue(ImageFilled));

    /// <summary>euler_number (2-D and 3-D): objects minus holes of <see cref="Image"/> (3-D: minus tunnels plus
    /// cavities), at full connectivity.</summary>
    public int EulerNumber => Rank is 2 or 3
        ? Cached(nameof(EulerNumber), _ => Measure.RegionEulerNumber(Image))
        : throw new InvalidOperationException($"euler_number is defined for 2-D and 3-D regions; this region is {Rank}-D.");

    /// <summary>perimeter (2-D): measure.perimeter of <see cref="Image"/>, 4-neighbourhood.</summary>
    public double Perimeter { get { Need2D("perimeter"); return Cached(nameof(Perimeter), _ => Measure.RegionPerimeter(Image)); } }

    /// <summary>perimeter_crofton (2-D): measure.perimeter_crofton of <see cref="Image"/>, 4 directions.</summary>
    public double PerimeterCrofton { get { Need2D("perimeter_crofton"); return Cached(nameof(PerimeterCrofton), _ => Measure.RegionPerimeterCrofton(Image)); } }

    /// <summary>feret_diameter_max (2-D): the longest distance between points of the hull's outline (its 0.5 contour,
    /// fully connected, in the hull padded by 2).</summary>
    public double FeretDiameterMax { get { Need2D("feret_diameter_max"); return Cached(nameof(FeretDiameterMax), _ => Measure.FeretDiameter(ImageConvex)); } }

    /// <summary>image_intensity: the intensity image over the box, 0 outside the region, in its element type.</summary>
    [Browsable(false)]
    public NDArray ImageIntensity => Cached(nameof(ImageIntensity), s => Measure.RegionIntensity(NeedIntensity("image_intensity"), (HostArray<bool>)Image, Bbox));

    /// <summary>moments_weighted: the raw moments of <see cref="ImageIntensity"/> (as float64) up to order 3.</summary>
    public NDArray MomentsWeighted => Cached(nameof(MomentsWeighted), _ => Measure.RegionMoments(((HostArray)ImageIntensity).AsType(DType.Float64), null));

    /// <summary>centroid_weighted_local: the intensity-weighted centroid relative to the box.</summary>
    public double[] CentroidWeightedLocal => Cached(nameof(CentroidWeightedLocal), _ => Measure.FirstMomentsOverZeroth(MomentsWeighted));

    /// <summary>centroid_weighted: the intensity-weighted centroid in the image.</summary>
    public double[] CentroidWeighted => CentroidWeightedLocal.Select((c, a) => c + Bbox[a]).ToArray();

    /// <summary>moments_weighted_central: the central moments of <see cref="ImageIntensity"/> about
    /// <see cref="CentroidWeightedLocal"/>.</summary>
    public NDArray MomentsWeightedCentral => Cached(nameof(MomentsWeightedCentral), _ => Measure.RegionMoments(((HostArray)ImageIntensity).AsType(DType.Float64), CentroidWeightedLocal));

    /// <summary>moments_weighted_normalized: <see cref="MomentsWeightedCentral"/> scale-normalised.</summary>
    public NDArray MomentsWeightedNormalized => Cached(nameof(MomentsWeightedNormalized), _ => Measure.RegionMomentsNormalized(MomentsWeightedCentral));

    /// <summary>moments_weighted_hu (2-D): Hu's invariants of <see cref="MomentsWeightedNormalized"/>.</summary>
    public NDArray MomentsWeightedHu { get { Need2D("moments_weighted_hu"); return Cached(nameof(MomentsWeightedHu), _ => Measure.RegionMomentsHu(MomentsWeightedNormalized)); } }
}
