using System.Runtime.CompilerServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// euler_number, perimeter and perimeter_crofton count the configurations of 2 x 2 (x 2) neighbourhoods and weigh the
// counts, as scikit-image does; shannon_entropy weighs the counts of each distinct value. The counts are exact integers
// (kept per band, then merged), so banding changes nothing.
public static partial class Measure
{
    /// <summary>
    /// skimage.measure.euler_number: objects minus holes (in 3-D, minus tunnels plus cavities) of the pixels &gt; 0,
    /// from the counts of 2 x 2 (2 x 2 x 2) configurations.
    /// </summary>
    /// <param name="image">2-D or 3-D image; pixels &gt; 0 are the objects.</param>
    /// <param name="connectivity">The objects' connectivity: 2-D 1 or 2, 3-D 1 or 3; null for the rank.</param>
    public static int EulerNumber(NDArray image, int? connectivity = null)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 3);
        if (connectivity is { } c && (c < 1 || c > image.Rank || (image.Rank == 3 && c == 2)))
            throw new ArgumentException(image.Rank == 3
                ? $"connectivity for a 3-D image must be 1 or 3 (scikit-image implements no other); got {c}."
                : $"connectivity for a 2-D image must be 1 or 2; got {c}.", nameof(connectivity));
        return Methods.EulerNumber.Invoke(image, connectivity);
    }

    /// <summary>
    /// skimage.measure.perimeter: the length of the objects' border pixels (those the 4- or 8-neighbourhood erosion
    /// removes), each weighted by its border neighbours (1, sqrt 2 or (1 + sqrt 2) / 2).
    /// </summary>
    /// <param name="image">2-D binary image (values cast to uint8, as scikit-image casts them).</param>
    /// <param name="neighbourhood">4, or any other value for 8 (as scikit-image reads it).</param>
    public static double Perimeter(NDArray image, int neighbourhood = 4)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 2);
        return Methods.Perimeter.Invoke(image, neighbourhood);
    }

    /// <summary>skimage.measure.perimeter_crofton: the perimeter by the Crofton formula from the counts of 2 x 2
    /// configurations of the pixels &gt; 0, over 2 or 4 directions.</summary>
    /// <param name="image">2-D image; pixels &gt; 0 are the objects.</param>
    /// <param name="directions">2 or 4 (any value but 2 is read as 4, as scikit-image reads it).</param>
    public static double PerimeterCrofton(NDArray image, int directions = 4)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 2);
        return Methods.PerimeterCrofton.Invoke(image, directions);
    }

    /// <summary>skimage.measure.shannon_entropy: -sum p log p over the frequencies of the image's distinct values
    /// (scipy.stats.entropy of np.unique's counts), in units of <paramref name="base"/>.</summary>
    /// <param name="image">Any rank, any dtype.</param>
    /// <param name="base">The logarithm's base, &gt; 0 and finite (2: bits).</param>
    public static double ShannonEntropy(NDArray image, double @base = 2)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.Positive(@base, nameof(@base));
        Guard.Finite(@base, nameof(@base));
        return Methods.ShannonEntropy.Invoke(image, @base);
    }

    // scikit-image's weights of the 2 x 2 configurations (bit 1: the pixel, 2: above, 4: left, 8: above left).
    private static readonly int[] Euler2D4 = [0, 1, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0];
    private static readonly int[] Euler2D8 = [0, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, -1, 0];

    // The 2 x 2 x 2 configurations' weights for 26-connectivity, times 8 (bits 16, 32, 64, 128: the plane before);
    // 6-connectivity reads the table backwards.
    private static readonly int[] Euler3D26 =
    [
        0, 1, 1, 0, 1, 0, -2, -1, 1, -2, 0, -1, 0, -1, -1, 0, 1, 0, -2, -1, -2, -1, -1, -2, -6, -3, -3, -2, -3, -2, 0, -1,
        1, -2, 0, -1, -6, -3, -3, -2, -2, -1, -1, -2, -3, 0, -2, -1, 0, -1, -1, 0, -3, -2, 0, -1, -3, 0, -2, -1, 0, 1, 1, 0,
        1, -2, -6, -3, 0, -1, -3, -2, -2, -1, -3, 0, -1, -2, -2, -1, 0, -1, -3, -2, -1, 0, 0, -1, -3, 0, 0, 1, -2, -1, 1, 0,
        -2, -1, -3, 0, -3, 0, 0, 1, -1, 4, 0, 3, 0, 3, 1, 2, -1, -2, -2, -1, -2, -1, 1, 0, 0, 3, 1, 2, 1, 2, 2, 1,
        1, -6, -2, -3, -2, -3, -1, 0, 0, -3, -1, -2, -1, -2, -2, -1, -2, -3, -1, 0, -1, 0, 4, 3, -3, 0, 0, 1, 0, 1, 3, 2,
        0, -3, -1, -2, -3, 0, 0, 1, -1, 0, 0, -1, -2, 1, -1, 0, -1, -2, -2, -1, 0, 1, 3, 2, -2, 1, -1, 0, 1, 2, 2, 1,
        0, -3, -3, 0, -1, -2, 0, 1, -1, 0, -2, 1, 0, -1, -1, 0, -1, -2, 0, 1, -2, -1, 3, 2, -2, 1, 1, 2, -1, 0, 2, 1,
        -1, 0, -2, 1, -2, 1, 1, 2, -2, 3, -1, 2, -1, 2, 0, 1, 0, -1, -1, 0, -1, 0, 2, 1, -1, 2, 0, 1, 0, 1, 1, 0,
    ];

    [Function(Domains.Measure + ":euler_number", FunctionKind.Labelling, RunsInBands = true, MaxRank = 3)]
    private static int EulerNumberCpu(NDArray image, int? connectivity)
    {
        var host = Guard.Host(image, nameof(image));
        int rank = host.Rank, conn = connectivity ?? rank;
        var counts = Configurations(Objects(host), host.Shape.ToArray());
        long total = 0;
        if (rank == 2)
        {
            var coefs = conn == 1 ? Euler2D4 : Euler2D8;
            for (int k = 0; k < 16; k++) total += coefs[k] * counts[k];
            return checked((int)total);
        }
        for (int k = 0; k < 256; k++) total += (conn == 1 ? Euler3D26[255 - k] : Euler3D26[k]) * counts[k];
        return checked((int)(0.125 * total));
    }

    [Function(Domains.Measure + ":perimeter_crofton", FunctionKind.Labelling, RunsInBands = true)]
    private static double PerimeterCroftonCpu(NDArray image, int directions)
    {
        var host = Guard.Host(image, nameof(image));
        var h = Configurations(Objects(host), host.Shape.ToArray());
        double[] coefs;
        if (directions == 2)
        {
            double q = Math.PI / 2;
            coefs = [0, q, 0, 0, 0, q, 0, 0, q, Math.PI, 0, 0, q, Math.PI, 0, 0];
        }
        else
        {
            double a = Math.PI / 4 * (1 + 1 / Math.Sqrt(2)), b = Math.PI / (4 * Math.Sqrt(2)), c = Math.PI / (2 * Math.Sqrt(2));
            coefs = [0, a, b, c, 0, a, 0, b, Math.PI / 4, Math.PI / 2, b, b, Math.PI / 4, Math.PI / 2, 0, 0];
        }
        double total = 0;
        for (int k = 0; k < 16; k++) total += coefs[k] * h[k];
        return total;
    }

    [Function(Domains.Measure + ":perimeter", FunctionKind.Labelling, RunsInBands = true)]
    private static double PerimeterCpu(NDArray image, int neighbourhood)
    {
        var host = Guard.Host(image, nameof(image));
        var pixels = (byte[])host.AsType(DType.UInt8).ToFlatArray();
        int h = host.Shape[0], w = host.Shape[1];
        bool eight = neighbourhood != 4;
        // The border: the pixel's value minus 1 where the erosion keeps it (all neighbours non-zero, none outside).
        var border = new byte[pixels.Length];
        Bands.For(h, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
                for (int x = 0; x < w; x++)
                {
                    byte v = pixels[y * w + x];
                    bool kept = v != 0;
                    for (int dy = -1; dy <= 1 && kept; dy++)
                        for (int dx = -1; dx <= 1 && kept; dx++)
                        {
                            if (!eight && dy != 0 && dx != 0) continue;
                            int yy = y + dy, xx = x + dx;
                            kept = (uint)yy < (uint)h && (uint)xx < (uint)w && pixels[yy * w + xx] != 0;
                        }
                    border[y * w + x] = (byte)(v - (kept ? 1 : 0));
                }
        });
        // Each border pixel coded by its border neighbours: 1 itself, 2 per edge neighbour, 10 per corner neighbour.
        int bands = Bands.Count(h);
        var partial = new long[bands][];
        Bands.For(h, bands, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            var counts = partial[band] = new long[256];
            for (int y = start; y < end; y++)
                for (int x = 0; x < w; x++)
                {
                    int code = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int yy = y + dy, xx = x + dx;
                            if ((uint)yy >= (uint)h || (uint)xx >= (uint)w) continue;
                            code += (dy == 0 && dx == 0 ? 1 : dy == 0 || dx == 0 ? 2 : 10) * border[yy * w + xx];
                        }
                    counts[Math.Min(code, 255)]++;
                }
        });
        var histogram = Merged(partial);
        for (int k = 50; k < 256; k++)
            if (histogram[k] > 0)
                throw new ArgumentException("image is not binary: its border pixels weigh more than a binary image's can (perimeter counts pixels of value 0 and 1).", nameof(image));
        var weights = new double[50];
        foreach (var k in (int[])[5, 7, 15, 17, 25, 27]) weights[k] = 1;
        weights[21] = weights[33] = Math.Sqrt(2);
        weights[13] = weights[23] = (1 + Math.Sqrt(2)) / 2;
        double total = 0;
        for (int k = 0; k < 50; k++) total += histogram[k] * weights[k];
        return total;
    }

    /// <summary>The pixels &gt; 0 of any dtype (NaN is not), as 0/1 bytes.</summary>
    private static byte[] Objects(HostArray image)
    {
        var values = (double[])image.AsType(DType.Float64).ToFlatArray();
        return Array.ConvertAll(values, v => v > 0 ? (byte)1 : (byte)0);
    }

    /// <summary>
    /// The counts of the 2 x 2 (2-D) or 2 x 2 x 2 (3-D) configurations at every position of the image padded by one
    /// zero on each side: bit 1 the element, 2 the one above, 4 the one to the left, 8 above left, and in 3-D the
    /// same four of the plane before times 16 (16, 32, 64, 128 for the element, above, left, above left, as
    /// scikit-image's convolution codes them). Positions whose configuration is empty are not counted (every weight of
    /// configuration 0 is 0).
    /// </summary>
    private static long[] Configurations(byte[] bits, int[] shape)
    {
        int rank = shape.Length, planes = rank == 3 ? shape[0] : 1, h = shape[rank - 2], w = shape[rank - 1];
        byte At(int z, int y, int x) => (uint)z < (uint)planes && (uint)y < (uint)h && (uint)x < (uint)w ? bits[((long)z * h + y) * w + x] : (byte)0;
        int depth = rank == 3 ? planes + 1 : 1;
        int bands = Bands.Count(depth * (h + 1));
        var partial = new long[bands][];
        Bands.For(depth * (h + 1), bands, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            var counts = partial[band] = new long[256];
            for (int line = start; line < end; line++)
            {
                int z = rank == 3 ? line / (h + 1) : 0, y = line % (h + 1);
                for (int x = 0; x <= w; x++)
                {
                    int code = At(z, y, x) + 2 * At(z, y - 1, x) + 4 * At(z, y, x - 1) + 8 * At(z, y - 1, x - 1);
                    if (rank == 3) code += 16 * At(z - 1, y, x) + 32 * At(z - 1, y - 1, x) + 64 * At(z - 1, y, x - 1) + 128 * At(z - 1, y - 1, x - 1);
                    counts[code]++;
                }
            }
        });
        var all = Merged(partial);
        all[0] = 0;
        return all;
    }

    /// <summary>Per-band counts of 256 codes added up (exact, so in any order).</summary>
    private static long[] Merged(long[][] partial)
    {
        var all = new long[256];
        foreach (var counts in partial) if (counts is not null) for (int k = 0; k < 256; k++) all[k] += counts[k];
        return all;
    }

    [Function(Domains.Measure + ":shannon_entropy", FunctionKind.Reduction, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static double ShannonEntropyCpu(NDArray image, double @base)
    {
        var host = Guard.Host(image, nameof(image));
        var counts = DistinctCounts(host);
        long total = 0;
        foreach (var c in counts) total += c;
        var terms = new double[counts.Count];
        for (int i = 0; i < terms.Length; i++)
        {
            double p = 1.0 * counts[i] / total;
            terms[i] = p > 0 ? -p * Math.Log(p) : 0; // scipy.special.entr
        }
        return Metrics.PairwiseSum<double>(terms) / Math.Log(@base);
    }

    /// <summary>np.unique's counts: one per distinct value in increasing order (NaNs last, as one value).</summary>
    private static List<long> DistinctCounts(HostArray image)
    {
        var counts = new List<long>();
        if (image is HostArray<float> or HostArray<double>)
        {
            var values = (double[])image.AsType(DType.Float64).ToFlatArray();
            Array.Sort(values); // NaN sorts first in .NET
            int nan = 0;
            while (nan < values.Length && double.IsNaN(values[nan])) nan++;
            for (int i = nan; i < values.Length;)
            {
                int j = i;
                while (j < values.Length && values[j] == values[i]) j++;
                counts.Add(j - i);
                i = j;
            }
            if (nan > 0) counts.Add(nan);
            return counts;
        }
        var bins = Histogram.Compute(image is HostArray<bool> ? image.AsType(DType.UInt8) : image, null, 0, dtypeRange: false, "image", long.MaxValue);
        foreach (var c in bins.Counts) if (c > 0) counts.Add(c);
        return counts;
    }
}
