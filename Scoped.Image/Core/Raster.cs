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

    /// <summary>The number of elements of <paramref name="shape"/>, refused past what one .NET array holds.</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        return checked((int)n);
    }

    /// <summary>The C-order strides of <paramref name="shape"/>, in elements.</summary>
    public static long[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int a = shape.Length - 1; a >= 0; a--) { strides[a] = stride; stride *= shape[a]; }
        return strides;
    }
}
