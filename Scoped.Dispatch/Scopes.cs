using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Scoped.Dispatch;

internal enum FrameKind { Root, Use, Skip, Explain }

/// <summary>One entry of the scope stack.</summary>
internal readonly record struct Frame(FrameKind Kind, string? Name = null, DispatchBackend? Instance = null, bool Only = false, bool Coerce = false)
{
    public string BackendName => Instance?.Name ?? Name ?? "";

    public override string ToString() => Kind switch
    {
        FrameKind.Use => $"Use('{BackendName}'{(Only ? ", only" : "")}{(Coerce ? ", coerce" : "")})",
        FrameKind.Skip => $"Skip('{BackendName}')",
        FrameKind.Explain => "Explain",
        _ => "(no scope)",
    };
}

/// <summary>
/// An immutable node of the scope stack, held in an <see cref="AsyncLocal{T}"/>: it flows into await, Task.Run and
/// Parallel.For, and a change made in a child flow never reaches the parent. Nodes for named backends are interned
/// (the same nesting of the same scopes is the same node), so resolution cached on a node is reused by every later
/// scope of that shape.
/// </summary>
internal sealed class ScopeNode
{
    // The AsyncLocal holds the innermost open scope object, not the (interned, shared) node, so that each opened
    // scope is told apart from a later scope of the same shape when it is disposed.
    private static readonly AsyncLocal<BackendScope?> s_current = new();

    public static readonly ScopeNode Root = new(null, new Frame(FrameKind.Root), null);

    private Plan?[] _mono;
    private ConcurrentDictionary<(int Id, TypeKey Key), Plan>? _plans;
    private ConcurrentDictionary<Frame, ScopeNode>? _children;

    private ScopeNode(ScopeNode? parent, Frame frame, DispatchRecorder? recorder)
    {
        Parent = parent;
        Frame = frame;
        Recorder = recorder ?? parent?.Recorder;
        var skipped = parent?.Skipped ?? FrozenSet<string>.Empty;
        Skipped = frame.Kind == FrameKind.Skip ? skipped.Append(frame.BackendName).ToFrozenSet(StringComparer.OrdinalIgnoreCase) : skipped;
        // A node that records for Explain never caches: every call through it takes the recording path.
        _mono = Recorder is null ? new Plan?[16] : [];
    }

    /// <summary>The innermost scope of the current async flow (the root when none is open).</summary>
    public static ScopeNode Current => s_current.Value?.Node ?? Root;

    /// <summary>The innermost open scope of this async flow (null at the root).</summary>
    public static BackendScope? Innermost { get => s_current.Value; set => s_current.Value = value; }

    public ScopeNode? Parent { get; }
    public Frame Frame { get; }
    public DispatchRecorder? Recorder { get; }
    /// <summary>Every backend name skipped by this node or an outer one.</summary>
    public FrozenSet<string> Skipped { get; }

    public ScopeNode Push(Frame frame)
    {
        // Frames naming a registered backend are interned; frames holding an ad-hoc instance are not, so that
        // short-lived instances do not accumulate in the tree.
        if (frame.Instance is not null || frame.Kind is FrameKind.Explain)
            return new ScopeNode(this, frame, frame.Kind == FrameKind.Explain ? new DispatchRecorder() : null);
        var children = _children ?? Interlocked.CompareExchange(ref _children, new(), null) ?? _children;
        return children.GetOrAdd(frame, static (f, parent) => new ScopeNode(parent, f, null), this);
    }

    /// <summary>The most recent plan for a multimethod on this node: the one-entry cache of the fast path.</summary>
    public Plan? CachedPlan(int id)
    {
        var mono = _mono;
        return (uint)id < (uint)mono.Length ? mono[id] : null;
    }

    public bool TryGetPlan(int id, TypeKey key, int version, out Plan plan)
    {
        if (_plans is { } plans && plans.TryGetValue((id, key), out plan!) && plan.Version == version)
        {
            SetMono(id, plan);
            return true;
        }
        plan = null!;
        return false;
    }

    public void StorePlan(int id, TypeKey key, Plan plan)
    {
        if (Recorder is not null) return;
        var plans = _plans ?? Interlocked.CompareExchange(ref _plans, new(), null) ?? _plans;
        plans[(id, key)] = plan;
        SetMono(id, plan);
    }

