using Scoped.Image;

namespace Scoped.Backends.Gpu;

/// <summary>Host side of Kernels/rank.cu: filters.median with the default 3x3 or a full 3x3 / 5x5 square footprint.</summary>
internal static class GpuMedian
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("rank"));

    /// <summary>The rank kernel module.</summary>
    public static KernelSource Source => s_source.Value;

    /// <summary>The square's side (3 or 5) for <paramref name="footprint"/>, or why the GPU does not take it.</summary>
    public static (int Size, string? Reason) Footprint(NDArray? footprint)
    {
        if (footprint is null) return (3, null);
        var host = footprint as HostArray ?? (footprint as GpuArray)?.Download();
        if (host is null) return (0, $"the GPU median reads host or GPU footprints; got a {footprint.Kind} array");
        bool square = host.Rank == 2 && host.Shape[0] == host.Shape[1] && host.Shape[0] is 3 or 5;
        bool full = ((bool[])host.AsType(DType.Bool).ToFlatArray()).All(b => b);
        if (square && full) return (host.Shape[0], null);
        return (0, $"the GPU median takes the default footprint or a full 3x3 or 5x5 square; this footprint is {host.ShapeText}" +
                   (square ? " with zeros in it" : "") + " (the CPU's general rank filter handles it)");
    }

    /// <summary>Why the GPU does not take this call, or null.</summary>
    public static string? Decline(NDArray image, NDArray? footprint)
    {
        if (!GpuElementTypes.IsSupported(image.DType)) return $"the GPU median does not take {image.DType.NumPyName()} images";
        return Footprint(footprint).Reason;
    }

    /// <summary>The median of every size x size window (3 or 5), the result on the image's device.</summary>
    public static GpuArray Run(GpuArray image, int size, BoundaryMode mode, double cval)
    {
        int h = image.Shape[0], w = image.Shape[1];
        var device = image.Device;
        var result = GpuElementTypes.Allocate(device, image.DType, image.Shape.ToArray());
        try
        {
            GpuLaunch.Run(device, Source, $"median{size}x{size}_{GpuElementTypes.Suffix(image.DType)}", LaunchShape.Covering(w, h),
                new KernelArguments().Pointer(image.Pointer).Pointer(result.Pointer).Int(w).Int(h).Int((int)mode)
                    .Double(image.DType.Cast(cval)));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
