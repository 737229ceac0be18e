using Scoped.Image;

namespace Scoped.Backends.Gpu;

/// <summary>
/// Host side of Kernels/reduce.cu: the device writes per-block (min/max) or per-row (squared differences) partial
/// results, the host downloads them and combines them in a fixed order.
/// </summary>
internal static class GpuReduce
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("reduce"));

    /// <summary>The reduction kernel module.</summary>
    public static KernelSource Source => s_source.Value;

    /// <summary>The smallest and largest non-NaN value, whether any value is NaN, and whether any value was read at all.</summary>
    public readonly record struct Extremes(double Min, double Max, bool AnyNaN, bool Any)
    {
        /// <summary>np.min / np.max: NaN for both when any value is NaN.</summary>
        public (double Min, double Max) Propagating => AnyNaN || !Any ? (double.NaN, double.NaN) : (Min, Max);
    }

    /// <summary>The extremes of <paramref name="image"/> (where <paramref name="mask"/>, a byte per pixel, is non-zero; null: every pixel).</summary>
    public static Extremes Range(GpuArray image, DevicePointer mask = default)
    {
        var device = image.Device;
        var shape = GpuLaunch.Striding(image.Size);
        int blocks = (int)shape.Grid.X;
        using var partials = ScratchBuffer.Allocate(device, blocks * 4L * sizeof(double));
        GpuLaunch.Run(device, Source, "minmax_partials", shape,
            new KernelArguments().Pointer(image.Pointer).Int(GpuElementTypes.Code(image.DType)).Pointer(mask).Long(image.Size).Pointer(partials.Pointer));
        return Combine(partials.Download<double>(blocks * 4));
    }

    /// <summary>Block partials {min, max, any NaN, any value} combined in block order.</summary>
    internal static Extremes Combine(double[] partials)
    {
        double min = 0, max = 0;
        bool nan = false, any = false;
        for (int b = 0; b + 3 < partials.Length; b += 4)
        {
            nan |= partials[b + 2] != 0;
            if (partials[b + 3] == 0) continue;
            if (!any) { (min, max, any) = (partials[b], partials[b + 1], true); continue; }
            if (partials[b] < min) min = partials[b];
            if (partials[b + 1] > max) max = partials[b + 1];
        }
        return new Extremes(min, max, nan, any);
    }

    /// <summary>
    /// mean((a - b)^2): squares in float32 when both images are float32, else float64 (as the CPU); each row summed on
    /// the device (a 256-way strided sum, then a tree over the 256 partials, all in float64), the row sums added on the
    /// host in row order as the CPU adds its row sums. The CPU sums each row left to right, so the two differ only in
    /// the rounding of the in-row sums: for non-negative terms both are within (row length) * 2^-53 of the exact sum,
    /// i.e. 1e-12 relative for rows up to ~9000 elements (typically far closer).
    /// </summary>
    public static double MeanSquaredError(GpuArray a, GpuArray b)
    {
        var device = GpuLaunch.SameDevice(a, b, "image1");
        int height = a.Shape[0];
        int rowLength = (int)(a.Size / height);
        bool single = a.DType == DType.Float32 && b.DType == DType.Float32;
        using var sums = ScratchBuffer.Allocate(device, height * (long)sizeof(double));
        GpuLaunch.Run(device, Source, "mse_rows", new LaunchShape(new Dim3((uint)height), new Dim3(GpuLaunch.BlockSize)),
            new KernelArguments().Pointer(a.Pointer).Int(GpuElementTypes.Code(a.DType)).Pointer(b.Pointer).Int(GpuElementTypes.Code(b.DType))
                .Int(rowLength).Int(single ? 1 : 0).Pointer(sums.Pointer));
        double total = 0;
        foreach (var rowSum in sums.Download<double>(height)) total += rowSum;
        return total / a.Size;
    }
}
