using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Docs;

/// <summary>
/// The code of docs/user-guide.md. Each <c>#region snippet:NAME</c> is pasted verbatim into the guide under
/// <c>&lt;!-- snippet: NAME --&gt;</c> (<see cref="SnippetSyncTests"/> checks they are the same text), and each test
/// runs its snippet and asserts what the guide says it does.
/// </summary>
[TestClass]
[DoNotParallelize] // global defaults, dispatcher options and the parallel backend's options are process-wide
public sealed class UserGuideSnippets
{
    // The guide's `image`: 1024×1024 float32, the parallel backend's default size threshold.
    private static readonly HostArray<float> image = Noise(1024, 1024, seed: 1);
    private static readonly HostArray<float> thumbnail = Noise(200, 300, seed: 2);
    // A 256×256 uint8 image for the interop example.
    private static readonly HostArray<byte> gray = Bytes(256, 256, seed: 3);

    private ParallelBackendOptions _parallelOptions = new();

    [TestInitialize]
    public void Initialize()
    {
        // The guide describes the shipped defaults; a conformance run (SCOPED_TEST_BACKEND=parallel) changes them.
        _parallelOptions = ParallelBackend.CurrentOptions;
        ParallelBackend.Configure(new ParallelBackendOptions());
    }

    [TestCleanup]
    public void Cleanup()
    {
        ParallelBackend.Configure(_parallelOptions);
        Backend.ClearDefault();
        Backend.Configure(o => o.DiscoverBackends = false);
    }

    [TestMethod]
    public void FirstCall()
    {
        #region snippet:first-call
        var smooth = Filters.Gaussian(image, sigma: 2);   // host array in, host array out
        var ran = Backend.Explain(() => Filters.Gaussian(image, sigma: 2)).Backend;
        Console.WriteLine(ran);                           // default: nobody asked for another backend
        #endregion

        Assert.AreEqual("default", ran);
        Assert.AreEqual(DType.Float32, smooth.DType);
    }

    [TestMethod]
    public void UseScope()
    {
        #region snippet:use-scope
        string? large, small;
        using (Backend.Use("parallel"))
        {
            large = Backend.Explain(() => Filters.Sobel(image)).Backend;      // parallel
            small = Backend.Explain(() => Filters.Sobel(thumbnail)).Backend;  // default: 200×300 is below
        }                                                                     // the backend's size threshold
        var after = Backend.Explain(() => Filters.Sobel(image)).Backend;      // default: the scope is closed
        #endregion

        Assert.AreEqual("parallel", large);
        Assert.AreEqual("default", small);
        Assert.AreEqual("default", after);
    }

    [TestMethod]
    public void Only()
    {
        #region snippet:only
        string? why = null;
        using (Backend.Use("parallel", only: true))
        {
            try { Feature.PeakLocalMax(image, minDistance: 5); }
            catch (BackendNotImplementedException ex) { why = ex.Message; }   // names each candidate and its reason
        }
        #endregion

        Assert.IsNotNull(why, "only: true must not fall back to the default");
        StringAssert.Contains(why, "parallel");
        StringAssert.Contains(why, "peak_local_max");
    }

    [TestMethod]
    public void SetDefaultAndSkip()
    {
        #region snippet:set-default-and-skip
        Backend.SetDefault("parallel");               // every flow, every thread: parallel first
        string? everywhere = Backend.Explain(() => Filters.Sobel(image)).Backend;  // parallel
        string? skipped;
        using (Backend.Skip("parallel"))              // ...except inside this scope
            skipped = Backend.Explain(() => Filters.Sobel(image)).Backend;          // default
        Backend.ClearDefault();
        #endregion

        Assert.AreEqual("parallel", everywhere);
        Assert.AreEqual("default", skipped);
    }

