using System.Buffers;
using System.Runtime.CompilerServices;
using Scoped.Dispatch;

namespace Scoped.Image;

public static partial class Util
{
    /// <summary>skimage.util.crop with the same width removed from both ends of every axis.</summary>
    /// <inheritdoc cref="Crop(NDArray, int[], bool)"/>
    public static NDArray Crop(NDArray ar, int cropWidth, bool copy = false) => Crop(ar, [cropWidth], copy);

    /// <summary>
    /// skimage.util.crop: removes <paramref name="cropWidth"/> elements from the ends of each axis. The result is a
    /// view of <paramref name="ar"/> (writes through it change <paramref name="ar"/>) unless <paramref name="copy"/>.
    /// </summary>
    /// <param name="ar">An array of any rank (1 to 32 axes).</param>
    /// <param name="cropWidth">
    /// NumPy's pad-width forms flattened: one value (every end of every axis), two values (before, after) for every
    /// axis, or one (before, after) pair per axis (2 * rank values). All &gt;= 0.
    /// </param>
    /// <param name="copy">Return a new dense array instead of a view.</param>
    public static NDArray Crop(NDArray ar, int[] cropWidth, bool copy = false)
    {
        Guard.AnyRank(ar, nameof(ar));
        var widths = AxisPairs(ar, cropWidth, nameof(cropWidth));
        for (int axis = 0; axis < ar.Rank; axis++)
            if ((long)widths[2 * axis] + widths[2 * axis + 1] > ar.Shape[axis])
                throw new ArgumentException($"cropWidth removes {(long)widths[2 * axis] + widths[2 * axis + 1]} elements from axis {axis}, which has only {ar.Shape[axis]}.", nameof(cropWidth));
        return Methods.Crop.Invoke(ar, widths, copy);
    }

    /// <summary>numpy.pad (skimage.util.pad) with the same width on every end of every axis.</summary>
    /// <inheritdoc cref="Pad(NDArray, int[], string, double)"/>
    public static NDArray Pad(NDArray array, int padWidth, string mode = "constant", double constantValues = 0) =>
        Pad(array, [padWidth], mode, constantValues);

    /// <summary>
    /// numpy.pad: a new array with <paramref name="padWidth"/> elements added at the ends of each axis (the channel
    /// axis of a 3-D array included, as NumPy does), filled as <paramref name="mode"/> says.
    /// </summary>
    /// <param name="array">An array of any rank (1 to 32 axes).</param>
    /// <param name="padWidth">One value, one (before, after) pair for every axis, or one pair per axis (2 * rank values); all &gt;= 0.</param>
    /// <param name="mode">
    /// NumPy's names: "constant" (<paramref name="constantValues"/>), "edge" (edge value repeated), "reflect"
    /// (whole-sample mirror, d c b | a b c d), "symmetric" (half-sample, c b a | a b c), "wrap" (periodic).
    /// </param>
    /// <param name="constantValues">The fill value for "constant", converted to the array's dtype as NumPy does (truncated).</param>
    public static NDArray Pad(NDArray array, int[] padWidth, string mode = "constant", double constantValues = 0)
    {
        Guard.AnyRank(array, nameof(array));
        var widths = AxisPairs(array, padWidth, nameof(padWidth));
        ParsePadMode(mode, nameof(mode));
        Guard.Finite(constantValues, nameof(constantValues));
        if (mode is "wrap" or "reflect" or "symmetric")
            for (int axis = 0; axis < array.Rank; axis++)
                if (array.Shape[axis] == 0 && widths[2 * axis] + widths[2 * axis + 1] > 0)
                    throw new ArgumentException($"mode '{mode}' cannot pad the empty axis {axis}.", nameof(mode));
        var padded = new long[array.Rank];
        for (int axis = 0; axis < array.Rank; axis++) padded[axis] = array.Shape[axis] + (long)widths[2 * axis] + widths[2 * axis + 1];
        Guard.Elements(padded.Any(n => n > int.MaxValue) ? long.MaxValue : Limits.Product(padded), nameof(padWidth), $"an array of shape ({string.Join(", ", padded)})");
        return Methods.Pad.Invoke(array, widths, mode, constantValues);
    }

    /// <summary>Expands NumPy's width forms to one (before, after) pair per axis, flattened.</summary>
    private static int[] AxisPairs(NDArray array, int[]? widths, string name)
    {
        if (widths is null) throw new ArgumentNullException(name);
        int rank = array.Rank;
        if (widths.Length is not (1 or 2) && widths.Length != 2 * rank)
            throw new ArgumentException($"{name} must have 1 value, 2 values (before, after) or one pair per axis ({2 * rank} values); got {widths.Length}.", name);
        foreach (var w in widths)
            if (w < 0) throw new ArgumentException($"{name} values must be >= 0; got {w}.", name);
        var pairs = new int[2 * rank];
        for (int axis = 0; axis < rank; axis++)
        {
            pairs[2 * axis] = widths.Length == 1 ? widths[0] : widths.Length == 2 ? widths[0] : widths[2 * axis];
            pairs[2 * axis + 1] = widths.Length == 1 ? widths[0] : widths.Length == 2 ? widths[1] : widths[2 * axis + 1];
        }
        return pairs;
    }

    private static BoundaryMode ParsePadMode(string? mode, string name) => mode switch
    {
        "constant" => BoundaryMode.Constant,
        "edge" => BoundaryMode.Nearest,
        "reflect" => BoundaryMode.Mirror,
        "symmetric" => BoundaryMode.Reflect,
        "wrap" => BoundaryMode.Wrap,
        null => throw new ArgumentNullException(name),
        _ => throw new ArgumentException($"{name} must be one of constant, edge, reflect, symmetric, wrap (NumPy's names); got '{mode}'.", name),
    };

