using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Backends.Gpu;

/// <summary>
/// The "gpu" backend: Scoped.Image's functions as CUDA kernels. It owns <see cref="GpuArray"/>, so a call given GPU
/// arrays runs here with no scope and returns GPU arrays. Host arrays reach it only in an interop scope
/// (<c>Backend.Interop("gpu")</c>): each input is uploaded once, the result downloaded, and both freed by the
/// dispatcher; host images below <see cref="GpuBackendOptions.MinimumInteropBytes"/> are declined first. Without a
/// usable GPU the backend loads and reports why in <see cref="UnavailableReason"/>.
/// Registrations live in one partial file per area (GpuBackend.Filters.cs, ...).
/// </summary>
public sealed partial class GpuBackend : DispatchBackend
{
    /// <summary>The backend's name.</summary>
    public const string BackendName = "gpu";

    private static GpuBackendOptions s_options = new();
    private readonly GpuDevice? _device;

    /// <summary>The backend on the process's CUDA device (discovery creates this one).</summary>
    public GpuBackend() : this(null) { }

    /// <summary>The backend on a given device (a second GPU, or a test double). Arrays passed in keep running on their own device.</summary>
    /// <param name="device">The device for uploads in interop scopes; null for <see cref="GpuDevice.Default"/>.</param>
    public GpuBackend(GpuDevice? device) : base(BackendName, Scoped.Image.Domains.Root)
    {
        _device = device;
        Description = "CUDA GPUs: GpuArray device arrays and kernels compiled at run time with NVRTC";
        Owns<GpuArray>();
        AddConverter<HostArray, GpuArray>(host => GpuArray.Upload(host, Device), host => host.Size * host.DType.ItemSize());
        AddConverter<GpuArray, HostArray>(gpu => gpu.Download(), gpu => gpu.ByteCount);
        RegisterAll();
    }

    /// <summary>The device interop uploads go to.</summary>
    public GpuDevice Device => _device ?? GpuDevice.Default;

    /// <inheritdoc />
    public override string? UnavailableReason => _device is not null ? null : GpuDevice.DefaultUnavailableReason;

    /// <summary>The options in force (an immutable snapshot).</summary>
    public static GpuBackendOptions CurrentOptions => Volatile.Read(ref s_options);

    /// <summary>Changes the options for later calls.</summary>
    /// <param name="configure">Edits a copy of the current options.</param>
    public static void Configure(Action<GpuBackendOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var copy = CurrentOptions.Validated();
        configure(copy);
        Configure(copy);
    }

    /// <summary>Replaces the options for later calls.</summary>
    /// <param name="options">Validated and copied.</param>
    public static void Configure(GpuBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref s_options, options.Validated());
    }

    /// <summary>Asked with the caller's own arguments, before any upload: small host images stay on the CPU.</summary>
    /// <param name="call">The call.</param>
    public override string? Decline(DispatchCall call)
    {
        if (DeclineBeforeUpload(call) is { } refused) return refused;
        long threshold = CurrentOptions.MinimumInteropBytes;
        // Only the images the call dispatches on are uploaded; a small footprint or mask beside a large image is not.
        foreach (int index in call.Method.DispatchParameters)
        {
            if (call.Arguments[index] is HostArray host && host.Size * host.DType.ItemSize() < threshold)
                return $"a {host.ShapeText} {host.DType.NumPyName()} host image is {host.Size * host.DType.ItemSize()} bytes, under " +
                       $"GpuBackendOptions.MinimumInteropBytes ({threshold}): the copies would cost more than the kernel saves";
        }
        return null;
    }

    /// <summary>Each area's registrations (the partial files); an area not written yet registers nothing.</summary>
    private void RegisterAll()
    {
        RegisterFilters();
        RegisterMorphology();
        RegisterGeometry();
        RegisterColorAndExposure();
        RegisterMetrics();
        RegisterSsim();
    }

    partial void RegisterFilters();
    partial void RegisterMorphology();
    partial void RegisterGeometry();
    partial void RegisterColorAndExposure();
    partial void RegisterMetrics();
    partial void RegisterSsim();
}
