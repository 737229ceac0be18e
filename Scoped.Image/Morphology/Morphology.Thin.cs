namespace Scoped.Image;

// thin: Guo and Hall's parallel thinning (1989, algorithm A1), two sub-iterations per pass, each a table lookup of the
// 8-neighbourhood, as scikit-image runs it.
public static partial class Morphology
{
    /// <summary>
    /// skimage.morphology.thin: the objects (non-zero pixels) thinned to one-pixel-wide, 8-connected lines that keep
    /// their topology, by passes of Guo and Hall's two sub-iterations until a pass removes nothing or
    /// <paramref name="maxNumIter"/> passes have run. Pixels outside the image count as background.
    /// </summary>
    /// <param name="image">2-D, any element type; non-zero pixels are the objects.</param>
    /// <param name="maxNumIter">&gt;= 1, or null: no limit.</param>
    /// <returns>bool, the image's shape.</returns>
    public static NDArray Thin(NDArray image, int? maxNumIter = null)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2, maxRank: 2);
        if (maxNumIter is < 1) throw new ArgumentException($"maxNumIter must be >= 1 or null (no limit); got {maxNumIter}.", nameof(maxNumIter));
        return Methods.Thin.Invoke(image, maxNumIter);
    }

    /// <summary>Which 8-neighbourhoods the first and the second sub-iteration delete. Bit i of a neighbourhood is the
    /// neighbour i steps counter-clockwise from east (E, NE, N, NW, W, SW, S, SE), scikit-image's correlation weights.</summary>
    private static readonly (bool[] First, bool[] Second) ThinTables = BuildThinTables();

    private static (bool[], bool[]) BuildThinTables()
    {
        var first = new bool[256];
        var second = new bool[256];
        for (int n = 0; n < 256; n++)
        {
            bool B(int i) => (n >> (i % 8) & 1) != 0;
            // G1: exactly one 4-connected run of background to object around the pixel (Hilditch's crossing number).
            int crossings = 0;
            for (int i = 0; i < 8; i += 2) if (!B(i) && (B(i + 1) || B(i + 2))) crossings++;
            // G2: the pixel is neither an end point nor interior (2 or 3 neighbour pairs set, counted both ways).
            int n1 = 0, n2 = 0;
            for (int k = 1; k < 8; k += 2)
            {
                if (B(k) || B(k - 1)) n1++;
                if (B(k) || B(k + 1)) n2++;
            }
            int least = Math.Min(n1, n2);
            bool g12 = crossings == 1 && least is 2 or 3;
            // G3 and G3': the pixel is not on the south-east (first) or north-west (second) boundary side.
            first[n] = g12 && !((B(1) || B(2) || !B(7)) && B(0));
            second[n] = g12 && !((B(5) || B(6) || !B(3)) && B(4));
        }
        return (first, second);
    }

    [Function(Domains.Morphology + ":thin", FunctionKind.Labelling)]
    private static NDArray ThinCpu(NDArray image, int? maxNumIter)
    {
        var objects = ((HostArray<bool>)Guard.Host(image, nameof(image)).AsType(DType.Bool)).Rows();
        int height = objects.Height, width = objects.Width, stride = width + 2;
        // A one-pixel background margin, so that every pixel has eight neighbours.
        var grid = new byte[(height + 2) * stride];
        for (int r = 0; r < height; r++)
        {
            var row = objects.Row(r);
            for (int c = 0; c < width; c++) grid[(r + 1) * stride + c + 1] = row[c] ? (byte)1 : (byte)0;
        }
        var candidates = new List<int>();
        for (int i = 0; i < grid.Length; i++) if (grid[i] != 0) candidates.Add(i);
        var delete = new List<int>();
        int[] offsets = [1, 1 - stride, -stride, -stride - 1, -1, stride - 1, stride, stride + 1];
        for (int pass = 0; maxNumIter is null || pass < maxNumIter; pass++)
        {
            bool removed = false;
            foreach (var table in new[] { ThinTables.First, ThinTables.Second })
            {
                // Every pixel's neighbourhood read before any is deleted: a parallel sub-iteration.
                delete.Clear();
                foreach (int i in candidates)
                {
                    int code = 0;
                    for (int k = 0; k < 8; k++) code |= grid[i + offsets[k]] << k;
                    if (table[code]) delete.Add(i);
                }
                foreach (int i in delete) grid[i] = 0;
                if (delete.Count > 0)
                {
                    removed = true;
                    candidates.RemoveAll(i => grid[i] == 0);
                }
            }
            if (!removed) break;
        }
        var result = new bool[height * width];
        foreach (int i in candidates) result[(i / stride - 1) * width + i % stride - 1] = true;
        return HostArray.Create(result, height, width);
    }
}
