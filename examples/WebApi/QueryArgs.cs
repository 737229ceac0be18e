using System.Globalization;
using Microsoft.Extensions.Primitives;
using Scoped.Image;

namespace Scoped.Examples.WebApi;

/// <summary>A query-string parameter that is missing, unknown or malformed; answered with 400 naming it.</summary>
public sealed class BadParameterException(string parameter, string message) : ArgumentException(message, parameter)
{
    /// <summary>The message alone: it already names the parameter, so ArgumentException's "(Parameter ...)" suffix is left off.</summary>
    public override string Message { get; } = message;
}

/// <summary>What one function parameter takes, for the GET /functions listing.</summary>
public sealed record FunctionParameter(string Name, string Type, string? Default);

/// <summary>
/// Reads a function's parameters from the query string by their scikit-image (snake_case) names. Each read names
/// the parameter and its rule in the error, so a bad value becomes a 400 the client can act on. The same reads,
/// run on a describing instance, list the parameters: the listing cannot drift from what the binder accepts.
/// </summary>
public sealed class QueryArgs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly IReadOnlyDictionary<string, StringValues> _query;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<FunctionParameter>? _described;

    /// <summary>Reads the given query values; <paramref name="ignored"/> are the endpoint's own keys (format).</summary>
    public QueryArgs(IEnumerable<KeyValuePair<string, StringValues>> query, params string[] ignored)
    {
        _query = query.Where(p => !ignored.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
    }

    private QueryArgs(List<FunctionParameter> described)
    {
        _query = new Dictionary<string, StringValues>();
        _described = described;
    }

    /// <summary>An instance that records each parameter read (and returns its default) instead of reading a query.</summary>
    public static QueryArgs Describer(out List<FunctionParameter> parameters) => new(parameters = []);

    /// <summary>Query keys that no read asked for: a typo such as <c>sigm=2</c> must not be silently ignored.</summary>
    public IEnumerable<string> Unread => _query.Keys.Where(k => !_read.Contains(k.ToLowerInvariant()));

    /// <summary>A number; <paramref name="min"/> (inclusive) is checked here so the message names the rule.</summary>
    public double Double(string name, double fallback, double? min = null) =>
        Read(name, "number", fallback, fallback.ToString(Inv), text => ParseDouble(name, text, min));

    /// <summary>A number that must be given.</summary>
    public double RequiredDouble(string name) =>
        Read(name, "number", 0.0, null, text => ParseDouble(name, text, null), required: true);

    /// <summary>A number or "none".</summary>
    public double? OptionalDouble(string name) =>
        Read<double?>(name, "number or none", null, "none", text => IsNone(text) ? null : ParseDouble(name, text, null));

    /// <summary>An integer, at least <paramref name="min"/> when given.</summary>
    public int Int(string name, int fallback, int? min = null) =>
        Read(name, "integer", fallback, fallback.ToString(Inv), text => ParseInt(name, text, min));

    /// <summary>An integer or "none".</summary>
    public int? OptionalInt(string name, int? min = null) =>
        Read<int?>(name, "integer or none", null, "none", text => IsNone(text) ? null : ParseInt(name, text, min));

    /// <summary>Comma-separated integers that must be given (e.g. <c>output_shape=64,64</c>).</summary>
    public int[] RequiredInts(string name) =>
        Read(name, "comma-separated integers", Array.Empty<int>(), null,
            text => [.. text.Split(',', StringSplitOptions.TrimEntries).Select(t => ParseInt(name, t, null))], required: true);

    /// <summary>true/false (also 1/0, yes/no).</summary>
    public bool Bool(string name, bool fallback) =>
        Read(name, "bool", fallback, fallback ? "true" : "false", text => text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw Bad(name, text, "true or false"),
        });

    /// <summary>A boundary mode by its ndimage name: reflect, constant, nearest, mirror or wrap.</summary>
    public BoundaryMode Mode(string name, BoundaryMode fallback)
    {
        var names = Enum.GetNames<BoundaryMode>().Select(n => n.ToLowerInvariant()).ToArray();
        return Read(name, string.Join('|', names), fallback, fallback.ToString().ToLowerInvariant(), text =>
            Enum.TryParse<BoundaryMode>(text.Trim(), ignoreCase: true, out var mode) && !int.TryParse(text, out _)
                ? mode
                : throw Bad(name, text, "one of " + string.Join(", ", names)));
    }

    /// <summary>
    /// A structuring element as <c>square:N</c>, <c>rectangle:H,W</c>, <c>disk:R</c>, <c>diamond:R</c> (2-D) or
    /// <c>cube:N</c>, <c>ball:R</c>, <c>octahedron:R</c> (3-D); null (the function's own default) when not given.
    /// </summary>
    public NDArray? Footprint(string name) =>
        Read<NDArray?>(name, "footprint", null, "none", text =>
        {
            const string Rule = "square:N, rectangle:H,W, disk:R, diamond:R, cube:N, ball:R or octahedron:R with positive integers";
            var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
            var sizes = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.TrimEntries) : [];
            int Size(int i) => int.TryParse(sizes[i], NumberStyles.Integer, Inv, out var n) && n > 0 ? n : throw Bad(name, text, Rule);
            return (parts[0].ToLowerInvariant(), sizes.Length) switch
            {
                ("square", 1) => Morphology.Square(Size(0)),
                ("rectangle", 2) => Morphology.Rectangle(Size(0), Size(1)),
                ("disk", 1) => Morphology.Disk(Size(0)),
                ("diamond", 1) => Morphology.Diamond(Size(0)),
                ("cube", 1) => Morphology.Cube(Size(0)),
                ("ball", 1) => Morphology.Ball(Size(0)),
                ("octahedron", 1) => Morphology.Octahedron(Size(0)),
                _ => throw Bad(name, text, Rule),
            };
        });

    private T Read<T>(string name, string type, T fallback, string? shownDefault, Func<string, T> parse, bool required = false)
    {
        if (_described is not null)
        {
            _described.Add(new FunctionParameter(name, type, required ? null : shownDefault));
            return fallback;
        }
        _read.Add(name);
        if (!_query.TryGetValue(name, out var values))
            return required ? throw new BadParameterException(name, $"Parameter '{name}' is required ({type}).") : fallback;
        if (values.Count != 1) throw new BadParameterException(name, $"Parameter '{name}' is given {values.Count} times; give it once.");
        return parse(values[0] ?? "");
    }

    private static double ParseDouble(string name, string text, double? min)
    {
        if (!double.TryParse(text, NumberStyles.Float, Inv, out var value) || !double.IsFinite(value))
            throw Bad(name, text, "a finite number");
        if (value < min) throw Bad(name, text, $"a number >= {min.Value.ToString(Inv)}");
        return value;
    }

    private static int ParseInt(string name, string text, int? min)
    {
        if (!int.TryParse(text, NumberStyles.Integer, Inv, out var value)) throw Bad(name, text, "an integer");
        if (value < min) throw Bad(name, text, $"an integer >= {min.Value.ToString(Inv)}");
        return value;
    }

    private static bool IsNone(string text) => text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase);

    private static BadParameterException Bad(string name, string text, string rule) =>
        new(name, $"Parameter '{name}' has the bad value '{text}': expected {rule}.");
}
