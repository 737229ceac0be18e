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
    private static readonly AsyncLocal<ScopeNode?> s_current = new();

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
    public static ScopeNode Current => s_current.Value ?? Root;

    /// <summary>The raw AsyncLocal value (null at the root).</summary>
    public static ScopeNode? CurrentValue { get => s_current.Value; set => s_current.Value = value; }

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
/// close it; disposing twice is harmless, disposing out of order throws and leaves the stack as it was.
/// </summary>
public sealed class BackendScope : IDisposable
{
    private readonly ScopeNode _node;
    private readonly ScopeNode? _previous;
    private bool _disposed;

    internal BackendScope(ScopeNode node, ScopeNode? previous)
    {
        _node = node;
        _previous = previous;
        ScopeNode.CurrentValue = node;
    }

    /// <summary>What this scope does, e.g. "Use('gpu', only)".</summary>
    public string Description => _node.Frame.ToString();

    /// <summary>Closes the scope, restoring the one that was innermost when it opened.</summary>
    /// <exception cref="InvalidOperationException">The scope is not the innermost one of the current async flow.</exception>
    public void Dispose()
    {
        if (_disposed) return;
        var current = ScopeNode.CurrentValue;
        if (!ReferenceEquals(current, _node))
            throw new InvalidOperationException(
                $"Backend scope {Description} was disposed while it is not the innermost scope of this async flow (the innermost is {(current ?? ScopeNode.Root).Describe()}). " +
                "Dispose scopes innermost first, in the flow that opened them; the scope stack has not been changed.");
        ScopeNode.CurrentValue = _previous;
        _disposed = true;
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
    public BackendScope Apply() => new(Node, ScopeNode.CurrentValue);

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
