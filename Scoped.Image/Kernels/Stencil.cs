using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>Small fixed 3x3 stencils summed the way scipy.ndimage.correlate does (double accumulator, kernel order).</summary>
internal static class Stencil
{
    /// <summary>ndimage.convolve(image, [[0,-1,0],[-1,4,-1],[0,-1,0]], mode='reflect') for a 2-D float image.</summary>
    public static HostArray<T> Laplace<T>(HostArray<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var src = image.Rows();
        var result = HostArray<T>.Allocate(src.Height, src.Width);
        var dst = result.Rows();
        Bands.For(src.Height, (_, start, end) => LaplaceRows(src, dst, start, end));
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LaplaceRows<T>(ImageRows<T> src, ImageRows<T> dst, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = src.Height, width = src.Width;
        T[] padded = ArrayPool<T>.Shared.Rent(3 * (width + 2));
        try
        {
            var up = padded.AsSpan(0, width + 2);
            var mid = padded.AsSpan(width + 2, width + 2);
            var down = padded.AsSpan(2 * (width + 2), width + 2);
            for (int y = start; y < end; y++)
            {
                Border.PadRow<T>(src.Row(Border.Map(y - 1, height, BoundaryMode.Reflect)), width, 1, up, 1, BoundaryMode.Reflect, T.Zero);
                Border.PadRow<T>(src.Row(y), width, 1, mid, 1, BoundaryMode.Reflect, T.Zero);
                Border.PadRow<T>(src.Row(Border.Map(y + 1, height, BoundaryMode.Reflect)), width, 1, down, 1, BoundaryMode.Reflect, T.Zero);
                var output = dst.Row(y);
                for (int x = 0; x < width; x++)
                {
                    // Kernel order: (0,1), (1,0), (1,1), (1,2), (2,1); zero weights skipped as ndimage does.
                    double sum = -double.CreateTruncating(up[x + 1]);
                    sum -= double.CreateTruncating(mid[x]);
                    sum += 4 * double.CreateTruncating(mid[x + 1]);
                    sum -= double.CreateTruncating(mid[x + 2]);
                    sum -= double.CreateTruncating(down[x + 1]);
                    output[x] = T.CreateTruncating(sum);
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(padded); }
    }
}
