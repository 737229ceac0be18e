using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// Grey-level reconstruction by dilation: the seed dilated over and over by the footprint, never above the mask, until
/// nothing changes. The fixed point is unique, so any order of propagation gives scikit-image's numbers; this one is
/// Vincent's hybrid (1993): a raster scan pulling from the earlier neighbours, a reverse scan pulling from the later
/// ones that queues each element still able to raise a neighbour, then a FIFO propagation from the queued ones.
/// Reconstruction by erosion is this on the negated images.
/// </summary>
internal static class Reconstruct
{
    /// <summary>Reconstruction by dilation of <paramref name="seed"/> under <paramref name="mask"/> (dense, C order, seed
    /// &lt;= mask), a value flowing from an element to the element <c>footprint offset - centre</c> away; outside the
    /// image is neither read nor written (scikit-image pads with the seed's minimum, which never raises anything).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] ByDilation(double[] seed, double[] mask, int[] shape, FlatFootprint footprint, int[] centre)
    {
        // Values are pushed to p + o and pulled from x - o: the margin covers the footprint's reach on both sides.
        var margin = new int[shape.Length];
        for (int a = 0; a < shape.Length; a++) margin[a] = Math.Max(centre[a], footprint.Shape[a] - 1 - centre[a]);
        var grid = new PaddedGrid(shape, margin, margin);
        // The margin is -inf in both: it raises nothing (max with -inf) and is never raised (it is at its mask already).
        var j = grid.Pad<double>(seed, double.NegativeInfinity);
        var m = grid.Pad<double>(mask, double.NegativeInfinity);
        var offsets = grid.Offsets(footprint, centre);
        // A value flows from p to p + o, so an element pulls from x - o: from earlier elements when o > 0.
        var forward = Array.FindAll(offsets, o => o > 0);
        var backward = Array.FindAll(offsets, o => o < 0);
        int width = grid.Width;
        var starts = grid.LineStarts;
        for (int l = 0; l < starts.Length; l++)
            for (int x = starts[l], end = x + width; x < end; x++)
            {
                double v = j[x];
                foreach (var o in forward) if (j[x - o] > v) v = j[x - o];
                j[x] = v < m[x] ? v : m[x];
            }
        var queue = new Queue<int>();
        for (int l = starts.Length - 1; l >= 0; l--)
            for (int x = starts[l] + width - 1; x >= starts[l]; x--)
            {
                double v = j[x];
                foreach (var o in backward) if (j[x - o] > v) v = j[x - o];
                j[x] = v = v < m[x] ? v : m[x];
                // An element can still raise a later neighbour, which has had its last look at it: queue it.
                foreach (var o in forward)
                {
                    int q = x + o;
                    if (j[q] < v && j[q] < m[q]) { queue.Enqueue(x); break; }
                }
            }
        while (queue.TryDequeue(out int p))
        {
            double v = j[p];
            foreach (var o in offsets)
            {
                int q = p + o;
                if (j[q] < v && j[q] < m[q])
                {
                    j[q] = v < m[q] ? v : m[q];
                    queue.Enqueue(q);
                }
            }
        }
        return grid.Crop(j);
    }
}
