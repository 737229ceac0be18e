namespace Scoped.Image.Primitives;

/// <summary>
/// exposure.rescale_intensity's map for one call, in float64: the output dtype, the input range [InMin, InMax] and the
/// output range [OutMin, OutMax]. A backend that applies the map itself plans it here, so the ranges, the output dtype and
/// the errors for bad range names are the default's.
/// </summary>
/// <param name="OutType">The result's dtype.</param>
/// <param name="InMin">The input value mapped to <paramref name="OutMin"/>.</param>
/// <param name="InMax">The input value mapped to <paramref name="OutMax"/>.</param>
/// <param name="OutMin">The output's lower end.</param>
/// <param name="OutMax">The output's upper end.</param>
public readonly record struct RescalePlan(DType OutType, double InMin, double InMax, double OutMin, double OutMax)
{
    /// <summary>Whether planning these ranges needs the image's own minimum and maximum ("image" on either side).</summary>
    /// <param name="inRange">rescale_intensity's in_range.</param>
    /// <param name="outRange">rescale_intensity's out_range.</param>
    /// <exception cref="ArgumentException">A range that is neither a dtype name, "image", "dtype" nor "min,max".</exception>
    public static bool NeedsImageRange(string inRange, string outRange) => Exposure.RescaleNeedsImageRange(inRange, outRange);

    /// <summary>The plan for an image of <paramref name="dtype"/> whose minimum and maximum are
    /// <paramref name="imageRange"/> (NaN when <see cref="NeedsImageRange"/> is false, or when the image holds NaN).</summary>
    /// <param name="dtype">The image's dtype.</param>
    /// <param name="inRange">rescale_intensity's in_range.</param>
    /// <param name="outRange">rescale_intensity's out_range.</param>
    /// <param name="imageRange">The image's minimum and maximum, or NaN.</param>
    /// <exception cref="ArgumentException">A range that is neither a dtype name, "image", "dtype" nor "min,max".</exception>
    public static RescalePlan Create(DType dtype, string inRange, string outRange, (double Min, double Max) imageRange) =>
        Exposure.PlanRescale(dtype, inRange, outRange, imageRange);
}
