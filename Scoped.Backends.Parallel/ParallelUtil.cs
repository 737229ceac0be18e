using Scoped.Image;

namespace Scoped.Backends.Parallel;

/// <summary>Progress of <see cref="ParallelUtil.ApplyParallel(Func{NDArray, NDArray}, NDArray, int[], int[], BoundaryMode?, IProgress{ApplyParallelProgress}, CancellationToken)"/>.</summary>
/// <param name="ChunksDone">Chunks finished so far (each report has a different count; reports may arrive out of order).</param>
/// <param name="ChunkCount">Chunks in all.</param>
public readonly record struct ApplyParallelProgress(int ChunksDone, int ChunkCount)
{
    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => ChunkCount == 0 ? 1 : (double)ChunksDone / ChunkCount;
}

/// <summary>skimage.util.apply_parallel for the user's own functions.</summary>
public static class ParallelUtil
{
    /// <summary>
    /// skimage.util.apply_parallel: cuts <paramref name="image"/> into chunks, calls <paramref name="function"/> on each chunk
    /// enlarged by <paramref name="depth"/> pixels on every side (the halo), on all cores, and writes the middle of each
    /// result into one output array. Unlike scikit-image, the default <paramref name="mode"/> (null) adds no padding at
    /// the image edge: a chunk at the edge reaches only to the edge, so <paramref name="function"/> applies its own
    /// boundary rule there, and when <paramref name="depth"/> covers the function's reach the result equals
    /// <c>function(image)</c> exactly.
    /// </summary>
    /// <param name="function">Maps an image to one of the same rows and columns (the channel count and dtype may change,
    /// the same for every chunk). It runs concurrently on views of <paramref name="image"/> and must not write to its input.</param>
    /// <param name="image">A 2-D (rows, cols) or 3-D (rows, cols, channels) host array; channels are never split.</param>
    /// <param name="chunks">Chunk size: one value for both axes or (rows, cols); by default rows / threads, whole rows.</param>
    /// <param name="depth">Halo: one value for both axes or (rows, cols), &gt;= 0. Default 0.</param>
    /// <param name="mode">Null: no padding (the function sees the real edge). Otherwise the image is first padded by
    /// <paramref name="depth"/> with this mode, as scikit-image does (<see cref="BoundaryMode.Constant"/> pads zeros).</param>
    /// <param name="progress">Told after each chunk.</param>
    /// <param name="cancellationToken">Stops starting new chunks; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A new array; <paramref name="image"/> is not modified.</returns>
    public static HostArray ApplyParallel(Func<NDArray, NDArray> function, NDArray image, int[]? chunks = null, int[]? depth = null,
        BoundaryMode? mode = null, IProgress<ApplyParallelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(image);
        if (image is not HostArray host) throw new ArgumentException($"image must be a host array; got a {image.Kind} array.", nameof(image));
        if (image.Rank is not (2 or 3)) throw new ArgumentException($"image must be 2-D (rows, cols) or 3-D (rows, cols, channels); got {image.ShapeText}.", nameof(image));
        if (mode is not null && !Enum.IsDefined(mode.Value)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "mode must be a BoundaryMode or null.");
        int rows = image.Shape[0], cols = image.Shape[1];
        int threads = ParallelBackend.CurrentOptions.MaxDegreeOfParallelism;
        var (chunkRows, chunkCols) = Pair(chunks, nameof(chunks), (Math.Max(1, (rows + threads - 1) / threads), Math.Max(1, cols)), minimum: 1);
        var (depthRows, depthCols) = Pair(depth, nameof(depth), (0, 0), minimum: 0);
        cancellationToken.ThrowIfCancellationRequested();

        // With a mode, pad once (scikit-image's behaviour); the chunk grid stays in image coordinates, offset by depth.
        HostArray source = host;
        int offsetRows = 0, offsetCols = 0;
        if (mode is BoundaryMode m && (depthRows > 0 || depthCols > 0))
        {
            int[] widths = image.Rank == 3 ? [depthRows, depthRows, depthCols, depthCols, 0, 0] : [depthRows, depthRows, depthCols, depthCols];
            source = (HostArray)Util.Pad(host, widths, NumPyName(m));
            (offsetRows, offsetCols) = (depthRows, depthCols);
        }

        int gridRows = rows == 0 ? 0 : (rows + chunkRows - 1) / chunkRows, gridCols = cols == 0 ? 0 : (cols + chunkCols - 1) / chunkCols;
        int count = gridRows * gridCols, done = 0;
        HostArray? output = null;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        try
        {
            System.Threading.Tasks.Parallel.For(0, count, options, index =>
            {
                int r0 = index / gridCols * chunkRows, c0 = index % gridCols * chunkCols;
                int r1 = Math.Min(rows, r0 + chunkRows), c1 = Math.Min(cols, c0 + chunkCols);
                // The chunk plus its halo, clipped to the (padded) source.
                int sr0 = Math.Max(0, r0 + offsetRows - depthRows), sc0 = Math.Max(0, c0 + offsetCols - depthCols);
                int sr1 = Math.Min(source.Shape[0], r1 + offsetRows + depthRows), sc1 = Math.Min(source.Shape[1], c1 + offsetCols + depthCols);
                var input = source.Window(sr0, sc0, sr1 - sr0, sc1 - sc0);
                var result = function(input) as HostArray
                    ?? throw new ArgumentException("function must return a host array.", nameof(function));
                if (result.Rank is not (2 or 3) || result.Shape[0] != input.Shape[0] || result.Shape[1] != input.Shape[1])
                    throw new ArgumentException($"function must return an array with the rows and columns of its input ({input.ShapeText}); it returned {result.ShapeText}.", nameof(function));
                lock (gate)
                {
                    output ??= HostArray.Zeros(result.DType, result.Rank == 3 ? [rows, cols, result.Shape[2]] : [rows, cols]);
                    if (output.DType != result.DType || output.Rank != result.Rank || (result.Rank == 3 && output.Shape[2] != result.Shape[2]))
                        throw new ArgumentException($"function returned {result.DType} {result.ShapeText} for one chunk and {output.DType} with {output.Rank} axes for another; every chunk must give the same dtype and channels.", nameof(function));
                }
                result.CopyWindowTo(output, r0 + offsetRows - sr0, c0 + offsetCols - sc0, r1 - r0, c1 - c0, r0, c0);
                int finished = Interlocked.Increment(ref done);
                progress?.Report(new ApplyParallelProgress(finished, count));
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        // An empty image: the function's dtype is unknown without a call, so call it once on the empty image.
        return output ?? (HostArray)function(host);
    }

    private static (int Rows, int Cols) Pair(int[]? values, string name, (int, int) fallback, int minimum)
    {
        if (values is null) return fallback;
        if (values.Length is not (1 or 2)) throw new ArgumentException($"{name} must have one value or two (rows, cols); got {values.Length}.", name);
        foreach (var v in values)
            if (v < minimum) throw new ArgumentOutOfRangeException(name, v, $"{name} must be >= {minimum}; got {v}.");
        return values.Length == 1 ? (values[0], values[0]) : (values[0], values[1]);
    }

    private static string NumPyName(BoundaryMode mode) => mode switch
    {
        BoundaryMode.Reflect => "symmetric",
        BoundaryMode.Mirror => "reflect",
        BoundaryMode.Nearest => "edge",
        BoundaryMode.Wrap => "wrap",
        _ => "constant",
    };
}
