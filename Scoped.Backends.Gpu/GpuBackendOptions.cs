using Scoped.Dispatch;

namespace Scoped.Backends.Gpu;

/// <summary>Options of the "gpu" backend; set through <see cref="GpuBackend.Configure(Action{GpuBackendOptions})"/> or
/// <c>services.AddScopedGpu(o =&gt; ...)</c>.</summary>
public sealed class GpuBackendOptions
{
    /// <summary>In an interop scope, host images smaller than this many bytes are declined before anything is uploaded,
    /// so the CPU runs them: below it the two copies cost more than the kernel saves. Calls given GPU arrays are never
    /// declined for size. Default 512 kB.</summary>
    public long MinimumInteropBytes { get; set; } = 512 * 1024;

    /// <summary>Where compiled kernels are cached between processes (keyed by source hash, architecture and NVRTC
    /// version). Null: $SCOPED_GPU_CACHE, else a "scoped/kernels" folder in the user's cache directory.</summary>
    public string? KernelCachePath { get; set; }

    /// <summary>The configuration section <c>Scoped:Gpu</c>, one key per property (<c>Scoped:Gpu:MinimumInteropBytes</c>);
    /// applied with <see cref="GpuBackend.Configure(GpuBackendOptions)"/>.</summary>
    public static ScopedOptionsSection<GpuBackendOptions> ConfigurationSection { get; } = new(
        "Gpu",
        current: () => GpuBackend.CurrentOptions.Validated(),
        apply: GpuBackend.Configure,
        validate: options => options.Problems());

    /// <summary>The rules these options break; <see cref="Validated"/> throws for the first.</summary>
    internal IEnumerable<OptionProblem> Problems()
    {
        if (MinimumInteropBytes < 0) yield return new(nameof(MinimumInteropBytes), "must be >= 0", MinimumInteropBytes);
        if (KernelCachePath is { Length: 0 }) yield return new(nameof(KernelCachePath), "must be unset or a folder, not empty", KernelCachePath);
    }

    internal GpuBackendOptions Validated()
    {
        foreach (var p in Problems())
        {
            if (p.Value is string) throw new ArgumentException($"{p.Property} {p.Rule}.", p.Property);
            throw new ArgumentOutOfRangeException(p.Property, p.Value, $"{p.Property} {p.Rule}.");
        }
        return new GpuBackendOptions { MinimumInteropBytes = MinimumInteropBytes, KernelCachePath = KernelCachePath };
    }
}