    [Function(Domains.Util + ":crop", FunctionKind.Pointwise, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray CropCpu(NDArray ar, int[] cropWidth, bool copy) => CropHost(Guard.Host(ar, nameof(ar)), cropWidth, copy);

    /// <summary>crop of a host array (one (before, after) pair per axis), for the kernels that pad and crop around a pass.</summary>
    internal static HostArray CropHost(HostArray ar, int[] cropWidth, bool copy) => ar switch
    {
        HostArray<float> a => CropView(a, cropWidth, copy),
        HostArray<double> a => CropView(a, cropWidth, copy),
        HostArray<byte> a => CropView(a, cropWidth, copy),
        HostArray<ushort> a => CropView(a, cropWidth, copy),
        HostArray<int> a => CropView(a, cropWidth, copy),
        HostArray<bool> a => CropView(a, cropWidth, copy),
        var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(ar)),
    };

    private static HostArray<T> CropView<T>(HostArray<T> array, int[] widths, bool copy) where T : unmanaged
    {
        var ranges = new NRange[array.Rank];
        for (int axis = 0; axis < array.Rank; axis++)
            ranges[axis] = new NRange(widths[2 * axis], array.Shape[axis] - widths[2 * axis + 1]);
        var view = array.Tensor.Slice(ranges);
        return new HostArray<T>(copy ? view.ToDenseTensor() : view);
    }

    [Function(Domains.Util + ":pad", FunctionKind.Pointwise, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray PadCpu(NDArray array, int[] padWidth, string mode, double constantValues) =>
        PadHost(Guard.Host(array, nameof(array)), padWidth, ParsePadMode(mode, nameof(mode)), constantValues);

    /// <summary>numpy.pad of a host array (one (before, after) pair per axis) with a boundary mode, for the kernels that
    /// pad and crop around a pass (morphology's even footprints: edge padding).</summary>
    internal static HostArray PadHost(HostArray array, int[] padWidth, BoundaryMode boundary, double constantValues)
    {
        return array switch
        {
            HostArray<float> a => PadArray(a, padWidth, boundary, Elements.From<float>(constantValues)),
            HostArray<double> a => PadArray(a, padWidth, boundary, constantValues),
            HostArray<byte> a => PadArray(a, padWidth, boundary, Elements.From<byte>(constantValues)),
            HostArray<ushort> a => PadArray(a, padWidth, boundary, Elements.From<ushort>(constantValues)),
            HostArray<int> a => PadArray(a, padWidth, boundary, Elements.From<int>(constantValues)),
            HostArray<bool> a => PadArray(a, padWidth, boundary, Elements.From<bool>(constantValues)),
            var other => throw new ArgumentException($"Unsupported element type {other.DType}.", nameof(array)),
        };
    }

    private static HostArray<T> PadArray<T>(HostArray<T> array, int[] widths, BoundaryMode mode, T cval) where T : unmanaged
    {
        int rank = array.Rank;
        // For every output index of every axis, the input index it copies (-1: the constant).
        var maps = new int[rank][];
        var shape = new int[rank];
        for (int axis = 0; axis < rank; axis++)
        {
            int n = array.Shape[axis], before = widths[2 * axis];
            shape[axis] = n + before + widths[2 * axis + 1];
            maps[axis] = new int[shape[axis]];
            for (int i = 0; i < shape[axis]; i++) maps[axis][i] = Border.Map(i - before, n, mode);
        }
        var result = HostArray<T>.Allocate(shape);
        if (rank is not (2 or 3)) { PadLines(array.Dense(), result, maps, cval); return result; }
        var src = array.Rows();
        var dst = result.Rows();
        int channels = src.Channels, outChannels = dst.Channels;
        int[] cols = maps[1], chans = rank == 3 ? maps[2] : [0];
        int[] rowMap = maps[0];
        // Each output row copies one input row (or the constant): bands of output rows read only the input.
        Kernels.Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var output = dst.Row(y);
                int sy = rowMap[y];
                if (sy < 0) { output.Fill(cval); continue; }
                var input = src.Row(sy);
                for (int x = 0, o = 0; x < cols.Length; x++)
                {
                    int sx = cols[x];
                    for (int c = 0; c < outChannels; c++, o++)
                        output[o] = sx < 0 || chans[c] < 0 ? cval : input[sx * channels + chans[c]];
                }
            }
        });
        return result;
    }

    /// <summary>PadArray for other ranks: each output row along the last axis copies the input row its outer index maps
    /// to (or the constant), element by element through the last axis' map.</summary>
    private static void PadLines<T>(HostArray<T> array, HostArray<T> result, int[][] maps, T cval) where T : unmanaged
    {
        int rank = array.Rank;
        var inShape = array.Shape.ToArray();
        var outShape = result.Shape.ToArray();
        var src = array.Lines();
        var dst = result.Lines();
        int[] last = maps[rank - 1];
        Kernels.Bands.For(dst.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var output = dst.Row(y);
                int row = 0;
                for (int a = 0, rest = y, scale = dst.Height; a < rank - 1 && row >= 0; a++)
                {
                    scale /= outShape[a];
                    int i = maps[a][rest / scale];
                    rest %= scale;
                    row = i < 0 ? -1 : row * inShape[a] + i;
                }
                if (row < 0) { output.Fill(cval); continue; }
                var input = src.Row(row);
                for (int x = 0; x < output.Length; x++) output[x] = last[x] < 0 ? cval : input[last[x]];
            }
        });
    }
}