    [TestMethod]
    public void Interop()
    {
        // The guide's interop example uses examples/CustomBackend ("contoso", which owns Gray8Image bitmaps), copied
        // beside the tests into custom-backend/ and discovered from there, as an application would find it.
        var before = Backend.Registered.FirstOrDefault(b => b.Name == "contoso");
        Backend.Unregister("contoso");
        Backend.Discover(Path.Combine(AppContext.BaseDirectory, "custom-backend"));
        try
        {
            #region snippet:interop
            DispatchExplanation<double> e;
            using (Backend.Interop("contoso"))                 // = Backend.Use("contoso", coerce: true)
                e = Backend.Explain(() => Filters.ThresholdOtsu(gray));
            Console.WriteLine(e.Backend);                      // contoso: gray became a Gray8Image for the call
            Console.WriteLine(e.Call!.Conversions[0]);         // image: HostArray`1 -> Gray8Image (65536 bytes, ...)
            #endregion

            Assert.AreEqual("contoso", e.Backend);
            Assert.AreEqual("Gray8Image", e.Call.Conversions.Single().To.Name);
            Assert.AreEqual(gray.Size, e.Call.Conversions[0].Bytes);
            Assert.AreEqual(Filters.ThresholdOtsu(gray), e.Result, "the same threshold as the default");
            using (Backend.Use("contoso"))
                Assert.AreEqual("default", Backend.Explain(() => Filters.ThresholdOtsu(gray)).Backend, "without interop nothing is converted");
        }
        finally
        {
            Backend.Unregister("contoso");
            if (before?.AssemblyPath is { } path) Backend.Discover(path);
        }
    }

    [TestMethod]
    public async Task AsyncFlow()
    {
        #region snippet:async-flow
        async Task<string?> SobelIn(string? backend)
        {
            using var scope = backend is null ? null : Backend.Use(backend);
            await Task.Yield();                                   // the scope flows across awaits...
            return Backend.Explain(() => Filters.Sobel(image)).Backend;
        }

        var ran = await Task.WhenAll(SobelIn("parallel"), SobelIn(null), SobelIn("parallel"));
        // ["parallel", "default", "parallel"]: ...but never into a sibling or back to the caller
        #endregion

        CollectionAssert.AreEqual(new[] { "parallel", "default", "parallel" }, ran);
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
    }

    [TestMethod]
    public void CaptureState()
    {
        #region snippet:capture-state
        DispatchState state;
        using (Backend.Use("parallel")) state = Backend.CaptureState();

        string? ran = null;
        var worker = new Thread(() => ran = state.Run(() => Backend.Explain(() => Filters.Sobel(image)).Backend));
        worker.Start();
        worker.Join();                                    // ran == "parallel", on a thread the scope never reached
        #endregion

        Assert.AreEqual("parallel", ran);
    }

    [TestMethod]
    public void ExplainTrace()
    {
        #region snippet:explain
        using (Backend.Use("parallel"))
        {
            var e = Backend.Explain(() => Filters.Sobel(thumbnail));
            Console.WriteLine(e.Backend);                 // default
            foreach (var candidate in e.Call!.Candidates)
                Console.WriteLine(candidate);             // parallel (scope): declined: ... MinimumElements ...
        }                                                 // default (default): selected

        var plan = Filters.Methods.Sobel.Explain(typeof(HostArray<float>));  // resolution only: nothing runs
        #endregion

        Assert.IsNotNull(plan);
        using (Backend.Use("parallel"))
        {
            var e = Backend.Explain(() => Filters.Sobel(thumbnail));
            var declined = e.Call!.Candidates.Single(c => c.Backend == "parallel");
            Assert.AreEqual(CandidateOutcome.Declined, declined.Outcome);
            StringAssert.Contains(declined.Reason, "MinimumElements");
        }
    }

    [TestMethod]
    public async Task Hosting()
    {
        try
        {
            #region snippet:hosting
            var builder = Host.CreateApplicationBuilder();
            builder.Services
                .AddScopedDispatch(o =>
                {
                    o.Priority = ["parallel"];                 // opt every call in, in this order
                    o.Fallback = FallbackBehavior.Warn;        // log when a requested backend is passed over
                })
                .AddScopedParallel(o => o.MaxDegreeOfParallelism = 2);
            using var host = builder.Build();
            await host.StartAsync();                           // the options are applied here

            var ran = Backend.Explain(() => Filters.Sobel(image)).Backend;   // parallel, with no scope
            #endregion

            Assert.AreEqual("parallel", ran);
            Assert.AreEqual(2, ParallelBackend.CurrentOptions.MaxDegreeOfParallelism);
            CollectionAssert.AreEqual(new[] { "parallel" }, Backend.Options.Priority.ToArray());
            await host.StopAsync();
        }
        finally
        {
            Backend.Configure(o => o.DiscoverBackends = false);
        }
    }

    private static HostArray<byte> Bytes(int rows, int cols, int seed)
    {
        var data = new byte[rows * cols];
        new Random(seed).NextBytes(data);
        return HostArray.Create(data, rows, cols);
    }

    private static HostArray<float> Noise(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle();
        return HostArray.Create(data, rows, cols);
    }
}
