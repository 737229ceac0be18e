using Scoped.Image;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu;

/// <summary>
/// Host side of Kernels/pointwise.cu: color.rgb2gray, exposure.rescale_intensity and exposure.equalize_hist. The
/// parameters (weights, ranges, cdf tables) come from Scoped.Image's own host code, and the kernels round each step
/// as the CPU does, so results are the CPU's.
/// </summary>
internal static class GpuPointwise
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("pointwise"));

    /// <summary>The pointwise kernel module.</summary>
    public static KernelSource Source => s_source.Value;

    // ---------------------------------------------------------------- rgb2gray

    /// <summary>
    /// rgb2gray of a (rows, cols, 3) image: float32 stays float32; every other type is computed in float64 as the CPU
    /// does (integers and bool through img_as_float: max(v * scale, floor)).
    /// </summary>
    public static GpuArray Rgb2Gray(GpuArray rgb)
    {
        var device = rgb.Device;
        long n = (long)rgb.Shape[0] * rgb.Shape[1];
        bool single = rgb.DType == DType.Float32;
        var result = GpuElementTypes.Allocate(device, single ? DType.Float32 : DType.Float64, [rgb.Shape[0], rgb.Shape[1]]);
        try
        {
            var shape = LaunchShape.Linear(n);
            if (single)
            {
                GpuLaunch.Run(device, Source, "rgb2gray_f32", shape, new KernelArguments().Pointer(rgb.Pointer).Pointer(result.Pointer).Long(n)
                    .Float((float)0.2125).Float((float)0.7154).Float((float)0.0721));
            }
            else
            {
                // img_as_float as FloatImages.ToFloat: uint8 / uint16 times 1 / max, int32 times 1 / int.MaxValue floored at -1, bool as 0 / 1.
                var (scaled, scale, floor) = rgb.DType switch
                {
                    DType.UInt8 => (1, 1.0 / byte.MaxValue, double.MinValue),
                    DType.UInt16 => (1, 1.0 / ushort.MaxValue, double.MinValue),
                    DType.Int32 => (1, 1.0 / int.MaxValue, -1.0),
                    DType.Bool => (1, 1.0, double.MinValue),
                    _ => (0, 1.0, double.MinValue),
                };
                GpuLaunch.Run(device, Source, "rgb2gray_f64", shape, new KernelArguments().Pointer(rgb.Pointer).Int(GpuElementTypes.Code(rgb.DType))
                    .Int(scaled).Double(scale).Double(floor).Pointer(result.Pointer).Long(n).Double(0.2125).Double(0.7154).Double(0.0721));
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    // ---------------------------------------------------------------- rescale_intensity

    /// <summary>
    /// rescale_intensity: the image's min and max (when a range is "image") from the device's min/max partials, the
    /// ranges and output dtype from Exposure.PlanRescale, then one pointwise pass in float32 (float32 input) or float64.
    /// </summary>
    public static GpuArray RescaleIntensity(GpuArray image, string inRange, string outRange)
    {
        var device = image.Device;
        var imageRange = RescalePlan.NeedsImageRange(inRange, outRange) ? GpuReduce.Range(image).Propagating : (double.NaN, double.NaN);
        var (outType, imin, imax, omin, omax) = RescalePlan.Create(image.DType, inRange, outRange, imageRange);
        int flat = imin == imax ? 1 : 0;
        var result = GpuElementTypes.Allocate(device, outType, image.Shape.ToArray());
        try
        {
            var shape = LaunchShape.Linear(image.Size);
            if (image.DType == DType.Float32)
            {
                GpuLaunch.Run(device, Source, "rescale_f32", shape, new KernelArguments().Pointer(image.Pointer).Pointer(result.Pointer)
                    .Int(GpuElementTypes.Code(outType)).Long(image.Size).Float((float)imin).Float((float)imax).Float((float)omin).Float((float)omax)
                    .Float((float)(imax - imin)).Float((float)(omax - omin)).Int(flat));
            }
            else
            {
                GpuLaunch.Run(device, Source, "rescale_f64", shape, new KernelArguments().Pointer(image.Pointer).Int(GpuElementTypes.Code(image.DType))
                    .Pointer(result.Pointer).Int(GpuElementTypes.Code(outType)).Long(image.Size).Double(imin).Double(imax).Double(omin).Double(omax)
                    .Double(imax - imin).Double(omax - omin).Int(flat));
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    // ---------------------------------------------------------------- equalize_hist

    /// <summary>Why the GPU does not equalize this image, or null.</summary>
    public static string? DeclineEqualize(NDArray image, NDArray? mask)
    {
        if (!GpuHistogram.IsSupported(image.DType))
            return $"the GPU equalizes uint8, uint16, float32 and float64 images; {image.DType.NumPyName()} needs one bin per value over the image's range, which the CPU handles";
        if (mask is not null and not HostArray and not GpuArray) return $"the GPU reads host or GPU masks; got a {mask.Kind} array";
        return null;
    }

    /// <summary>
    /// equalize_hist: the histogram on the device (masked by <paramref name="mask"/>, a host or GPU bool / uint8 array),
    /// the cdf on the host as the CPU computes it, then a lookup (uint8 / uint16 -> float64) or np.interp (float32 stays
    /// float32, float64) on the device.
    /// </summary>
    public static GpuArray EqualizeHist(GpuArray image, int nbins, NDArray? mask)
    {
        var device = image.Device;
        using var hostMask = mask is HostArray host ? ScratchBuffer.Upload(device, (byte[])host.AsType(DType.UInt8).ToFlatArray()) : null;
        DevicePointer maskPointer = hostMask?.Pointer ?? (mask is GpuArray g ? MaskOnDevice(image, g) : default);
        return image.DType is DType.UInt8 or DType.UInt16
            ? EqualizeInteger(image, maskPointer)
            : EqualizeFloat(image, nbins, maskPointer);
    }

    private static DevicePointer MaskOnDevice(GpuArray image, GpuArray mask)
    {
        GpuLaunch.SameDevice(image, mask, "mask");
        return mask.Pointer;
    }

    /// <summary>As Exposure's EqualizeBytes / EqualizeInteger: a table over every value of the dtype, cdf[value - min] clamped.</summary>
    private static GpuArray EqualizeInteger(GpuArray image, DevicePointer mask)
    {
        var device = image.Device;
        var valueCounts = GpuHistogram.ValueCounts(image, mask);
        var bins = GpuHistogram.Integers(valueCounts);
        var cdf = bins.Cdf();
        long min = bins.IntegerMin, last = cdf.Length - 1;
        var lut = new double[valueCounts.Length];
        for (int v = 0; v < lut.Length; v++) lut[v] = cdf[Math.Clamp(v - min, 0, last)];
        using var table = ScratchBuffer.Upload(device, lut);
        var result = GpuArray<double>.Allocate(device, image.Shape.ToArray());
        try
        {
            GpuLaunch.Run(device, Source, image.DType == DType.UInt8 ? "lookup_u8" : "lookup_u16", LaunchShape.Linear(image.Size),
                new KernelArguments().Pointer(image.Pointer).Pointer(table.Pointer).Pointer(result.Pointer).Long(image.Size));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>As Exposure's EqualizeFloat: the cdf in the image type at the bin centres, np.interp on the device.</summary>
    private static GpuArray EqualizeFloat(GpuArray image, int nbins, DevicePointer mask)
    {
        var device = image.Device;
        var bins = GpuHistogram.ImageRange(image, nbins, mask);
        var (fp, slopes) = image.DType == DType.Float32 ? bins.InterpTables<float>() : bins.InterpTables<double>();
        var xp = bins.Centers;
        using var xpTable = ScratchBuffer.Upload(device, xp);
        using var fpTable = ScratchBuffer.Upload(device, fp);
        using var slopeTable = ScratchBuffer.Upload(device, slopes);
        var result = GpuElementTypes.Allocate(device, image.DType, image.Shape.ToArray());
        try
        {
            GpuLaunch.Run(device, Source, $"interp_{GpuElementTypes.Suffix(image.DType)}", LaunchShape.Linear(image.Size),
                new KernelArguments().Pointer(image.Pointer).Pointer(result.Pointer).Long(image.Size).Pointer(xpTable.Pointer)
                    .Pointer(fpTable.Pointer).Pointer(slopeTable.Pointer).Int(xp.Length).Double(HistogramBins.InverseStep(xp)));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
