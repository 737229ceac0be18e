using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu.Kernels;

/// <summary>
/// Host side of Kernels/transform.cu: resize through Scoped.Image's per-axis tables (<see cref="AxisPlan"/>), the
/// bilinear warp, and scikit-image's output clip computed on the device. float32 pointers, C order; temporaries are
/// freed on every path.
/// </summary>
internal static class TransformKernels
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("transform"));

    /// <summary>The module (embedded Kernels/transform.cu).</summary>
    public static KernelSource Source => s_source.Value;

    /// <summary>Blocks of the first min/max stage (at most).</summary>
    public const int ReduceBlocks = 1024;

    /// <summary>dst (outRows, outCols, channels) = the axis-1 table applied to the axis-0 table applied to src.</summary>
    public static void Resample(GpuDevice device, DevicePointer src, DevicePointer dst, int inCols, int channels, AxisPlan rows, AxisPlan cols, float cval)
    {
        int outRows = rows.OutLength, outCols = cols.OutLength;
        using var between = GpuArray<float>.Allocate(device, outRows, inCols * channels);
        using var rowStart = GpuArray<int>.Upload(Scoped.Image.HostArray.Create((int[])rows.Start.Clone(), rows.Start.Length), device);
        using var rowWeights = Singles(device, rows.Weights);
        using var rowConstant = Singles(device, rows.Constant);
        using var colStart = GpuArray<int>.Upload(Scoped.Image.HostArray.Create((int[])cols.Start.Clone(), cols.Start.Length), device);
        using var colWeights = Singles(device, cols.Weights);
        using var colConstant = Singles(device, cols.Constant);
        int rowLength = inCols * channels;
        device.Launch(device.Function(Source, "scoped_resample_axis0"), LaunchShape.Covering(rowLength, outRows), new KernelArguments()
            .Pointer(src).Pointer(between.Pointer).Int(rowLength).Int(outRows)
            .Pointer(rowStart.Pointer).Pointer(rowWeights.Pointer).Pointer(rowConstant.Pointer).Int(rows.Taps).Float(cval));
        device.Launch(device.Function(Source, "scoped_resample_axis1"), LaunchShape.Covering(outCols * channels, outRows), new KernelArguments()
            .Pointer(between.Pointer).Pointer(dst).Int(outRows).Int(inCols).Int(outCols).Int(channels)
            .Pointer(colStart.Pointer).Pointer(colWeights.Pointer).Pointer(colConstant.Pointer).Int(cols.Taps).Float(cval));
    }

    /// <summary>The matrix kind the warp kernel branches on: 0 metric, 1 affine, 2 projective (AffineWarp's test, on the float32 values).</summary>
    public static int MatrixKind(float[] h)
    {
        if (h[6] == 0 && h[7] == 0 && h[8] == 1) return h[1] == 0 && h[3] == 0 ? 0 : 1;
        return 2;
    }

    /// <summary>Bilinear warp of src (rows, cols, channels) into dst (outRows, outCols, channels) with the inverse map <paramref name="matrix"/>.</summary>
    public static void WarpLinear(GpuDevice device, DevicePointer src, DevicePointer dst, int rows, int cols, int channels, int outRows, int outCols,
        double[] matrix, Scoped.Image.BoundaryMode mode, float cval)
    {
        var h = new float[9];
        for (int i = 0; i < 9; i++) h[i] = (float)matrix[i];
        var arguments = new KernelArguments().Pointer(src).Pointer(dst).Int(rows).Int(cols).Int(channels).Int(outRows).Int(outCols);
        foreach (var v in h) arguments.Float(v);
        arguments.Int(MatrixKind(h)).Int((int)mode).Float(cval);
        device.Launch(device.Function(Source, "scoped_warp_linear"), LaunchShape.Covering(outCols, outRows), arguments);
    }

    /// <summary>
    /// scikit-image's _clip_warp_output: output clipped to the input's NaN-ignoring [min, max]; in constant mode a cval
    /// outside that range but inside the output's widens it. With <paramref name="nanSkipsClip"/> (resize, which passes
    /// [image.min(), image.max()]) NaN in the input makes the bounds NaN and nothing is clipped, and the output's range
    /// is np.min/np.max. Both ranges are reduced on the device; nothing is downloaded.
    /// </summary>
    public static void ClipToInputRange(GpuDevice device, DevicePointer input, long inputCount, DevicePointer output, long outputCount, bool constantMode, float cval,
        bool nanSkipsClip)
    {
        using var range = GpuArray<float>.Allocate(device, 4);
        int blocks = Blocks(Math.Max(inputCount, outputCount));
        using var partials = GpuArray<float>.Allocate(device, 2 * blocks);
        MinMax(device, input, inputCount, partials.Pointer, range.Pointer, 0, nanSkipsClip);
        if (constantMode) MinMax(device, output, outputCount, partials.Pointer, range.Pointer, 1, nanSkipsClip);
        device.Launch(device.Function(Source, "scoped_clip"), LaunchShape.Linear(outputCount), new KernelArguments()
            .Pointer(output).Long(outputCount).Pointer(range.Pointer).Int(constantMode ? 1 : 0).Float(cval));
    }

    private static void MinMax(GpuDevice device, DevicePointer values, long count, DevicePointer partials, DevicePointer range, int slot, bool nanPoisons)
    {
        int blocks = Blocks(count);
        device.Launch(device.Function(Source, "scoped_minmax_partial"), new LaunchShape(new Dim3((uint)blocks), new Dim3(256)), new KernelArguments()
            .Pointer(values).Long(count).Pointer(partials).Int(nanPoisons ? 1 : 0));
        device.Launch(device.Function(Source, "scoped_minmax_final"), new LaunchShape(new Dim3(1), new Dim3(256)), new KernelArguments()
            .Pointer(partials).Int(blocks).Pointer(range).Int(slot));
    }

    private static int Blocks(long count) => (int)Math.Clamp((count + 255) / 256, 1, ReduceBlocks);

    private static GpuArray<float> Singles(GpuDevice device, double[] values)
    {
        var single = new float[Math.Max(1, values.Length)];
        for (int i = 0; i < values.Length; i++) single[i] = (float)values[i];
        return GpuArray<float>.Upload(Scoped.Image.HostArray.Create(single, single.Length), device);
    }
}
