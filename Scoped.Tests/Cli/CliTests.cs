using System.Text.Json;
using Scoped.Cli;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Cli;

[TestClass]
public sealed class CliTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "core");
    private static readonly string Rand = Path.Combine(Fixtures, "rand_f32_37x53.npy");
    private static readonly string Camera = Path.Combine(Fixtures, "camera_u8.npy");
    private string _dir = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "scoped-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Scoped(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = new ScopedCli().Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertUsageError(string[] args, params string[] expected)
    {
        var (code, _, err) = Scoped(args);
        Assert.AreEqual(2, code, err);
        var line = err.TrimEnd();
        Assert.IsFalse(line.Contains('\n'), $"expected one line: {line}");
        Assert.IsFalse(line.Contains("   at "), $"stack trace in: {line}");
        foreach (var e in expected) StringAssert.Contains(line, e);
    }

    // --- convert -------------------------------------------------------------------------------------------

    [TestMethod]
    public void ConvertMovesImagesBetweenFormatsAndRefusesWhatATargetCannotHold()
    {
        string tiff = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiff", "tf_u16_tiles_zlib.tif");
        var (code, stdout, err) = Scoped("convert", tiff, Temp("a.png"));
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(stdout, "uint16 (45, 70)");
        AssertMatches(ImageFile.Read(tiff), ImageFile.Read(Temp("a.png")));
        (code, _, err) = Scoped("convert", Temp("a.png"), Temp("b.tif"), "--compression", "lzw", "--tile", "32");
        Assert.AreEqual(0, code, err);
        using (var reader = ImageFile.Open(Temp("b.tif")))
        {
            Assert.AreEqual(new ImageLayout("tiles", 32, 32), reader.Layout);
            Assert.AreEqual("lzw", reader.Metadata["tiff.compression"]);
        }
        AssertMatches(ImageFile.Read(tiff), ImageFile.Read(Temp("b.tif")));
        AssertUsageError(["convert", Rand, Temp("c.png")], "float32", "--rescale");
        Assert.IsFalse(File.Exists(Temp("c.png")));
        (code, _, err) = Scoped("convert", Rand, Temp("c.png"), "--rescale");
        Assert.AreEqual(0, code, err);
        AssertMatches(Exposure.RescaleIntensity(Load("core", "rand_f32_37x53"), "image", "uint8"), ImageFile.Read(Temp("c.png")));
        AssertUsageError(["convert", tiff, Temp("e.jpg")], "JPEG holds uint8", "--rescale");
        (code, _, err) = Scoped("convert", tiff, Temp("e.jpg"), "--rescale");
        Assert.AreEqual(0, code, err);
        Assert.AreEqual(DType.UInt8, ImageFile.Read(Temp("e.jpg")).DType);
        AssertUsageError(["convert", Rand], "INPUT and OUTPUT");
        AssertUsageError(["convert", Rand, Temp("d.gif")], ".gif");
        AssertUsageError(["convert", Rand, Temp("d.tif"), "--compression", "zstd"], "--compression");
        AssertUsageError(["convert", Camera, Temp("d.png"), "--tile", "16"], "TIFF output");
    }

    // --- run -----------------------------------------------------------------------------------------------

    [TestMethod]
    public void GaussianMatchesTheDirectCallAndScikitImage()
    {
        var output = Temp("g.npy");
        var (code, stdout, err) = Scoped("run", "filters.gaussian", Rand, "--sigma", "2", "--mode", "reflect", "-o", output);
        Assert.AreEqual(0, code, err);
        Assert.AreEqual("", stdout);
        var actual = ImageFile.Read(output);
        AssertMatches(Filters.Gaussian(Load("core", "rand_f32_37x53"), 2, BoundaryMode.Reflect), actual, 0);
        AssertMatches(Load("core", "gaussian__rand_f32_s2_reflect"), actual);
    }

    [TestMethod]
    public void VolumesRunFromNpyFiles_AndPngRefusesThem()
    {
        string vol = Path.Combine(AppContext.BaseDirectory, "Fixtures", "nd", "vol_f32.npy");
        string volU8 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "nd", "vol_u8.npy");
        var (code, _, err) = Scoped("run", "filters.gaussian", vol, "--sigma", "1", "-o", Temp("g.npy"));
        Assert.AreEqual(0, code, err);
        AssertMatches(Load("nd", "gaussian__vol_f32_s1"), ImageFile.Read(Temp("g.npy")));
        (code, _, err) = Scoped("run", "morphology.erosion", volU8, "--footprint", "ball:1", "-o", Temp("e.npy"));
        Assert.AreEqual(0, code, err);
        AssertMatches(Load("nd", "erosion__vol_u8_ball1"), ImageFile.Read(Temp("e.npy")));
        (code, _, err) = Scoped("run", "morphology.binary_dilation", Path.Combine(AppContext.BaseDirectory, "Fixtures", "nd", "blobs.npy"),
            "--footprint", Path.Combine(AppContext.BaseDirectory, "Fixtures", "nd", "fp_octahedron2.npy"), "-o", Temp("d.npy"));
        Assert.AreEqual(0, code, err);
        AssertMatches(Morphology.BinaryDilation(Load("nd", "blobs"), Morphology.Octahedron(2)), ImageFile.Read(Temp("d.npy")));
        AssertUsageError(["run", "morphology.erosion", volU8, "-o", Temp("g.png")], "(16, 5, 33)", "volume", ".npy");
        Assert.IsFalse(File.Exists(Temp("g.png")));
    }

    [TestMethod]
    public void TransformModesUseNumPyNamesAsScikitImageDoes()
    {
        var input = Load("core", "rand_f32_37x53");
        foreach (var (name, mode) in new[] { ("reflect", BoundaryMode.Mirror), ("symmetric", BoundaryMode.Reflect), ("edge", BoundaryMode.Nearest) })
        {
            var output = Temp("r.npy");
            var (code, _, err) = Scoped("run", "transform.resize", Rand, "--output_shape", "20,30", "--mode", name, "-o", output);
            Assert.AreEqual(0, code, err);
            AssertMatches(Transform.Resize(input, [20, 30], mode: mode), ImageFile.Read(output), 0, name);
        }
    }

    [TestMethod]
    public void TupleValuesChooseTheArrayOverload()
    {
        var output = Temp("g.npy");
        var (code, _, err) = Scoped("run", "filters.gaussian", Rand, "--sigma", "1,4", "--out", output);
        Assert.AreEqual(0, code, err);
        AssertMatches(Load("core", "gaussian__rand_f32_s_1_4"), ImageFile.Read(output));

        var gaussian = FunctionCatalog.Find("filters.gaussian")!;
        var scalar = Binder.Bind(gaussian, ["in.npy"], [new CliOption("sigma", "2")]);
        Assert.AreEqual(typeof(double), scalar.Overload.Parameters[1].Type);
        Assert.AreEqual(2.0, scalar.Arguments[1]);
        var tuple = Binder.Bind(gaussian, ["in.npy"], [new CliOption("sigma", "(1, 3)")]);
        CollectionAssert.AreEqual(new[] { 1.0, 3.0 }, (double[])tuple.Arguments[1]!);
    }

    [TestMethod]
    public void BoolsParseAsValuesAndBareFlags()
    {
        var expected = Load("core", "gaussian__camera_s1_5_preserve");
        foreach (var args in new[]
                 {
                     new[] { "--preserve_range", "true" },
                     new[] { "--preserve-range=yes" },
                     new[] { "--preserve_range" },
                 })
        {
            var output = Temp("p.npy");
            var (code, _, err) = Scoped(["run", "filters.gaussian", Camera, "--sigma", "1.5", "--out", output, .. args]);
            Assert.AreEqual(0, code, err);
            AssertMatches(expected, ImageFile.Read(output), what: string.Join(' ', args));
        }
        var scaled = Temp("s.npy");
        Assert.AreEqual(0, Scoped("run", "filters.gaussian", Camera, "--sigma", "2", "--preserve_range", "false", "--out", scaled).Code);
        AssertMatches(Load("core", "gaussian__camera_s2"), ImageFile.Read(scaled));
        AssertUsageError(["run", "filters.gaussian", Camera, "--preserve_range", "maybe", "--out", scaled], "bad value 'maybe'", "--preserve_range", "true or false");
    }

    [TestMethod]
    public void ValuesParseToEveryParameterType()
    {
        Assert.IsTrue(Values.TryParse("reflect", typeof(BoundaryMode), out var mode, out _));
        Assert.AreEqual(BoundaryMode.Reflect, mode);
        Assert.IsTrue(Values.TryParse("Mirror", typeof(BoundaryMode), out mode, out _));
        Assert.AreEqual(BoundaryMode.Mirror, mode);
        Assert.IsTrue(Values.TryParse("97,131", typeof(int[]), out var shape, out _));
        CollectionAssert.AreEqual(new[] { 97, 131 }, (int[])shape!);
        Assert.IsFalse(Values.TryParse("97,1.5", typeof(int[]), out _, out _));
        Assert.IsTrue(Values.TryParse("none", typeof(int?), out var none, out _));
        Assert.IsNull(none);
        Assert.IsTrue(Values.TryParse("-1", typeof(int?), out var axis, out _));
        Assert.AreEqual(-1, axis);
        Assert.IsTrue(Values.TryParse("-inf", typeof(double), out var inf, out _));
        Assert.AreEqual(double.NegativeInfinity, inf);
        Assert.IsTrue(Values.TryParse("1e-3", typeof(float), out var f, out _));
        Assert.AreEqual(1e-3f, f);
        Assert.IsTrue(Values.TryParse("1,0;0,2", typeof(double[,]), out var matrix, out _));
        Assert.AreEqual(2.0, ((double[,])matrix!)[1, 1]);
        Assert.IsFalse(Values.TryParse("2.5", typeof(int), out _, out _));
        Assert.IsFalse(Values.TryParse("sideways", typeof(BoundaryMode), out _, out _));
    }

    [TestMethod]
    public void NamesAreScikitImagesSnakeCase()
    {
        foreach (var (cs, py) in new[]
                 {
                     ("Gaussian", "gaussian"), ("ThresholdOtsu", "threshold_otsu"), ("Rgb2Gray", "rgb2gray"), ("ImgAsFloat", "img_as_float"),
                     ("PeakLocalMax", "peak_local_max"), ("preserveRange", "preserve_range"), ("channelAxis", "channel_axis"),
                     ("outputShape", "output_shape"), ("image0", "image0"), ("SobelH", "sobel_h"),
                 })
            Assert.AreEqual(py, Names.Snake(cs));
        CollectionAssert.Contains(FunctionCatalog.All.Select(f => f.FullName).ToList(), "util.img_as_float");
    }

    [TestMethod]
    public void ArrayResultsCanBeWrittenAsJson()
    {
        var output = Temp("f.json");
        var (code, _, err) = Scoped("run", "util.img_as_float", Path.Combine(Fixtures, "rand_i32_11x7.npy"), "--out", output);
        Assert.AreEqual(0, code, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        Assert.AreEqual(11, doc.RootElement.GetArrayLength());
        Assert.AreEqual(7, doc.RootElement[0].GetArrayLength());
        var expected = (HostArray<double>)Load("core", "img_as_float__rand_i32_11x7");
        Assert.AreEqual(expected[2, 3], doc.RootElement[2][3].GetDouble());
    }

    // --- errors ------------------------------------------------------------------------------------------------

    [TestMethod]
    public void UnknownFunctionIsAUsageError()
    {
        AssertUsageError(["run", "filters.gausian", Rand], "unknown function filters.gausian", "filters.gaussian");
        AssertUsageError(["run", "nothing.here", Rand], "unknown function nothing.here");
        AssertUsageError(["frobnicate"], "unknown command 'frobnicate'");
    }

    [TestMethod]
    public void UnknownParameterIsAUsageErrorListingTheParameters()
    {
        AssertUsageError(["run", "filters.gaussian", Rand, "--sigmaa", "2", "--out", Temp("x.npy")],
            "unknown parameter --sigmaa for filters.gaussian (parameters: ", "sigma, mode, cval, preserve_range, truncate, channel_axis");
    }

    [TestMethod]
    public void BadValuesAreUsageErrorsNamingTheParameter()
    {
        AssertUsageError(["run", "filters.gaussian", Rand, "--mode", "sideways", "--out", Temp("x.npy")],
            "bad value 'sideways' for --mode of filters.gaussian", "reflect, constant, nearest, mirror, wrap");
        AssertUsageError(["run", "filters.gaussian", Rand, "--sigma", "abc", "--out", Temp("x.npy")],
            "bad value 'abc' for --sigma", "a number", "comma-separated numbers");
        // The overload that accepted more options is the one reported: --sigma 1,3 fits double[], so --mode is the problem.
        AssertUsageError(["run", "filters.gaussian", Rand, "--sigma", "1,3", "--mode", "sideways", "--out", Temp("x.npy")], "--mode");
        AssertUsageError(["run", "filters.gaussian", Rand, "--channel_axis", "--out", Temp("x.npy")], "no value for --channel_axis");
        AssertUsageError(["run", "filters.gaussian", Rand, "--sigma", "1", "--sigma", "2", "--out", Temp("x.npy")], "--sigma is given more than once");
    }

    [TestMethod]
    public void InputProblemsAreReported()
    {
        AssertUsageError(["run", "filters.gaussian", Temp("absent.npy"), "--out", Temp("x.npy")], "missing input file", "absent.npy");
        AssertUsageError(["run", "filters.gaussian", Rand, Rand, "--out", Temp("x.npy")], "filters.gaussian takes 1 input file (image); got 2");
        AssertUsageError(["run", "filters.gaussian", "--out", Temp("x.npy")], "takes 1 input file (image); got 0");
        AssertUsageError(["run", "filters.gaussian", Rand], "returns an array", "--out");

        var corrupt = Temp("corrupt.npy");
        File.WriteAllBytes(corrupt, [1, 2, 3, 4, 5]);
        var (code, _, err) = Scoped("run", "filters.gaussian", corrupt, "--out", Temp("x.npy"));
        Assert.AreEqual(1, code, err);
        StringAssert.Contains(err, "corrupt.npy");
        Assert.IsFalse(err.Contains("   at "), err);
    }

    [TestMethod]
    public void LibraryArgumentErrorsExitWithTwo()
    {
        AssertUsageError(["run", "filters.gaussian", Rand, "--sigma", "-1", "--out", Temp("x.npy")], "sigma");
        AssertUsageError(["run", "filters.gaussian", Rand, "--sigma", "1,2,3", "--out", Temp("x.npy")], "sigma");
        Assert.IsFalse(File.Exists(Temp("x.npy")));
    }

    // --- dispatch ----------------------------------------------------------------------------------------------

    [TestMethod]
    public void ExplainWritesTheTraceToStderr()
    {
        var (code, stdout, err) = Scoped("run", "filters.gaussian", Rand, "--explain", "--out", Temp("g.npy"));
        Assert.AreEqual(0, code, err);
        Assert.AreEqual("", stdout);
        StringAssert.Contains(err, "scoped.image.filters:gaussian");
        StringAssert.Contains(err, "-> default");
    }

    [TestMethod]
    public void BackendOptionRunsInsideTheScope()
    {
        var backend = new DispatchBackend("cli-test", Domains.Root);
        backend.Implement(Filters.Methods.Gaussian, (HostArray image, double[] sigma, BoundaryMode mode, double cval, bool preserveRange, double truncate, int? channelAxis) =>
            (NDArray)HostArray.Create(new[] { sigma[0], sigma[1] }, 2));
        Backend.Register(backend);
        try
        {
            var output = Temp("b.npy");
            var (code, _, err) = Scoped("run", "filters.gaussian", Rand, "--sigma", "3", "--backend", "cli-test", "--only", "--explain", "--out", output);
            Assert.AreEqual(0, code, err);
            StringAssert.Contains(err, "-> cli-test");
            CollectionAssert.AreEqual(new[] { 3.0, 3.0 }, ((HostArray<double>)ImageFile.Read(output)).ToArray());

            var (only, _, onlyErr) = Scoped("run", "util.img_as_float", Rand, "--backend", "cli-test", "--only", "--out", output);
            Assert.AreEqual(1, only, onlyErr);
            StringAssert.Contains(onlyErr, "util:img_as_float");

            var (listed, text, _) = Scoped("backends");
            Assert.AreEqual(0, listed);
            StringAssert.Contains(text, "cli-test");
            StringAssert.Contains(text, "functions (1): filters.gaussian");
            var (_, table, _) = Scoped("backends", "--markdown");
            StringAssert.Contains(table, "| function | default | cli-test |");
            StringAssert.Contains(table, "| `filters.gaussian` | ✓ | ✓ |");
            StringAssert.Contains(table, "| `util.img_as_float` | ✓ |  |");
        }
        finally
        {
            Backend.Unregister("cli-test");
        }
        AssertUsageError(["run", "filters.gaussian", Rand, "--backend", "no-such-backend", "--out", Temp("x.npy")], "no-such-backend");
    }

    [TestMethod]
    public void BackendsListsTheDefault()
    {
        var (code, stdout, err) = Scoped("backends");
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(stdout, "default (built in): available");
        var (mdCode, table, _) = Scoped("backends", "--markdown");
        Assert.AreEqual(0, mdCode);
        StringAssert.Contains(table, "| `filters.gaussian` | ✓ |");
        AssertUsageError(["backends", "--path", Temp("nowhere")], "no such folder or file");
    }

    // --- listings ----------------------------------------------------------------------------------------------

    [TestMethod]
    public void FunctionsListsParametersTypesAndDefaults()
    {
        var (code, stdout, err) = Scoped("functions");
        Assert.AreEqual(0, code, err);
        var line = stdout.Split('\n').Single(l => l.StartsWith("filters.gaussian ", StringComparison.Ordinal));
        StringAssert.Contains(line, "IMAGE");
        StringAssert.Contains(line, "[--sigma float|float[] = 1]");
        StringAssert.Contains(line, "[--mode reflect|constant|nearest|mirror|wrap = nearest]");
        StringAssert.Contains(line, "[--preserve_range bool = false]");
        StringAssert.Contains(line, "[--truncate float = 4]");
        StringAssert.Contains(line, "[--channel_axis int? = none]");
        StringAssert.Contains(stdout, "util.img_as_ubyte IMAGE -> array");

        var (jsonCode, json, _) = Scoped("functions", "--json");
        Assert.AreEqual(0, jsonCode);
        using var doc = JsonDocument.Parse(json);
        var gaussian = doc.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "filters.gaussian");
        Assert.AreEqual("scoped.image.filters:gaussian", gaussian.GetProperty("multimethod").GetString());
        var mode = gaussian.GetProperty("overloads")[0].GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "mode");
        Assert.AreEqual("nearest", mode.GetProperty("default").GetString());

        var (_, filtered, _) = Scoped("functions", "util");
        Assert.IsFalse(filtered.Contains("filters.gaussian"), filtered);
        StringAssert.Contains(filtered, "util.img_as_float");
    }

    [TestMethod]
    public void HelpShowsTheFunctionsParameters()
    {
        var (code, stdout, _) = Scoped("run", "filters.gaussian", "--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, "--mode: reflect|constant|nearest|mirror|wrap = nearest");
        var (usageCode, usage, _) = Scoped("--help");
        Assert.AreEqual(0, usageCode);
        StringAssert.Contains(usage, "ndimage");
        Assert.AreEqual(2, Scoped().Code);
    }

    // --- results -----------------------------------------------------------------------------------------------

    private sealed record Region(int Label, double Area, (double, double) Centroid, BoundaryMode Mode);

    [TestMethod]
    public void ResultsAreFormattedAsJson()
    {
        Assert.AreEqual("0.5", Output.ToJson(0.5));
        Assert.AreEqual("0.1", Output.ToJson(0.1f));
        Assert.AreEqual("42", Output.ToJson(42));
        Assert.AreEqual("true", Output.ToJson(true));
        Assert.AreEqual("\"NaN\"", Output.ToJson(double.NaN));
        Assert.AreEqual("[1,2.5]", Output.ToJson((1, 2.5)));
        Assert.AreEqual("[1.5,2.5]", Output.ToJson(new[] { 1.5, 2.5 }));
        Assert.AreEqual("[[1,2,3],[4,5,6]]", Output.ToJson(HostArray.Create(new byte[] { 1, 2, 3, 4, 5, 6 }, 2, 3)));
        using var doc = JsonDocument.Parse(Output.ToJson(new[] { new Region(1, 12, (2.5, 3), BoundaryMode.Reflect) }));
        var region = doc.RootElement[0];
        Assert.AreEqual(1, region.GetProperty("label").GetInt32());
        Assert.AreEqual(12.0, region.GetProperty("area").GetDouble());
        Assert.AreEqual(2.5, region.GetProperty("centroid")[0].GetDouble());
        Assert.AreEqual("reflect", region.GetProperty("mode").GetString());
    }

    [TestMethod]
    public void SeveralArraysGoToNumberedFiles()
    {
        Assert.AreEqual(Path.Combine("d", "out_1.npy"), Output.NumberedPath(Path.Combine("d", "out.npy"), 1, 2));
        Assert.AreEqual("out.npy", Output.NumberedPath("out.npy", 0, 1));
        var a = HostArray.Create(new[] { 1.0 }, 1);
        Assert.AreEqual(2, Output.ArrayResults((a, a))!.Count);
        Assert.IsNull(Output.ArrayResults((a, 3)));
        Assert.IsNull(Output.ArrayResults(0.5));
    }

    [TestMethod]
    public void FootprintsAreBuiltByMorphologyWhenItExists()
    {
        var morphology = typeof(NDArray).Assembly.GetType("Scoped.Image.Morphology");
        if (morphology?.GetMethod("Disk") is null)
        {
            var ex = Assert.ThrowsExactly<UsageException>(() => Binder.Footprint("disk:3", "footprint"));
            StringAssert.Contains(ex.Message, "Morphology");
            StringAssert.Contains(ex.Message, "--footprint disk:3");
            return;
        }
        Assert.AreEqual("(7, 7)", Binder.Footprint("disk:3", "footprint").ShapeText);
        Assert.AreEqual("(5, 5)", Binder.Footprint("square:5", "footprint").ShapeText);
        Assert.AreEqual("(3, 5)", Binder.Footprint("rectangle:3,5", "footprint").ShapeText);
        Assert.AreEqual("(3, 3)", Binder.Footprint("diamond:1", "selem").ShapeText);
        Assert.ThrowsExactly<UsageException>(() => Binder.Footprint("blob:3", "footprint"));
    }
}

