namespace Scoped.Backends.Parallel;

/// <summary>Options of the "parallel" backend; set through <see cref="ParallelBackend.Configure(Action{ParallelBackendOptions})"/> or
/// <c>services.AddScopedParallel(o =&gt; ...)</c>.</summary>
public sealed class ParallelBackendOptions
{
    /// <summary>Images with fewer elements (rows x cols x channels) are declined, so the default runs them on one core.
    /// On the 2-core machine of docs/parallel.md the cheapest kernels (3x3 erosion and median, float32) were 15-20% slower
    /// in bands at 512x512 and 20-25% faster at 1024x1024, so the default is 1024 * 1024; costlier functions (gaussian)
    /// pay from 64x64, so lower it when the work per pixel is high.</summary>
    public long MinimumElements { get; set; } = 1024 * 1024;

    /// <summary>Threads a call may use; all logical processors by default.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Bands per thread: more than one evens out uneven bands and a busy core, at the price of more halo rows.</summary>
    public int BandsPerThread { get; set; } = 4;

    /// <summary>When set, every pass is cut into bands of this many rows (or columns) regardless of the thread count;
    /// the conformance tests use small bands so that every seam and edge case is crossed on small images.</summary>
    public int? BandLength { get; set; }

    internal ParallelBackendOptions Validated()
    {
        if (MinimumElements < 0) throw new ArgumentOutOfRangeException(nameof(MinimumElements), MinimumElements, "MinimumElements must be >= 0.");
        if (MaxDegreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be >= 1.");
        if (BandsPerThread < 1) throw new ArgumentOutOfRangeException(nameof(BandsPerThread), BandsPerThread, "BandsPerThread must be >= 1.");
        if (BandLength is < 1) throw new ArgumentOutOfRangeException(nameof(BandLength), BandLength, "BandLength must be >= 1 when set.");
        return new ParallelBackendOptions
        {
            MinimumElements = MinimumElements,
            MaxDegreeOfParallelism = MaxDegreeOfParallelism,
            BandsPerThread = BandsPerThread,
            BandLength = BandLength,
        };
    }
}
