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

    internal GpuBackendOptions Validated()
    {
        if (MinimumInteropBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(MinimumInteropBytes), MinimumInteropBytes, "MinimumInteropBytes must be >= 0.");
        if (KernelCachePath is { Length: 0 })
            throw new ArgumentException("KernelCachePath must be null or a folder, not empty.", nameof(KernelCachePath));
        return new GpuBackendOptions { MinimumInteropBytes = MinimumInteropBytes, KernelCachePath = KernelCachePath };
    }
}
