using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scoped.Backends.Gpu;

/// <summary>Wires the GPU backend's options into a host.</summary>
public static class GpuServiceCollectionExtensions
{
    /// <summary>Configures the "gpu" backend from <see cref="GpuBackendOptions"/> (bound like any options), applied when
    /// the host starts. The backend itself is found by discovery.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options.</param>
    public static IServiceCollection AddScopedGpu(this IServiceCollection services, Action<GpuBackendOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GpuBackendOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GpuStartup>());
        return services;
    }

    private sealed class GpuStartup(IOptions<GpuBackendOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GpuBackend.Configure(options.Value);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