    private void SetMono(int id, Plan plan)
    {
        var mono = _mono;
        if (Recorder is not null) return;
        if ((uint)id < (uint)mono.Length) { mono[id] = plan; return; }
        // Grow; a racing writer may lose an entry, which only costs a later miss.
        var grown = new Plan?[Math.Max(id + 1, mono.Length * 2)];
        Array.Copy(mono, grown, mono.Length);
        grown[id] = plan;
        _mono = grown;
    }

    /// <summary>The frames from innermost to outermost, for messages.</summary>
    public string Describe()
    {
        var frames = new List<string>();
        for (var n = this; n.Frame.Kind != FrameKind.Root; n = n.Parent!) frames.Add(n.Frame.ToString());
        return frames.Count == 0 ? "(no scope)" : string.Join(" inside ", frames);
    }
}

/// <summary>
/// A backend scope opened by <see cref="Backend.Use(string, bool, bool)"/>, <see cref="Backend.Skip(string)"/>,
/// <see cref="Backend.Interop(string, bool)"/> or <see cref="DispatchState.Apply"/>. Dispose it (innermost first) to
/// close it. Disposing acts on the async flow that calls it: where the scope is the innermost one it is closed there;
/// where it is in force but not innermost, Dispose throws and changes nothing; where it is not in force (already
/// disposed in this flow) Dispose does nothing. A scope that flowed into a child flow (Task.Run, Parallel.For, a
/// thread) and is disposed there is closed in that child flow only, exactly as any AsyncLocal change made there
/// stays there; the flow that opened it still closes it with its own Dispose.
/// </summary>
public sealed class BackendScope : IDisposable
{
    internal BackendScope(ScopeNode node)
    {
        Node = node;
        Previous = ScopeNode.Innermost;
        ScopeNode.Innermost = this;
    }

    internal ScopeNode Node { get; }

    /// <summary>The scope that was innermost in the opening flow when this one opened (restored on Dispose).</summary>
    internal BackendScope? Previous { get; }

    /// <summary>What this scope does, e.g. "Use('gpu', only)".</summary>
    public string Description => Node.Frame.ToString();

    /// <summary>Closes the scope in the current async flow, restoring the one that was innermost when it opened.</summary>
    /// <exception cref="InvalidOperationException">The scope is in force in this async flow but not the innermost one.</exception>
    public void Dispose()
    {
        var current = ScopeNode.Innermost;
        if (ReferenceEquals(current, this))
        {
            ScopeNode.Innermost = Previous;
            return;
        }
        // No global "disposed" flag: a Dispose in a flow the scope merely flowed into must not stop the opening flow
        // from closing it (it would stay in force there for good). Whether the scope is open is a fact of each flow.
        for (var s = current?.Previous; s is not null; s = s.Previous)
            if (ReferenceEquals(s, this))
                throw new InvalidOperationException(
                    $"Backend scope {Description} was disposed while it is not the innermost scope of this async flow (the innermost is {current!.Node.Describe()}). " +
                    "Dispose scopes innermost first, in the flow that opened them; the scope stack has not been changed.");
        // Not in force in this flow (already disposed here, or closed with an enclosing Explain): nothing to undo.
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>
/// A captured scope state (uarray's <c>get_state</c>): re-apply it on a thread that does not flow the
/// ExecutionContext (a thread-pool work item queued unsafely, a native callback, a dedicated thread).
/// </summary>
public sealed class DispatchState
{
    internal DispatchState(ScopeNode node) => Node = node;

    internal ScopeNode Node { get; }

    /// <summary>Makes this state current until the returned scope is disposed (uarray's <c>set_state</c>).</summary>
    public BackendScope Apply() => new(Node);

    /// <summary>Runs <paramref name="action"/> with this state current.</summary>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using (Apply()) action();
    }

    /// <summary>Runs <paramref name="func"/> with this state current and returns its result.</summary>
    public T Run<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        using (Apply()) return func();
    }

    /// <inheritdoc/>
    public override string ToString() => Node.Describe();
}

/// <summary>Collects the records of dispatched calls made inside <see cref="Backend.Explain{T}(Func{T})"/>.</summary>
internal sealed class DispatchRecorder
{
    private readonly List<DispatchRecord> _records = [];

    public DispatchRecord Begin(Multimethod method, Type[] argumentTypes, IReadOnlyList<CandidateReport> trace)
    {
        var record = new DispatchRecord(method.Name, argumentTypes, trace);
        lock (_records) _records.Add(record);
        return record;
    }

    public IReadOnlyList<DispatchRecord> Records { get { lock (_records) return [.. _records]; } }
}
