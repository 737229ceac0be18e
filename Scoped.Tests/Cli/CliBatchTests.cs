using System.Text.Json;
using Scoped.Cli;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Cli;

/// <summary><c>scoped run FUNCTION DIR_OR_GLOB --out DIR</c>: one run per image file, failures reported, progress on a terminal.</summary>
[TestClass]
public sealed class CliBatchTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "scoped-cli-batch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "in"));
        Directory.CreateDirectory(Path.Combine(_dir, "out"));
        var camera = Load<byte>("core", "camera_u8");
        ImageFile.Write(In("a.npy"), Load("core", "rand_f32_37x53"));
        ImageFile.Write(In("b.png"), camera);
        ImageFile.Write(In("c.pgm"), camera);
        File.WriteAllText(In("notes.txt"), "not an image");
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string In(string name) => Path.Combine(_dir, "in", name);
    private string Out(string name = "") => Path.Combine(_dir, "out", name);

    private static (int Code, string Out, string Err) Scoped(bool progress, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = new ScopedCli { ShowProgress = progress }.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [TestMethod]
    public void AFolder_GivesOneResultPerImageFile_EqualToTheSingleRuns()
    {
        var (code, stdout, err) = Scoped(false, "run", "filters.gaussian", Path.Combine(_dir, "in"), "--sigma", "1.5", "--out", Out());
        Assert.AreEqual(0, code, err);
        Assert.AreEqual("", stdout);
        Assert.AreEqual("", err, "no progress when stderr is not a terminal");
        CollectionAssert.AreEquivalent(new[] { "a.npy", "b.npy", "c.npy" }, Directory.GetFiles(Out()).Select(Path.GetFileName).ToArray());
        foreach (var name in new[] { "a.npy", "b.png", "c.pgm" })
            AssertMatches(Filters.Gaussian(ImageFile.Read(In(name)), 1.5), ImageFile.Read(Out(Path.ChangeExtension(name, ".npy"))), 0, name);
    }

    [TestMethod]
    public void APattern_PicksItsFiles_AndOutExtChoosesTheFormat()
    {
        var (code, _, err) = Scoped(false, "run", "util.img_as_ubyte", Path.Combine(_dir, "in", "*.p?m"), "--out", Out(), "--out-ext", "png");
        Assert.AreEqual(0, code, err);
        CollectionAssert.AreEqual(new[] { "c.png" }, Directory.GetFiles(Out()).Select(Path.GetFileName).ToArray());
        AssertMatches(ImageFile.Read(In("c.pgm")), ImageFile.Read(Out("c.png")));
    }

    [TestMethod]
    public void ScalarResults_PrintOneJsonLinePerFile()
    {
        var (code, stdout, err) = Scoped(false, "run", "filters.threshold_otsu", Path.Combine(_dir, "in"));
        Assert.AreEqual(0, code, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(3, lines.Length, stdout);
        using var first = JsonDocument.Parse(lines[1]);
        Assert.AreEqual(In("b.png"), first.RootElement.GetProperty("file").GetString());
        Assert.AreEqual(Filters.ThresholdOtsu(ImageFile.Read(In("b.png"))), first.RootElement.GetProperty("result").GetDouble());
    }

    [TestMethod]
    public void ABadFile_IsReported_AndTheOthersStillRun()
    {
        File.WriteAllBytes(In("b.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        var (code, _, err) = Scoped(false, "run", "filters.sobel", Path.Combine(_dir, "in"), "--out", Out());
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, In("b.png"));
        StringAssert.Contains(err, "1 of 3 files failed");
        CollectionAssert.AreEquivalent(new[] { "a.npy", "c.npy" }, Directory.GetFiles(Out()).Select(Path.GetFileName).ToArray(), "nothing half-written for the bad file");
    }

    [TestMethod]
    public void OnATerminal_AProgressLineCountsTheFiles()
    {
        var (code, _, err) = Scoped(true, "run", "filters.sobel", Path.Combine(_dir, "in"), "--out", Out());
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(err, "\r[1/3] a.npy");
        StringAssert.Contains(err, "\r[3/3] c.pgm");
    }

    [TestMethod]
    public void AsAProcessWithStderrRedirected_NoProgressIsWritten()
    {
        // The real program decides from Console.IsErrorRedirected; a pipe is not a terminal, so stderr must stay empty.
        var start = new System.Diagnostics.ProcessStartInfo(global::Scoped.Tests.Docs.CoverageDocTests.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "Scoped.Cli.dll"), "run", "filters.sobel", Path.Combine(_dir, "in"), "--out", Out() })
            start.ArgumentList.Add(arg);

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "scoped did not finish within 2 minutes");

        Assert.AreEqual(0, process.ExitCode, stderr);
        Assert.AreEqual("", stderr, "no progress line when stderr is redirected");
        Assert.AreEqual("", stdoutTask.Result);
        Assert.AreEqual(3, Directory.GetFiles(Out()).Length);
    }

    [TestMethod]
    public void BadBatchCommandLines_AreUsageErrors()
    {
        File.WriteAllText(Path.Combine(_dir, "file.txt"), "x");
        Assert.AreEqual(2, Scoped(false, "run", "filters.sobel", Path.Combine(_dir, "in"), "--out", Path.Combine(_dir, "file.txt")).Code, "--out is a file");
        Assert.AreEqual(2, Scoped(false, "run", "filters.sobel", Path.Combine(_dir, "in")).Code, "no --out for array results");
        var (code, _, err) = Scoped(false, "run", "filters.sobel", Path.Combine(_dir, "in", "*.gif"), "--out", Out());
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "no .npy, .png, .pgm, .ppm or .tif files match");
        Assert.AreEqual(2, Scoped(false, "run", "filters.sobel", Path.Combine(_dir, "in"), "--out", Out(), "--out-ext", ".gif").Code);
        Assert.AreEqual(2, Scoped(false, "run", "filters.sobel", In("a.npy"), "--out", Out("x.npy"), "--out-ext", ".png").Code, "--out-ext without a batch");
    }
}
