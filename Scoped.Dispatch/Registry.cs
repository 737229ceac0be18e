using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Scoped.Dispatch;

/// <summary>
/// The process-wide registry: registered and discovered backends, global defaults per domain, options. Readers take
/// an immutable <see cref="RegistryState"/> without locking; writers replace it under a lock and bump
/// <see cref="Version"/>, which invalidates every cached plan.
/// </summary>
internal static class Registry
{
    private static readonly object s_gate = new();
    private static readonly ConcurrentDictionary<Type, (int Version, string? Kind)> s_kinds = new();
    private static int s_version;
    private static int s_loadGeneration;
    private static RegistryState? s_state;

    public static int Version => Volatile.Read(ref s_version);

    public static RegistryState Current => Volatile.Read(ref s_state) ?? Initialize();

    /// <summary>Invalidates cached plans (a backend changed its implementations, owned types or availability).</summary>
    public static void Invalidate() => Interlocked.Increment(ref s_version);

    /// <summary>Moves on each <see cref="Backend.Invalidate"/>: a discovered backend that failed to load under an
    /// earlier generation is tried again on its next use (its device may be there now).</summary>
    public static int LoadGeneration => Volatile.Read(ref s_loadGeneration);

    /// <summary>What <see cref="Backend.Invalidate"/> does: failed loads are retried, every cached plan dropped.</summary>
    public static void InvalidateAndRetryLoads()
    {
        Interlocked.Increment(ref s_loadGeneration);
        Invalidate();
    }

    /// <summary>Replaces the state atomically; the state is published before the version moves, so a plan tagged with
    /// the new version was always built from the new state.</summary>
    public static T Update<T>(Func<RegistryState, (RegistryState State, T Result)> change)
    {
        lock (s_gate)
        {
            var (state, result) = change(Current);
            Volatile.Write(ref s_state, state);
            Invalidate();
            return result;
        }
    }

    private static RegistryState Initialize()
    {
        lock (s_gate)
        {
            if (s_state is not null) return s_state;
            var options = new DispatchOptions();
            options.ApplyEnvironment();
            var state = RegistryState.Empty.WithOptions(options, null);
            if (options.DiscoverBackends) state = state.WithDiscovered(BackendDiscovery.Scan(options.DiscoveryPathsOrDefault()));
            Volatile.Write(ref s_state, state);
            Invalidate();
            return state;
        }
    }

    /// <summary>The kind of array a type is: the name of the backend that owns it, or null for host arrays.</summary>
    public static string? KindOf(this RegistryState state, Type type)
    {
        var version = Version;
        if (s_kinds.TryGetValue(type, out var known) && known.Version == version) return known.Kind;
        var kind = state.Entries.FirstOrDefault(e => e.Owns(type))?.Name;
        s_kinds[type] = (version, kind);
        return kind;
    }
}

/// <summary>A global backend of a domain (uarray's <c>set_global_backend</c>).</summary>
internal sealed record GlobalBackend(BackendEntry Entry, bool Only, bool Coerce, bool TryLast);

/// <summary>An immutable snapshot of the registry.</summary>
internal sealed class RegistryState
{
    public static readonly RegistryState Empty = new([], ImmutableDictionary<string, GlobalBackend>.Empty, new DispatchOptions(), NullLogger.Instance, []);

    private RegistryState(ImmutableArray<BackendEntry> entries, ImmutableDictionary<string, GlobalBackend> defaults, DispatchOptions options, ILogger logger, ImmutableArray<DiscoveryFailure> failures)
    {
        Entries = entries;
        Defaults = defaults;
        Options = options;
        Logger = logger;
        DiscoveryFailures = failures;
        Priority = [.. options.Priority];
    }

    /// <summary>Backends in registration order.</summary>
    public ImmutableArray<BackendEntry> Entries { get; }
    public ImmutableDictionary<string, GlobalBackend> Defaults { get; }
    public DispatchOptions Options { get; }
    public ImmutableArray<string> Priority { get; }
    public ILogger Logger { get; }
    public ImmutableArray<DiscoveryFailure> DiscoveryFailures { get; }

    public BackendEntry? Find(string name)
    {
        foreach (var e in Entries) if (string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) return e;
        return null;
    }

    /// <summary>The global backends that apply to a domain, nearest first: its own, then each ancestor's (uarray tries
    /// the parent domain's global backend when the sub-domain's cannot run a call).</summary>
    public List<GlobalBackend> DefaultsFor(string domain)
    {
        var found = new List<GlobalBackend>();
        if (Defaults.IsEmpty) return found;
        foreach (var d in Domain.SelfAndAncestors(domain))
            if (Defaults.TryGetValue(d, out var g)) found.Add(g);
        return found;
    }

