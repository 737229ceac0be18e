using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
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
    /// Configures the process-wide dispatcher from the <c>Scoped:Dispatch</c> section of <paramref name="configuration"/>
    /// (then <paramref name="configure"/>, then SCOPED_BACKENDS, later wins), and makes <paramref name="configuration"/>
    /// the source of every other Scoped section registered in this collection: <c>AddScopedParallel()</c> binds
    /// <c>Scoped:Parallel</c>, <c>AddScopedGpu()</c> binds <c>Scoped:Gpu</c>, whether called before or after this. Each
    /// section is validated when the host starts (ValidateOnStart); a bad value fails the start with an
    /// <see cref="OptionsValidationException"/> naming its full key, e.g. "Scoped:Parallel:MinimumElements must be &gt;= 0;
    /// got -5". The keys are listed in docs/configuration.md.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration root (the one holding the "Scoped" section), e.g. the host's.</param>
    /// <param name="configure">Sets options after the configuration is bound, or null.</param>
    public static IServiceCollection AddScopedDispatch(this IServiceCollection services, IConfiguration configuration, Action<DispatchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // The last configuration given wins; sections read it when their options are first built.
        services.Replace(ServiceDescriptor.Singleton(new ScopedConfigurationSource(configuration)));
        services.AddSectionBinding(DispatchOptions.ConfigurationSection);
        return services.AddScopedDispatch(configure);
    }

    /// <summary>
    /// For backend authors: registers a backend's options bound from its section of the Scoped configuration (when one
    /// was given to <see cref="AddScopedDispatch(IServiceCollection, IConfiguration, Action{DispatchOptions}?)"/>), then
    /// <paramref name="configure"/>; validated when the host starts, each problem naming its key; and applied with the
    /// section's apply action when the host starts. <c>AddScopedParallel</c> is this with
    /// <c>ParallelBackendOptions.ConfigurationSection</c>.
    /// </summary>
    /// <typeparam name="TOptions">The backend's options class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section.</param>
    /// <param name="configure">Sets options after the configuration is bound, or null.</param>
    public static IServiceCollection AddScopedOptions<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions>(this IServiceCollection services, ScopedOptionsSection<TOptions> section, Action<TOptions>? configure = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddSectionBinding(section);
        return services.AddScopedBackendOptions(configure, section.Apply);
    }

    // Binding from the Scoped configuration (once, before any configure step registered later), its validator, ValidateOnStart.
    private static void AddSectionBinding<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions>(this IServiceCollection services, ScopedOptionsSection<TOptions> section) where TOptions : class
    {
        services.AddOptions<TOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TOptions>, SectionBinding<TOptions>>(
            provider => new SectionBinding<TOptions>(section, provider.GetService<ScopedConfigurationSource>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, SectionValidation<TOptions>>(_ => new SectionValidation<TOptions>(section)));
    }

    private sealed class ScopedConfigurationSource(IConfiguration configuration)
    {
        public IConfiguration Configuration { get; } = configuration;
    }

    private sealed class SectionBinding<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions>(ScopedOptionsSection<TOptions> section, ScopedConfigurationSource? source) : IConfigureOptions<TOptions>
        where TOptions : class
    {
        public void Configure(TOptions options)
        {
            if (source is not null) section.BindForHost(source.Configuration, options);
        }
    }

    private sealed class SectionValidation<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions>(ScopedOptionsSection<TOptions> section) : IValidateOptions<TOptions> where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var problems = section.Validate(options);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    /// <summary>
    /// For backend authors: binds a backend's options like any options and hands them to <paramref name="apply"/> when
    /// the host starts. Backends are process-wide (discovery creates them), so their options are applied to them rather
    /// than injected. For options with a configuration section use <see cref="AddScopedOptions{TOptions}"/>, which
    /// adds binding and validation to this.
    /// </summary>
    /// <typeparam name="TOptions">The backend's options class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options, or null.</param>
    /// <param name="apply">Applies the built options to the backend (e.g. <c>ParallelBackend.Configure</c>).</param>
    public static IServiceCollection AddScopedBackendOptions<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions>(this IServiceCollection services, Action<TOptions>? configure, Action<TOptions> apply)
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

    // Resolved when the host starts, not when the host builds its list of hosted services: that comes before
    // ValidateOnStart, which must be the one to report bad options (every section at once).
    private sealed class DispatchStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(services.GetRequiredService<DispatchConfiguration>());
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class BackendOptionsStartup<[DynamicallyAccessedMembers(OptionsMembers.Kept)] TOptions>(IOptions<TOptions> options, Action<TOptions> apply) : IHostedService
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

/// <summary>The options applied to the process-wide dispatcher by <see cref="DispatchServiceCollectionExtensions.AddScopedDispatch(IServiceCollection, Action{DispatchOptions}?)"/>.</summary>
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
