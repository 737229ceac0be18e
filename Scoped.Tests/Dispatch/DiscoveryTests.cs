using System.Reflection;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>
/// Discovery of backend assemblies by their <see cref="ScopedBackendAttribute"/>, lazy loading on first use, and a
/// backend whose load fails. The fixture assembly Scoped.Tests.DiscoverySample is not referenced by this project;
/// the build copies it to the "discovery-sample" folder next to the tests.
/// </summary>
[TestClass]
[DoNotParallelize] // the backend names "sample" and "sample-broken" are process-wide
public sealed class DiscoveryTests
{
    private const string SampleAssemblyName = "Scoped.Tests.DiscoverySample";
    private const string SampleDomain = "scoped.tests.discovery";
    private const string MeasureName = "scoped.tests.discovery:measure";
    private const string BrokenMessage = "the sample device is missing";
    private const string FlakyReadySwitch = "Scoped.Tests.DiscoverySample.FlakyDeviceReady";

    private static string SampleFolder => Path.Combine(AppContext.BaseDirectory, "discovery-sample");
    private static string SampleDll => Path.Combine(SampleFolder, SampleAssemblyName + ".dll");

    [TestInitialize]
    public void Initialize()
    {
        Assert.IsTrue(File.Exists(SampleDll), $"The fixture assembly was not copied to {SampleDll}; build Scoped.Tests first.");
        RemoveSampleBackends();
    }

    [TestCleanup]
    public void Cleanup() => RemoveSampleBackends();

    [TestMethod]
    public void Scan_reads_the_attributes_without_loading_the_assembly()
    {
        var loadedBefore = LoadedSampleAssemblies();
        var constructedBefore = ConstructedCountIfLoaded();

        var result = BackendDiscovery.Scan([SampleFolder]);

        // Scanning reads metadata only: no new load of the assembly, and no backend constructed.
        Assert.AreEqual(loadedBefore, LoadedSampleAssemblies(), "Scan loaded the backend assembly into the process.");
        Assert.AreEqual(constructedBefore, ConstructedCountIfLoaded(), "Scan ran the backend's constructor.");

        Assert.AreEqual(0, result.Failures.Count, string.Join("; ", result.Failures));
        Assert.AreEqual(3, result.Backends.Count, string.Join("; ", result.Backends));

        var sample = result.Backends.Single(b => b.Info.Name == "sample");
        CollectionAssert.AreEqual(new[] { SampleDomain }, sample.Info.Domains.ToArray());
        CollectionAssert.AreEqual(new[] { "Scoped.Tests.DiscoverySample.SampleArray" }, sample.Info.OwnedTypes.ToArray());
        CollectionAssert.AreEqual(new[] { MeasureName }, sample.Info.Functions.ToArray());
        Assert.AreEqual("A discovered backend for the tests", sample.Info.Description);
        Assert.AreEqual("Scoped.Tests.DiscoverySample.SampleBackend", sample.TypeName);
        Assert.AreEqual(Path.GetFullPath(SampleDll), Path.GetFullPath(sample.AssemblyPath));
        Assert.AreEqual(sample.AssemblyPath, sample.Info.AssemblyPath);
        Assert.IsFalse(sample.Info.IsLoaded);
        Assert.IsNull(sample.Info.UnavailableReason);
        Assert.IsFalse(string.IsNullOrWhiteSpace(sample.Info.Version));

        var broken = result.Backends.Single(b => b.Info.Name == "sample-broken");
        CollectionAssert.AreEqual(new[] { SampleDomain }, broken.Info.Domains.ToArray());
        Assert.AreEqual("Scoped.Tests.DiscoverySample.BrokenBackend", broken.TypeName);
        Assert.AreEqual(0, broken.Info.OwnedTypes.Count);
        Assert.AreEqual("sample-broken", broken.Info.Description, "Without a description the name is used.");
        Assert.IsFalse(broken.Info.IsLoaded);
    }

    [TestMethod]
    public void Scan_reports_unreadable_files_and_missing_paths_and_still_finds_the_backends()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scoped-discovery-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var garbage = new byte[4096];
            new Random(1234).NextBytes(garbage);
            var brokenPath = Path.Combine(folder, "Broken.dll");
            File.WriteAllBytes(brokenPath, garbage);
            var copy = Path.Combine(folder, SampleAssemblyName + ".dll");
            File.Copy(SampleDll, copy);
            var missing = Path.Combine(folder, "does-not-exist");
            var loadedBefore = LoadedSampleAssemblies();

            var result = BackendDiscovery.Scan([folder, missing]);

            Assert.AreEqual(loadedBefore, LoadedSampleAssemblies(), "Scan loaded the backend assembly into the process.");
            Assert.AreEqual(2, result.Failures.Count, string.Join("; ", result.Failures));
            var garbageFailure = result.Failures.Single(f => Path.GetFileName(f.Path) == "Broken.dll");
            Assert.IsFalse(string.IsNullOrWhiteSpace(garbageFailure.Reason));
            var missingFailure = result.Failures.Single(f => f.Path == missing);
            Assert.IsFalse(string.IsNullOrWhiteSpace(missingFailure.Reason));

