using Scoped.Dispatch;

namespace Scoped.Image;

/// <summary>What a function does with its input, as backends and tools need to know it.</summary>
public enum FunctionKind
{
    /// <summary>Each output element from the input element at the same place (colour conversions, dtype changes, pad).</summary>
    Pointwise,
    /// <summary>Each output element from a neighbourhood of the input around it (rank and morphology filters, edges).</summary>
    Neighbourhood,
    /// <summary>A neighbourhood operation done axis by axis with 1-D kernels (Gaussian smoothing and what builds on it).</summary>
    Separable,
    /// <summary>A number or a small result from the whole image (thresholds, histograms, metrics).</summary>
    Reduction,
    /// <summary>Each output element from a computed place in the input (resize, rotate, warp).</summary>
    Geometric,
    /// <summary>Connectivity over the whole image (labelling and what measures or filters labels).</summary>
    Labelling,
}

/// <summary>
/// The facts about a Scoped.Image function that backends and tools read from its declaration, the multimethod field
/// in its module's <c>Methods</c> class. Scoped's source generator turns every declaration into <see cref="Declarations"/>,
/// from which the parallel backend registers and its manifest is written.
/// </summary>
/// <param name="kind">What the function does with its input.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class FunctionAttribute(FunctionKind kind) : Attribute
{
    /// <summary>What the function does with its input.</summary>
    public FunctionKind Kind { get; } = kind;

    /// <summary>The default implementation hands every heavy loop to <c>Bands</c>: run under a band scheduler it is the
    /// same function on all cores, bit for bit, so a backend may run it in bands as it is.</summary>
    public bool RunsInBands { get; init; }

    /// <summary>The name of a static method <c>string? M(DispatchCall call)</c> beside the declaration giving the reason
    /// a call's path is not banded (null when it is).</summary>
    public string? NotInBandsWhen { get; init; }

    /// <summary>The name of a static method <c>int[] M(DispatchCall call)</c> beside the declaration giving, per spatial
    /// axis (rows, cols), how far from an output pixel the input it reads lies: the halo a tiled or distributed backend
    /// must add to each tile. Pointwise functions have reach 0 without one; functions without a reach read the whole image.</summary>
    public string? Reach { get; init; }
}

/// <summary>One declared function.</summary>
/// <param name="Method">Its multimethod.</param>
/// <param name="Kind">What it does with its input.</param>
/// <param name="RunsInBands">Whether its default implementation runs in bands (see <see cref="FunctionAttribute.RunsInBands"/>).</param>
/// <param name="NotInBandsWhen">The reason a particular call is not banded, or null for every call.</param>
/// <param name="Reach">The reach per spatial axis of a call (see <see cref="FunctionAttribute.Reach"/>), or null.</param>
public sealed record FunctionDeclaration(Multimethod Method, FunctionKind Kind, bool RunsInBands, Func<DispatchCall, string?>? NotInBandsWhen,
    Func<DispatchCall, int[]>? Reach)
{
    /// <summary>How far from an output pixel, per spatial axis (rows, cols), the input this call reads lies; null when
    /// an output pixel may depend on the whole image (a reduction, labelling, canny's hysteresis, a geometric map).</summary>
    /// <param name="call">The call (as a backend's decline sees it).</param>
    public int[]? ReachOf(DispatchCall call) => Kind == FunctionKind.Pointwise ? [0, 0] : Reach?.Invoke(call);
}

/// <summary>The reach rules the declarations share.</summary>
internal static class Reaches
{
    /// <summary>The radius of scipy's Gaussian kernel (round(truncate * sigma)).</summary>
    public static int Gaussian(double sigma, double truncate) => (Kernels.Separable.GaussianWeights(sigma, truncate).Length - 1) / 2;

    /// <summary>A footprint's reach per axis, times the passes that apply it (opening: 2); null is scikit-image's 3×3 default.</summary>
    public static int[] Footprint(NDArray? footprint, int passes) => footprint is null
        ? [passes, passes]
        : [passes * (footprint.Shape[0] / 2), passes * (footprint.Shape[1] / 2)];
}

/// <summary>Every function Scoped.Image declares (<see cref="All"/>), written at build time from the
/// <see cref="FunctionAttribute"/> declarations.</summary>
public static partial class Declarations;
