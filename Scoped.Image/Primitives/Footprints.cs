namespace Scoped.Image.Primitives;

/// <summary>How footprints sit on the pixel they are applied at, as every backend must place them.</summary>
public static class Footprints
{
    /// <summary>Where a footprint of <paramref name="length"/> elements along one axis is centred, as scikit-image
    /// centres it: the middle for odd lengths; for even lengths length / 2, or length / 2 - 1 when not
    /// <paramref name="shift"/>ed (the grey operators' shift_x / shift_y and the second pass of opening and closing).</summary>
    /// <param name="length">The footprint's length along the axis (≥ 1).</param>
    /// <param name="shift">Whether an even footprint's centre moves up by one.</param>
    public static int Centre(int length, bool shift) => length % 2 == 1 || shift ? length / 2 : length / 2 - 1;
}
