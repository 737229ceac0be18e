using Scoped.Tests.Packaging;

namespace Scoped.Tests.Examples;

/// <summary>
/// examples/AotPipeline, the quickstart pipeline on the parallel backend, published with native AOT: Scoped.Dispatch,
/// Scoped.Image and Scoped.Backends.Parallel must compile ahead of time without a trimming or AOT warning (the dispatch
/// glue is generated C#, not compiled at run time), and the native program must print what the JIT build prints.
/// </summary>
[TestClass]
public sealed class AotPipelineTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [TestMethod]
    [TestCategory("Packaging")]
    public void TheNativeProgramPublishesWithoutWarningsAndPrintsWhatTheJitBuildPrints()
    {
        if (Environment.GetEnvironmentVariable("SCOPED_TEST_BACKEND") is { Length: > 0 } backend)
            Assert.Inconclusive($"the native build is checked once, without SCOPED_TEST_BACKEND (set to '{backend}')");

        string root = ChildProcess.FindRepositoryRoot();
        string dotnet = ChildProcess.FindDotnet();
        string temp = Path.Combine(Path.GetTempPath(), "scoped-aot-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            string published = Path.Combine(temp, "publish");
            string artifacts = Path.Combine(temp, "artifacts");
            string log = ChildProcess.Run(dotnet, root, PublishTimeout, "publish", Path.Combine(root, "examples", "AotPipeline", "AotPipeline.csproj"),
                "-c", "Release", "-o", published, $"-p:ArtifactsPath={artifacts}", "--disable-build-servers", "-nologo");
            var warnings = log.Split('\n').Where(line => line.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.AreEqual(0, warnings.Length, "publishing warned:\n" + string.Join("\n", warnings));

            string native = Path.Combine(published, OperatingSystem.IsWindows() ? "AotPipeline.exe" : "AotPipeline");
            Assert.IsTrue(File.Exists(native), $"no native program at {native}");
            Assert.IsFalse(File.Exists(Path.Combine(published, "Scoped.Dispatch.dll")), "the published folder holds IL assemblies: not a native build");

            // The same program as IL, from the build that the publish made first.
            string jit = Directory.GetFiles(Path.Combine(artifacts, "bin", "AotPipeline"), "AotPipeline.dll", SearchOption.AllDirectories).Single();
            string fromNative = ChildProcess.Run(native, temp, RunTimeout);
            string fromJit = ChildProcess.Run(dotnet, temp, RunTimeout, jit);

            StringAssert.Contains(fromNative, "filters.gaussian ran on parallel", fromNative);
            StringAssert.Contains(fromNative, "measure.label ran on parallel", fromNative);
            StringAssert.Contains(fromNative, "regions ", fromNative);
            Assert.AreEqual(fromJit, fromNative, "the native program's output differs from the JIT build's");
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
