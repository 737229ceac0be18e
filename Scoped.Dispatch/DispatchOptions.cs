using Microsoft.Extensions.Logging;

namespace Scoped.Dispatch;

/// <summary>What to do when a call runs on a later candidate because one that was asked for (by scope, global default
/// or priority) could not run it.</summary>
public enum FallbackBehavior
{
    /// <summary>Run the later candidate quietly (counted in the fallbacks counter).</summary>
    Silent,
    /// <summary>Run it and log a warning with the trace (once per resolution, not per call).</summary>
    Warn,
    /// <summary>Throw <see cref="BackendNotImplementedException"/> instead.</summary>
    Throw,
}

/// <summary>Options of the process-wide dispatcher; set through <see cref="Backend.Configure(Action{DispatchOptions}, ILoggerFactory?)"/>
/// or <c>services.AddScopedDispatch(o =&gt; ...)</c>.</summary>
public sealed class DispatchOptions
{
    /// <summary>The environment variable holding a comma-separated priority order, e.g. <c>SCOPED_BACKENDS=parallel,gpu</c>.
    /// Read when the options are built; when set, it replaces <see cref="Priority"/>.</summary>
    public const string EnvironmentVariable = "SCOPED_BACKENDS";

    /// <summary>The environment variable holding more folders (or assembly files) for discovery, separated by
    /// <see cref="Path.PathSeparator"/>, e.g. <c>SCOPED_BACKEND_PATH=/opt/my-backend/bin</c>. They are searched in addition
    /// to <see cref="DiscoveryPaths"/> (or the application's base directory), so a backend can be tried without copying it.</summary>
    public const string PathEnvironmentVariable = "SCOPED_BACKEND_PATH";

    /// <summary>Backends tried, in this order, after scopes and the global default. Naming a backend here opts in to it
    /// for every call of its domains, including ones on array types it does not own.</summary>
    public IList<string> Priority { get; set; } = [];

    /// <summary>What to do on fallback.</summary>
    public FallbackBehavior Fallback { get; set; } = FallbackBehavior.Silent;

    /// <summary>Whether backend assemblies are discovered (by their <see cref="ScopedBackendAttribute"/>) when the
    /// dispatcher starts. Discovery reads metadata only; a backend's code is loaded on first use.</summary>
    public bool DiscoverBackends { get; set; } = true;

    /// <summary>Folders (or assembly files) searched by discovery; the application's base directory when empty.</summary>
    public IList<string> DiscoveryPaths { get; set; } = [];

    /// <summary>Where Debug messages for each dispatch decision, and warnings, go. Null for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The configuration section <c>Scoped:Dispatch</c>: <c>Backends</c> (the <see cref="Priority"/>, a list or
    /// comma-separated), <c>Fallback</c>, <c>DiscoverBackends</c>, <c>DiscoveryPaths</c>; applied with
    /// <see cref="Backend.Configure(DispatchOptions, ILoggerFactory?)"/>.</summary>
    public static ScopedOptionsSection<DispatchOptions> ConfigurationSection { get; } = new(
        "Dispatch",
        current: () => Backend.Options.Validated(),
        apply: options => Backend.Configure(options),
        validate: options => options.Problems(),
        renames: new Dictionary<string, string> { ["Backends"] = nameof(Priority) });

    /// <summary>The rules these options break (what <see cref="Validated"/> throws for, one at a time).</summary>
    internal IEnumerable<OptionProblem> Problems()
    {
        if (Priority is null) { yield return new(nameof(Priority), "must be a list of backend names", null); }
        else
        {
            foreach (var name in Priority)
            {
                string? problem = null;
                try { DispatchBackend.ValidateName(name, nameof(Priority)); }
                catch (ArgumentException ex) { problem = ex.Message.Split(" (Parameter", 2)[0]; }
                if (problem is not null) yield return new(nameof(Priority), $"must hold backend names ({problem})", name);
            }
        }
        if (DiscoveryPaths is null) yield return new(nameof(DiscoveryPaths), "must be a list of folders or files", null);
        if (!Enum.IsDefined(Fallback)) yield return new(nameof(Fallback), "must be Silent, Warn or Throw", Fallback);
    }

    internal IEnumerable<string> DiscoveryPathsOrDefault() => DiscoveryPaths.Count > 0 ? DiscoveryPaths : [AppContext.BaseDirectory];

    /// <summary>Applies the process's <see cref="EnvironmentVariable"/> and <see cref="PathEnvironmentVariable"/>.</summary>
    internal void ApplyEnvironment()
    {
        ApplyEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariable));
        ApplyPathEnvironment(Environment.GetEnvironmentVariable(PathEnvironmentVariable));
    }

    /// <summary>Applies a value of <see cref="PathEnvironmentVariable"/>: its paths follow the configured ones (null or blank changes nothing).</summary>
    internal void ApplyPathEnvironment(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        var extra = value.Split(Path.PathSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath);
        DiscoveryPaths = [.. DiscoveryPathsOrDefault().Concat(extra).Distinct()];
    }

    /// <summary>Applies the value of <see cref="EnvironmentVariable"/> (null or blank leaves <see cref="Priority"/> alone).</summary>
    internal void ApplyEnvironment(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names) DispatchBackend.ValidateName(name, EnvironmentVariable);
        Priority = [.. names];
    }

    internal DispatchOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Priority, nameof(Priority));
        ArgumentNullException.ThrowIfNull(DiscoveryPaths, nameof(DiscoveryPaths));
        foreach (var name in Priority) DispatchBackend.ValidateName(name, nameof(Priority));
        if (!Enum.IsDefined(Fallback)) throw new ArgumentException($"Fallback must be Silent, Warn or Throw, not {(int)Fallback}.", nameof(Fallback));
        return new DispatchOptions
        {
            Priority = [.. Priority],
            Fallback = Fallback,
            DiscoverBackends = DiscoverBackends,
            DiscoveryPaths = [.. DiscoveryPaths],
            LoggerFactory = LoggerFactory,
        };
    }
}
