using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Backends.Gpu;

public sealed partial class GpuBackend
{
    // Declines that depend only on dtypes, shapes and options, so they can be asked before anything is uploaded: an
    // interop call the GPU would refuse anyway costs no copy (Decline runs them on the caller's host arrays).
    private readonly Dictionary<Multimethod, Func<DispatchCall, string?>> _declinesBeforeUpload = [];

    /// <summary>Registers <paramref name="implementation"/> with a decline that is also asked before any upload.</summary>
    private void ImplementOnGpu(Multimethod method, Delegate implementation, Func<DispatchCall, string?> decline)
    {
        _declinesBeforeUpload[method] = decline;
        Implement(method, implementation, decline);
    }

    /// <summary>The decline of the call's function that can be asked on host arrays, or null.</summary>
    private string? DeclineBeforeUpload(DispatchCall call) =>
        _declinesBeforeUpload.TryGetValue(call.Method, out var decline) ? decline(call) : null;

    /// <summary>Null for a float32 image; else why the GPU does not take it (its kernels compute float32).</summary>
    internal static string? Float32Only(NDArray image, string name) => image.DType switch
    {
        DType.Float32 => null,
        DType.Float64 => $"{name} is float64: the GPU kernels compute in float32, and this call's result would be float64",
        var other => $"{name} is {other.NumPyName()}: the default converts it to a float64 result, and the GPU computes float32",
    };

    /// <summary>Null when the GPU's 2-D kernels take the image: (rows, cols), or (rows, cols, channels) with the channel
    /// axis last (<paramref name="channelAxis"/> as the call resolved it: 0..rank-1, or null for none).</summary>
    internal static string? Planar(NDArray image, int? channelAxis) =>
        (image.Rank == 2 && channelAxis is null) || (image.Rank == 3 && channelAxis == 2) ? null
        : $"image {image.ShapeText}{(channelAxis is { } c ? $" with channel axis {c}" : "")} is not 2-D (rows, cols[, channels last]): the GPU kernels are 2-D";

    /// <summary>Null for an array of 2 or 3 axes, the ranks the GPU's element-wise kernels and reductions are tested on.</summary>
    internal static string? TwoOrThreeAxes(NDArray image) =>
        image.Rank is 2 or 3 ? null : $"image {image.ShapeText} has {image.Rank} axes: the GPU kernels take 2 or 3";

    /// <summary>Null when <paramref name="other"/> is a host array or on <paramref name="image"/>'s device.</summary>
    internal static string? SameDevice(NDArray image, NDArray? other, string name) =>
        image is GpuArray a && other is GpuArray b && !ReferenceEquals(a.Device, b.Device)
            ? $"{name} is on {b.Device}, a different device from the image ({a.Device})" : null;
}
