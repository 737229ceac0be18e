using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Scoped.Dispatch;

/// <summary>
/// The dispatcher's front door: scopes (<see cref="Use(string, bool, bool)"/>, <see cref="Skip(string)"/>,
/// <see cref="Interop(string, bool)"/>), process-wide registration and defaults, <see cref="Explain{T}(Func{T})"/>, and
/// state capture. Scopes are held in an AsyncLocal: they flow into await, Task.Run and Parallel.For and never leak
/// out of the async flow that opened them. Everything here is thread-safe.
/// </summary>
public static class Backend
{
    /// <summary>Prefers the named backend inside the scope. With <paramref name="only"/>, nothing past it is tried
    /// (a call it cannot run throws); with <paramref name="coerce"/>, host arrays may be converted to its types and
    /// the result converted back.</summary>
    /// <param name="name">A registered or discovered backend.</param>
    /// <param name="only">Stop at this backend: no fallback.</param>
    /// <param name="coerce">Allow conversions (an interop scope).</param>
    public static BackendScope Use(string name, bool only = false, bool coerce = false)
    {
        DispatchBackend.ValidateName(name, nameof(name));
        var entry = Registry.Current.Find(name)
                    ?? throw new ArgumentException($"No backend named '{name}' is registered or discovered (known: {KnownNames()}).", nameof(name));
        return Push(new Frame(FrameKind.Use, Name: entry.Name, Only: only, Coerce: coerce));
    }

    /// <summary>Prefers a backend instance inside the scope; it need not be registered.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="only">Stop at this backend: no fallback.</param>
    /// <param name="coerce">Allow conversions (an interop scope).</param>
    public static BackendScope Use(DispatchBackend backend, bool only = false, bool coerce = false)
    {
        ArgumentNullException.ThrowIfNull(backend);
        // A registered instance is scoped by name so that the scope node is shared (and its cache reused).
        var registered = Registry.Current.Find(backend.Name) is { IsLoaded: true } e && ReferenceEquals(e.TryGet(out _), backend);
        return Push(registered ? new Frame(FrameKind.Use, Name: backend.Name, Only: only, Coerce: coerce) : new Frame(FrameKind.Use, Instance: backend, Only: only, Coerce: coerce));
    }

    /// <summary>An interop scope: the backend is preferred, and host arrays are converted to its types (each input
    /// once per call) with results converted back, so the caller gets the kind of array it passed.</summary>
    /// <param name="name">A registered or discovered backend that has converters.</param>
    /// <param name="only">Stop at this backend: no fallback.</param>
    public static BackendScope Interop(string name, bool only = false) => Use(name, only, coerce: true);

    /// <summary>An interop scope for a backend instance (see <see cref="Interop(string, bool)"/>).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="only">Stop at this backend: no fallback.</param>
    public static BackendScope Interop(DispatchBackend backend, bool only = false) => Use(backend, only, coerce: true);

    /// <summary>Never uses the named backend inside the scope, whatever else asks for it.</summary>
    /// <param name="name">The backend's name ("default" skips multimethods' own default implementations).</param>
    public static BackendScope Skip(string name)
    {
        DispatchBackend.ValidateName(name, nameof(name), allowReserved: true);
        return Push(new Frame(FrameKind.Skip, Name: name));
    }

    /// <summary>Registers a backend process-wide. It then runs calls on the array types it owns without any scope;
    /// for other types it runs only when opted in (a scope, <see cref="SetDefault"/>, or the priority order).</summary>
    /// <param name="backend">The backend.</param>
    /// <exception cref="ArgumentException">A backend of that name is already registered.</exception>
    public static void Register(DispatchBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Registry.Update(state =>
        {
            var existing = state.Find(backend.Name);
            if (existing is { IsDiscovered: false })
                throw new ArgumentException($"A backend named '{backend.Name}' is already registered; unregister it first or choose another name.", nameof(backend));
            // Registering in code replaces a discovered entry of the same name.
            var entries = existing is null ? state.Entries : state.Entries.Remove(existing);
            return (state.WithEntries(entries.Add(new BackendEntry(backend))), 0);
        });
    }

    /// <summary>Removes a backend (and any global default pointing at it). Returns false if none had that name.</summary>
    /// <param name="name">The backend's name.</param>
    public static bool Unregister(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Registry.Update(state =>
        {
            var entry = state.Find(name);
            if (entry is null) return (state, false);
            var defaults = state.Defaults.Where(kv => kv.Value.Entry != entry).ToImmutableDictionary();
            return (state.WithEntries(state.Entries.Remove(entry), defaults), true);
        });
    }

    /// <summary>Makes a backend the global backend of a domain (uarray's <c>set_global_backend</c>): tried after
    /// scopes and before registered backends, or after them with <paramref name="tryLast"/>.</summary>
    /// <param name="name">A registered or discovered backend.</param>
    /// <param name="domain">The domain; every domain the backend serves when null.</param>
    /// <param name="only">Nothing after it is tried.</param>
    /// <param name="coerce">Conversions allowed for it.</param>
    /// <param name="tryLast">Try it after the registered backends rather than before.</param>
    public static void SetDefault(string name, string? domain = null, bool only = false, bool coerce = false, bool tryLast = false)
    {
        DispatchBackend.ValidateName(name, nameof(name));
        if (domain is not null) Domain.Validate(domain, nameof(domain));
        Registry.Update(state =>
        {
            var entry = state.Find(name) ?? throw new ArgumentException($"No backend named '{name}' is registered or discovered (known: {KnownNames()}).", nameof(name));
            if (domain is not null && !entry.Serves(domain))
                throw new ArgumentException($"Backend '{name}' serves [{string.Join(", ", entry.Domains)}], not '{domain}'.", nameof(domain));
            var defaults = state.Defaults;
            foreach (var d in domain is null ? entry.Domains : [domain]) defaults = defaults.SetItem(d, new GlobalBackend(entry, only, coerce, tryLast));
            return (state.WithDefaults(defaults), 0);
        });
    }