/// <summary>The CLI over a stand-in module whose functions return scalars, tuples and records.</summary>
[TestClass]
public sealed class CliResultTests
{
    private static readonly IReadOnlyList<CliFunction> Fake = FunctionCatalog.Build(typeof(CliFake).Assembly);
    private static readonly string Rand = Path.Combine(AppContext.BaseDirectory, "Fixtures", "core", "rand_f32_37x53.npy");
    private static readonly string Bools = Path.Combine(AppContext.BaseDirectory, "Fixtures", "core", "rand_bool_13x17.npy");

    private static (int Code, string Out, string Err) Scoped(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = new ScopedCli(Fake).Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [TestMethod]
    public void TheFakeModuleIsFoundByReflectionOnly()
    {
        CollectionAssert.AreEquivalent(
            new[] { "clifake.blobs", "clifake.fails", "clifake.footprint_sum", "clifake.mean", "clifake.opaque", "clifake.output_shape_of", "clifake.split" },
            Fake.Select(f => f.FullName).ToArray());
        Assert.IsFalse(FunctionCatalog.All.Any(f => f.Module == "clifake"));
    }

    [TestMethod]
    public void ScalarResultsArePrintedAsJson()
    {
        var image = Load("core", "rand_f32_37x53");
        var (code, stdout, err) = Scoped("run", "clifake.mean", Rand);
        Assert.AreEqual(0, code, err);
        Assert.AreEqual(CliFake.Mean(image), double.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture));

        // An optional array parameter takes the next input file, or an option.
        var bools = Load("core", "rand_bool_13x17");
        var (maskCode, masked, maskErr) = Scoped("run", "clifake.mean", Bools, "--mask", Bools);
        Assert.AreEqual(0, maskCode, maskErr);
        Assert.AreEqual(CliFake.Mean(bools, bools), double.Parse(masked.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(masked, Scoped("run", "clifake.mean", Bools, Bools).Out);
    }

    [TestMethod]
    public void TupleAndEnumOptionsReachTheFunction()
    {
        var (code, stdout, err) = Scoped("run", "clifake.output_shape_of", Rand, "--output_shape", "97,131", "--mode", "wrap");
        Assert.AreEqual(0, code, err);
        Assert.AreEqual($"[97,131,{(int)BoundaryMode.Wrap}]", stdout.Trim());
        var (missing, _, missingErr) = Scoped("run", "clifake.output_shape_of", Rand);
        Assert.AreEqual(2, missing);
        StringAssert.Contains(missingErr, "missing --output_shape");
    }

    [TestMethod]
    public void RecordsArePrintedWithSnakeCaseKeys()
    {
        var (code, stdout, err) = Scoped("run", "clifake.blobs", Rand);
        Assert.AreEqual(0, code, err);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.AreEqual(2, doc.RootElement.GetArrayLength());
        Assert.AreEqual(37 * 53, doc.RootElement[0].GetProperty("area").GetDouble());
        Assert.AreEqual(1.5, doc.RootElement[0].GetProperty("centroid")[0].GetDouble());
        Assert.AreEqual("NaN", doc.RootElement[1].GetProperty("centroid")[0].GetString());
    }

    [TestMethod]
    public void TuplesOfArraysGoToNumberedFiles()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scoped-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var (code, _, err) = Scoped("run", "clifake.split", Rand, "--threshold", "0.25", "--out", Path.Combine(dir, "part.npy"));
            Assert.AreEqual(0, code, err);
            var (low, high) = CliFake.Split(Load("core", "rand_f32_37x53"), 0.25);
            AssertMatches(low, ImageFile.Read(Path.Combine(dir, "part_0.npy")));
            AssertMatches(high, ImageFile.Read(Path.Combine(dir, "part_1.npy")));

            var (noOut, _, noOutErr) = Scoped("run", "clifake.split", Rand);
            Assert.AreEqual(2, noOut);
            StringAssert.Contains(noOutErr, "returned 2 arrays: give --out PATH");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void FootprintsCanBeFiles()
    {
        var (code, stdout, err) = Scoped("run", "clifake.footprint_sum", Rand, "--footprint", Bools);
        Assert.AreEqual(0, code, err);
        var expected = ((bool[])Load("core", "rand_bool_13x17").ToFlatArray()).Count(b => b);
        Assert.AreEqual($"{expected}", stdout.Trim());
        // A footprint is never filled from the positional inputs.
        var (extra, _, extraErr) = Scoped("run", "clifake.footprint_sum", Rand, Bools);
        Assert.AreEqual(2, extra);
        StringAssert.Contains(extraErr, "takes 1 input file (image); got 2");
    }

    [TestMethod]
    public void ExceptionsMapToExitCodes()
    {
        var (user, _, userErr) = Scoped("run", "clifake.fails", Rand, "--user_error");
        Assert.AreEqual(2, user);
        StringAssert.Contains(userErr, "image must be brighter.");
        Assert.IsFalse(userErr.Contains("   at "), userErr);
        var (bug, _, bugErr) = Scoped("run", "clifake.fails", Rand);
        Assert.AreEqual(70, bug);
        StringAssert.Contains(bugErr, "internal error: InvalidOperationException: a bug");
    }

    [TestMethod]
    public void ParametersTheCommandLineCannotFillAreReported()
    {
        var (code, _, err) = Scoped("run", "clifake.opaque", Rand);
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "transform");
        StringAssert.Contains(err, "cannot give");
        var (listed, stdout, _) = Scoped("functions", "clifake");
        Assert.AreEqual(0, listed);
        StringAssert.Contains(stdout, "clifake.output_shape_of IMAGE --output_shape int[] [--mode reflect|constant|nearest|mirror|wrap = mirror] -> int[]");
        StringAssert.Contains(stdout, "clifake.mean IMAGE [MASK] -> float");
    }
}
