using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>
/// Options (service registration, SCOPED_BACKENDS, fallback behaviour, validation), log messages and metrics. The
/// options are process-wide, so every test restores them (empty priority, Silent fallback, no logger) when it ends.
/// </summary>
[TestClass]
[DoNotParallelize] // changes the process-wide options and environment
public sealed class OptionsAndDiagnosticsTests
{
    private string? _savedEnvironment;

    [TestInitialize]
    public void Initialize()
    {
        _savedEnvironment = Environment.GetEnvironmentVariable(DispatchOptions.EnvironmentVariable);
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, null);
        ResetOptions();
    }

    [TestCleanup]
    public void Cleanup()
    {
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, _savedEnvironment);
        ResetOptions();
    }

    // ---- service registration -----------------------------------------------------------------------

    [TestMethod]
    public void AddScopedDispatch_applies_the_options_and_priority_opts_in_to_host_calls()
    {
        var domain = TestKit.NewDomain();
        var name = TestKit.NewName("prio");
        var method = TestKit.Unary(domain);
        Backend.Register(TestKit.Answering<HostArray>(name, domain, method));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScopedDispatch(o =>
        {
            o.Priority.Add(name);
            o.Fallback = FallbackBehavior.Warn;
            o.DiscoverBackends = false;
        });
        var provider = services.BuildServiceProvider();
        try
        {
            // Without the priority, a backend that does not own HostArray never runs a call without a scope.
            Assert.AreEqual("default", method.Invoke(new HostArray()));

            var configuration = provider.GetRequiredService<DispatchConfiguration>();

            Assert.IsTrue(configuration.Options.Priority.Contains(name));
            CollectionAssert.AreEqual(new[] { name }, Backend.Options.Priority.ToArray());
            Assert.AreEqual(FallbackBehavior.Warn, Backend.Options.Fallback);
            Assert.IsFalse(Backend.Options.DiscoverBackends);

            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual(name, explained.Result);
            Assert.AreEqual(name, explained.Backend, explained.ToString());
            Assert.IsNotNull(explained.Call);
            Assert.AreEqual(name, explained.Call.Candidates[0].Backend);
            Assert.AreEqual(CandidateOrigin.Priority, explained.Call.Candidates[0].Origin, explained.ToString());
            Assert.AreEqual(CandidateOutcome.Selected, explained.Call.Candidates[0].Outcome);
            Assert.AreEqual(name, method.Invoke(new HostArray()));
        }
        finally
        {
            ResetOptions();
            provider.Dispose();
            Backend.Unregister(name);
        }
        Assert.AreEqual("default", method.Invoke(new HostArray()), "Resetting the options drops the priority again.");
    }

    [TestMethod]
    public void AddScopedDispatch_lets_SCOPED_BACKENDS_replace_the_configured_priority()
    {
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, "x, y");
        var services = new ServiceCollection();
        services.AddScopedDispatch(o =>
        {
            o.Priority.Add("z");
            o.DiscoverBackends = false;
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<DispatchConfiguration>();

        CollectionAssert.AreEqual(new[] { "x", "y" }, Backend.Options.Priority.ToArray());
    }

    private sealed class SampleBackendOptions
    {
        public int Level { get; set; } = 1;
    }

    [TestMethod]
    public async Task AddScopedBackendOptions_applies_the_bound_options_once_when_the_host_starts()
    {
        var applied = new List<int>();
        var services = new ServiceCollection()
            .AddScopedBackendOptions<SampleBackendOptions>(o => o.Level = 7, o => applied.Add(o.Level))
            .AddScopedBackendOptions<SampleBackendOptions>(o => o.Level *= 2, o => applied.Add(o.Level));
        using var provider = services.BuildServiceProvider();
        Assert.AreEqual(0, applied.Count, "nothing is applied before the host starts");

        foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
            await hosted.StartAsync(CancellationToken.None);

        // Both configure steps ran; the startup is registered once per options type, so the options are applied once.
        CollectionAssert.AreEqual(new[] { 14 }, applied);
        Assert.Throws<ArgumentNullException>(() => services.AddScopedBackendOptions<SampleBackendOptions>(null, null!));
    }

    // ---- SCOPED_BACKENDS -------------------------------------------------------------------------------

    [TestMethod]
    public void SCOPED_BACKENDS_sets_the_priority()
    {
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, "x,y");

        Backend.Configure(o => o.DiscoverBackends = false);

        CollectionAssert.AreEqual(new[] { "x", "y" }, Backend.Options.Priority.ToArray());

        // It replaces what the code asked for.
        Backend.Configure(o =>
        {
            o.Priority.Add("z");
            o.DiscoverBackends = false;
        });
        CollectionAssert.AreEqual(new[] { "x", "y" }, Backend.Options.Priority.ToArray());

        // Once it is gone, configuring again leaves the priority to the code.
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, null);
        Backend.Configure(o => o.DiscoverBackends = false);
        Assert.AreEqual(0, Backend.Options.Priority.Count);
    }

    [TestMethod]
    public void An_invalid_SCOPED_BACKENDS_is_rejected_naming_the_variable()
    {
        Environment.SetEnvironmentVariable(DispatchOptions.EnvironmentVariable, "a b");

        var ex = Assert.Throws<ArgumentException>(() => Backend.Configure(o => o.DiscoverBackends = false));

        Assert.AreEqual(DispatchOptions.EnvironmentVariable, ex.ParamName);
        Assert.IsTrue(ex.Message.Contains("SCOPED_BACKENDS", StringComparison.Ordinal), ex.Message);
        Assert.AreEqual(0, Backend.Options.Priority.Count, "A rejected configuration must not change the options in force.");
    }

    [TestMethod]
    public void SCOPED_BACKEND_PATH_adds_discovery_paths_after_the_configured_ones()
    {
        var options = new DispatchOptions();
        var a = Path.Combine(Path.GetTempPath(), "a");
        var b = Path.Combine(Path.GetTempPath(), "b");

        options.ApplyPathEnvironment($" {a}{Path.PathSeparator}{Path.PathSeparator}{b} ");

        // Without configured paths, the base directory stays first, so the application's own backends are still found.
        CollectionAssert.AreEqual(new[] { AppContext.BaseDirectory, a, b }, options.DiscoveryPaths.ToArray());

        options = new DispatchOptions { DiscoveryPaths = [b] };
        options.ApplyPathEnvironment(a);
        CollectionAssert.AreEqual(new[] { b, a }, options.DiscoveryPaths.ToArray());

        options.ApplyPathEnvironment("   ");
        CollectionAssert.AreEqual(new[] { b, a }, options.DiscoveryPaths.ToArray(), "A blank variable changes nothing.");
    }

    [TestMethod]
    public void SCOPED_BACKEND_PATH_makes_Configure_discover_a_backend_outside_the_application_folder()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "discovery-sample");
        var saved = Environment.GetEnvironmentVariable(DispatchOptions.PathEnvironmentVariable);
        Environment.SetEnvironmentVariable(DispatchOptions.PathEnvironmentVariable, folder);
        try
        {
            Backend.Configure(_ => { });

            Assert.IsTrue(Backend.Options.DiscoveryPaths.Contains(Path.GetFullPath(folder)), string.Join("; ", Backend.Options.DiscoveryPaths));
            var sample = Backend.Registered.SingleOrDefault(b => b.Name == "sample");
            Assert.IsNotNull(sample, "The backend in SCOPED_BACKEND_PATH was not discovered.");
            Assert.IsFalse(sample.IsLoaded, "Discovery must not load the backend.");
        }
        finally
        {
            Environment.SetEnvironmentVariable(DispatchOptions.PathEnvironmentVariable, saved);
            Backend.Unregister("sample");
            Backend.Unregister("sample-broken");
            Backend.Unregister("sample-flaky");
        }
    }

    // ---- bad options -------------------------------------------------------------------------------------

    [TestMethod]
    public void Bad_priority_names_are_rejected_and_leave_the_options_unchanged()
    {
        var before = Backend.Options;

        Assert.Throws<ArgumentException>(() => Backend.Configure(o =>
        {
            o.Priority.Add("");
            o.DiscoverBackends = false;
        }));
        var comma = Assert.Throws<ArgumentException>(() => Backend.Configure(o =>
        {
            o.Priority.Add("a,b");
            o.DiscoverBackends = false;
        }));
        Assert.IsTrue(comma.Message.Contains("a,b", StringComparison.Ordinal), comma.Message);
        Assert.Throws<ArgumentException>(() => Backend.Configure(o =>
        {
            o.Priority.Add("default");
            o.DiscoverBackends = false;
        }));
        Assert.Throws<ArgumentException>(() => Backend.Configure(o =>
        {
            o.Fallback = (FallbackBehavior)42;
            o.DiscoverBackends = false;
        }));

        Assert.AreSame(before, Backend.Options);
        Assert.AreEqual(0, Backend.Options.Priority.Count);
    }

    // ---- fallback behaviour ----------------------------------------------------------------------------

    [TestMethod]
    public void Fallback_Throw_refuses_to_fall_back_and_Silent_runs_the_default()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        // Serves the domain but has no implementation for HostArray.
        var partial = TestKit.Answering<DeviceArray>(TestKit.NewName("partial"), domain, method);

        Backend.Configure(o =>
        {
            o.Fallback = FallbackBehavior.Throw;
            o.DiscoverBackends = false;
        });
        using (Backend.Use(partial))
        {
            var ex = Assert.Throws<BackendNotImplementedException>(() => method.Invoke(new HostArray()));
            Assert.IsTrue(ex.Message.Contains("Throw", StringComparison.Ordinal), ex.Message);
            Assert.AreEqual(method.Name, ex.Multimethod);
            Assert.AreEqual(partial.Name, ex.Candidates[0].Backend);
            Assert.AreEqual(CandidateOutcome.NoImplementation, ex.Candidates[0].Outcome);
            // The explained (recording) path refuses too.
            Assert.Throws<BackendNotImplementedException>(() => Backend.Explain(() => method.Invoke(new HostArray())));
            // A call the scope's backend can run is no fallback.
            Assert.AreEqual(partial.Name, method.Invoke(new DeviceArray()));
        }
        // No backend was asked for: the default is not a fallback.
        Assert.AreEqual("default", method.Invoke(new HostArray()));

        Backend.Configure(o =>
        {
            o.Fallback = FallbackBehavior.Silent;
            o.DiscoverBackends = false;
        });
        using (Backend.Use(partial))
        {
            Assert.AreEqual("default", method.Invoke(new HostArray()));
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual("default", explained.Backend);
            Assert.IsNotNull(explained.Call);
            Assert.IsTrue(explained.Call.IsFallback);
        }
    }

    [TestMethod]
    public void Fallback_Warn_logs_a_warning_once_per_resolution_and_decisions_are_logged_at_Debug()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var partial = TestKit.Answering<DeviceArray>(TestKit.NewName("partial"), domain, method);
        var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        try
        {
            Backend.Configure(o =>
            {
                o.Fallback = FallbackBehavior.Warn;
                o.DiscoverBackends = false;
            }, factory);

            using (Backend.Use(partial))
            {
                Assert.AreEqual("default", method.Invoke(new HostArray()));
                Assert.AreEqual("default", method.Invoke(new HostArray()));
                Assert.AreEqual("default", method.Invoke(new HostArray()));
            }
            Assert.AreEqual("default", method.Invoke(new HostArray()));

            var mine = logs.Entries.Where(e => e.Message.Contains(method.Name, StringComparison.Ordinal)).ToArray();
            var warnings = mine.Where(e => e.Level == LogLevel.Warning).ToArray();
            Assert.AreEqual(1, warnings.Length, string.Join(Environment.NewLine, mine.Select(e => e.ToString())));
            Assert.IsTrue(warnings[0].Message.Contains("fell back to 'default'", StringComparison.Ordinal), warnings[0].Message);
            Assert.IsTrue(warnings[0].Message.Contains(partial.Name, StringComparison.Ordinal), warnings[0].Message);
            Assert.AreEqual("Scoped.Dispatch", warnings[0].Category);

            var resolved = mine.Where(e => e.Level == LogLevel.Debug && e.Message.StartsWith($"Resolved {method.Name}(HostArray)", StringComparison.Ordinal)).ToArray();
            // One resolution in the scope, one without.
            Assert.AreEqual(2, resolved.Length, string.Join(Environment.NewLine, mine.Select(e => e.ToString())));
            Assert.IsTrue(resolved.Any(e => e.Message.Contains($"Use('{partial.Name}')", StringComparison.Ordinal)), string.Join(Environment.NewLine, resolved.Select(e => e.Message)));
            Assert.IsTrue(resolved.All(e => e.Message.Contains(": default.", StringComparison.Ordinal)));
        }
        finally
        {
            ResetOptions();
        }

        // After the reset nothing reaches the old logger.
        var count = logs.Entries.Count;
        using (Backend.Use(partial)) method.Invoke(new HostArray());
        Assert.AreEqual(count, logs.Entries.Count);
    }

    [TestMethod]
    public void Silent_fallback_logs_no_warning()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var partial = TestKit.Answering<DeviceArray>(TestKit.NewName("partial"), domain, method);
        var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        try
        {
            Backend.Configure(o => o.DiscoverBackends = false, factory);
            using (Backend.Use(partial)) Assert.AreEqual("default", method.Invoke(new HostArray()));

            var mine = logs.Entries.Where(e => e.Message.Contains(method.Name, StringComparison.Ordinal)).ToArray();
            Assert.IsTrue(mine.Any(e => e.Level == LogLevel.Debug), "The decision should still be logged at Debug.");
            Assert.IsFalse(mine.Any(e => e.Level >= LogLevel.Warning), string.Join(Environment.NewLine, mine.Select(e => e.ToString())));
        }
        finally
        {
            ResetOptions();
        }
    }

    // ---- metrics -----------------------------------------------------------------------------------------

    [TestMethod]
    public void Calls_are_counted_by_backend_including_cached_calls()
    {
        var domain = TestKit.NewDomain();
        var name = TestKit.NewName("counted");
        var method = TestKit.Unary(domain);
        var backend = TestKit.Answering<HostArray>(name, domain, method);
        using var metrics = new MetricsCollector();

        using (Backend.Use(backend))
            for (var i = 0; i < 5; i++) Assert.AreEqual(name, method.Invoke(new HostArray()));

        Assert.AreEqual(5, metrics.Sum("scoped.dispatch.calls", name));
        Assert.AreEqual(0, metrics.Sum("scoped.dispatch.fallbacks", name));
    }

    [TestMethod]
    public void Calls_are_counted_when_argument_types_alternate()
    {
        var domain = TestKit.NewDomain();
        var name = TestKit.NewName("alternating");
        var method = TestKit.Unary(domain);
        var backend = TestKit.Answering<HostArray>(name, domain, method);
        using var metrics = new MetricsCollector();

        using (Backend.Use(backend))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.AreEqual(name, method.Invoke(new HostArray()));
                Assert.AreEqual(name, method.Invoke(new SubHostArray()));
            }
        }

        Assert.AreEqual(6, metrics.Sum("scoped.dispatch.calls", name));
    }

    [TestMethod]
    public void Fallbacks_are_counted_by_the_backend_that_ran()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var partial = TestKit.Answering<DeviceArray>(TestKit.NewName("partial"), domain, method);
        var name = TestKit.NewName("catcher");
        var catcher = TestKit.Answering<HostArray>(name, domain, method);
        using var metrics = new MetricsCollector();

        using (Backend.Use(catcher))
        {
            Assert.AreEqual(name, method.Invoke(new HostArray()));
            using (Backend.Use(partial))
            {
                Assert.AreEqual(name, method.Invoke(new HostArray()));
                Assert.AreEqual(name, method.Invoke(new HostArray()));
            }
        }

        Assert.AreEqual(3, metrics.Sum("scoped.dispatch.calls", name));
        Assert.AreEqual(2, metrics.Sum("scoped.dispatch.fallbacks", name));
        Assert.AreEqual(0, metrics.Sum("scoped.dispatch.calls", partial.Name));
    }

    [TestMethod]
    public void Conversions_in_an_interop_scope_are_counted_with_their_bytes()
    {
        var domain = TestKit.NewDomain();
        var name = TestKit.NewName("interop");
        var method = TestKit.Unary(domain);
        var converted = 0;
        var backend = new DispatchBackend(name, domain)
            .Implement(method, (DeviceArray a) => $"{name}:{a.Tag}")
            .AddConverter<HostArray, DeviceArray>(h =>
            {
                Interlocked.Increment(ref converted);
                return new DeviceArray("from-host");
            }, byteCount: _ => 100);
        Backend.Register(backend);
        try
        {
            using var metrics = new MetricsCollector();

            string result;
            using (Backend.Interop(name)) result = method.Invoke(new HostArray());

            Assert.AreEqual($"{name}:from-host", result);
            Assert.AreEqual(1, converted);
            Assert.AreEqual(1, metrics.Sum("scoped.dispatch.calls", name));
            Assert.AreEqual(1, metrics.Sum("scoped.dispatch.conversions", name));
            Assert.AreEqual(100, metrics.Sum("scoped.dispatch.converted_bytes", name));

            // Without an interop scope nothing is converted.
            using (Backend.Use(name)) Assert.AreEqual("default", method.Invoke(new HostArray()));
            Assert.AreEqual(1, metrics.Sum("scoped.dispatch.conversions", name));
            Assert.AreEqual(1, converted);
        }
        finally
        {
            Backend.Unregister(name);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static void ResetOptions() => Backend.Configure(o =>
    {
        o.DiscoverBackends = false;
        o.Fallback = FallbackBehavior.Silent;
    });

    private sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message)
    {
        public override string ToString() => $"{Level} [{Category}] {Message}";
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyCollection<LogEntry> Entries => _entries.ToArray();

        public ILogger CreateLogger(string categoryName) => new CollectingLogger(this, categoryName);

        public void Dispose() { }

        private sealed class CollectingLogger(CollectingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception)));
        }
    }

    /// <summary>Listens to the dispatcher's meter and sums measurements by instrument and backend tag.</summary>
    private sealed class MetricsCollector : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, string? Backend, long Value)> _measurements = new();

        public MetricsCollector()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DispatchMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? backend = null;
                foreach (var tag in tags)
                    if (tag.Key == "backend") backend = tag.Value as string;
                _measurements.Enqueue((instrument.Name, backend, value));
            });
            _listener.Start();
        }

        /// <summary>The sum for an instrument, only measurements tagged with <paramref name="backend"/> when given.</summary>
        public long Sum(string instrument, string? backend = null) =>
            _measurements.Where(m => m.Instrument == instrument && (backend is null || m.Backend == backend)).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();
    }
}
