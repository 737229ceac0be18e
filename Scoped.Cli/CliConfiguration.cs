using Microsoft.Extensions.Configuration;
using Scoped.Backends.Gpu;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Cli;

/// <summary>
/// The tool's Scoped:* settings (docs/configuration.md), later sources winning: <c>scoped.json</c> beside the input,
/// then <c>--config FILE</c>, then environment variables (<c>Scoped__Parallel__MinimumElements=0</c>, and
/// SCOPED_BACKENDS as <c>Scoped:Dispatch:Backends</c>), then each <c>--set KEY=VALUE</c> in order. Only the sections
/// that are set are applied, on top of the options in force, and put back when the command ends.
/// </summary>
internal sealed class CliConfiguration
{
    /// <summary>The settings file looked for beside the (first) input.</summary>
    public const string FileName = "scoped.json";

    /// <summary>Every section the tool reads. A new section is one line here.</summary>
    internal static readonly IScopedOptionsSection[] Sections =
    [
        DispatchOptions.ConfigurationSection,
        ParallelBackendOptions.ConfigurationSection,
        GpuBackendOptions.ConfigurationSection,
        LimitsOptions.ConfigurationSection,
    ];

    private readonly string? _configFile;
    private readonly List<KeyValuePair<string, string?>> _settings;

    private CliConfiguration(string? configFile, List<KeyValuePair<string, string?>> settings)
    {
        _configFile = configFile;
        _settings = settings;
    }

    /// <summary>Takes <c>--config FILE</c> and <c>--set KEY=VALUE</c> (also written <c>--config=FILE</c>, <c>--set=KEY=VALUE</c>)
    /// out of the command line, up to a bare <c>--</c>; returns the rest.</summary>
    public static CliConfiguration Extract(string[] args, out string[] rest)
    {
        string? configFile = null;
        var settings = new List<KeyValuePair<string, string?>>();
        var others = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--") { others.AddRange(args[i..]); break; }
            string? option = token switch
            {
                "--config" or "--set" => token,
                _ when token.StartsWith("--config=", StringComparison.Ordinal) => "--config",
                _ when token.StartsWith("--set=", StringComparison.Ordinal) => "--set",
                _ => null,
            };
            if (option is null) { others.Add(token); continue; }
            string value = token.Length > option.Length ? token[(option.Length + 1)..]
                : i + 1 < args.Length ? args[++i]
                : throw new UsageException(option == "--config" ? "--config needs a settings file (JSON)" : "--set needs KEY=VALUE, e.g. --set Scoped:Parallel:MinimumElements=0");
            if (option == "--config")
            {
                if (configFile is not null) throw new UsageException("--config is given twice; merge the files or use --set for single keys");
                configFile = value;
            }
            else settings.Add(ParseSetting(value));
        }
        rest = [.. others];
        return new CliConfiguration(configFile, settings);
    }

    private static KeyValuePair<string, string?> ParseSetting(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new UsageException($"--set needs KEY=VALUE, e.g. --set Scoped:Parallel:MinimumElements=0; got '{text}'");
        var key = text[..eq].Trim();
        if (!key.StartsWith(ScopedConfiguration.SectionName + ":", StringComparison.OrdinalIgnoreCase) || key.Split(':').Length != 3)
            throw new UsageException($"--set {key}: keys are {ScopedConfiguration.SectionName}:SECTION:KEY, e.g. Scoped:Parallel:MinimumElements (see docs/configuration.md)");
        return new(key, text[(eq + 1)..]);
    }

    /// <summary>The settings file beside an input: in the folder of a file or pattern, or in the folder itself.</summary>
    public static string? BesideInput(string? input)
    {
        if (string.IsNullOrEmpty(input)) return null;
        var folder = Directory.Exists(input) ? input : Path.GetDirectoryName(Path.GetFullPath(input));
        return folder is null ? null : Path.Combine(folder, FileName);
    }

    /// <summary>The merged configuration; <paramref name="besideInput"/> is read when it exists.</summary>
    public IConfigurationRoot Build(string? besideInput)
    {
        var builder = new ConfigurationBuilder();
        if (besideInput is not null && File.Exists(besideInput)) AddJson(builder, besideInput);
        if (_configFile is not null)
        {
            if (!File.Exists(_configFile)) throw new UsageException($"--config {_configFile}: no such file");
            AddJson(builder, _configFile);
        }
        builder.AddEnvironmentVariables();
        // SCOPED_BACKENDS predates the configuration; it is the environment's Scoped:Dispatch:Backends unless that is set too.
        var backends = Environment.GetEnvironmentVariable(DispatchOptions.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(backends) && Environment.GetEnvironmentVariable("Scoped__Dispatch__Backends") is null)
            builder.AddInMemoryCollection([new("Scoped:Dispatch:Backends", backends)]);
        // Of two --set for one key the later wins (keys are case-insensitive, as in every configuration source).
        var set = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in _settings) set[key] = value;
        builder.AddInMemoryCollection(set);
        return builder.Build();
    }

    private static void AddJson(ConfigurationBuilder builder, string path)
    {
        var full = Path.GetFullPath(path);
        // Parse now so that a broken file is a usage error naming the file, not a crash when it is first read.
        try
        {
            using var stream = File.OpenRead(full);
            using var _ = System.Text.Json.JsonDocument.Parse(stream, new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UsageException($"{path}: not valid JSON settings: {ex.Message}");
        }
        builder.AddJsonFile(full, optional: false, reloadOnChange: false);
    }

    /// <summary>Reads and validates every section, then applies the ones that are set. A bad key or value is a usage
    /// error (exit code 2) listing every problem by its full key. Returns an action that restores the previous options.</summary>
    public Action Apply(string? besideInput)
    {
        IConfigurationRoot configuration;
        try { configuration = Build(besideInput); }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            throw new UsageException($"the settings could not be read: {ex.Message}");
        }
        return Apply(configuration);
    }

    /// <summary>Validates and applies <paramref name="configuration"/>; see <see cref="Apply(string?)"/>.</summary>
    internal static Action Apply(IConfiguration configuration)
    {
        var problems = new List<string>();
        var scoped = configuration.GetSection(ScopedConfiguration.SectionName);
        foreach (var child in scoped.GetChildren())
        {
            if (!Sections.Any(s => string.Equals(s.Name, child.Key, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"{child.Path} is not a section; the sections of {ScopedConfiguration.SectionName} are {string.Join(", ", Sections.Select(s => s.Name))}");
        }
        var updates = Sections.Select(s => s.Read(configuration)).ToList();
        problems.AddRange(updates.SelectMany(u => u.Problems));
        if (problems.Count > 0) throw new UsageException(string.Join(Environment.NewLine + "scoped: ", problems));
        var restores = new List<Action>();
        foreach (var update in updates.Where(u => u.HasKeys)) restores.Add(update.Apply());
        return () =>
        {
            for (int i = restores.Count - 1; i >= 0; i--) restores[i]();
        };
    }
}
