namespace Scoped.Image;

/// <summary>C-order index arithmetic the N-D kernels share: walking an index through an array, and the coordinates of
/// a flat position (of an element, or of a row along the last axis over the outer axes).</summary>
internal static class Raster
{
    /// <summary>Moves <paramref name="index"/> to the next element of <paramref name="shape"/> in C order (the last axis
    /// fastest); after the last element it is all zeros again.</summary>
    public static void Next(Span<int> index, ReadOnlySpan<int> shape)
    {
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            if (++index[a] < shape[a]) return;
            index[a] = 0;
        }
    }

    /// <summary>The coordinates of C-order position <paramref name="flat"/> in <paramref name="shape"/>, one per axis.</summary>
    public static void Unravel(long flat, ReadOnlySpan<int> shape, Span<int> index)
    {
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            index[a] = (int)(flat % shape[a]);
            flat /= shape[a];
        }
    }
}
