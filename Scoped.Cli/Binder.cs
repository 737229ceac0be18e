using System.Reflection;
using System.Text.RegularExpressions;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Cli;

/// <summary>A user error: exit code 2 (or <see cref="ExitCode"/>) and a one-line message, no stack trace.</summary>
internal sealed class UsageException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>An option as typed: <c>--name value</c>, <c>--name=value</c> or a bare flag (null value).</summary>
internal sealed record CliOption(string Name, string? Value)
{
    public string Display => Value is null ? $"--{Name}" : $"--{Name} {Value}";
}

/// <summary>An array argument still to be read: a file, or a footprint such as disk:3.</summary>
internal abstract record ArraySource;

internal sealed record FileSource(string Path) : ArraySource;

internal sealed record FootprintSource(string Spec, string Parameter) : ArraySource;

/// <summary>An overload with every argument chosen (array arguments not yet read).</summary>
internal sealed record Binding(CliOverload Overload, object?[] Arguments, double Cost);

/// <summary>Chooses the overload that accepts every input and option, and converts the text to its parameter types.</summary>
internal static partial class Binder
{
    private enum FailureKind { UnknownParameter, BadValue, Unsupported, Inputs, Missing }

    private sealed record Failure(FailureKind Kind, string Message, string? Parameter = null, string? Expected = null)
    {
        /// <summary>How many options were accepted before this failure: the overload that got furthest is reported.</summary>
        public int Progress { get; init; }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*:")]
    private static partial Regex FootprintSpec();

    /// <summary>The best binding for the inputs and options; a <see cref="UsageException"/> naming the problem when none fits.</summary>
    public static Binding Bind(CliFunction function, IReadOnlyList<string> inputs, IReadOnlyList<CliOption> options)
    {
        var duplicate = options.GroupBy(o => Names.Normalize(o.Name)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new UsageException($"--{duplicate.Key} is given more than once for {function.FullName}");

        var bindings = new List<Binding>();
        var failures = new List<Failure>();
        foreach (var overload in function.Overloads)
        {
            var result = TryBind(function, overload, inputs, options, out var failure);
            if (result is not null) bindings.Add(result);
            else failures.Add(failure!);
        }
        if (bindings.Count > 0)
        {
            // Most natural reading first; then fewer tuple-typed parameters (the scalar overload); then declaration order.
            return bindings.OrderBy(b => b.Cost)
                .ThenBy(b => b.Overload.Parameters.Count(p => p.Type.IsArray))
                .ThenBy(b => b.Overload.Order).First();
        }

        // Report the failure of the overload that got furthest; merge what each overload would accept for a bad value.
        var worst = failures.OrderByDescending(f => f.Progress).ThenByDescending(f => f.Kind).First();
        if (worst.Kind == FailureKind.UnknownParameter)
        {
            throw new UsageException($"{worst.Message} for {function.FullName} (parameters: {string.Join(", ", function.ParameterNames)})");
        }
        if (worst.Kind == FailureKind.BadValue)
        {
            var expected = failures.Where(f => f.Kind == FailureKind.BadValue && f.Parameter == worst.Parameter).Select(f => f.Expected).Distinct();
            throw new UsageException($"{worst.Message} of {function.FullName}: expected {string.Join(", or ", expected)}");
        }
        throw new UsageException(worst.Kind == FailureKind.Inputs ? worst.Message : $"{worst.Message} for {function.FullName}");
    }

    /// <summary>
    /// scikit-image's transform functions name modes as NumPy does ('reflect' is whole-sample, 'symmetric' is
    /// half-sample, 'edge' repeats the edge); translate to BoundaryMode's ndimage names so --mode means what it
    /// means in scikit-image.
    /// </summary>
    private static string TransformModeName(string text) => Names.Normalize(text) switch
    {
        "reflect" => "mirror",
        "symmetric" => "reflect",
        "edge" => "nearest",
        "mirror" => "mirror (ndimage name)",
        _ => text,
    };

    private static Binding? TryBind(CliFunction function, CliOverload overload, IReadOnlyList<string> inputs, IReadOnlyList<CliOption> options, out Failure? failure)
    {
        failure = null;
        var parameters = overload.Parameters;
        var args = new object?[parameters.Count];
        var given = new bool[parameters.Count];
        double cost = 0;

        int progress = 0;
        foreach (var option in options)
        {
            var key = Names.Normalize(option.Name);
            int index = -1;
            for (int i = 0; i < parameters.Count; i++) if (string.Equals(parameters[i].Name, key, StringComparison.OrdinalIgnoreCase)) { index = i; break; }
            if (index < 0)
            {
                failure = new Failure(FailureKind.UnknownParameter, $"unknown parameter --{option.Name}") { Progress = progress };
                return null;
            }
            var p = parameters[index];
            given[index] = true;
            if (p.IsArray)
            {
                if (string.IsNullOrEmpty(option.Value))
                {
                    failure = new Failure(FailureKind.BadValue, $"--{p.Name} needs a value", p.Name, p.IsFootprint ? FootprintExpected : "a file name") { Progress = progress };
                    return null;
                }
                args[index] = p.IsFootprint && !File.Exists(option.Value) && FootprintSpec().IsMatch(option.Value)
                    ? new FootprintSource(option.Value, p.Name)
                    : new FileSource(option.Value);
                progress++;
                continue;
            }
            if (!Values.CanParse(p.Type))
            {
                failure = new Failure(FailureKind.Unsupported, $"--{p.Name} has type {p.Type.Name}, which the command line cannot give") { Progress = progress };
                return null;
            }
            // A bare flag is true for a bool parameter and needs a value otherwise.
            var text = option.Value ?? (p.Type == typeof(bool) || p.Type == typeof(bool?) ? "true" : null);
            if (text is not null && p.UsesNumPyModes) text = TransformModeName(text);
            if (text is null || !Values.TryParse(text, p.Type, out var value, out var c))
            {
                var shown = option.Value is null ? "no value" : $"bad value '{option.Value}'";
                failure = new Failure(FailureKind.BadValue, $"{shown} for --{p.Name}", p.Name,
                    p.UsesNumPyModes ? "one of: " + string.Join(", ", Values.NumPyModeNames) : Values.Expected(p.Type)) { Progress = progress };
                return null;
            }
            args[index] = value;
            cost += c;
            progress++;
        }
        progress++;

        // Positional inputs fill the array parameters not given by option, in order.
        var open = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].IsInput && !given[i]).ToList();
        int required = open.Count(i => !parameters[i].HasDefault);
        var inputNames = string.Join(", ", open.Select(i => parameters[i].Name));
        if (inputs.Count > open.Count || inputs.Count < required)
        {
            string count = required == open.Count ? $"{open.Count}" : $"{required} to {open.Count}";
            failure = new Failure(FailureKind.Inputs,
                $"{function.FullName} takes {count} input file{(open.Count == 1 ? "" : "s")}{(open.Count > 0 ? $" ({inputNames})" : "")}; got {inputs.Count}") { Progress = progress };
            return null;
        }
        for (int k = 0; k < inputs.Count; k++)
        {
            args[open[k]] = new FileSource(inputs[k]);
            given[open[k]] = true;
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            if (given[i]) continue;
            var p = parameters[i];
            if (!p.HasDefault)
            {
                failure = p.IsArray || Values.CanParse(p.Type)
                    ? new Failure(FailureKind.Missing, $"missing --{p.Name} ({p.TypeText})") { Progress = progress }
                    : new Failure(FailureKind.Unsupported, $"parameter {p.Name} has type {p.Type.Name}, which the command line cannot give") { Progress = progress };
                return null;
            }
            args[i] = p.Default;
        }
        failure = null;
        return new Binding(overload, args, cost);
    }

