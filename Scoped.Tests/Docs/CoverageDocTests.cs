using System.Diagnostics;

namespace Scoped.Tests.Docs;

/// <summary>docs/coverage.md holds the output of <c>scoped backends --markdown</c>; this keeps it current.</summary>
[TestClass]
public sealed class CoverageDocTests
{
    private const string Begin = "<!-- BEGIN scoped backends --markdown -->";
    private const string End = "<!-- END scoped backends --markdown -->";

    [TestMethod]
    public void TheCoverageTableInTheDocsIsWhatTheToolPrints()
    {
        var (doc, documented) = Between("coverage.md", Begin, End);

        var printed = RunTool("backends", "--markdown").Trim('\n');

        // The tool ran with the backends of this repository beside it; the table must list them all.
        StringAssert.Contains(printed, "| function | default | gpu | parallel |");
        Assert.AreEqual(printed, documented,
            $"{doc} is out of date. Regenerate it with `dotnet Scoped.Tests/bin/Debug/net10.0/Scoped.Cli.dll backends --markdown` " +
            $"and paste the output between the markers. The tool printed:\n{printed}");
    }

    [TestMethod]
    public void TheFunctionTableInTheImageDocsIsWhatTheDeclarationsProduce()
    {
        var (doc, documented) = Between("image.md", "<!-- BEGIN scoped functions --markdown -->", "<!-- END scoped functions --markdown -->");

        var printed = RunTool("functions", "--markdown").Trim('\n');

        StringAssert.Contains(printed, "| `filters.gaussian` | separable | 1+ | ✓ |");
        Assert.AreEqual(printed, documented,
            $"{doc} is out of date. Regenerate it with `dotnet Scoped.Tests/bin/Debug/net10.0/Scoped.Cli.dll functions --markdown` " +
            $"and paste the output between the markers. The tool printed:\n{printed}");
    }

    /// <summary>The text of docs/<paramref name="file"/> between its two markers.</summary>
    private static (string Doc, string Text) Between(string file, string begin, string end)
    {
        var doc = Path.Combine(RepositoryRoot(), "docs", file);
        var text = File.ReadAllText(doc).ReplaceLineEndings("\n");
        int b = text.IndexOf(begin, StringComparison.Ordinal), e = text.IndexOf(end, StringComparison.Ordinal);
        Assert.IsTrue(b >= 0 && e > b, $"{doc} must hold the table between \"{begin}\" and \"{end}\".");
        return (doc, text[(b + begin.Length)..e].Trim('\n'));
    }

    /// <summary>Runs the real tool (Scoped.Cli.dll beside the tests, so it discovers the same backend assemblies) with a
    /// clean environment: SCOPED_BACKEND_PATH and SCOPED_BACKENDS from a conformance run must not add columns.</summary>
    private static string RunTool(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment.Remove("SCOPED_BACKEND_PATH");
        start.Environment.Remove("SCOPED_BACKENDS");
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Scoped.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "scoped did not finish within 2 minutes");
        Assert.AreEqual(0, process.ExitCode, stderr.Result);
        return stdout.ReplaceLineEndings("\n");
    }

    /// <summary>The dotnet host of the runtime running the tests: .../dotnet beside shared/Microsoft.NETCore.App/VERSION/.</summary>
    internal static string DotnetHost()
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var host = Path.Combine(Path.GetFullPath(Path.Combine(runtimeFolder, "..", "..", "..")), OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    /// <summary>The folder holding Scoped.sln, above the test binaries; inconclusive where the tests run without the sources.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scoped.sln"))) return dir.FullName;
        Assert.Inconclusive("The tests run outside the repository (no Scoped.sln above them), so there are no docs to check.");
        return "";
    }
}
