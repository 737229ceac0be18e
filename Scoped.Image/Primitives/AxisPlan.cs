namespace Scoped.Image.Primitives;

/// <summary>
/// A 1-D linear resampling operator along one axis: output[o] = sum_k Weights[o * Taps + k] * input[Start[o] + k]
/// + Constant[o] * cval. It is the composition of an optional Gaussian smoothing (scipy's correlate1d with its own
/// boundary mode) and a grid-mode zoom of order 0 or 1 (scipy.ndimage.zoom, grid_mode=True: half-pixel centres,
/// source coordinate (o + 0.5) * in / out - 0.5). Composing them exactly per axis lets a resize be done as one
/// vertical and one horizontal pass over the data, with every boundary rule already folded into the tables.
/// </summary>
public sealed class AxisPlan
{
    /// <summary>Input axis length.</summary>
    public int InLength { get; }
    /// <summary>Output axis length.</summary>
    public int OutLength { get; }
    /// <summary>Input samples per output sample.</summary>
    public int Taps { get; }
    /// <summary>The first input index of each output sample (its taps follow it).</summary>
    public int[] Start { get; }
    /// <summary>Taps weights per output sample, row-major (OutLength × Taps).</summary>
    public double[] Weights { get; }
    /// <summary>The weight of cval in each output sample (from constant-mode boundaries).</summary>
    public double[] Constant { get; }
    /// <summary>Whether any output sample takes part of cval.</summary>
    public bool HasConstant { get; }

    private AxisPlan(int inLength, int outLength, int taps, int[] start, double[] weights, double[] constant)
    {
        InLength = inLength;
        OutLength = outLength;
        Taps = taps;
        Start = start;
        Weights = weights;
        Constant = constant;
        foreach (var c in constant) if (c != 0) HasConstant = true;
    }

    /// <summary>True when every output is exactly one input with weight 1 (no constant).</summary>
    public bool IsIdentity
    {
        get
        {
            if (InLength != OutLength || Taps != 1 || HasConstant) return false;
            for (int o = 0; o < OutLength; o++) if (Start[o] != o || Weights[o] != 1) return false;
            return true;
        }
    }

    /// <summary>The plan of one axis of a resize: scikit-image's anti-aliasing Gaussian, then scipy's grid-mode zoom.</summary>
    /// <param name="inLength">Input axis length.</param>
    /// <param name="outLength">Output axis length.</param>
    /// <param name="smoothing">Gaussian weights (odd length, centred), or null for none.</param>
    /// <param name="smoothMode">Boundary mode of the smoothing pass.</param>
    /// <param name="order">Zoom order: 0 (nearest, ties up) or 1 (linear).</param>
    /// <param name="zoomMode">Boundary mode of the zoom (Constant means scipy's grid-constant, Wrap grid-wrap).</param>
    public static AxisPlan Create(int inLength, int outLength, double[]? smoothing, BoundaryMode smoothMode, int order, BoundaryMode zoomMode)
    {
        double zoom = (double)inLength / outLength;
        int radius = smoothing is null ? 0 : smoothing.Length / 2;
        var acc = new double[inLength];
        var lo = new int[outLength];
        var hi = new int[outLength];
        var constant = new double[outLength];
        var rows = new List<double[]>(outLength);
        Span<(int Index, double Weight)> zoomTaps = stackalloc (int, double)[2];
        int taps = 1;
        for (int o = 0; o < outLength; o++)
        {
            double cc = (o + 0.5) * zoom - 0.5;
            int nz;
            if (order == 0)
            {
                zoomTaps[0] = ((int)Math.Floor(cc + 0.5), 1.0);
                nz = 1;
            }
            else
            {
                int s = (int)Math.Floor(cc);
                double t = cc - s;
                zoomTaps[0] = (s, 1 - t);
                zoomTaps[1] = (s + 1, t);
                nz = 2;
            }
            int min = int.MaxValue, max = -1;
            double c = 0;
            for (int z = 0; z < nz; z++)
            {
                var (index, wz) = zoomTaps[z];
                int j = Border.Map(index, inLength, zoomMode);
                if (j < 0) { c += wz; continue; }
                if (smoothing is null)
                {
                    acc[j] += wz;
                    min = Math.Min(min, j); max = Math.Max(max, j);
                    continue;
                }
                for (int k = -radius; k <= radius; k++)
                {
                    int m = Border.Map(j + k, inLength, smoothMode);
                    double w = wz * smoothing[k + radius];
                    if (m < 0) { c += w; continue; }
                    acc[m] += w;
                    min = Math.Min(min, m); max = Math.Max(max, m);
                }
            }
            constant[o] = c;
            if (max < 0) { lo[o] = 0; hi[o] = 0; rows.Add([]); continue; }
            lo[o] = min; hi[o] = max + 1;
            var row = new double[max + 1 - min];
            for (int i = min; i <= max; i++) { row[i - min] = acc[i]; acc[i] = 0; }
            rows.Add(row);
            taps = Math.Max(taps, row.Length);
        }
        taps = Math.Min(taps, inLength);
        var start = new int[outLength];
        var weights = new double[outLength * taps];
        for (int o = 0; o < outLength; o++)
        {
            int s = Math.Min(lo[o], inLength - taps);
            start[o] = s;
            var row = rows[o];
            for (int i = 0; i < row.Length; i++) weights[o * taps + lo[o] - s + i] = row[i];
        }
        return new AxisPlan(inLength, outLength, taps, start, weights, constant);
    }
}
