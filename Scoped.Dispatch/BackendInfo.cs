namespace Scoped.Dispatch;

/// <summary>
/// Cheap metadata about a backend: what it is and what it does, readable without running its code
/// (discovery fills it from the assembly attribute; a loaded backend fills it from its registrations).
/// </summary>
/// <param name="Name">The backend's name, as used by <see cref="Backend.Use(string, bool, bool)"/>.</param>
/// <param name="Description">One line for people.</param>
/// <param name="Version">The backend's version.</param>
/// <param name="Domains">The domains it serves.</param>
/// <param name="Functions">The multimethods it implements ("domain:function").</param>
/// <param name="OwnedTypes">Full names of the array types it owns.</param>
public sealed record BackendInfo(
    string Name,
    string Description,
    string Version,
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> Functions,
    IReadOnlyList<string> OwnedTypes)
{
    /// <summary>Where the metadata came from: an assembly path for a discovered backend, null for one registered in code.</summary>
    public string? AssemblyPath { get; init; }

    /// <summary>Null while the backend can be used; otherwise why not (not loadable, no device, ...).</summary>
    public string? UnavailableReason { get; init; }

    /// <summary>Whether the backend's code has been loaded.</summary>
    public bool IsLoaded { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} {Version} [{string.Join(", ", Domains)}] {(UnavailableReason is null ? "available" : "unavailable: " + UnavailableReason)}";
}
