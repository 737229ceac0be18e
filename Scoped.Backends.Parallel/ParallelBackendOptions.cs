using Scoped.Dispatch;

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

    /// <summary>The configuration section <c>Scoped:Parallel</c>, one key per property (<c>Scoped:Parallel:MinimumElements</c>);
    /// applied with <see cref="ParallelBackend.Configure(ParallelBackendOptions)"/>.</summary>
    public static ScopedOptionsSection<ParallelBackendOptions> ConfigurationSection { get; } = new(
        "Parallel",
        current: () => ParallelBackend.CurrentOptions.Validated(),
        apply: ParallelBackend.Configure,
        validate: options => options.Problems());

    /// <summary>The rules these options break; <see cref="Validated"/> throws for the first.</summary>
    internal IEnumerable<OptionProblem> Problems()
    {
        if (MinimumElements < 0) yield return new(nameof(MinimumElements), "must be >= 0", MinimumElements);
        if (MaxDegreeOfParallelism < 1) yield return new(nameof(MaxDegreeOfParallelism), "must be >= 1", MaxDegreeOfParallelism);
        if (BandsPerThread < 1) yield return new(nameof(BandsPerThread), "must be >= 1", BandsPerThread);
        if (BandLength is < 1) yield return new(nameof(BandLength), "must be >= 1 when set", BandLength);
    }

    internal ParallelBackendOptions Validated()
    {
        foreach (var p in Problems()) throw new ArgumentOutOfRangeException(p.Property, p.Value, $"{p.Property} {p.Rule}.");
        return new ParallelBackendOptions
        {
            MinimumElements = MinimumElements,
            MaxDegreeOfParallelism = MaxDegreeOfParallelism,
            BandsPerThread = BandsPerThread,
            BandLength = BandLength,
        };
    }
}
