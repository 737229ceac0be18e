using Microsoft.Extensions.DependencyInjection;
using Scoped.Dispatch;

namespace Scoped.Backends.Gpu;

/// <summary>Wires the GPU backend's options into a host.</summary>
public static class GpuServiceCollectionExtensions
{
    /// <summary>Configures the "gpu" backend from <see cref="GpuBackendOptions"/> (bound from the <c>Scoped:Gpu</c> section of the configuration given to <c>AddScopedDispatch(configuration)</c>, then <paramref name="configure"/>; validated when the host starts), applied when
    /// the host starts. The backend itself is found by discovery.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options.</param>
    public static IServiceCollection AddScopedGpu(this IServiceCollection services, Action<GpuBackendOptions>? configure = null) =>
        services.AddScopedOptions(GpuBackendOptions.ConfigurationSection, configure);
}