    private const string FootprintExpected = "square:N, rectangle:H,W, disk:R, diamond:R, cube:N, ball:R, octahedron:R (any Morphology footprint function) or a .npy file";

    /// <summary>Reads the array arguments of a binding (each file once).</summary>
    public static object?[] Resolve(Binding binding)
    {
        var cache = new Dictionary<string, NDArray>(StringComparer.Ordinal);
        var args = (object?[])binding.Arguments.Clone();
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = args[i] switch
            {
                FileSource f => cache.TryGetValue(f.Path, out var a) ? a : cache[f.Path] = ReadInput(f.Path),
                FootprintSource s => Footprint(s.Spec, s.Parameter),
                var other => other,
            };
        }
        return args;
    }

    /// <summary>Reads an input file; a missing one is a usage error (exit 2).</summary>
    public static NDArray ReadInput(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"missing input file: {path}");
        return ImageFile.Read(path);
    }

    /// <summary>
    /// Builds a footprint from "kind:args" by calling the Morphology function of that name from the function table
    /// (square:5 → Morphology.Square(5), rectangle:3,5 → Morphology.Rectangle(3, 5), disk:2, diamond:1, ...).
    /// </summary>
    public static NDArray Footprint(string spec, string parameter)
    {
        int colon = spec.IndexOf(':');
        var kind = Names.Normalize(spec[..colon]);
        var text = spec[(colon + 1)..];
        var makers = FunctionCatalog.All.Where(f => f.ModuleType == typeof(Morphology))
            .SelectMany(f => f.Overloads)
            .Where(o => typeof(NDArray).IsAssignableFrom(o.ReturnType) && o.Parameters.All(p => Values.CanParse(p.Type)))
            .ToList();
        var candidates = makers.Where(o => Names.Snake(o.MethodName) == kind).ToList();

        // Report the failure of the overload that got furthest; merge what each overload would accept for a bad value.
        if (candidates.Count == 0)
        {
            var known = makers.Select(o => Names.Snake(o.MethodName)).Distinct().Order();
            throw new UsageException($"unknown footprint '{kind}' in --{parameter} {spec} (known: {string.Join(", ", known)})");
        }
        var items = text.Length == 0 ? [] : text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var o in candidates.OrderBy(o => o.Parameters.Count))
        {
            var ps = o.Parameters;
            if (items.Length > ps.Count || items.Length < ps.Count(p => !p.HasDefault)) continue;
            var args = new object?[ps.Count];
            bool ok = true;
            for (int i = 0; i < ps.Count && ok; i++)
            {
                if (i < items.Length) ok = Values.TryParse(items[i], ps[i].Type, out args[i], out _);
                else args[i] = ps[i].Default;
            }
            if (ok) return (NDArray)o.Invoke(args)!;
        }
        var shapes = candidates.Select(o => $"{kind}:{string.Join(',', o.Parameters.Select(p => p.Name))}");
        throw new UsageException($"bad footprint '{spec}' for --{parameter}: expected {string.Join(" or ", shapes)}");
    }
}
