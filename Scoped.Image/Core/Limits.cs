using Scoped.Dispatch;

namespace Scoped.Image;

/// <summary>Options of the work limit, bound from <c>Scoped:Limits</c>; applied with <see cref="Limits.Configure"/>.</summary>
public sealed class LimitsOptions
{
    /// <summary>The most elements any one array a call allocates may hold: an output, a kernel, a histogram, a lookup
    /// table. A request beyond it is refused with an ArgumentException naming the parameter before anything is
    /// allocated. The default is sized to the machine (see <see cref="Limits.DefaultMaxElements"/>).</summary>
    public long MaxElements { get; set; } = Limits.DefaultMaxElements;

    /// <summary>The configuration section <c>Scoped:Limits</c> (<c>Scoped:Limits:MaxElements</c>).</summary>
    public static ScopedOptionsSection<LimitsOptions> ConfigurationSection { get; } = new(
        "Limits",
        current: () => new LimitsOptions { MaxElements = Limits.ProcessMaxElements },
        apply: Limits.Configure,
        validate: options => options.Problems());

    internal IEnumerable<OptionProblem> Problems()
    {
        if (MaxElements < 1) yield return new(nameof(MaxElements), "must be >= 1", MaxElements);
    }
}

/// <summary>
/// The work limit: how many elements one array made by a call may hold. Size-like arguments (an output shape, a
/// scale, nbins, a sigma that sets a kernel's length, a footprint's radius) are checked against it before any
/// allocation, so a careless or hostile argument is an ArgumentException, not an OutOfMemoryException that takes the
/// process down. The limit is process-wide (<see cref="Configure"/>, <c>Scoped:Limits:MaxElements</c>) and can be
/// lowered for one async flow with <see cref="Use"/>, e.g. per web request.
/// </summary>
public static class Limits
{
    /// <summary>An eighth of the memory the GC may use, in float64 elements: a call holds its input, its output and a
    /// few temporaries at once, so each may take that share. At least 2^24.</summary>
    public static long DefaultMaxElements { get; } =
        Math.Max(1L << 24, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / sizeof(double) / 8);

    // After DefaultMaxElements: static fields initialize in declaration order.
    private static long s_maxElements = DefaultMaxElements;
    private static readonly AsyncLocal<FlowLimits?> s_flow = new();

    /// <summary>The limit in force in this flow: the smaller of the process-wide one and any <see cref="Use"/> around the caller.</summary>
    public static long MaxElements => s_flow.Value is { } flow ? Math.Min(flow.MaxElements, ProcessMaxElements) : ProcessMaxElements;

    /// <summary>The process-wide limit.</summary>
    public static long ProcessMaxElements => Volatile.Read(ref s_maxElements);

    /// <summary>Sets the process-wide limit.</summary>
    /// <param name="options">The options; <see cref="LimitsOptions.MaxElements"/> must be at least 1.</param>
    public static void Configure(LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var p in options.Problems()) throw new ArgumentOutOfRangeException(nameof(options), p.Value, $"{p.Property} {p.Rule}.");
        Volatile.Write(ref s_maxElements, options.MaxElements);
    }

    /// <summary>Lowers the limit for the calling async flow (and the flows it starts) until the result is disposed, and
    /// optionally lets the work in that flow be cancelled: long-running kernels check <paramref name="cancellation"/>
    /// between rows and throw <see cref="OperationCanceledException"/>, so a timed-out request stops and frees its
    /// memory. It can only lower: the effective limit is the smaller of this and the one around it. Disposing restores
    /// the previous one.</summary>
    /// <param name="maxElements">The limit, at least 1.</param>
    /// <param name="cancellation">Cancels the work done in this flow.</param>
    public static IDisposable Use(long maxElements, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxElements, 1);
        var previous = s_flow.Value;
        var token = previous is { Cancellation.CanBeCanceled: true } && cancellation.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(previous.Cancellation, cancellation).Token
            : cancellation.CanBeCanceled ? cancellation : previous?.Cancellation ?? default;
        s_flow.Value = new FlowLimits(previous is { } outer ? Math.Min(outer.MaxElements, maxElements) : maxElements, token);
        return new Restore(previous);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when the work of this flow was cancelled (see <see cref="Use"/>).
    /// Kernels (and backends' copies and launches) call it between pieces of work; it costs one async-local read.</summary>
    public static void ThrowIfCancelled() => s_flow.Value?.Cancellation.ThrowIfCancellationRequested();

    /// <summary>The flow's cancellation token, for kernels that run bands on other threads (the async local does
    /// flow into Parallel.For, but reading it once per band is cheaper).</summary>
    internal static CancellationToken Cancellation => s_flow.Value?.Cancellation ?? default;

    /// <summary>The product of <paramref name="lengths"/>, or long.MaxValue when it overflows.</summary>
    internal static long Product(ReadOnlySpan<long> lengths)
    {
        long product = 1;
        foreach (var n in lengths)
        {
            if (n == 0) return 0;
            product = n > long.MaxValue / product ? long.MaxValue : product * n;
        }
        return product;
    }

    /// <summary>Throws when an array of <paramref name="elements"/> elements, made because of <paramref name="parameter"/>,
    /// would exceed the work limit or the largest .NET array.</summary>
    /// <param name="elements">The element count (long.MaxValue for "overflows").</param>
    /// <param name="parameter">The parameter whose value asks for the array.</param>
    /// <param name="what">What the array is, worded to follow "makes": "an output of shape (50000, 50000)".</param>
    internal static void CheckElements(long elements, string parameter, string what)
    {
        long max = Math.Min(MaxElements, Array.MaxLength);
        if (elements <= max) return;
        string count = elements == long.MaxValue ? "more than 2^63" : elements.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string rule = max == Array.MaxLength && MaxElements > max
            ? $"the largest array .NET can hold ({Array.MaxLength} elements)"
            : $"the work limit of {max} elements (Scoped:Limits:MaxElements)";
        throw new ArgumentException($"{parameter} makes {what} of {count} elements, more than {rule}.", parameter);
    }

    private sealed record FlowLimits(long MaxElements, CancellationToken Cancellation);

    private sealed class Restore(FlowLimits? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            s_flow.Value = previous;
        }
    }
}
