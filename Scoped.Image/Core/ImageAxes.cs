namespace Scoped.Image;

/// <summary>
/// An image's spatial axes and its channel axis, as scikit-image's channel_axis names them: any axis (negative counts
/// from the end) or none. The N-D kernels read the channel axis last and interleaved; <see cref="ToKernel{T}"/> moves it
/// there (a copy only when it is elsewhere) and <see cref="FromKernel{T}"/> puts it back.
/// </summary>
/// <param name="Spatial">The length of each spatial axis, in array order.</param>
/// <param name="Channels">The channel axis' length, or 1 without one.</param>
/// <param name="ChannelAxis">The channel axis, 0..rank-1, or null.</param>
internal readonly record struct ImageAxes(int[] Spatial, int Channels, int? ChannelAxis)
{
    /// <summary>The most spatial axes an N-D function takes (NumPy's own limit is 32 axes in all).</summary>
    public const int MaxSpatialRank = Declarations.MaxSpatialRank;

    /// <summary>The number of spatial axes.</summary>
    public int SpatialRank => Spatial.Length;

    /// <summary>The axes of <paramref name="image"/> given a channel axis already normalised (0..rank-1) or null.</summary>
    public static ImageAxes Of(NDArray image, int? channelAxis)
    {
        var shape = image.Shape;
        if (channelAxis is not { } c) return new ImageAxes(shape.ToArray(), 1, null);
        var spatial = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++) if (i != c) spatial[j++] = shape[i];
        return new ImageAxes(spatial, shape[c], c);
    }

    /// <summary>The image with its channel axis last, dense (itself when it already is).</summary>
    public HostArray<T> ToKernel<T>(HostArray<T> image) where T : unmanaged =>
        ChannelAxis is { } c ? image.MoveAxis(c, image.Rank - 1) : image.Dense();

    /// <summary>A kernel's channel-last result with the channel axis back where the input had it.</summary>
    public HostArray<T> FromKernel<T>(HostArray<T> result) where T : unmanaged =>
        ChannelAxis is { } c && c != result.Rank - 1 ? result.MoveAxis(result.Rank - 1, c) : result;
}
