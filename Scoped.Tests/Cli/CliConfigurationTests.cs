using Scoped.Backends.Gpu;
using Scoped.Backends.Parallel;
using Scoped.Cli;
using Scoped.Dispatch;

namespace Scoped.Tests.Cli;

/// <summary>
/// The tool's Scoped:* settings: scoped.json beside the input &lt; --config FILE &lt; environment &lt; --set, each bad key
/// or value a usage error naming the key, and the options put back when the command ends. Which value is in force is
/// read from the parallel backend's decline message, which quotes MinimumElements.
/// </summary>
[TestClass]
[DoNotParallelize] // the backends' options and the environment are process-wide
public sealed class CliConfigurationTests
{
    private const string EnvKey = "Scoped__Parallel__MinimumElements";
    private static readonly string Rand = Path.Combine(AppContext.BaseDirectory, "Fixtures", "core", "rand_f32_37x53.npy");
    private string _dir = "";
    private ParallelBackendOptions _parallel = null!;
    private GpuBackendOptions _gpu = null!;
    private DispatchOptions _dispatch = null!;
    private string? _env;

    [TestInitialize]
    public void Initialize()
    {
        _dir = Path.Combine(Path.GetTempPath(), "scoped-cli-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.Copy(Rand, Input);
        _parallel = ParallelBackend.CurrentOptions;
        _gpu = GpuBackend.CurrentOptions;
        _dispatch = Backend.Options;
        _env = Environment.GetEnvironmentVariable(EnvKey);
        Environment.SetEnvironmentVariable(EnvKey, null);
        // The parallel test pass lowers the threshold for every test; these tests start from the default.
        ParallelBackend.Configure(new ParallelBackendOptions());
    }

    [TestCleanup]
    public void Cleanup()
    {
        Environment.SetEnvironmentVariable(EnvKey, _env);
        ParallelBackend.Configure(_parallel);
        GpuBackend.Configure(_gpu);
        Backend.Configure(_dispatch);
        Directory.Delete(_dir, recursive: true);
    }

    private string Input => Path.Combine(_dir, "small.npy");
    private string Temp(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Scoped(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = new ScopedCli().Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private (int Code, string Out, string Err) ParallelOnly(params string[] more) =>
        Scoped(["run", "filters.gaussian", Input, "--sigma", "2", "--out", Temp("out.npy"), "--backend", "parallel", "--only", .. more]);

    private static string Settings(long minimumElements) => $$"""{ "Scoped": { "Parallel": { "MinimumElements": {{minimumElements}} } } }""";

    /// <summary>The MinimumElements the parallel backend declined with, from its message "... MinimumElements (N; ...".</summary>
    private static long DeclinedWith((int Code, string Out, string Err) run)
    {
        Assert.AreEqual(1, run.Code, run.Err);
        var marker = "MinimumElements (";
        int at = run.Err.IndexOf(marker, StringComparison.Ordinal);
        Assert.IsTrue(at >= 0, run.Err);
        var rest = run.Err[(at + marker.Length)..];
        return long.Parse(rest[..rest.IndexOf(';')], System.Globalization.CultureInfo.InvariantCulture);
    }

    [TestMethod]
    public void ParallelOnly_OnASmallImage_Fails_UntilMinimumElementsIsSetToZero()
    {
        Assert.AreEqual(1024 * 1024, DeclinedWith(ParallelOnly()), "the default threshold declines a 37x53 image");
        var (code, _, err) = ParallelOnly("--set", "Scoped:Parallel:MinimumElements=0");
        Assert.AreEqual(0, code, err);
        Assert.IsTrue(File.Exists(Temp("out.npy")));
    }

    [TestMethod]
    public void EachSource_SetsTheKey_AndLaterSourcesWin()
    {
        File.WriteAllText(Temp("scoped.json"), Settings(100_000));
        File.WriteAllText(Temp("given.json"), Settings(200_000));
        Assert.AreEqual(100_000, DeclinedWith(ParallelOnly()), "scoped.json beside the input");
        Assert.AreEqual(200_000, DeclinedWith(ParallelOnly("--config", Temp("given.json"))), "--config beats scoped.json");
        Environment.SetEnvironmentVariable(EnvKey, "300000");
        Assert.AreEqual(300_000, DeclinedWith(ParallelOnly("--config", Temp("given.json"))), "the environment beats --config");
        Assert.AreEqual(400_000, DeclinedWith(ParallelOnly("--config", Temp("given.json"), "--set", "Scoped:Parallel:MinimumElements=400000")), "--set beats all");
        Assert.AreEqual(600_000, DeclinedWith(ParallelOnly("--set=Scoped:Parallel:MinimumElements=500000", "--set", "Scoped:Parallel:MinimumElements=600000")),
            "of two --set, the later wins");
    }

    [TestMethod]
    public void AnEnvironmentVariable_Alone_SetsTheKey()
    {
        Environment.SetEnvironmentVariable(EnvKey, "0");
        var (code, _, err) = ParallelOnly();
        Assert.AreEqual(0, code, err);
    }

    [TestMethod]
    public void AConfigFile_Alone_SetsTheKey_AndAScopedJsonBesideAFolderInputIsRead()
    {
        File.WriteAllText(Temp("given.json"), Settings(0));
        var (code, _, err) = ParallelOnly("--config", Temp("given.json"));
        Assert.AreEqual(0, code, err);

        // A batch run reads scoped.json in the folder it runs over.
        var folder = Directory.CreateDirectory(Temp("in")).FullName;
        File.Copy(Rand, Path.Combine(folder, "a.npy"));
        File.WriteAllText(Path.Combine(folder, "scoped.json"), Settings(0));
        var output = Directory.CreateDirectory(Temp("out")).FullName;
        (code, _, err) = Scoped("run", "filters.gaussian", folder, "--sigma", "2", "--out", output, "--backend", "parallel", "--only");
        Assert.AreEqual(0, code, err);
    }

    [TestMethod]
    public void TheOptions_ArePutBack_WhenTheCommandEnds()
    {
        ParallelBackend.Configure(o => o.MinimumElements = 4321);
        var (code, _, err) = ParallelOnly("--set", "Scoped:Parallel:MinimumElements=0", "--set", "Scoped:Gpu:MinimumInteropBytes=7");
        Assert.AreEqual(0, code, err);
        Assert.AreEqual(4321, ParallelBackend.CurrentOptions.MinimumElements);
        Assert.AreEqual(_gpu.MinimumInteropBytes, GpuBackend.CurrentOptions.MinimumInteropBytes);
    }

    [TestMethod]
    [DataRow("--set", "Scoped:Parallel:MinimumElements=-5", "Scoped:Parallel:MinimumElements must be >= 0; got -5")]
    [DataRow("--set", "Scoped:Parallel:BandsPerThread=many", "Scoped:Parallel:BandsPerThread must be a whole number")]
    [DataRow("--set", "Scoped:Parallel:BandLength=0", "Scoped:Parallel:BandLength must be >= 1 when set; got 0")]
    [DataRow("--set", "Scoped:Parallel:MinimumElement=0", "Scoped:Parallel:MinimumElement is not a setting; the keys of Scoped:Parallel are MinimumElements")]
    [DataRow("--set", "Scoped:Paralel:MinimumElements=0", "Scoped:Paralel is not a section")]
    [DataRow("--set", "Scoped:Gpu:MinimumInteropBytes=-1", "Scoped:Gpu:MinimumInteropBytes must be >= 0; got -1")]
    [DataRow("--set", "Scoped:Dispatch:Fallback=Loud", "Scoped:Dispatch:Fallback must be one of Silent, Warn, Throw; got 'Loud'")]
    [DataRow("--set", "Scoped:Dispatch:Backends=gpu,no/such", "Scoped:Dispatch:Backends must hold backend names")]
    [DataRow("--set", "Parallel:MinimumElements=0", "keys are Scoped:SECTION:KEY")]
    [DataRow("--set", "Scoped:Parallel:MinimumElements", "--set needs KEY=VALUE")]
    [DataRow("--set", "Scoped:Limits:MaxElements=0", "Scoped:Limits:MaxElements must be >= 1; got 0")]
    [DataRow("--config", "missing.json", "no such file")]
    public void ABadSetting_ExitsWithTwo_NamingTheKey(string option, string value, string expected)
    {
        if (option == "--config") value = Temp(value);
        var (code, _, err) = ParallelOnly(option, value);
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, expected);
        Assert.IsFalse(File.Exists(Temp("out.npy")), "nothing ran");
    }

    [TestMethod]
    public void ABadValue_FromTheEnvironmentOrAFile_NamesTheKeyToo()
    {
        Environment.SetEnvironmentVariable(EnvKey, "-5");
        var (code, _, err) = ParallelOnly();
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "Scoped:Parallel:MinimumElements must be >= 0; got -5");

        Environment.SetEnvironmentVariable(EnvKey, null);
        File.WriteAllText(Temp("scoped.json"), """{ "Scoped": { "Parallel": { "MaxDegreeOfParallelism": 0 } } }""");
        (code, _, err) = ParallelOnly();
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "Scoped:Parallel:MaxDegreeOfParallelism must be >= 1; got 0");

        File.WriteAllText(Temp("scoped.json"), "{ \"Scoped\": ");
        (code, _, err) = ParallelOnly();
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "scoped.json: not valid JSON");
    }

    [TestMethod]
    public void DispatchBackends_SetsThePriority_SoACallWithoutAScopeRunsThere()
    {
        var (code, _, err) = Scoped("run", "filters.gaussian", Input, "--sigma", "2", "--out", Temp("out.npy"), "--explain",
            "--set", "Scoped:Dispatch:Backends=parallel", "--set", "Scoped:Parallel:MinimumElements=0");
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(err, "-> parallel");
        CollectionAssert.AreEqual(_dispatch.Priority.ToArray(), Backend.Options.Priority.ToArray(), "put back afterwards");
    }

    [TestMethod]
    public void EveryKeyOfEverySection_IsListedInDocsConfiguration()
    {
        var doc = File.ReadAllText(Path.Combine(global::Scoped.Tests.Docs.CoverageDocTests.RepositoryRoot(), "docs", "configuration.md"));
        foreach (var section in CliConfiguration.Sections)
            foreach (var key in section.Keys)
                StringAssert.Contains(doc, $"`{section.Path}:{key}`");
    }

    [TestMethod]
    public void TheWorkLimit_IsSetWithScopedLimits_AndAnArgumentBeyondItIsAUsageErrorNamingIt()
    {
        var before = global::Scoped.Image.Limits.ProcessMaxElements;
        var (code, _, err) = Scoped("run", "transform.resize", Input, "--output_shape", "100,100", "--out", Temp("big.npy"),
            "--set", "Scoped:Limits:MaxElements=5000");
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "(--output_shape)");
        StringAssert.Contains(err, "Scoped:Limits:MaxElements");
        Assert.IsFalse(err.Contains("   at "), "no stack trace: " + err);
        Assert.IsFalse(File.Exists(Temp("big.npy")));
        Assert.AreEqual(before, global::Scoped.Image.Limits.ProcessMaxElements, "the limit is put back when the command ends");

        (code, _, err) = Scoped("run", "filters.gaussian", Input, "--sigma", "1e9", "--out", Temp("blur.npy"));
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "sigma");
    }
}
