using Microsoft.Extensions.DependencyInjection;
using Scoped.Dispatch;

namespace Scoped.Image;

/// <summary>Wires the work limit into a host.</summary>
public static class LimitsServiceCollectionExtensions
{
    /// <summary>Sets the process-wide work limit from <see cref="LimitsOptions"/> (bound from <c>Scoped:Limits</c> of the
    /// configuration given to <c>AddScopedDispatch(configuration)</c>, then <paramref name="configure"/>; validated and
    /// applied when the host starts).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options.</param>
    public static IServiceCollection AddScopedLimits(this IServiceCollection services, Action<LimitsOptions>? configure = null) =>
        services.AddScopedOptions(LimitsOptions.ConfigurationSection, configure);
}