    public RegistryState WithEntries(ImmutableArray<BackendEntry> entries, ImmutableDictionary<string, GlobalBackend>? defaults = null) =>
        new(entries, defaults ?? Defaults, Options, Logger, DiscoveryFailures);

    public RegistryState WithDefaults(ImmutableDictionary<string, GlobalBackend> defaults) => new(Entries, defaults, Options, Logger, DiscoveryFailures);

    public RegistryState WithOptions(DispatchOptions options, ILoggerFactory? loggerFactory) =>
        new(Entries, Defaults, options, (loggerFactory ?? options.LoggerFactory)?.CreateLogger("Scoped.Dispatch") ?? NullLogger.Instance, DiscoveryFailures);

    /// <summary>Adds discovered backends (lazily loaded); a name already registered keeps its registration.</summary>
    public RegistryState WithDiscovered(DiscoveryResult result)
    {
        var entries = Entries.ToBuilder();
        foreach (var found in result.Backends)
        {
            if (entries.Any(e => string.Equals(e.Name, found.Info.Name, StringComparison.OrdinalIgnoreCase))) continue;
            entries.Add(new BackendEntry(found, Logger));
        }
        foreach (var failure in result.Failures) Log.DiscoveryFailed(Logger, MessageText.Escape(failure.Path), MessageText.Escape(failure.Reason));
        return new(entries.ToImmutable(), Defaults, Options, Logger, [.. DiscoveryFailures, .. result.Failures]);
    }
}

/// <summary>A backend known to the registry: registered in code, or discovered and loaded on first use.</summary>
internal sealed class BackendEntry
{
    private readonly DiscoveredBackend? _discovered;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private DispatchBackend? _instance;
    private string? _loadError;
    private int _failedGeneration;

    public BackendEntry(DispatchBackend instance)
    {
        _instance = instance;
        _logger = NullLogger.Instance;
        Name = instance.Name;
        Domains = instance.Domains;
    }

    public BackendEntry(DiscoveredBackend discovered, ILogger logger)
    {
        _discovered = discovered;
        _logger = logger;
        Name = discovered.Info.Name;
        Domains = discovered.Info.Domains;
    }

    public string Name { get; }
    public IReadOnlyList<string> Domains { get; }
    public bool IsDiscovered => _discovered is not null;
    public bool IsLoaded => Volatile.Read(ref _instance) is not null;

    public BackendInfo Info
    {
        get
        {
            if (Volatile.Read(ref _instance) is { } instance) return instance.Info with { AssemblyPath = _discovered?.AssemblyPath };
            return _discovered!.Info with { UnavailableReason = _loadError ?? _discovered.Info.UnavailableReason };
        }
    }

    public bool Serves(string domain)
    {
        foreach (var d in Domains) if (Domain.Serves(d, domain)) return true;
        return false;
    }

    /// <summary>Ownership without loading: a discovered backend's owned types are compared by name.</summary>
    public bool Owns(Type type) => Volatile.Read(ref _instance) is { } instance
        ? instance.OwnsType(type)
        : _discovered!.Info.OwnedTypes.Any(name => TypeRules.IsOwnedBy(type, name));

    /// <summary>The backend, loading a discovered one on first use; null with a reason if it cannot be loaded.</summary>
    public DispatchBackend? TryGet(out string? error)
    {
        error = null;
        if (Volatile.Read(ref _instance) is { } loaded) return loaded;
        lock (_gate)
        {
            if (_instance is not null) return _instance;
            // A failure is remembered (no constructor run per call) until Backend.Invalidate asks for a retry.
            if (_loadError is not null && _failedGeneration == Registry.LoadGeneration) { error = _loadError; return null; }
            var generation = Registry.LoadGeneration;
            try
            {
                var instance = _discovered!.Load();
                _loadError = null;
                Volatile.Write(ref _instance, instance);
                Log.Loaded(_logger, Name, MessageText.Escape(_discovered.AssemblyPath));
                return instance;
            }
            catch (Exception caught)
            {
                // A constructor's own exception arrives wrapped by Activator; its message is the useful one.
                var ex = caught is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : caught;
                _loadError = MessageText.Escape($"could not be loaded from {_discovered!.AssemblyPath}: {ex.GetType().Name}: {ex.Message}");
                _failedGeneration = generation;
                Log.LoadFailed(_logger, Name, MessageText.Escape(_discovered.AssemblyPath), MessageText.Escape(ex.Message));
                error = _loadError;
                return null;
            }
        }
    }
}
