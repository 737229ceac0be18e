using System.Text;

namespace Scoped.Dispatch;

/// <summary>Why a backend was on the candidate list of a call.</summary>
public enum CandidateOrigin
{
    /// <summary>A <c>Backend.Use</c> scope in the current async flow.</summary>
    Scope,
    /// <summary>The domain's global backend (<see cref="Backend.SetDefault(string, string?, bool, bool, bool)"/>).</summary>
    GlobalDefault,
    /// <summary>The priority order from <see cref="DispatchOptions.Priority"/> or SCOPED_BACKENDS.</summary>
    Priority,
    /// <summary>The backend owns the type of one of the arguments.</summary>
    Owner,
    /// <summary>The multimethod's own default implementation.</summary>
    Default,
}

/// <summary>What became of one candidate backend for one call.</summary>
public enum CandidateOutcome
{
    /// <summary>It ran the call.</summary>
    Selected,
    /// <summary>A <c>Backend.Skip</c> scope removed it.</summary>
    Skipped,
    /// <summary>It does not serve the multimethod's domain (its scope is ignored for this call).</summary>
    NotInDomain,
    /// <summary>It could not be loaded, or says it cannot run here.</summary>
    Unavailable,
    /// <summary>It has no implementation for these argument types.</summary>
    NoImplementation,
    /// <summary>It could run after converting arguments, but no interop (coerce) scope allows that.</summary>
    NeedsConversion,
    /// <summary>It looked at the call's values and declined, giving a reason.</summary>
    Declined,
    /// <summary>An earlier candidate ran the call, so this one was not tried.</summary>
    NotReached,
}

/// <summary>One line of a dispatch trace: a candidate backend, why it was considered and what became of it.</summary>
/// <param name="Backend">The backend's name ("default" for the multimethod's own implementation).</param>
/// <param name="Origin">Why it was a candidate.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Reason">Details, such as the decline reason or the conversion that was needed.</param>
public sealed record CandidateReport(string Backend, CandidateOrigin Origin, CandidateOutcome Outcome, string? Reason = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{MessageText.Escape(Backend)} ({Origin}): {Outcome}{(Reason is null ? "" : " - " + MessageText.Escape(Reason))}";
}

/// <summary>A conversion the dispatcher made for one call in an interop scope.</summary>
/// <param name="Parameter">The parameter converted, or "result".</param>
/// <param name="From">The type before.</param>
/// <param name="To">The type after.</param>
/// <param name="Bytes">The size the converter reported, or 0.</param>
/// <param name="Elapsed">How long the conversion took.</param>
public sealed record ConversionReport(string Parameter, Type From, Type To, long Bytes, TimeSpan Elapsed)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Parameter}: {From.Name} -> {To.Name} ({Bytes} bytes, {Elapsed.TotalMilliseconds:0.###} ms)";
}

/// <summary>The full story of one dispatched call: the candidates in order and what became of each,
/// the backend that ran, the conversions made and the time taken.</summary>
public sealed class DispatchRecord
{
    internal DispatchRecord(string multimethod, IReadOnlyList<Type> argumentTypes, IReadOnlyList<CandidateReport> candidates)
    {
        Multimethod = multimethod;
        ArgumentTypes = argumentTypes;
        Candidates = candidates;
    }

    /// <summary>The multimethod's name ("scoped.image.filters:gaussian").</summary>
    public string Multimethod { get; }

    /// <summary>The runtime types of the dispatchable arguments.</summary>
    public IReadOnlyList<Type> ArgumentTypes { get; }

    /// <summary>Every candidate in the order tried.</summary>
    public IReadOnlyList<CandidateReport> Candidates { get; internal set; }

    /// <summary>The backend that ran the call, or null if none did (or the call has not run: a resolution-only explanation).</summary>
    public string? Backend => Candidates.FirstOrDefault(c => c.Outcome == CandidateOutcome.Selected)?.Backend;

    /// <summary>Conversions made for this call (only inside interop scopes).</summary>
    public IReadOnlyList<ConversionReport> Conversions { get; internal set; } = [];

    /// <summary>Wall time of the call, conversions included; zero for a resolution-only explanation.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>True when a backend that was asked for (by scope, global default or priority) was passed over.</summary>
    public bool IsFallback { get; internal set; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Multimethod).Append('(').Append(string.Join(", ", ArgumentTypes.Select(t => t.Name))).Append(')');
        sb.Append(" -> ").Append(Backend ?? "(none)");
        if (Elapsed > TimeSpan.Zero) sb.Append($" in {Elapsed.TotalMilliseconds:0.###} ms");
        if (IsFallback) sb.Append(" [fallback]");
        foreach (var c in Candidates) sb.AppendLine().Append("  ").Append(c);
        foreach (var c in Conversions) sb.AppendLine().Append("  converted ").Append(c);
        return sb.ToString();
    }
}

