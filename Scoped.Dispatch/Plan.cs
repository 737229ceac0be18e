namespace Scoped.Dispatch;

/// <summary>The runtime types of a call's dispatchable arguments: the cache key, compared without allocating.</summary>
internal readonly record struct TypeKey(Type? T0, Type? T1, Type? T2, Type? T3)
{
    public const int MaxArity = 4;

    public Type? this[int index] => index switch { 0 => T0, 1 => T1, 2 => T2, _ => T3 };

    public TypeKey With(int index, Type type) => index switch
    {
        0 => this with { T0 = type },
        1 => this with { T1 = type },
        2 => this with { T2 = type },
        _ => this with { T3 = type },
    };

    public static TypeKey From(Type[] types)
    {
        var key = default(TypeKey);
        for (var i = 0; i < types.Length; i++) key = key.With(i, types[i]);
        return key;
    }

    public Type[] ToArray() => [.. new[] { T0, T1, T2, T3 }.TakeWhile(t => t is not null).Select(t => t!)];
}

/// <summary>A backend that can run a call, with the registration chosen and the conversions needed.</summary>
internal sealed class Candidate(DispatchBackend backend, Registration registration, Converter?[] conversions, int traceIndex)
{
    public DispatchBackend Backend { get; } = backend;
    public Registration Registration { get; } = registration;
    /// <summary>Per dispatchable position, the converter to apply, or null.</summary>
    public Converter?[] Conversions { get; } = conversions;
    public bool NeedsConversion { get; } = conversions.Any(c => c is not null);
    public int TraceIndex { get; } = traceIndex;
    public bool MayDecline => Backend.DeclinesCalls || Registration.Decline is not null;

    public string? DeclineReason(DispatchCall call) => BackendDeclineReason(call) ?? ImplementationDeclineReason(call);

    /// <summary>The backend's <see cref="DispatchBackend.Decline"/> (given the caller's arguments, even in interop scopes).</summary>
    public string? BackendDeclineReason(DispatchCall call) => Backend.DeclinesCalls ? Guard(Backend.Decline, call, nameof(DispatchBackend.Decline)) : null;

    /// <summary>The implementation's own decline (given the arguments the implementation would get).</summary>
    public string? ImplementationDeclineReason(DispatchCall call) => Registration.Decline is { } decline ? Guard(decline, call, "decline") : null;

    /// <summary>A decline check that throws has not agreed to run the call: it counts as a decline, its exception
    /// being the reason, and the next candidate is tried (an exception from the implementation itself propagates).</summary>
    private static string? Guard(Func<DispatchCall, string?> decline, DispatchCall call, string what)
    {
        try
        {
            return decline(call) is { } reason ? MessageText.Escape(reason) : null;
        }
        catch (Exception ex)
        {
            return MessageText.Escape($"{what} threw {ex.GetType().Name}: {ex.Message}");
        }
    }
}

/// <summary>
/// The resolved form of one (multimethod, scope state, argument types): the delegate to call and the trace that
/// explains it. Cached on the scope node; valid while <see cref="Version"/> equals the registry's version.
/// </summary>
internal sealed class Plan
{
    public required TypeKey Key { get; init; }
    public required Type[] ArgumentTypes { get; init; }
    public required int Version { get; init; }
    /// <summary>Candidates in order and what became of each at resolution time.</summary>
    public required CandidateReport[] Trace { get; init; }
    /// <summary>Candidates that can run the call, in order; the first that does not decline runs it.</summary>
    public required Candidate[] Viable { get; init; }
    /// <summary>The owner of the first argument's type, or null for host arrays: results must be of this kind.</summary>
    public required string? ExpectedKind { get; init; }
    public required bool IsFallback { get; init; }
    /// <summary>When set, calling throws what it creates (no backend, or a fallback that options forbid).</summary>
    public Func<Exception>? Failure { get; init; }
    public DispatchRecorder? Recorder { get; init; }
    /// <summary>What <see cref="Multimethod{TDelegate}.Target(object)"/> returns: the implementation itself when nothing
    /// else is needed, otherwise a wrapper that checks the result or takes the slow path.</summary>
    public Delegate Target { get; set; } = null!;
    /// <summary>The backend the direct path runs ("" when the slow path decides per call).</summary>
    public string Selected { get; init; } = "";
    /// <summary>The last result type found to be of the right kind, so the check is one comparison.</summary>
    public Type? LastResultType { get; set; }

    /// <summary>Bookkeeping for a call on the direct path: the calls and fallbacks counters, when anyone listens.
    /// (Slow-path calls are counted in RunSlow, where the backend that ran is known.)</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void NoteCall()
    {
        if ((IsFallback || DispatchMetrics.Calls.Enabled) && Selected.Length > 0) DispatchMetrics.RecordCall(Selected, IsFallback);
    }
}