    /// <summary>Removes the global backend of a domain, or of every domain when <paramref name="domain"/> is null.</summary>
    /// <param name="domain">The domain, or null.</param>
    public static void ClearDefault(string? domain = null)
    {
        if (domain is not null) Domain.Validate(domain, nameof(domain));
        Registry.Update(state => (state.WithDefaults(domain is null ? state.Defaults.Clear() : state.Defaults.Remove(domain)), 0));
    }

    /// <summary>Rebuilds the dispatcher's options (SCOPED_BACKENDS is read again and, when set, replaces the priority; SCOPED_BACKEND_PATH adds discovery paths).
    /// Registered backends and global defaults are kept; discovery runs for paths not yet scanned.</summary>
    /// <param name="configure">Sets options.</param>
    /// <param name="loggerFactory">Where log messages go; overrides <see cref="DispatchOptions.LoggerFactory"/>.</param>
    public static void Configure(Action<DispatchOptions> configure, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new DispatchOptions();
        configure(options);
        options.ApplyEnvironment();
        Configure(options, loggerFactory);
    }

    /// <summary>Applies built options (used by the <c>AddScopedDispatch</c> service registration).</summary>
    /// <param name="options">The options, already built.</param>
    /// <param name="loggerFactory">Where log messages go.</param>
    public static void Configure(DispatchOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validated = options.Validated();
        var scanned = Registry.Current.Options.DiscoverBackends ? Registry.Current.Options.DiscoveryPathsOrDefault().ToHashSet() : [];
        var fresh = validated.DiscoverBackends ? validated.DiscoveryPathsOrDefault().Where(p => !scanned.Contains(p)).ToArray() : [];
        var found = fresh.Length > 0 ? BackendDiscovery.Scan(fresh) : null;
        Registry.Update(state =>
        {
            var next = state.WithOptions(validated, loggerFactory);
            return (found is null ? next : next.WithDiscovered(found), 0);
        });
    }

    /// <summary>Discovers backend assemblies in more places and registers what it finds (loaded on first use).</summary>
    /// <param name="paths">Folders or assembly files.</param>
    /// <returns>What was found, and the files that could not be read.</returns>
    public static DiscoveryResult Discover(params string[] paths)
    {
        var result = BackendDiscovery.Scan(paths);
        Registry.Update(state => (state.WithDiscovered(result), 0));
        return result;
    }

    /// <summary>Every registered or discovered backend's metadata (discovered ones are not loaded by this).</summary>
    public static IReadOnlyList<BackendInfo> Registered => [.. Registry.Current.Entries.Select(e => e.Info)];

    /// <summary>Files discovery could not read, with the reason.</summary>
    public static IReadOnlyList<DiscoveryFailure> DiscoveryFailures => Registry.Current.DiscoveryFailures;

    /// <summary>The options in force.</summary>
    public static DispatchOptions Options => Registry.Current.Options;

    /// <summary>The scopes in force in this async flow, innermost first, for messages and logs.</summary>
    public static string CurrentScope => ScopeNode.Current.Describe();

    /// <summary>Captures the scope state of this async flow, to re-apply on a thread that does not flow ExecutionContext.</summary>
    public static DispatchState CaptureState() => new(ScopeNode.Current);

    /// <summary>Drops every cached resolution (call after a backend's availability changes); a discovered backend that
    /// failed to load is tried again on its next use.</summary>
    public static void Invalidate() => Registry.InvalidateAndRetryLoads();

    /// <summary>Runs <paramref name="call"/> and explains every dispatched call it makes: the candidates in order and
    /// why each was passed over, the backend that ran, conversions made and time taken. The result is unchanged. When it
    /// returns or throws, the scopes are as they were before it: a scope the code opened and left open ends with it.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="call">The code to run, e.g. <c>() =&gt; Filters.Gaussian(image, 2)</c>.</param>
    public static DispatchExplanation<T> Explain<T>(Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var previous = ScopeNode.Innermost;
        var scope = new BackendScope(ScopeNode.Current.Push(new Frame(FrameKind.Explain)));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = call();
            return new DispatchExplanation<T>(result, scope.Node.Recorder!.Records, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            // Restore the flow unconditionally, as an async method does: a scope the code left open ends here with
            // the Explain frame, instead of keeping every later call of this flow recorded.
            ScopeNode.Innermost = previous;
        }
    }

    /// <summary>As <see cref="Explain{T}(Func{T})"/>, for asynchronous code.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="call">The code to run.</param>
    public static async Task<DispatchExplanation<T>> ExplainAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        // The AsyncLocal set here is restored when this async method returns, so it cannot leak to the caller.
        var scope = new BackendScope(ScopeNode.Current.Push(new Frame(FrameKind.Explain)));
        var started = Stopwatch.GetTimestamp();
        var result = await call().ConfigureAwait(false);
        return new DispatchExplanation<T>(result, scope.Node.Recorder!.Records, Stopwatch.GetElapsedTime(started));
    }

    private static BackendScope Push(Frame frame) => new(ScopeNode.Current.Push(frame));

    private static string KnownNames()
    {
        var names = Registry.Current.Entries.Select(e => e.Name).ToArray();
        return names.Length == 0 ? "none" : string.Join(", ", names);
    }
}
