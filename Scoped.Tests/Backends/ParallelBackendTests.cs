using System.Reflection;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>How the parallel backend is found, opted into, declines, and is configured.</summary>
[TestClass]
[DoNotParallelize] // the backend's options are process-wide
public sealed class ParallelBackendTests
{
    private ParallelBackendOptions _saved = null!;

    [TestInitialize]
    public void Save() => _saved = ParallelBackend.CurrentOptions;

    [TestCleanup]
    public void Restore() => ParallelBackend.Configure(_saved);

    private static HostArray Large() => ParallelTestKit.Random(DType.Float32, 300, 300, 0, 3);

    [TestMethod]
    public void IsDiscovered_AndItsAttributeListsExactlyWhatItImplements()
    {
        var info = Backend.Registered.Single(b => b.Name == ParallelBackend.BackendName);
        Assert.IsNull(info.UnavailableReason);
        var attribute = typeof(ParallelBackend).Assembly.GetCustomAttribute<ScopedBackendAttribute>()!;
        CollectionAssert.AreEqual(attribute.Functions.Order(StringComparer.Ordinal).ToArray(), new ParallelBackend().Info.Functions.ToArray(),
            "AssemblyInfo.cs must list the functions the backend registers");
    }

    [TestMethod]
    public void RunsOnlyWhenAskedFor()
    {
        ParallelBackend.Configure(o => o.MinimumElements = 0);
        var image = Large();
        Assert.AreEqual(DispatchBackend.DefaultName, Backend.Explain(() => Filters.Gaussian(image, 2)).Backend, "no scope: the default owns host arrays");
        using (Backend.Use(ParallelBackend.BackendName))
            Assert.AreEqual(ParallelBackend.BackendName, Backend.Explain(() => Filters.Gaussian(image, 2)).Backend);
        Backend.SetDefault(ParallelBackend.BackendName);
        try { Assert.AreEqual(ParallelBackend.BackendName, Backend.Explain(() => Filters.Gaussian(image, 2)).Backend); }
        finally { Backend.ClearDefault(); }
    }

