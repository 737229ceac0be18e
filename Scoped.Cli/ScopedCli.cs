using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Cli;

/// <summary>
/// The <c>scoped</c> command: <c>run</c> a Scoped.Image function on files, list <c>functions</c>, list <c>backends</c>.
/// Everything goes through <see cref="Run"/>, so it can be called in-process.
/// </summary>
public sealed class ScopedCli
{
    private const string Usage = """
        scoped - scikit-image functions (Scoped.Image) from the command line

        usage:
          scoped run FUNCTION INPUT... [--out PATH] [--PARAM VALUE]... [--backend NAME [--only]] [--explain]
                     [--config FILE] [--set Scoped:SECTION:KEY=VALUE]...
          scoped run FUNCTION DIR_OR_GLOB --out DIR [--out-ext .png] [--PARAM VALUE]...   every file, one result each
          scoped run FUNCTION --help          the function's parameters, types and defaults
          scoped functions [FILTER] [--json|--markdown]   every function (FILTER: a module or part of a name)
          scoped backends [--markdown] [--path DIR]...
          scoped convert INPUT OUTPUT [--rescale] [--compression deflate|lzw|packbits|none] [--tile N]
          scoped --version

        run:
          FUNCTION       module.function as in scikit-image: filters.gaussian, util.img_as_float, ...
          INPUT          .npy, .png, .pgm, .ppm, .tif or .jpg files (told by their first bytes); they fill the
                         function's array parameters in order
          --out PATH, -o where an array result goes (.npy/.png/.pgm/.ppm/.tif by extension, .json for nested lists);
                         a tuple of arrays goes to PATH_0, PATH_1, ... (a list of arrays to one .json); a table
                         (regionprops_table) to .csv or .json;
                         other results are printed as JSON
          --PARAM VALUE  a parameter by its scikit-image name (--preserve_range true, --channel_axis -1)
                         numbers; true/false (a bare --flag means true); none for optional values;
                         tuples as 1,3; matrices as 1,0;0,1; enums by name (--mode reflect);
                         footprints as square:N, rectangle:H,W, disk:R, diamond:R, cube:N, ball:R, octahedron:R, star:A, octagon:M,N or a .npy file
          DIR_OR_GLOB    a folder, or a pattern such as 'scans/*.png': each image file is a run; --out DIR must
                         be an existing folder; array results go to DIR/NAME.npy (or --out-ext), other results
                         to DIR/NAME.json, or without --out one JSON line per file on stdout; a file
                         that fails is reported and the others still run (exit code 1); a progress line is
                         shown on stderr when it is a terminal
          --backend NAME run inside Backend.Use(NAME); with --only, no fallback to other backends
          --explain      print the dispatcher's trace (which backend ran, and why) to stderr

        convert:
          INPUT OUTPUT   any file run reads, to the format OUTPUT's extension names (.npy, .png, .pgm, .ppm,
                         .tif/.tiff, .jpg/.jpeg); a target that cannot hold the image's dtype is refused unless --rescale
                         maps it linearly onto uint8 (min to 0, max to 255), as rescale_intensity does
          --compression  the TIFF codec (default deflate); --tile N writes N x N tiles (a multiple of 16)

        settings (run and backends; every key in docs/configuration.md), later wins:
          scoped.json    beside the first input (in the folder of a file or pattern, or in the folder given)
          --config FILE  a JSON settings file: {"Scoped": {"Parallel": {"MinimumElements": 0}}}
          environment    Scoped__Parallel__MinimumElements=0 (SCOPED_BACKENDS is Scoped:Dispatch:Backends)
          --set K=V      one key, repeatable: --set Scoped:Parallel:MinimumElements=0
          a bad key or value exits with code 2 naming the key

        Boundary modes use scikit-image's names: for filters, feature and morphology the ndimage names
          reflect (half-sample symmetric), mirror (whole-sample), nearest, wrap, constant (with --cval);
          for transform functions NumPy's names: reflect (whole-sample), symmetric (half-sample), edge,
          wrap, constant.

        exit codes: 0 success, 1 file or backend error, 2 bad command line or argument
        """;

    private readonly IReadOnlyList<CliFunction> _functions;

    /// <summary>The tool over every function of Scoped.Image.</summary>
    public ScopedCli() : this(FunctionCatalog.All) { }

