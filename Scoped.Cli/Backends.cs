using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Cli;

/// <summary><c>scoped backends</c>: the discovered and registered backends, whether each can run here, and what each implements.</summary>
internal static class Backends
{
    public static int List(IReadOnlyList<CliFunction> functions, string[] args, TextWriter stdout)
    {
        bool markdown = false;
        var paths = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--markdown" or "--md": markdown = true; break;
                case "--path":
                    if (i + 1 >= args.Length) throw new UsageException("--path needs a folder or assembly file");
                    paths.Add(args[++i]);
                    break;
                default: throw new UsageException($"unknown option {args[i]} for backends (options: --markdown, --path DIR)");
            }
        }

        // The dispatcher scans the tool's own folder when it starts (unless discovery was turned off); --path adds more.
        if (!Backend.Options.DiscoverBackends) paths.Insert(0, AppContext.BaseDirectory);
        var missing = paths.FirstOrDefault(p => !Directory.Exists(p) && !File.Exists(p));
        if (missing is not null) throw new UsageException($"no such folder or file: {missing}");
        if (paths.Count > 0) Backend.Discover([.. paths]);

        var infos = Backend.Registered.Where(ServesImages).Select(i => Check(functions, i)).OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        if (markdown) WriteMarkdown(functions, infos, stdout);
        else WriteText(functions, infos, stdout);
        return 0;
    }

    private static bool ServesImages(BackendInfo info) => info.Domains.Any(d => Domain.Serves(d, Domains.Root) || Domain.Serves(Domains.Root, d));

    /// <summary>
    /// A discovered backend is loaded only when a call needs it; to say whether it is available, resolve one of its
    /// functions inside its scope (nothing runs), which loads it, then read its metadata again.
    /// </summary>
    private static BackendInfo Check(IReadOnlyList<CliFunction> functions, BackendInfo info)
    {
        if (info.IsLoaded || info.UnavailableReason is not null) return info;
        var probe = functions.Select(f => f.Multimethod).OfType<Multimethod>()
            .FirstOrDefault(m => info.Domains.Any(d => Domain.Serves(d, m.DomainName)));
        if (probe is null) return info;
        try
        {
            using (Backend.Use(info.Name))
                probe.Explain([.. probe.DispatchParameters.Select(_ => typeof(HostArray))]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return info with { UnavailableReason = ex.Message };
        }
        return Backend.Registered.FirstOrDefault(b => b.Name == info.Name) ?? info;
    }

    /// <summary>"scoped.image.filters:gaussian" → "filters.gaussian".</summary>
    internal static string CliName(string multimethod)
    {
        int colon = multimethod.IndexOf(':');
        if (colon < 0) return multimethod;
        var domain = multimethod[..colon];
        var module = domain.StartsWith(Domains.Root + ".", StringComparison.Ordinal) ? domain[(Domains.Root.Length + 1)..] : domain;
        return $"{module}.{multimethod[(colon + 1)..]}";
    }

    private static void WriteText(IReadOnlyList<CliFunction> functions, List<BackendInfo> infos, TextWriter stdout)
    {
        var dispatched = functions.Where(f => f.Multimethod is not null).ToList();
        stdout.WriteLine($"default (built in): available; the built-in code of {dispatched.Count(f => f.Multimethod!.HasDefault)} dispatched functions " +
                         $"and {functions.Count - dispatched.Count} plain helpers, on host arrays");
        foreach (var info in infos)
        {
            var status = info.UnavailableReason is null ? (info.IsLoaded ? "available" : "not loaded yet") : "unavailable: " + info.UnavailableReason;
            stdout.WriteLine($"{info.Name} {info.Version}: {status}{(info.Description != info.Name ? " - " + info.Description : "")}");
            if (info.AssemblyPath is not null) stdout.WriteLine($"  from: {info.AssemblyPath}");
            stdout.WriteLine($"  domains: {string.Join(", ", info.Domains)}");
            if (info.OwnedTypes.Count > 0) stdout.WriteLine($"  owns: {string.Join(", ", info.OwnedTypes)}");
            stdout.WriteLine($"  functions ({info.Functions.Count}): {(info.Functions.Count == 0 ? "none" : string.Join(", ", info.Functions.Select(CliName).Order(StringComparer.Ordinal)))}");
        }
        if (infos.Count == 0) stdout.WriteLine("no other backends found (backend assemblies are discovered in the tool's folder; add folders with --path)");
        foreach (var failure in Backend.DiscoveryFailures)
            stdout.WriteLine($"could not read {failure.Path}: {failure.Reason}");
    }

    /// <summary>
    /// A coverage table, function × backend: ✓ implemented, blank not; "—" for helpers that are not dispatched. It says
    /// what each backend implements, not whether it can run on this machine, so the same build gives the same table
    /// everywhere (docs/coverage.md is checked against it).
    /// </summary>
    private static void WriteMarkdown(IReadOnlyList<CliFunction> functions, List<BackendInfo> infos, TextWriter stdout)
    {
        var header = new List<string> { "function", "default" };
        header.AddRange(infos.Select(i => i.Name));
        stdout.WriteLine("| " + string.Join(" | ", header) + " |");
        stdout.WriteLine("| --- |" + string.Concat(Enumerable.Repeat(" :---: |", header.Count - 1)));
        foreach (var f in functions)
        {
            var cells = new List<string> { $"`{f.FullName}`" };
            if (f.Multimethod is not { } mm)
            {
                cells.Add("✓");
                cells.AddRange(infos.Select(_ => "—"));
            }
            else
            {
                cells.Add(mm.HasDefault ? "✓" : "");
                cells.AddRange(infos.Select(i => i.Functions.Contains(mm.Name) ? "✓" : ""));
            }
            stdout.WriteLine("| " + string.Join(" | ", cells) + " |");
        }
        stdout.WriteLine();
        stdout.WriteLine($"{functions.Count} functions. ✓ implemented; — a helper that is not dispatched (always the built-in code).");
        stdout.WriteLine();
        stdout.WriteLine("- **default**: the built-in single-threaded code, on host arrays.");
        foreach (var info in infos)
        {
            var owns = info.OwnedTypes.Count > 0 ? $"; owns {string.Join(", ", info.OwnedTypes.Select(t => $"`{t}`"))}" : "; owns no array type (opt-in only)";
            var from = info.AssemblyPath is { } path ? $" ({Path.GetFileNameWithoutExtension(path)})" : "";
            stdout.WriteLine($"- **{info.Name}**{from}: {info.Description}{owns}; {info.Functions.Count} functions.");
        }
    }
}
