using Scoped.Image;

namespace Scoped.Backends.Gpu.Kernels;

/// <summary>
/// Host side of Kernels/filters.cu: launch shapes, argument lists and the small device tables (weights) for the
/// separable passes, the edge filters and SSIM's steps. Pointers are float32, C order, on <c>device</c>. Temporaries
/// are freed on every path; the caller owns src and dst.
/// </summary>
internal static class FilterKernels
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("filters"));

    /// <summary>The module (embedded Kernels/filters.cu).</summary>
    public static KernelSource Source => s_source.Value;

    // Tile geometry; the same numbers as the #defines in filters.cu.
    public const int Axis0Columns = 32, Axis0ThreadRows = 8, Axis0Rows = 64, Axis1Pixels = 256;
    /// <summary>Shared memory a tile may take (the default per-block limit without opting in to more).</summary>
    public const int MaxTileBytes = 48 * 1024;
    /// <summary>Blocks of the first SSIM reduction stage.</summary>
    public const int SsimBlocks = 256;

    /// <summary>
    /// dst = correlate along axis 1 (<paramref name="colWeights"/>) of correlate along axis 0 (<paramref name="rowWeights"/>)
    /// of src: Scoped.Image's Separable.Correlate with float32 sums, or, with <paramref name="float64Sums"/>, ndimage's
    /// correlate1d arithmetic (float64 sums of a symmetric kernel, rounded to float32 after each pass).
    /// </summary>
    public static void Separable(GpuDevice device, DevicePointer src, DevicePointer dst, int height, int width, int channels,
        double[] rowWeights, double[] colWeights, BoundaryMode mode, float cval, bool float64Sums)
    {
        using var between = GpuArray<float>.Allocate(device, height, width * channels);
        using var wy = UploadWeights(device, rowWeights, float64Sums);
        using var wx = UploadWeights(device, colWeights, float64Sums);
        Pass(device, 0, src, between.Pointer, height, width, channels, wy, rowWeights, mode, cval, float64Sums);
        Pass(device, 1, between.Pointer, dst, height, width, channels, wx, colWeights, mode, cval, float64Sums);
    }

    /// <summary>The weights as the kernel reads them: float32 (cast as Separable casts them) or float64.</summary>
    public static GpuArray UploadWeights(GpuDevice device, double[] weights, bool float64)
    {
        if (float64) return GpuArray<double>.Upload(HostArray.Create((double[])weights.Clone(), weights.Length), device);
        var single = new float[weights.Length];
        for (int i = 0; i < weights.Length; i++) single[i] = (float)weights[i];
        return GpuArray<float>.Upload(HostArray.Create(single, single.Length), device);
    }

    /// <summary>Whether the kernel is mirror-symmetric once cast to float32 (Separable's test, which picks the pair order).</summary>
    public static bool IsSymmetricAsSingle(double[] weights)
    {
        for (int i = 0; i < weights.Length / 2; i++)
            if ((float)weights[i] != (float)weights[^(i + 1)]) return false;
        return true;
    }

    /// <summary>One correlate1d pass along <paramref name="axis"/>: the tiled kernel when its tile fits in shared memory, else the direct one.</summary>
    public static void Pass(GpuDevice device, int axis, DevicePointer src, DevicePointer dst, int height, int width, int channels,
        GpuArray weights, double[] hostWeights, BoundaryMode mode, float cval, bool float64Sums)
    {
        int n = hostWeights.Length, r = n / 2;
        int symmetric = float64Sums || IsSymmetricAsSingle(hostWeights) ? 1 : 0;
        string suffix = float64Sums ? "_d" : "_f";
        long axis0Tile = (long)(Axis0Rows + 2L * r) * Axis0Columns * sizeof(float);
        long axis1Tile = (Axis1Pixels + 2L * r) * channels * sizeof(float);
        if (axis == 0 && axis0Tile <= MaxTileBytes)
        {
            int rowLength = width * channels;
            var shape = new LaunchShape(new Dim3(CeilDiv(rowLength, Axis0Columns), CeilDiv(height, Axis0Rows)), new Dim3(Axis0Columns, Axis0ThreadRows), (int)axis0Tile);
            device.Launch(device.Function(Source, "scoped_sep_axis0" + suffix), shape, new KernelArguments()
                .Pointer(src).Pointer(dst).Int(height).Int(rowLength).Pointer(weights.Pointer).Int(n).Int(symmetric).Int((int)mode).Float(cval));
        }
        else if (axis == 1 && axis1Tile <= MaxTileBytes)
        {
            var shape = new LaunchShape(new Dim3(CeilDiv(width, Axis1Pixels), (uint)Math.Min(height, 65535)), new Dim3(Axis1Pixels), (int)axis1Tile);
            device.Launch(device.Function(Source, "scoped_sep_axis1" + suffix), shape, new KernelArguments()
                .Pointer(src).Pointer(dst).Int(height).Int(width).Int(channels).Pointer(weights.Pointer).Int(n).Int(symmetric).Int((int)mode).Float(cval));
        }
        else
        {
            device.Launch(device.Function(Source, "scoped_sep_direct" + suffix), LaunchShape.Linear((long)height * width * channels), new KernelArguments()
                .Pointer(src).Pointer(dst).Int(height).Int(width).Int(channels).Int(axis).Pointer(weights.Pointer).Int(n).Int(symmetric).Int((int)mode).Float(cval));
        }
    }

    /// <summary>sobel / scharr / prewitt magnitude with smoothing [a, b, a].</summary>
    public static void EdgeMagnitude(GpuDevice device, DevicePointer src, DevicePointer dst, int height, int width, BoundaryMode mode, double[] smooth) =>
        device.Launch(device.Function(Source, "scoped_edge_magnitude"), LaunchShape.Covering(width, height), new KernelArguments()
            .Pointer(src).Pointer(dst).Int(height).Int(width).Int((int)mode).Float((float)smooth[0]).Float((float)smooth[1]).Float((float)Math.Sqrt(2)));

    /// <summary>laplace, ksize 3, reflect.</summary>
    public static void Laplace(GpuDevice device, DevicePointer src, DevicePointer dst, int height, int width) =>
        device.Launch(device.Function(Source, "scoped_laplace"), LaunchShape.Covering(width, height), new KernelArguments()
            .Pointer(src).Pointer(dst).Int(height).Int(width));

    /// <summary>values *= binary_erosion(mask, 3x3); mask has one byte per pixel.</summary>
    public static void ErodedMask(GpuDevice device, DevicePointer values, DevicePointer mask, int height, int width) =>
        device.Launch(device.Function(Source, "scoped_eroded_mask"), LaunchShape.Covering(width, height), new KernelArguments()
            .Pointer(values).Pointer(mask).Int(height).Int(width));

    private static uint CeilDiv(long n, int d) => (uint)Math.Max(1, (n + d - 1) / d);
}