    /// <summary>The tool over a given set of functions (tests).</summary>
    internal ScopedCli(IReadOnlyList<CliFunction> functions) => _functions = functions;

    /// <summary>Runs the command line; returns the exit code. Output goes to <paramref name="stdout"/>, messages to <paramref name="stderr"/>.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdout">Results and listings.</param>
    /// <param name="stderr">Errors and traces.</param>
    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            if (args.Length == 0)
            {
                stderr.WriteLine(Usage);
                return 2;
            }
            var settings = CliConfiguration.Extract(args[1..], out var rest);
            switch (args[0])
            {
                case "run": return RunFunction(rest, settings, stdout, stderr);
                case "functions" or "list": return ListFunctions(rest, stdout);
                case "convert": return Convert(rest, stdout);
                case "backends":
                {
                    var restore = settings.Apply(besideInput: null);
                    try { return Backends.List(_functions, rest, stdout); }
                    finally { restore(); }
                }
                case "help" or "--help" or "-h" or "-?":
                    if (rest.Length > 0 && FunctionCatalog.Find(_functions, rest[0]) is { } f) { stdout.Write(Help(f)); return 0; }
                    stdout.WriteLine(Usage);
                    return 0;
                case "--version" or "version":
                    stdout.WriteLine(typeof(ScopedCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
                    return 0;
                default:
                    throw new UsageException($"unknown command '{args[0]}' (commands: run, functions, backends, convert; see scoped --help)");
            }
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"scoped: {ex.Message}");
            return ex.ExitCode;
        }
        catch (ArgumentException ex)
        {
            // "(Parameter 'outputShape')" names the C# parameter; the user typed --output_shape.
            var message = ex.ParamName is { } name && ex.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
                ? $"{ex.Message[..^$" (Parameter '{name}')".Length]} (--{Names.Snake(name)})"
                : ex.Message;
            stderr.WriteLine($"scoped: {message}");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BackendNotImplementedException)
        {
            // ImageFileException is an IOException; BackendNotImplementedException carries the candidate trace.
            stderr.WriteLine($"scoped: {ex.Message}");
            return 1;
        }
        catch (NotSupportedException ex)
        {
            stderr.WriteLine($"scoped: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not a user error: a bug worth reporting, so the stack trace is kept.
            stderr.WriteLine($"scoped: internal error: {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine(ex.StackTrace);
            return 70;
        }
    }

    private int RunFunction(string[] args, CliConfiguration settings, TextWriter stdout, TextWriter stderr)
    {
        string? name = null, outPath = null, backend = null, outExtension = null;
        bool only = false, explain = false, help = false;
        var inputs = new List<string>();
        var options = new List<CliOption>();
        bool positionalOnly = false;
        for (int i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (positionalOnly || !token.StartsWith("--", StringComparison.Ordinal) || token == "--")
            {
                if (token == "--" && !positionalOnly) { positionalOnly = true; continue; }
                if (!positionalOnly && token is "-h" or "-?") { help = true; continue; }
                if (!positionalOnly && token == "-o")
                {
                    outPath = i + 1 < args.Length ? args[++i] : throw new UsageException("-o needs a path");
                    continue;
                }
                if (name is null) name = token; else inputs.Add(token);
                continue;
            }
            var optionName = token[2..];
            string? value = null;
            int eq = optionName.IndexOf('=');
            if (eq >= 0) { value = optionName[(eq + 1)..]; optionName = optionName[..eq]; }
            var key = Names.Normalize(optionName);
            if (key is "only" or "explain" or "help")
            {
                // Flags take no value unless written --flag=value.
                bool on = true;
                if (value is not null)
                {
                    if (!Values.TryParse(value, typeof(bool), out var b, out _))
                        throw new UsageException($"bad value '{value}' for --{optionName}: expected true or false");
                    on = (bool)b!;
                }
                if (key == "only") only = on; else if (key == "explain") explain = on; else help = on;
                continue;
            }
            if (value is null && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            switch (key)
            {
                case "out" or "output":
                    outPath = value ?? throw new UsageException("--out needs a path");
                    break;
                case "backend":
                    backend = value ?? throw new UsageException("--backend needs a backend name (see scoped backends)");
                    break;
                case "out_ext":
                    outExtension = value ?? throw new UsageException("--out-ext needs an extension: .npy, .png, .pgm or .ppm");
                    break;
                default:
                    options.Add(new CliOption(optionName, value));
                    break;
            }
        }

        if (name is null)
        {
            if (help) { stdout.WriteLine(Usage); return 0; }
            throw new UsageException("run needs a FUNCTION, e.g. scoped run filters.gaussian in.npy --sigma 2 --out out.npy (see scoped functions)");
        }
        var function = FindFunction(name);
        if (help) { stdout.Write(Help(function)); return 0; }
        if (only && backend is null) throw new UsageException("--only needs --backend NAME");

        // Settings first: they can decide what runs (a backend's threshold, the priority).
        var restore = settings.Apply(CliConfiguration.BesideInput(inputs.FirstOrDefault()));
        try
        {
            if (BatchFiles(inputs) is { } files) return RunBatch(function, files, options, outPath, outExtension, backend, only, explain, stdout, stderr);
            if (outExtension is not null) throw new UsageException("--out-ext applies to a folder or pattern of inputs (scoped run FUNCTION DIR --out DIR --out-ext .png)");
            return RunOnce(function, inputs, options, outPath, backend, only, explain, stdout, stderr, fileLabel: null);
        }
        finally
        {
            restore();
        }
    }

    /// <summary>One call of <paramref name="function"/> on <paramref name="inputs"/>; with <paramref name="fileLabel"/> set
    /// (batch mode) a non-array result is printed as {"file": ..., "result": ...}.</summary>
    private static int RunOnce(CliFunction function, List<string> inputs, List<CliOption> options, string? outPath, string? backend,
        bool only, bool explain, TextWriter stdout, TextWriter stderr, string? fileLabel)
    {
        var binding = Binder.Bind(function, inputs, options);
        var overload = binding.Overload;
        bool arrayResult = typeof(NDArray).IsAssignableFrom(overload.ReturnType);
        if (arrayResult && outPath is null)
            throw new UsageException($"{function.FullName} returns an array: give --out PATH (.npy, .png, .pgm, .ppm or .json)");
        var arguments = Binder.Resolve(binding);
        object? Call() => overload.Invoke(arguments);

        object? result;
        using (backend is null ? null : Backend.Use(backend, only))
        {
            if (explain)
            {
                var explanation = Backend.Explain(Call);
                result = explanation.Result;
                stderr.WriteLine(explanation.Calls.Count == 0
                    ? $"{function.FullName}: no dispatched call (it runs the built-in code directly), {explanation.Elapsed.TotalMilliseconds:0.###} ms"
                    : $"{explanation}{Environment.NewLine}total {explanation.Elapsed.TotalMilliseconds:0.###} ms");
            }
            else
            {
                result = Call();
            }
        }

        // A list of arrays (find_contours) saved as .json is one file: a list of nested lists.
        bool listAsJson = result is NDArray[] && outPath is not null && Path.GetExtension(outPath).Equals(".json", StringComparison.OrdinalIgnoreCase);
        if (Output.ArrayResults(result) is { } arrays && !(outPath is "-") && !listAsJson)
        {
            if (outPath is null)
                throw new UsageException($"{function.FullName} returned {arrays.Count} array{(arrays.Count == 1 ? "" : "s")}: give --out PATH");
            for (int i = 0; i < arrays.Count; i++) Output.WriteArray(Output.NumberedPath(outPath, i, arrays.Count), arrays[i]);
            return 0;
        }
        if (result is RegionTable table && outPath is not null && Path.GetExtension(outPath).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            Output.WriteText(outPath, table.ToCsv());
            return 0;
        }
        var json = Output.ToJson(result);
        if (fileLabel is not null) json = $"{{\"file\": {JsonSerializer.Serialize(fileLabel)}, \"result\": {json}}}";
        if (outPath is null or "-") stdout.WriteLine(json);
        else if (Path.GetExtension(outPath).Equals(".json", StringComparison.OrdinalIgnoreCase)) Output.WriteText(outPath, json);
        else
        {
            stdout.WriteLine(json);
            stderr.WriteLine($"scoped: {function.FullName} returned no array, so nothing was written to {outPath} (use a .json path to save the result)");
        }
        return 0;
    }

    /// <summary>Whether progress lines go to stderr in batch mode: true when stderr is a terminal (set by <see cref="Program"/>).</summary>
    public bool ShowProgress { get; init; }

    private static readonly string[] ImageExtensions = [".npy", ".png", ".pgm", ".ppm", ".tif", ".tiff", ".jpg", ".jpeg"];

    /// <summary>scoped convert INPUT OUTPUT: one file to another format, refusing what the target cannot hold.</summary>
    private static int Convert(string[] args, TextWriter stdout)
    {
        var paths = new List<string>();
        bool rescale = false;
        var compression = TiffCompression.Deflate;
        int? tile = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rescale": rescale = true; break;
                case "--compression":
                    string codec = i + 1 < args.Length ? args[++i] : throw new UsageException("--compression needs a codec: deflate, lzw, packbits or none");
                    compression = Enum.TryParse<TiffCompression>(codec, ignoreCase: true, out var c) && !int.TryParse(codec, out _)
                        ? c : throw new UsageException($"--compression must be deflate, lzw, packbits or none, not {codec}");
                    break;
                case "--tile":
                    tile = i + 1 < args.Length && int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int t)
                        ? t : throw new UsageException("--tile needs a tile size, a multiple of 16");
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    throw new UsageException($"unknown option {a} for convert (--rescale, --compression, --tile)");
                default: paths.Add(args[i]); break;
            }
        }
        if (paths.Count != 2) throw new UsageException("convert needs INPUT and OUTPUT: scoped convert in.tif out.png");
        var (input, output) = (paths[0], paths[1]);
        string target = Path.GetExtension(output).ToLowerInvariant();
        if (!ImageExtensions.Contains(target))
            throw new UsageException($"OUTPUT must end in .npy, .png, .pgm, .ppm, .tif, .tiff, .jpg or .jpeg, not '{target}'");
        var image = ImageFile.Read(input);
        if (target is ".png" or ".pgm" or ".ppm" && image.DType is not (DType.UInt8 or DType.UInt16 or DType.Bool))
        {
            if (!rescale)
                throw new UsageException($"{target} holds uint8, uint16 and bool images; {input} is {image.DType.NumPyName()}: pass --rescale to map it onto uint8, or write .tif or .npy");
            image = (HostArray)Exposure.RescaleIntensity(image, "image", "uint8");
        }
        if (target is ".jpg" or ".jpeg" && image.DType != DType.UInt8)
        {
            if (!rescale)
                throw new UsageException($"JPEG holds uint8 images; {input} is {image.DType.NumPyName()}: pass --rescale to map it onto uint8, or write .tif or .npy");
            image = (HostArray)Exposure.RescaleIntensity(image, "image", "uint8");
        }
        if (target is ".tif" or ".tiff")
            TiffWriter.Write(output, image, new TiffWriteOptions { Compression = compression, TileSize = tile });
        else if (tile is not null || compression != TiffCompression.Deflate)
            throw new UsageException("--compression and --tile apply to TIFF output");
        else ImageFile.Write(output, image);
        stdout.WriteLine($"{output}: {image.DType.NumPyName()} {image.ShapeText}");
        return 0;
    }

    /// <summary>The files of a batch run (one input that is a folder, or a path whose file name has * or ?), sorted; null otherwise.</summary>
    private static List<string>? BatchFiles(List<string> inputs)
    {
        if (inputs.Count != 1) return null;
        var input = inputs[0];
        if (Directory.Exists(input))
            return [.. Directory.EnumerateFiles(input).Where(IsImage).Order(StringComparer.Ordinal)];
        var pattern = Path.GetFileName(input);
        if (pattern.IndexOfAny(['*', '?']) < 0) return null;
        var folder = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
        if (folder.IndexOfAny(['*', '?']) >= 0) throw new UsageException($"wildcards go in the file name only, not in the folder: {input}");
        if (!Directory.Exists(folder)) throw new UsageException($"no such folder: {folder}");
        return [.. Directory.EnumerateFiles(folder, pattern).Where(IsImage).Order(StringComparer.Ordinal)];

        static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
    }

    /// <summary>
    /// Runs <paramref name="function"/> on each file; array results go to OUT/NAME.npy (or <paramref name="outExtension"/>),
    /// other results are printed one JSON line per file. A file that fails is reported and the rest still run; the exit
    /// code is then 1. When <see cref="ShowProgress"/>, a progress line on stderr is rewritten after each file.
    /// </summary>
    private int RunBatch(CliFunction function, List<string> files, List<CliOption> options, string? outFolder, string? outExtension,
        string? backend, bool only, bool explain, TextWriter stdout, TextWriter stderr)
    {
        if (files.Count == 0) throw new UsageException("no .npy, .png, .pgm, .ppm or .tif files match the input");
        bool arrayResult = function.Overloads.Any(o => typeof(NDArray).IsAssignableFrom(o.ReturnType));
        string extension = (outExtension ?? ".npy").ToLowerInvariant();
        if (!extension.StartsWith('.')) extension = "." + extension;
        if (!ImageExtensions.Contains(extension)) throw new UsageException($"--out-ext must be .npy, .png, .pgm, .ppm or .tif, not {outExtension}");
        if (arrayResult && outFolder is null or "-")
            throw new UsageException($"{function.FullName} returns arrays: give --out DIR (an existing folder) for the results of a folder or pattern");
        if (outFolder is "-") outFolder = null;
        // Never created here: a typo such as --out o.npy would otherwise become a folder named o.npy, silently.
        if (outFolder is not null && !Directory.Exists(outFolder))
            throw new UsageException(File.Exists(outFolder)
                ? $"--out must be an existing folder when the input is a folder or pattern; {outFolder} is a file"
                : $"--out must be an existing folder when the input is a folder or pattern; {outFolder} does not exist (create it first)");
        int failed = 0;
        for (int k = 0; k < files.Count; k++)
        {
            var file = files[k];
            // Arrays go to OUT/NAME.ext; other results to OUT/NAME.json when --out is given, else one line each on stdout.
            string? target = outFolder is null ? null
                : Path.Combine(outFolder, Path.GetFileNameWithoutExtension(file) + (arrayResult ? extension : ".json"));
            try
            {
                RunOnce(function, [file], options, target, backend, only, explain, stdout, stderr, fileLabel: file);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or BackendNotImplementedException or NotSupportedException or UsageException)
            {
                failed++;
                if (ShowProgress) stderr.WriteLine();
                stderr.WriteLine($"scoped: {file}: {ex.Message}");
            }
            if (ShowProgress) stderr.Write($"\r[{k + 1}/{files.Count}] {Path.GetFileName(file)}".PadRight(60));
        }
        if (ShowProgress) stderr.WriteLine();
        if (failed > 0) stderr.WriteLine($"scoped: {failed} of {files.Count} files failed");
        return failed > 0 ? 1 : 0;
    }

    /// <summary>The function, or a usage error with suggestions. A bare function name is accepted when only one module has it.</summary>
    internal CliFunction FindFunction(string name)
    {
        if (FunctionCatalog.Find(_functions, name) is { } exact) return exact;
        var key = Names.Normalize(name);
        if (!key.Contains('.'))
        {
            var byName = _functions.Where(f => f.Name == key).ToList();
            if (byName.Count == 1) return byName[0];
            if (byName.Count > 1)
                throw new UsageException($"function name {name} is ambiguous: {string.Join(", ", byName.Select(f => f.FullName))}");
        }
        var close = _functions.Select(f => (f.FullName, Distance: Distance(f.FullName, key)))
            .Concat(_functions.Select(f => (f.FullName, Distance: Distance(f.Name, key.Split('.')[^1]))))
            .Where(c => c.Distance <= 2).OrderBy(c => c.Distance).Select(c => c.FullName).Distinct().Take(3).ToList();
        var hint = close.Count > 0 ? $"; did you mean {string.Join(" or ", close)}?" : " (see scoped functions)";
        throw new UsageException($"unknown function {name}{hint}");
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    /// <summary>A function's help: each overload's usage line, then each parameter with its type and default.</summary>
    internal static string Help(CliFunction function)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{function.FullName}{(function.Multimethod is { } mm ? $"  (multimethod {mm.Name})" : "")}");
        foreach (var o in function.Overloads)
            sb.AppendLine($"  scoped run {function.FullName} {o.Usage()}{(typeof(NDArray).IsAssignableFrom(o.ReturnType) ? " --out PATH" : "")}   -> {o.ReturnText}");
        sb.AppendLine("parameters:");
        foreach (var (pname, types, first) in function.MergedParameters())
        {
            var role = first.IsInput ? "input file" : first.IsFootprint ? "footprint (square:N, rectangle:H,W, disk:R, diamond:R, cube:N, ball:R, octahedron:R, or a file)" : string.Join(" | ", types);
            var dflt = first.HasDefault ? $" = {first.DefaultText}" : " (required)";
            sb.AppendLine($"  {(first.IsInput ? pname.ToUpperInvariant() : "--" + pname)}: {role}{dflt}");
        }
        return sb.ToString();
    }

    private int ListFunctions(string[] args, TextWriter stdout)
    {
        bool json = false, markdown = false;
        string? filter = null;
        foreach (var a in args)
        {
            if (a == "--json") json = true;
            else if (a == "--markdown") markdown = true;
            else if (a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {a} for functions (options: --json, --markdown)");
            else filter = Names.Normalize(a);
        }
        var functions = _functions.Where(f => filter is null || f.Module == filter || f.FullName.Contains(filter, StringComparison.Ordinal)).ToList();
        if (markdown)
        {
            stdout.Write(FunctionTable(functions));
            return 0;
        }
        if (json)
        {
            var array = new JsonArray();
            foreach (var f in functions) array.Add(Describe(f));
            stdout.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        foreach (var f in functions)
        {
            var parts = new List<string> { f.FullName };
            foreach (var (pname, types, first) in f.MergedParameters())
            {
                if (first.IsInput) parts.Add(first.HasDefault ? $"[{pname.ToUpperInvariant()}]" : pname.ToUpperInvariant());
                else parts.Add($"{(first.HasDefault ? "[" : "")}--{pname} {string.Join("|", types)}{(first.HasDefault ? $" = {first.DefaultText}]" : "")}");
            }
            parts.Add("-> " + string.Join(" | ", f.Overloads.Select(o => o.ReturnText).Distinct()));
            stdout.WriteLine(string.Join(' ', parts));
        }
        return 0;
    }

    /// <summary>The function table of docs/image.md: each function with what its declaration says (kind, whether its
    /// default runs in bands) and its parameters as the command line takes them.</summary>
    private static string FunctionTable(IReadOnlyList<CliFunction> functions)
    {
        var declared = Declarations.All.ToDictionary(d => d.Method.Name, StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append("| function | kind | spatial axes | in bands | parameters |\n| --- | --- | :---: | :---: | --- |\n");
        foreach (var f in functions.OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            var d = f.Multimethod is { } m && declared.TryGetValue(m.Name, out var found) ? found : null;
            var kind = d is null ? "helper (not dispatched)" : Names.Snake(d.Kind.ToString()).Replace('_', ' ');
            var parameters = string.Join(", ", f.MergedParameters().Select(p => p.First.HasDefault ? $"{p.Name} = {p.First.DefaultText}" : p.Name));
            sb.Append($"| `{f.FullName}` | {kind} | {(d is null ? "" : Ranks(d.MinRank, d.MaxRank))} | {(d is { RunsInBands: true } ? "✓" : "")} | {parameters.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        sb.Append($"\n{functions.Count} functions, {functions.Count(f => f.Multimethod is not null)} of them dispatched.\n");
        return sb.ToString();
    }

    /// <summary>The spatial ranks a declaration takes, as the table shows them: "2", "2–3", "1+" (any number up to NumPy's limit).</summary>
    private static string Ranks(int min, int max) =>
        min == max ? $"{min}" : max >= Declarations.MaxSpatialRank ? $"{min}+" : $"{min}–{max}";

    private static JsonObject Describe(CliFunction f)
    {
        var overloads = new JsonArray();
        foreach (var o in f.Overloads)
        {
            var ps = new JsonArray();
            foreach (var p in o.Parameters)
            {
                var node = new JsonObject
                {
                    ["name"] = p.Name,
                    ["type"] = p.TypeText,
                    ["input"] = p.IsInput,
                    ["required"] = !p.HasDefault,
                };
                if (p.HasDefault) node["default"] = Output.ToNode(p.Default, 0);
                ps.Add(node);
            }
            overloads.Add(new JsonObject { ["parameters"] = ps, ["returns"] = o.ReturnText });
        }
        return new JsonObject
        {
            ["name"] = f.FullName,
            ["module"] = f.Module,
            ["function"] = f.Name,
            ["multimethod"] = f.Multimethod?.Name,
            ["overloads"] = overloads,
        };
    }
}
