using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.Kernels;

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
        // Functions whose default implementation hands all its heavy loops to Bands, one file per area.
        RegisterFilters();
        RegisterMorphology();
        RegisterGeometryAndColor();
        RegisterReductions();
    }

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

    /// <summary>Registers the multimethod's own default implementation, run with the band scheduler on this thread.</summary>
    private void Banded<TDelegate>(Multimethod<TDelegate> method) where TDelegate : Delegate
    {
        var inner = method.DefaultImplementation ?? throw new InvalidOperationException($"{method.Name} has no default implementation to run in bands.");
        Implement(method, InBands(method, inner), DeclineSmall);
    }

    /// <summary><see cref="Banded"/>, also declining the calls <paramref name="decline"/> names a reason for (a path of the
    /// default that is not banded).</summary>
    private void BandedUnless<TDelegate>(Multimethod<TDelegate> method, Func<DispatchCall, string?> decline) where TDelegate : Delegate
    {
        var inner = method.DefaultImplementation ?? throw new InvalidOperationException($"{method.Name} has no default implementation to run in bands.");
        Implement(method, InBands(method, inner), call => DeclineSmall(call) ?? decline(call));
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

    /// <summary>inner, run with the band scheduler on this thread: { using (Bands.Use(scheduler)) return inner(args); }.</summary>
    internal static TDelegate InBands<TDelegate>(Multimethod<TDelegate> method, TDelegate inner) where TDelegate : Delegate =>
        method.Around(inner, static () => Bands.Use(BandScheduler.Instance));
}
