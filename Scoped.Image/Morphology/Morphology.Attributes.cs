using System.Numerics;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// Attribute openings and closings on the max-tree (skimage.morphology.area_opening, area_closing, diameter_opening,
// diameter_closing), in any rank. A closing is the opening of the inverted image, inverted back (Util.Invert: floats
// as 1 - x, as scikit-image does).
public static partial class Morphology
{
    /// <summary>
    /// skimage.morphology.area_opening: every bright component (connected part of an upper level set) of fewer than
    /// <paramref name="areaThreshold"/> elements is lowered to the level of the component around it. The dtype is kept.
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank (no NaN).</param>
    /// <param name="areaThreshold">The fewest elements a component keeps (&gt;= 0); more than the image holds gives all zeros, as in scikit-image.</param>
    /// <param name="connectivity">1..rank (1 = faces, rank = every corner).</param>
    public static NDArray AreaOpening(NDArray image, int areaThreshold = 64, int connectivity = 1)
    {
        CheckAttribute(image, areaThreshold, nameof(areaThreshold), connectivity);
        return Methods.AreaOpening.Invoke(image, areaThreshold, connectivity);
    }

    /// <summary>skimage.morphology.area_closing: every dark component of fewer than <paramref name="areaThreshold"/>
    /// elements is raised to the level around it.</summary>
    /// <inheritdoc cref="AreaOpening"/>
    public static NDArray AreaClosing(NDArray image, int areaThreshold = 64, int connectivity = 1)
    {
        CheckAttribute(image, areaThreshold, nameof(areaThreshold), connectivity);
        return Methods.AreaClosing.Invoke(image, areaThreshold, connectivity);
    }

    /// <summary>
    /// skimage.morphology.diameter_opening: every bright component whose bounding box is shorter than
    /// <paramref name="diameterThreshold"/> on its longest side is lowered to the level around it.
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank (no NaN).</param>
    /// <param name="diameterThreshold">The least longest side a component keeps, in elements (&gt;= 0).</param>
    /// <param name="connectivity">1..rank (1 = faces, rank = every corner).</param>
    public static NDArray DiameterOpening(NDArray image, int diameterThreshold = 8, int connectivity = 1)
    {
        CheckAttribute(image, diameterThreshold, nameof(diameterThreshold), connectivity);
        return Methods.DiameterOpening.Invoke(image, diameterThreshold, connectivity);
    }

    /// <summary>skimage.morphology.diameter_closing: every dark component whose bounding box is shorter than
    /// <paramref name="diameterThreshold"/> on its longest side is raised to the level around it.</summary>
    /// <inheritdoc cref="DiameterOpening"/>
    public static NDArray DiameterClosing(NDArray image, int diameterThreshold = 8, int connectivity = 1)
    {
        CheckAttribute(image, diameterThreshold, nameof(diameterThreshold), connectivity);
        return Methods.DiameterClosing.Invoke(image, diameterThreshold, connectivity);
    }

    private static void CheckAttribute(NDArray image, int threshold, string thresholdName, int connectivity)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 1);
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        if (threshold < 0) throw new ArgumentException($"{thresholdName} must be >= 0; got {threshold}.", thresholdName);
        if (connectivity < 1 || connectivity > image.Rank)
            throw new ArgumentException($"connectivity must be in [1, {image.Rank}] for a {image.Rank}-D image; got {connectivity}.", nameof(connectivity));
    }

    // ---------------------------------------------------------------- implementations

    [Function(Domains.Morphology + ":area_opening", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray AreaOpeningCpu(NDArray image, int areaThreshold, int connectivity) =>
        Numeric.Apply<NDArray, AttributeOpening>(Guard.Host(image, nameof(image)), new(areaThreshold, connectivity, Area: true), nameof(image));

    [Function(Domains.Morphology + ":area_closing", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray AreaClosingCpu(NDArray image, int areaThreshold, int connectivity) =>
        Util.InvertHost(Numeric.Apply<HostArray, AttributeOpening>(Util.InvertHost(Guard.Host(image, nameof(image))), new(areaThreshold, connectivity, Area: true), nameof(image)));

    [Function(Domains.Morphology + ":diameter_opening", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray DiameterOpeningCpu(NDArray image, int diameterThreshold, int connectivity) =>
        Numeric.Apply<NDArray, AttributeOpening>(Guard.Host(image, nameof(image)), new(diameterThreshold, connectivity, Area: false), nameof(image));

    [Function(Domains.Morphology + ":diameter_closing", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray DiameterClosingCpu(NDArray image, int diameterThreshold, int connectivity) =>
        Util.InvertHost(Numeric.Apply<HostArray, AttributeOpening>(Util.InvertHost(Guard.Host(image, nameof(image))), new(diameterThreshold, connectivity, Area: false), nameof(image)));

    /// <summary>The area or diameter opening of one element type, on its max-tree.</summary>
    private readonly record struct AttributeOpening(int Threshold, int Connectivity, bool Area) : INumericFunc<HostArray>
    {
        public HostArray Invoke<T>(HostArray<T> image) where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var shape = image.Shape.ToArray();
            var tree = new MaxTree<T>(image.ToArray(), shape, FlatFootprint.Connectivity(shape.Length, Connectivity));
            return HostArray.Create(tree.Filter(Area ? tree.Areas() : tree.Extents(), Threshold), shape);
        }
    }
}
