using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Parallel;

/// <summary>
/// The "parallel" backend: Scoped.Image's own default implementations, with each pass over output rows (or columns) cut
/// into bands that run on all cores. A band reads the source rows its output rows need, up to the function's reach past
/// the band's edges (the halo), straight from the input, and writes its rows straight into the one output array; the
/// image edge is handled by the function's own boundary mode, so results are bit-identical to the default's. Reductions
/// keep partials per band or per row and combine them in a fixed order. The backend owns no array type: it runs only
/// where asked (a scope, <c>Backend.SetDefault</c>, SCOPED_BACKENDS), and declines images below
/// <see cref="ParallelBackendOptions.MinimumElements"/> so that small images never get slower.
/// </summary>
public sealed partial class ParallelBackend : DispatchBackend
{
    /// <summary>The backend's name.</summary>
    public const string BackendName = "parallel";

    private static ParallelBackendOptions s_options = new ParallelBackendOptions().Validated();

    /// <summary>Creates the backend (discovery does this; registering it by hand works too).</summary>
    public ParallelBackend() : base(BackendName, Scoped.Image.Domains.Root)
    {
        Description = "Scoped.Image's kernels in row bands on all cores, bit-identical to the default";
        // Every function whose declaration says its default hands all its heavy loops to Bands (how each one is cut
        // into bands: docs/parallel.md). A band-safe function added to Scoped.Image arrives here with no edit.
        foreach (var function in Declarations.All)
        {
            if (!function.RunsInBands) continue;
            var notInBands = function.NotInBandsWhen;
            Implement(function.Method, function.Method.AroundDefault(EnterBands),
                notInBands is null ? DeclineSmall : call => DeclineSmall(call) ?? notInBands(call));
        }
    }

    /// <summary>Runs what follows with the band scheduler on this thread (disposed after the call).</summary>
    private static IDisposable EnterBands() => BandScheduling.Use(BandScheduler.Instance);

    /// <summary>The options in force (an immutable snapshot).</summary>
    public static ParallelBackendOptions CurrentOptions => Volatile.Read(ref s_options);

    /// <summary>Changes the options for every later call (calls running keep the snapshot they started with, band by band).</summary>
    /// <param name="configure">Edits a copy of the current options.</param>
    public static void Configure(Action<ParallelBackendOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var copy = CurrentOptions.Validated();
        configure(copy);
        Configure(copy);
    }

    /// <summary>Replaces the options for every later call.</summary>
    /// <param name="options">The new options; validated and copied.</param>
    public static void Configure(ParallelBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref s_options, options.Validated());
    }

    /// <summary>The reason to leave a call to the default: too small to pay for the bands, or one thread only.</summary>
    internal static string? DeclineSmall(DispatchCall call)
    {
        var o = CurrentOptions;
        if (o.MaxDegreeOfParallelism == 1 && o.BandLength is null) return "MaxDegreeOfParallelism is 1: nothing to run in parallel.";
        long elements = call.Arguments.OfType<NDArray>().FirstOrDefault()?.Size ?? 0;
        return elements < o.MinimumElements
            ? $"the image has {elements} elements, below ParallelBackendOptions.MinimumElements ({o.MinimumElements}; the setting Scoped:Parallel:MinimumElements): one core is faster there."
            : null;
    }
}
