using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoped.Backends.Gpu;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary><c>services.AddScopedDispatch(configuration)</c>: every section bound from <c>Scoped:*</c>, validated when the
/// host starts with each problem naming its full key, and applied to the process-wide options.</summary>
[TestClass]
[DoNotParallelize] // the dispatcher's and the backends' options are process-wide
public sealed class ConfigurationTests
{
    private ParallelBackendOptions _parallel = null!;
    private GpuBackendOptions _gpu = null!;
    private DispatchOptions _dispatch = null!;
    private string? _backendsVariable;

    [TestInitialize]
    public void Save()
    {
        _parallel = ParallelBackend.CurrentOptions;
        _gpu = GpuBackend.CurrentOptions;
        _dispatch = Backend.Options;
        _backendsVariable = Environment.GetEnvironmentVariable(DispatchOptions.EnvironmentVariable);
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, null);
    }

    [TestCleanup]
    public void Restore()
    {
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, _backendsVariable);
        ParallelBackend.Configure(_parallel);
        GpuBackend.Configure(_gpu);
        Backend.Configure(_dispatch);
    }

    private static IHost Build(IDictionary<string, string?> settings, Action<IServiceCollection> register)
    {
        // An empty builder reads no environment or appsettings, so only these settings are seen.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        register(builder.Services);
        return builder.Build();
    }

    private static Dictionary<string, string?> Keys(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [TestMethod]
    public async Task EverySection_IsBoundFromScoped_AndAppliedWhenTheHostStarts()
    {
        var settings = Keys(
            ("Scoped:Dispatch:Backends", "parallel"),
            ("Scoped:Dispatch:Fallback", "Warn"),
            ("Scoped:Parallel:MinimumElements", "123"),
            ("Scoped:Parallel:BandLength", "5"),
            ("Scoped:Gpu:MinimumInteropBytes", "4096"));
        // AddScopedParallel before AddScopedDispatch: the order of registration does not matter.
        using var host = Build(settings, s => s.AddScopedParallel().AddScopedDispatch(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).AddScopedGpu());
        Assert.AreEqual(_parallel.MinimumElements, ParallelBackend.CurrentOptions.MinimumElements, "nothing is applied before the host starts");

        await host.StartAsync();

        CollectionAssert.AreEqual(new[] { "parallel" }, Backend.Options.Priority.ToArray());
        Assert.AreEqual(FallbackBehavior.Warn, Backend.Options.Fallback);
        Assert.AreEqual(123, ParallelBackend.CurrentOptions.MinimumElements);
        Assert.AreEqual(5, ParallelBackend.CurrentOptions.BandLength);
        Assert.AreEqual(4096, GpuBackend.CurrentOptions.MinimumInteropBytes);
        await host.StopAsync();
    }

    [TestMethod]
    public async Task CodeConfiguresAfterTheConfiguration_AndSCOPED_BACKENDSReplacesThePriority()
    {
        var settings = Keys(("Scoped:Dispatch:Backends:0", "gpu"), ("Scoped:Dispatch:Backends:1", "parallel"), ("Scoped:Parallel:MinimumElements", "123"));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        using (var host = Build(settings, s => s.AddScopedDispatch(configuration).AddScopedParallel(o => o.MinimumElements *= 2)))
        {
            await host.StartAsync();
            CollectionAssert.AreEqual(new[] { "gpu", "parallel" }, Backend.Options.Priority.ToArray(), "a JSON array binds as the list");
            Assert.AreEqual(246, ParallelBackend.CurrentOptions.MinimumElements, "the code's configure step ran on the bound value");
            await host.StopAsync();
        }

        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, "parallel");
        using (var host = Build(settings, s => s.AddScopedDispatch(configuration)))
        {
            await host.StartAsync();
            CollectionAssert.AreEqual(new[] { "parallel" }, Backend.Options.Priority.ToArray());
            await host.StopAsync();
        }
    }

    [TestMethod]
    public async Task BadValues_FailTheStart_WithEveryProblemNamingItsKey_AndNothingIsApplied()
    {
        var settings = Keys(
            ("Scoped:Parallel:MinimumElements", "-5"),
            ("Scoped:Parallel:BandsPerThread", "four"),
            ("Scoped:Parallel:Bands", "2"),
            ("Scoped:Gpu:MinimumInteropBytes", "-1"),
            ("Scoped:Dispatch:Fallback", "Loud"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        ParallelBackend.Configure(o => o.MinimumElements = 777);
        using var host = Build(settings, s => s.AddScopedDispatch(configuration).AddScopedParallel().AddScopedGpu());

        // ValidateOnStart: the start fails before any hosted service applies options, with one exception per options type.
        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());
        var all = string.Join("\n", error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        StringAssert.Contains(all, "Scoped:Parallel:MinimumElements must be >= 0; got -5");
        StringAssert.Contains(all, "Scoped:Parallel:BandsPerThread must be a whole number (Int32); got 'four'");
        StringAssert.Contains(all, "Scoped:Parallel:Bands is not a setting");
        StringAssert.Contains(all, "Scoped:Gpu:MinimumInteropBytes must be >= 0; got -1");
        StringAssert.Contains(all, "Scoped:Dispatch:Fallback must be one of Silent, Warn, Throw; got 'Loud'");
        Assert.AreEqual(777, ParallelBackend.CurrentOptions.MinimumElements);
    }

    [TestMethod]
    public async Task EachSection_IsValidated_OnItsOwn()
    {
        foreach (var (key, value, expected, register) in new (string, string, string, Action<IServiceCollection, IConfiguration>)[]
        {
            ("Scoped:Gpu:MinimumInteropBytes", "-1", "Scoped:Gpu:MinimumInteropBytes must be >= 0; got -1", (s, c) => s.AddScopedDispatch(c).AddScopedGpu()),
            ("Scoped:Gpu:KernelCachePath", "", "", (s, c) => s.AddScopedDispatch(c).AddScopedGpu()),
            ("Scoped:Dispatch:Fallback", "Loud", "Scoped:Dispatch:Fallback must be one of Silent, Warn, Throw; got 'Loud'", (s, c) => s.AddScopedDispatch(c)),
            ("Scoped:Dispatch:Backends", "a+b", "Scoped:Dispatch:Backends must hold backend names", (s, c) => s.AddScopedDispatch(c)),
            ("Scoped:Parallel:MaxDegreeOfParallelism", "0", "Scoped:Parallel:MaxDegreeOfParallelism must be >= 1; got 0", (s, c) => s.AddScopedDispatch(c).AddScopedParallel()),
        })
        {
            var settings = Keys((key, value));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            using var host = Build(settings, s => register(s, configuration));
            if (expected.Length == 0)
            {
                await host.StartAsync(); // an empty value clears an optional setting
                Assert.IsNull(GpuBackend.CurrentOptions.KernelCachePath, key);
                await host.StopAsync();
                continue;
            }
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(), key);
            StringAssert.Contains(string.Join("\n", error.Failures), expected, key);
        }
    }

    [TestMethod]
    public void WithoutAConfiguration_TheBackendsAreConfiguredByCodeAlone()
    {
        var services = new ServiceCollection().AddScopedParallel(o => o.MinimumElements = 9);
        using var provider = services.BuildServiceProvider();
        Assert.AreEqual(9, provider.GetRequiredService<IOptions<ParallelBackendOptions>>().Value.MinimumElements);
    }

    [TestMethod]
    public void ASection_ListsItsKeys_AndNamesThemInFull()
    {
        CollectionAssert.AreEqual(new[] { "MinimumElements", "MaxDegreeOfParallelism", "BandsPerThread", "BandLength" }, ParallelBackendOptions.ConfigurationSection.Keys.ToArray());
        CollectionAssert.AreEqual(new[] { "Backends", "Fallback", "DiscoverBackends", "DiscoveryPaths" }, DispatchOptions.ConfigurationSection.Keys.ToArray(),
            "the priority's key is Backends; the logger factory is not a setting");
        Assert.AreEqual("Scoped:Dispatch:Backends", DispatchOptions.ConfigurationSection.KeyOf(nameof(DispatchOptions.Priority)));
        Assert.AreEqual("Scoped:Gpu", GpuBackendOptions.ConfigurationSection.Path);
    }
}
