using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scoped.Backends.Parallel;

/// <summary>Wires the parallel backend's options into a host.</summary>
public static class ParallelServiceCollectionExtensions
{
    /// <summary>Configures the "parallel" backend from <see cref="ParallelBackendOptions"/> (bound like any options), applied
    /// when the host starts. The backend itself is found by discovery and still runs only where a scope,
    /// <c>Backend.SetDefault</c> or SCOPED_BACKENDS asks for it.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options.</param>
    public static IServiceCollection AddScopedParallel(this IServiceCollection services, Action<ParallelBackendOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ParallelBackendOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ParallelStartup>());
        return services;
    }

    private sealed class ParallelStartup(IOptions<ParallelBackendOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            ParallelBackend.Configure(options.Value);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
