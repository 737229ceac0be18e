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
/// Declares a Scoped.Image function on its default implementation, the static method <c>XCpu</c> of its module class.
/// Scoped's source generator writes the rest from it: the delegate type <c>XFunction</c> with the method's parameters
/// (or the shared one <see cref="Signature"/> names), the multimethod <c>Methods.X</c> dispatching on every
/// non-nullable <see cref="NDArray"/> parameter, its dispatch glue, and its row in <see cref="Declarations"/>, from
/// which the parallel backend registers, backend manifests are written and the CLI lists it. The public method that
/// validates and calls <c>Methods.X</c> is written beside it (docs/contributing.md).
/// </summary>
/// <param name="name">The multimethod's name, "domain:function" (e.g. <c>Domains.Filters + ":gaussian"</c>).</param>
/// <param name="kind">What the function does with its input.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FunctionAttribute(string name, FunctionKind kind) : Attribute
{
    /// <summary>The multimethod's name, "domain:function".</summary>
    public string Name { get; } = name;

    /// <summary>What the function does with its input.</summary>
    public FunctionKind Kind { get; } = kind;

    /// <summary>The default implementation hands every heavy loop to <c>Bands</c>: run under a band scheduler it is the
    /// same function on all cores, bit for bit, so a backend may run it in bands as it is.</summary>
    public bool RunsInBands { get; init; }

    /// <summary>The name of a static method <c>string? M(DispatchCall call)</c> beside the declaration (in the module or
    /// its Methods class) giving the reason a call's path is not banded (null when it is).</summary>
    public string? NotInBandsWhen { get; init; }

    /// <summary>The name of a static method <c>int[] M(DispatchCall call)</c> beside the declaration giving, per spatial
    /// axis (rows, cols), how far from an output pixel the input it reads lies: the halo a tiled or distributed backend
    /// must add to each tile. Pointwise functions have reach 0 without one; functions without a reach read the whole image.</summary>
    public string? Reach { get; init; }

    /// <summary>The name of the delegate type when several functions share one signature (the edge filters'
    /// <c>EdgeFunction</c>); by default each function gets its own, <c>XFunction</c>.</summary>
    public string? Signature { get; init; }

    /// <summary>The fewest spatial axes (a channel axis not counted) the function accepts; 2 unless declared.</summary>
    public int MinRank { get; init; } = 2;

    /// <summary>The most spatial axes (a channel axis not counted) the function accepts; 2 unless declared.</summary>
    public int MaxRank { get; init; } = 2;
}

/// <summary>One declared function.</summary>
/// <param name="Method">Its multimethod.</param>
/// <param name="Kind">What it does with its input.</param>
/// <param name="RunsInBands">Whether its default implementation runs in bands (see <see cref="FunctionAttribute.RunsInBands"/>).</param>
/// <param name="NotInBandsWhen">The reason a particular call is not banded, or null for every call.</param>
/// <param name="Reach">The reach per spatial axis of a call (see <see cref="FunctionAttribute.Reach"/>), or null.</param>
/// <param name="MinRank">The fewest spatial axes it accepts.</param>
/// <param name="MaxRank">The most spatial axes it accepts.</param>
public sealed record FunctionDeclaration(Multimethod Method, FunctionKind Kind, bool RunsInBands, Func<DispatchCall, string?>? NotInBandsWhen,
    Func<DispatchCall, int[]>? Reach, int MinRank, int MaxRank)
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

    /// <summary>A footprint's reach per axis of a <paramref name="rank"/>-D image, times the passes that apply it
    /// (opening: 2); null is scikit-image's default, the 3 x ... x 3 cross. An even axis reaches n / 2 either way.</summary>
    public static int[] Footprint(int rank, NDArray? footprint, int passes) => footprint is null
        ? Enumerable.Repeat(passes, rank).ToArray()
        : Enumerable.Range(0, footprint.Rank).Select(a => passes * (footprint.Shape[a] / 2)).ToArray();
}

/// <summary>Every function Scoped.Image declares (<see cref="All"/>), written at build time from the
/// <see cref="FunctionAttribute"/> declarations.</summary>
public static partial class Declarations
{
    /// <summary>The most spatial axes an N-D function takes (NumPy allows 32 axes in all, one may be channels): a
    /// declaration with this <see cref="FunctionAttribute.MaxRank"/> takes any number of axes.</summary>
    public const int MaxSpatialRank = 31;
}
