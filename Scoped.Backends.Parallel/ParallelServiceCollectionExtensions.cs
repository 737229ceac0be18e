using Microsoft.Extensions.DependencyInjection;
using Scoped.Dispatch;

namespace Scoped.Backends.Parallel;

/// <summary>Wires the parallel backend's options into a host.</summary>
public static class ParallelServiceCollectionExtensions
{
    /// <summary>Configures the "parallel" backend from <see cref="ParallelBackendOptions"/> (bound from the <c>Scoped:Parallel</c> section of the configuration given to <c>AddScopedDispatch(configuration)</c>, then <paramref name="configure"/>; validated when the host starts), applied
    /// when the host starts. The backend itself is found by discovery and still runs only where a scope,
    /// <c>Backend.SetDefault</c> or SCOPED_BACKENDS asks for it.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options.</param>
    public static IServiceCollection AddScopedParallel(this IServiceCollection services, Action<ParallelBackendOptions>? configure = null) =>
        services.AddScopedOptions(ParallelBackendOptions.ConfigurationSection, configure);
}