            var sample = result.Backends.Single(b => b.Info.Name == "sample");
            Assert.AreEqual(Path.GetFullPath(copy), Path.GetFullPath(sample.AssemblyPath));
            Assert.IsTrue(result.Backends.Any(b => b.Info.Name == "sample-broken"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Scan_of_a_single_assembly_file_finds_its_backends()
    {
        var result = BackendDiscovery.Scan([SampleDll]);

        Assert.AreEqual(0, result.Failures.Count, string.Join("; ", result.Failures));
        CollectionAssert.AreEquivalent(new[] { "sample", "sample-broken", "sample-flaky" }, result.Backends.Select(b => b.Info.Name).ToArray());
    }

    [TestMethod]
    public void Discover_registers_lazily_and_loads_on_first_use()
    {
        var result = Backend.Discover(SampleFolder);

        Assert.AreEqual(0, result.Failures.Count, string.Join("; ", result.Failures));
        var before = Backend.Registered.Single(b => b.Name == "sample");
        Assert.IsFalse(before.IsLoaded, "A discovered backend must not be loaded before it is used.");
        Assert.AreEqual(Path.GetFullPath(SampleDll), Path.GetFullPath(before.AssemblyPath!));
        Assert.IsFalse(Backend.Registered.Single(b => b.Name == "sample-broken").IsLoaded);

        // The test needs the fixture's types to build an argument; loading the assembly does not construct the backend.
        var assembly = LoadSampleAssembly();
        var constructed = ConstructedCount(assembly);
        var measure = Measure(assembly);
        var array = NewSampleArray(assembly, 4);
        Assert.IsFalse(Backend.Registered.Single(b => b.Name == "sample").IsLoaded);

        var explained = Backend.Explain(() => measure.Invoke(array));

        Assert.AreEqual(40, explained.Result);
        Assert.AreEqual("sample", explained.Backend);
        Assert.IsNotNull(explained.Call);
        var first = explained.Call.Candidates[0];
        Assert.AreEqual("sample", first.Backend);
        Assert.AreEqual(CandidateOrigin.Owner, first.Origin, explained.ToString());
        Assert.AreEqual(CandidateOutcome.Selected, first.Outcome, explained.ToString());
        Assert.IsFalse(explained.Call.IsFallback);

        Assert.AreEqual(constructed + 1, ConstructedCount(assembly), "The backend is constructed once, on first use.");
        var after = Backend.Registered.Single(b => b.Name == "sample");
        Assert.IsTrue(after.IsLoaded);
        Assert.AreEqual(Path.GetFullPath(SampleDll), Path.GetFullPath(after.AssemblyPath!));
        Assert.IsTrue(after.Functions.Contains(MeasureName));

        // Later calls (the cached path) reuse the loaded instance.
        Assert.AreEqual(70, measure.Invoke(NewSampleArray(assembly, 7)));
        Assert.AreEqual(70, measure.Invoke(NewSampleArray(assembly, 7)));
        Assert.AreEqual(constructed + 1, ConstructedCount(assembly));
    }

    [TestMethod]
    public void A_backend_that_fails_to_load_is_reported_unavailable_and_the_call_falls_back()
    {
        Backend.Discover(SampleFolder);
        var assembly = LoadSampleAssembly();
        var measure = Measure(assembly);
        var array = NewSampleArray(assembly, 3);

        DispatchExplanation<int> explained;
        using (Backend.Use("sample-broken"))
            explained = Backend.Explain(() => measure.Invoke(array));

        Assert.AreEqual(30, explained.Result);
        Assert.AreEqual("sample", explained.Backend, explained.ToString());
        Assert.IsNotNull(explained.Call);
        Assert.IsTrue(explained.Call.IsFallback, explained.ToString());
        var broken = explained.Call.Candidates[0];
        Assert.AreEqual("sample-broken", broken.Backend);
        Assert.AreEqual(CandidateOrigin.Scope, broken.Origin);
        Assert.AreEqual(CandidateOutcome.Unavailable, broken.Outcome, explained.ToString());
        Assert.IsNotNull(broken.Reason);
        Assert.IsTrue(broken.Reason.Contains(BrokenMessage, StringComparison.Ordinal),
            $"The reason should carry the constructor's message '{BrokenMessage}'; it was: {broken.Reason}");
        var owner = explained.Call.Candidates.Single(c => c.Backend == "sample");
        Assert.AreEqual(CandidateOrigin.Owner, owner.Origin);
        Assert.AreEqual(CandidateOutcome.Selected, owner.Outcome);

        // The failure is remembered, surfaces in the metadata, and nothing else is affected.
        var info = Backend.Registered.Single(b => b.Name == "sample-broken");
        Assert.IsFalse(info.IsLoaded);
        Assert.IsNotNull(info.UnavailableReason);
        Assert.IsTrue(info.UnavailableReason.Contains(BrokenMessage, StringComparison.Ordinal), info.UnavailableReason);

        using (Backend.Use("sample-broken"))
        {
            Assert.AreEqual(50, measure.Invoke(NewSampleArray(assembly, 5)));
            var again = measure.Explain(array.GetType());
            Assert.AreEqual("sample", again.Backend);
            Assert.AreEqual(CandidateOutcome.Unavailable, again.Candidates[0].Outcome);
        }
        Assert.AreEqual(60, measure.Invoke(NewSampleArray(assembly, 6)));

        // A multimethod of another domain is untouched.
        var domain = TestKit.NewDomain();
        var name = TestKit.NewName("after-broken");
        var op = TestKit.Unary(domain);
        using (Backend.Use(TestKit.Answering<HostArray>(name, domain, op)))
            Assert.AreEqual(name, op.Invoke(new HostArray()));
        Assert.AreEqual("default", op.Invoke(new HostArray()));
    }

    [TestMethod]
    public void Invalidate_retries_a_backend_whose_load_failed()
    {
        Backend.Discover(SampleFolder);
        var assembly = LoadSampleAssembly();
        var measure = Measure(assembly);
        var array = NewSampleArray(assembly, 2);

        using (Backend.Use("sample-flaky"))
        {
            var failed = measure.Explain(array.GetType());
            Assert.AreEqual(CandidateOutcome.Unavailable, failed.Candidates[0].Outcome, failed.ToString());
            StringAssert.Contains(failed.Candidates[0].Reason, "not ready yet");
            Assert.AreEqual(20, measure.Invoke(array), "the owner runs while the flaky backend cannot load");

            // The device appears; until Invalidate the failure is remembered (no constructor runs per call)...
            AppContext.SetSwitch(FlakyReadySwitch, true);
            Assert.AreEqual(20, measure.Invoke(NewSampleArray(assembly, 2)));

            // ...and Invalidate makes the next use try the load again.
            Backend.Invalidate();
            var explained = Backend.Explain(() => measure.Invoke(array));
            Assert.AreEqual(200, explained.Result, explained.ToString());
            Assert.AreEqual("sample-flaky", explained.Backend);
        }
        var info = Backend.Registered.Single(b => b.Name == "sample-flaky");
        Assert.IsTrue(info.IsLoaded);
        Assert.IsNull(info.UnavailableReason);
    }

    [TestMethod]
    public void Unregister_removes_discovered_backends_and_a_new_discovery_registers_them_again()
    {
        Backend.Discover(SampleFolder);
        Assert.IsTrue(Backend.Registered.Any(b => b.Name == "sample"));

        Assert.IsTrue(Backend.Unregister("sample"));
        Assert.IsTrue(Backend.Unregister("sample-broken"));
        Assert.IsFalse(Backend.Registered.Any(b => b.Name is "sample" or "sample-broken"));
        Assert.IsFalse(Backend.Unregister("sample"));
        Assert.Throws<ArgumentException>(() => Backend.Use("sample"));

        Backend.Discover(SampleFolder);
        var again = Backend.Registered.Single(b => b.Name == "sample");
        Assert.IsFalse(again.IsLoaded);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static void RemoveSampleBackends()
    {
        Backend.Unregister("sample");
        Backend.Unregister("sample-broken");
        Backend.Unregister("sample-flaky");
        AppContext.SetSwitch(FlakyReadySwitch, false);
    }

    private static int LoadedSampleAssemblies() =>
        AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == SampleAssemblyName);

    /// <summary>The fixture's construction counter, read without loading the assembly; -1 when it is not loaded.</summary>
    private static int ConstructedCountIfLoaded()
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == SampleAssemblyName);
        return assembly is null ? -1 : ConstructedCount(assembly);
    }

    private static Assembly LoadSampleAssembly() =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == SampleAssemblyName)
        ?? Assembly.LoadFrom(SampleDll);

    private static int ConstructedCount(Assembly assembly) =>
        (int)assembly.GetType("Scoped.Tests.DiscoverySample.SampleBackendState", throwOnError: true)!
            .GetField("Constructed", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static Multimethod<Func<object, int>> Measure(Assembly assembly)
    {
        var value = assembly.GetType("Scoped.Tests.DiscoverySample.SampleBackend", throwOnError: true)!
            .GetField("Measure", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
        Assert.IsInstanceOfType<Multimethod<Func<object, int>>>(value);
        return (Multimethod<Func<object, int>>)value;
    }

    private static object NewSampleArray(Assembly assembly, int length) =>
        Activator.CreateInstance(assembly.GetType("Scoped.Tests.DiscoverySample.SampleArray", throwOnError: true)!, length)!;
}
