using System.Text.Json;
using Scoped.Cli;
using Scoped.Image.IO;

namespace Scoped.Tests.Cli;

/// <summary>The CLI's outputs are atomic (the .json ones included), stale temporary files are cleaned, and a batch
/// run's --out must be an existing folder.</summary>
[TestClass]
public sealed class CliOutputTests
{
    private static readonly string Rand = Path.Combine(AppContext.BaseDirectory, "Fixtures", "core", "rand_f32_37x53.npy");
    private string _dir = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "scoped-cli-output-" + Guid.NewGuid().ToString("N"));
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

    private string StaleTemp(string target, TimeSpan age, string extension = AtomicFile.TempExtension)
    {
        var path = Temp($".{target}.{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, "{\"trunc");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [TestMethod]
    public void AWriteThatFailsMidway_LeavesTheOldFileIntact_AndNoTemporaryFile()
    {
        var target = Temp("result.json");
        File.WriteAllText(target, "[1, 2, 3]");
        Assert.Throws<IOException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write("[4, 5"u8);
            throw new IOException("No space left on device");
        }));
        Assert.AreEqual("[1, 2, 3]", File.ReadAllText(target));
        CollectionAssert.AreEqual(new[] { "result.json" }, Directory.GetFiles(_dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void AJsonResult_IsWrittenThroughTheAtomicWrite()
    {
        // A temporary file of a killed earlier write beside the target is removed only by the atomic write's cleanup,
        // so this fails if the CLI writes .json any other way.
        var stale = StaleTemp("otsu.json", TimeSpan.FromHours(1));
        var (code, _, err) = Scoped("run", "filters.threshold_otsu", Rand, "--out", Temp("otsu.json"));
        Assert.AreEqual(0, code, err);
        using var json = JsonDocument.Parse(File.ReadAllText(Temp("otsu.json")));
        Assert.AreEqual(JsonValueKind.Number, json.RootElement.ValueKind);
        Assert.IsFalse(File.Exists(stale), "the stale temporary file of the same target is deleted");
    }

    [TestMethod]
    public void StaleTemporaryFiles_OfTheSameTarget_AreDeleted_OthersAreKept()
    {
        var target = Temp("out.npy");
        var stale = StaleTemp("out.npy", TimeSpan.FromHours(1));
        var legacy = StaleTemp("out.npy", TimeSpan.FromHours(1), ".tmp");
        var young = StaleTemp("out.npy", TimeSpan.Zero);
        var otherTarget = StaleTemp("other.npy", TimeSpan.FromHours(1));
        var lookalike = Temp(".out.npy.notes.scoped-tmp");
        File.WriteAllText(lookalike, "not ours");
        File.SetLastWriteTimeUtc(lookalike, DateTime.UtcNow - TimeSpan.FromHours(1));

        AtomicFile.WriteAllText(target, "new");

        Assert.AreEqual("new", File.ReadAllText(target));
        Assert.IsFalse(File.Exists(stale), "older than the grace period and not locked");
        Assert.IsFalse(File.Exists(legacy), "the .tmp name of earlier versions");
        Assert.IsTrue(File.Exists(young), "within the grace period its writer may still be starting");
        Assert.IsTrue(File.Exists(otherTarget), "another target's temporary file");
        Assert.IsTrue(File.Exists(lookalike), "not a temporary file's name");
    }

    [TestMethod]
    public void ATemporaryFileHeldByALiveWriter_IsNotDeleted()
    {
        var live = StaleTemp("out.npy", TimeSpan.FromHours(1));
        using (new FileStream(live, FileMode.Open, FileAccess.Write, FileShare.None))
            AtomicFile.WriteAllText(Temp("out.npy"), "new");
        Assert.IsTrue(File.Exists(live), "a writer holding its lock, however old its file, is left alone");
        Assert.AreEqual("new", File.ReadAllText(Temp("out.npy")));
    }

    [TestMethod]
    public void ABatchRun_WhoseOutIsNotAnExistingFolder_IsAUsageError_AndCreatesNothing()
    {
        var input = Directory.CreateDirectory(Temp("in")).FullName;
        File.Copy(Rand, Path.Combine(input, "a.npy"));
        var (code, _, err) = Scoped("run", "filters.sobel", input, "--out", Temp("o.npy"));
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "--out must be an existing folder");
        StringAssert.Contains(err, Temp("o.npy"));
        Assert.IsFalse(Directory.Exists(Temp("o.npy")), "no folder named o.npy");
        Assert.IsFalse(File.Exists(Temp("o.npy")));
    }

    [TestMethod]
    public void ABatchRun_WithScalarResults_AndAnOutFolder_WritesOneJsonFilePerInput()
    {
        var input = Directory.CreateDirectory(Temp("in")).FullName;
        File.Copy(Rand, Path.Combine(input, "a.npy"));
        File.Copy(Rand, Path.Combine(input, "b.npy"));
        var output = Directory.CreateDirectory(Temp("out")).FullName;
        var (code, stdout, err) = Scoped("run", "filters.threshold_otsu", input, "--out", output);
        Assert.AreEqual(0, code, err);
        Assert.AreEqual("", stdout);
        CollectionAssert.AreEquivalent(new[] { "a.json", "b.json" }, Directory.GetFiles(output).Select(Path.GetFileName).ToArray());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "b.json")));
        Assert.AreEqual(Path.Combine(input, "b.npy"), json.RootElement.GetProperty("file").GetString());
    }
}