    [TestMethod]
    public void DeclinesImagesBelowTheThreshold_SoTheDefaultRunsThem()
    {
        ParallelBackend.Configure(o => o.MinimumElements = 300 * 300);
        var small = ParallelTestKit.Random(DType.Float32, 299, 300, 0, 4);
        using (Backend.Use(ParallelBackend.BackendName))
        {
            Assert.AreEqual(DispatchBackend.DefaultName, Backend.Explain(() => Filters.Gaussian(small, 2)).Backend);
            Assert.AreEqual(ParallelBackend.BackendName, Backend.Explain(() => Filters.Gaussian(Large(), 2)).Backend);
        }
        using (Backend.Use(ParallelBackend.BackendName, only: true))
        {
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => Filters.Gaussian(small, 2));
            StringAssert.Contains(ex.Message, "MinimumElements");
        }
    }

    [TestMethod]
    public void DeclinesWithOneThread()
    {
        ParallelBackend.Configure(o => { o.MinimumElements = 0; o.MaxDegreeOfParallelism = 1; o.BandLength = null; });
        using (Backend.Use(ParallelBackend.BackendName))
            Assert.AreEqual(DispatchBackend.DefaultName, Backend.Explain(() => Filters.Gaussian(Large(), 2)).Backend);
    }

    [TestMethod]
    public void InvalidOptions_AreRejected_AndTheOldOnesStay()
    {
        var before = ParallelBackend.CurrentOptions;
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ParallelBackend.Configure(o => o.MaxDegreeOfParallelism = 0));
        Assert.AreEqual(nameof(ParallelBackendOptions.MaxDegreeOfParallelism), ex.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ParallelBackend.Configure(o => o.BandLength = 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ParallelBackend.Configure(o => o.MinimumElements = -1));
        Assert.AreSame(before, ParallelBackend.CurrentOptions);
    }

    [TestMethod]
    public void BadArguments_FailBeforeAnyBand_AndLeaveTheScopeAsItWas()
    {
        ParallelBackend.Configure(o => o.MinimumElements = 0);
        var image = Large();
        string scope;
        using (Backend.Use(ParallelBackend.BackendName, only: true))
        {
            scope = Backend.CurrentScope;
            var ex = Assert.ThrowsExactly<ArgumentException>(() => Filters.Gaussian(image, -1));
            Assert.AreEqual("sigma", ex.ParamName);
            Assert.AreEqual(scope, Backend.CurrentScope);
            Assert.IsInstanceOfType<HostArray>(Filters.Gaussian(image, 1)); // still serving
        }
    }

    private sealed class ThreadPoolScheduler(int bands) : Scoped.Image.Primitives.IBandScheduler
    {
        public int BandCount(int length) => bands;
        public void Run(int count, Action<int> band) => System.Threading.Tasks.Parallel.For(0, count, band);
    }

    [TestMethod]
    public void AnExceptionInABand_SurfacesAsItself_AndTheSchedulerIsRestored()
    {
        var scheduler = new ThreadPoolScheduler(8);
        using (Scoped.Image.Kernels.Bands.Use(scheduler))
        {
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() =>
                Scoped.Image.Kernels.Bands.For(100, (band, start, end) => { if (band == 5) throw new InvalidOperationException("band 5"); }));
            Assert.AreEqual("band 5", ex.Message);
            Assert.AreEqual(8, Scoped.Image.Kernels.Bands.Count(100), "the scheduler is back after the failed pass");
            // Bands do not fan out again inside a band.
            var inner = new int[8];
            Scoped.Image.Kernels.Bands.For(100, (band, _, _) => inner[band] = Scoped.Image.Kernels.Bands.Count(100));
            CollectionAssert.AreEqual(Enumerable.Repeat(1, 8).ToArray(), inner);
        }
        Assert.AreEqual(1, Scoped.Image.Kernels.Bands.Count(100), "no scheduler outside the scope");
        var covered = new int[100];
        using (Scoped.Image.Kernels.Bands.Use(new ThreadPoolScheduler(7)))
            Scoped.Image.Kernels.Bands.For(100, (_, start, end) => { for (int i = start; i < end; i++) Interlocked.Increment(ref covered[i]); });
        CollectionAssert.AreEqual(Enumerable.Repeat(1, 100).ToArray(), covered, "each item in exactly one band");
    }

    [TestMethod]
    public async Task ConcurrentCalls_FromManyTasks_EachGetTheDefaultsBytes()
    {
        // The band scheduler is per thread and per call: calls that overlap in time, some on the backend and some not,
        // must not see each other's bands.
        ParallelBackend.Configure(o => { o.MinimumElements = 0; o.BandLength = 5; });
        var images = Enumerable.Range(0, 6).Select(i => ParallelTestKit.Random(DType.Float32, 40 + i, 33, 0, i)).ToArray();
        var expected = images.Select(i => Filters.Gaussian(i, 1.5)).ToArray();
        var tasks = Enumerable.Range(0, 48).Select(k => Task.Run(async () =>
        {
            var image = images[k % images.Length];
            await Task.Yield();
            if (k % 3 == 0) return (k, Filters.Gaussian(image, 1.5));
            using (Backend.Use(ParallelBackend.BackendName, only: true))
            {
                await Task.Yield(); // the scope flows across the await; the scheduler is set only inside the call
                return (k, Filters.Gaussian(image, 1.5));
            }
        }));
        foreach (var (k, actual) in await Task.WhenAll(tasks))
            ParallelTestKit.AssertSameBytes(expected[k % images.Length], actual, $"task {k}");
    }

    [TestMethod]
    public void AddScopedParallel_AppliesOptionsWhenTheHostStarts()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddScopedParallel(o => { o.MinimumElements = 12345; o.BandsPerThread = 2; });
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        foreach (var hosted in Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<Microsoft.Extensions.Hosting.IHostedService>(provider))
            hosted.StartAsync(default).GetAwaiter().GetResult();
        Assert.AreEqual(12345, ParallelBackend.CurrentOptions.MinimumElements);
        Assert.AreEqual(2, ParallelBackend.CurrentOptions.BandsPerThread);
    }
}