/// <summary>The result of <see cref="Backend.Explain{T}(Func{T})"/>: the call's own result, unchanged, and
/// the record of every dispatched call it made, outermost first.</summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class DispatchExplanation<T>
{
    internal DispatchExplanation(T result, IReadOnlyList<DispatchRecord> calls, TimeSpan elapsed)
    {
        Result = result;
        Calls = calls;
        Elapsed = elapsed;
    }

    /// <summary>What the call returned.</summary>
    public T Result { get; }

    /// <summary>Every dispatched call made, in the order they started (nested calls after their caller).</summary>
    public IReadOnlyList<DispatchRecord> Calls { get; }

    /// <summary>The first (outermost) dispatched call, or null when the code dispatched nothing.</summary>
    public DispatchRecord? Call => Calls.Count > 0 ? Calls[0] : null;

    /// <summary>The backend that ran the outermost call.</summary>
    public string? Backend => Call?.Backend;

    /// <summary>Wall time of the whole explained code.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Join(Environment.NewLine, Calls);
}

/// <summary>Thrown when no backend handles a call. The message and <see cref="Candidates"/> list every candidate
/// in order and why it was passed over.</summary>
public sealed class BackendNotImplementedException : NotSupportedException
{
    /// <summary>Creates the exception from a full trace.</summary>
    /// <param name="multimethod">The multimethod's name.</param>
    /// <param name="argumentTypes">The dispatchable arguments' runtime types.</param>
    /// <param name="candidates">Every candidate, in order, with its outcome.</param>
    /// <param name="headline">The first line of the message; a default is written when null.</param>
    public BackendNotImplementedException(string multimethod, IReadOnlyList<Type> argumentTypes, IReadOnlyList<CandidateReport> candidates, string? headline = null)
        : base(Describe(multimethod, argumentTypes, candidates, headline))
    {
        Multimethod = multimethod;
        ArgumentTypes = argumentTypes;
        Candidates = candidates;
    }

    /// <summary>The multimethod that could not be dispatched.</summary>
    public string Multimethod { get; }

    /// <summary>The runtime types of the dispatchable arguments.</summary>
    public IReadOnlyList<Type> ArgumentTypes { get; }

    /// <summary>Every candidate, in order, and why it was passed over.</summary>
    public IReadOnlyList<CandidateReport> Candidates { get; }

    private static string Describe(string multimethod, IReadOnlyList<Type> types, IReadOnlyList<CandidateReport> candidates, string? headline)
    {
        var sb = new StringBuilder(MessageText.Escape(headline ?? $"No backend implements {multimethod}({string.Join(", ", types.Select(t => t.Name))})."));
        if (candidates.Count == 0) sb.Append(" There were no candidates: no scope, global default, registered backend or default implementation applies.");
        else sb.Append(" Candidates in order:");
        foreach (var c in candidates) sb.AppendLine().Append("  - ").Append(c);
        return sb.ToString();
    }
}
