using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scoped.Dispatch;

/// <summary>Wires the dispatcher into a host.</summary>
public static class DispatchServiceCollectionExtensions
{
    /// <summary>
    /// Configures the process-wide dispatcher from <see cref="DispatchOptions"/> (bound like any options; SCOPED_BACKENDS,
    /// when set, replaces the priority after every configure step) and the host's <see cref="ILoggerFactory"/>. The
    /// options are applied when the host starts, or when <see cref="DispatchConfiguration"/> is first resolved.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options.</param>
    public static IServiceCollection AddScopedDispatch(this IServiceCollection services, Action<DispatchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DispatchOptions>();
        if (configure is not null) options.Configure(configure);
        options.PostConfigure(o => o.ApplyEnvironment());
        services.TryAddSingleton<DispatchConfiguration>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DispatchStartup>());
        return services;
    }

    /// <summary>
    /// For backend authors: binds a backend's options like any options and hands them to <paramref name="apply"/> when
    /// the host starts. Backends are process-wide (discovery creates them), so their options are applied to them rather
    /// than injected. <c>services.AddScopedParallel(o =&gt; ...)</c> is this with the parallel backend's options.
    /// </summary>
    /// <typeparam name="TOptions">The backend's options class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options, or null.</param>
    /// <param name="apply">Applies the built options to the backend (e.g. <c>ParallelBackend.Configure</c>).</param>
    public static IServiceCollection AddScopedBackendOptions<TOptions>(this IServiceCollection services, Action<TOptions>? configure, Action<TOptions> apply)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(apply);
        var options = services.AddOptions<TOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BackendOptionsStartup<TOptions>>(
            provider => new BackendOptionsStartup<TOptions>(provider.GetRequiredService<IOptions<TOptions>>(), apply)));
        return services;
    }

    private sealed class DispatchStartup(DispatchConfiguration configuration) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(configuration);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class BackendOptionsStartup<TOptions>(IOptions<TOptions> options, Action<TOptions> apply) : IHostedService
        where TOptions : class
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            apply(options.Value);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The options applied to the process-wide dispatcher by <see cref="DispatchServiceCollectionExtensions.AddScopedDispatch"/>.</summary>
public sealed class DispatchConfiguration
{
    /// <summary>Applies the options.</summary>
    /// <param name="options">The built options.</param>
    /// <param name="loggerFactory">The host's logger factory, if any.</param>
    public DispatchConfiguration(IOptions<DispatchOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        Backend.Configure(Options, loggerFactory);
    }

    /// <summary>The options applied.</summary>
    public DispatchOptions Options { get; }
}
