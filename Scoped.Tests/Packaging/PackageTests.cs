using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;

namespace Scoped.Tests.Packaging;

/// <summary>
/// `dotnet pack` over the solution, as a user or a release would run it, then the tool installed from the packages
/// folder alone. Slow (a Release build of five projects), so it has its own category.
/// </summary>
[TestClass]
public sealed class PackageTests
{
    private const string Version = "0.1.0";
    private static readonly string[] Libraries = ["Scoped.Dispatch", "Scoped.Image", "Scoped.Backends.Parallel", "Scoped.Backends.Gpu"];
    private const string Tool = "Scoped.Cli";
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(3);

    [TestMethod]
    [TestCategory("Packaging")]
    public void PackProducesTheFivePackagesAndTheToolInstallsAndRunsFromThem()
    {
        // The packages do not depend on the backend under test; the second CI pass need not pack again.
        if (Environment.GetEnvironmentVariable("SCOPED_TEST_BACKEND") is { Length: > 0 } backend)
            Assert.Inconclusive($"packaging is checked once, without SCOPED_TEST_BACKEND (set to '{backend}')");

        string root = ChildProcess.FindRepositoryRoot();
        string dotnet = ChildProcess.FindDotnet();
        string temp = Path.Combine(Path.GetTempPath(), "scoped-pack-tests-" + Guid.NewGuid().ToString("N"));
        string packages = Path.Combine(temp, "packages");
        try
        {
            // All build output (bin, obj, restore files) goes under the temp folder: the test's own build, whose
            // assemblies are running right now, is never touched.
            ChildProcess.Run(dotnet, root, PackTimeout, "pack", Path.Combine(root, "Scoped.sln"), "-c", "Release", "-o", packages,
                $"-p:ArtifactsPath={Path.Combine(temp, "artifacts")}", "--disable-build-servers", "-nologo");

            var produced = Directory.GetFiles(packages).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            var expected = Libraries.Append(Tool)
                .SelectMany(id => new[] { $"{id}.{Version}.nupkg", $"{id}.{Version}.snupkg" })
                .Order(StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(expected, produced, "packages produced: " + string.Join(", ", produced));

            foreach (string id in Libraries)
                CheckPackage(packages, id, $"lib/net10.0/{id}", $"dotnet add package {id}", documentsMembers: true);
            CheckPackage(packages, Tool, "tools/net10.0/any/Scoped.Cli", "dotnet tool install", documentsMembers: true);
            // Scoped.Dispatch brings its source generator (the dispatch glue) and the switch for trimmed programs.
            using (var dispatch = ZipFile.OpenRead(Path.Combine(packages, $"Scoped.Dispatch.{Version}.nupkg")))
            {
                var names = dispatch.Entries.Select(e => e.FullName).ToArray();
                CollectionAssert.Contains(names, "analyzers/dotnet/cs/Scoped.Dispatch.Generators.dll", string.Join(", ", names));
                CollectionAssert.Contains(names, "buildTransitive/Scoped.Dispatch.targets", string.Join(", ", names));
            }

            // Only the packages folder as a source: nothing may need downloading.
            string tools = Path.Combine(temp, "tools");
            ChildProcess.Run(dotnet, temp, ToolTimeout, "tool", "install", Tool, "--tool-path", tools, "--source", packages,
                "--version", Version);
            string scoped = Path.Combine(tools, OperatingSystem.IsWindows() ? "scoped.exe" : "scoped");
            Assert.IsTrue(File.Exists(scoped), $"the tool's command is missing: {scoped}");

            string functions = ChildProcess.Run(scoped, temp, ToolTimeout, "functions");
            StringAssert.Contains(functions, "filters.gaussian");
            StringAssert.Contains(functions, "measure.regionprops");

            // The parallel backend ships inside the tool and is found there by discovery, not by a reference.
            string backends = ChildProcess.Run(scoped, temp, ToolTimeout, "backends");
            var parallel = backends.Split('\n').FirstOrDefault(line => line.StartsWith("parallel ", StringComparison.Ordinal));
            Assert.IsNotNull(parallel, "`scoped backends` does not list parallel:\n" + backends);
            StringAssert.Contains(parallel, "available", "`scoped backends`:\n" + backends);
            // So does the GPU backend, which says whether it can run here and, if not, why.
            var gpu = backends.Split('\n').FirstOrDefault(line => line.StartsWith("gpu ", StringComparison.Ordinal));
            Assert.IsNotNull(gpu, "`scoped backends` does not list gpu:\n" + backends);
            Assert.IsTrue(gpu.Contains(": available") || gpu.Contains(": unavailable: "), "`scoped backends`:\n" + backends);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Opens a package and its symbol package and checks the metadata, readme, assembly, XML docs and PDB.</summary>
    private static void CheckPackage(string folder, string id, string assemblyStem, string installLine, bool documentsMembers)
    {
        string path = Path.Combine(folder, $"{id}.{Version}.nupkg");
        using var package = ZipFile.OpenRead(path);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string listing = $"{Path.GetFileName(path)} holds: {string.Join(", ", entries.Order(StringComparer.Ordinal))}";

        var nuspec = XDocument.Parse(ReadEntry(package, $"{id}.nuspec"));
        string? Metadata(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var license = nuspec.Descendants().Single(e => e.Name.LocalName == "license");
        Assert.AreEqual("expression", (string?)license.Attribute("type"), $"{id}: license type");
        Assert.AreEqual("MIT", license.Value, $"{id}: license expression");
        Assert.AreEqual(Version, Metadata("version"), $"{id}: version");
        Assert.IsFalse(string.IsNullOrWhiteSpace(Metadata("description")), $"{id}: description");
        StringAssert.Contains(Metadata("tags") ?? "", "scoped", $"{id}: tags");
        // Repository-neutral: no project or repository address is written into the package.
        Assert.IsNull(Metadata("projectUrl"), $"{id}: projectUrl");
        var repository = nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == "repository");
        Assert.IsNull(repository?.Attribute("url"), $"{id}: repository url");

        Assert.AreEqual("README.md", Metadata("readme"), $"{id}: readme");
        string readme = ReadEntry(package, "README.md");
        StringAssert.StartsWith(readme, "# ", $"{id}: README.md");
        StringAssert.Contains(readme, installLine, $"{id}: README.md");

        Assert.IsTrue(entries.Contains(assemblyStem + ".dll"), $"{id}: no {assemblyStem}.dll. {listing}");
        string docs = ReadEntry(package, assemblyStem + ".xml");
        StringAssert.Contains(docs, $"<name>{Path.GetFileName(assemblyStem)}</name>", $"{id}: XML docs");
        if (documentsMembers) StringAssert.Contains(docs, "<member name=", $"{id}: XML docs");

        using var symbols = ZipFile.OpenRead(Path.ChangeExtension(path, ".snupkg"));
        Assert.IsTrue(symbols.Entries.Any(e => e.FullName == assemblyStem + ".pdb" && e.Length > 0),
            $"{id}: no {assemblyStem}.pdb in the symbol package");
    }

    private static string ReadEntry(ZipArchive package, string name)
    {
        var entry = package.GetEntry(name);
        Assert.IsNotNull(entry, $"no {name} in the package; it holds: {string.Join(", ", package.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
