using Scoped.Image.Primitives;
using Moq;
using Scoped.Backends.Gpu;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.Kernels;
using static Scoped.Tests.Gpu.GpuFiltersTests;

namespace Scoped.Tests.Gpu;

/// <summary>
/// resize (and rescale through it), rotate and warp on a mocked device: the tables and matrices handed to the
/// kernels are Scoped.Image's own, the clip runs on the device, declines, transfers and frees. Kernel numerics are
/// checked only on a GPU (SCOPED_TEST_BACKEND=gpu); a C# stand-in for the two resampling passes checks the plumbing.
/// </summary>
[TestClass]
[DoNotParallelize] // GpuBackend's options are process-wide
public sealed class GpuGeometryTests
{
    [TestMethod]
    public void Resize_uploads_the_cpu_axis_tables_and_clips_on_the_device()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(40, 60), gpu.Device);
        var tables = new List<(int[] Start, float[] Weights, float[] Constant, int Taps)>();
        gpu.OnLaunch = (f, s, a) =>
        {
            if (f.EntryPoint == "scoped_resample_axis0")
            {
                int outRows = a.IntAt(3), taps = a.IntAt(7);
                tables.Add((Ints(gpu, a.PointerAt(4), outRows), Read(gpu, a.PointerAt(5), outRows * taps), Read(gpu, a.PointerAt(6), outRows), taps));
            }
            if (f.EntryPoint == "scoped_resample_axis1")
            {
                int outCols = a.IntAt(4), taps = a.IntAt(9);
                tables.Add((Ints(gpu, a.PointerAt(6), outCols), Read(gpu, a.PointerAt(7), outCols * taps), Read(gpu, a.PointerAt(8), outCols), taps));
            }
        };

        using var result = (GpuArray)On(backend, () => Transform.Resize(image, [15, 25]));

        var rows = AxisPlan.Create(40, 15, Separable.GaussianWeights((40 / 15.0 - 1) / 2, 4.0), BoundaryMode.Mirror, 1, BoundaryMode.Mirror);
        var cols = AxisPlan.Create(60, 25, Separable.GaussianWeights((60 / 25.0 - 1) / 2, 4.0), BoundaryMode.Mirror, 1, BoundaryMode.Mirror);
        CollectionAssert.AreEqual(rows.Start, tables[0].Start);
        CollectionAssert.AreEqual(rows.Weights.Select(w => (float)w).ToArray(), tables[0].Weights);
        Assert.AreEqual(rows.Taps, tables[0].Taps);
        CollectionAssert.AreEqual(cols.Start, tables[1].Start);
        CollectionAssert.AreEqual(cols.Weights.Select(w => (float)w).ToArray(), tables[1].Weights);
        CollectionAssert.AreEqual(new[] { "transform:scoped_resample_axis0", "transform:scoped_resample_axis1", "transform:scoped_minmax_partial",
            "transform:scoped_minmax_final", "transform:scoped_clip" }, gpu.Loads, "mirror mode: only the input's range is needed");
        var (_, shape0, a0) = gpu.Launches[0];
        Assert.AreEqual(LaunchShape.Covering(60, 15), shape0);
        Assert.AreEqual(image.Pointer, a0.PointerAt(0));
        var clip = gpu.Launches[^1].Arguments;
        Assert.AreEqual(result.Pointer, clip.PointerAt(0));
        Assert.AreEqual(15L * 25, (long)clip.Slots[1]);
        Assert.AreEqual(0, clip.IntAt(3), "not constant mode");
        var minmax = gpu.Launches[2].Arguments;
        Assert.AreEqual(image.Pointer, minmax.PointerAt(0), "the range is the input's");
        Assert.AreEqual(2400L, (long)minmax.Slots[1]);
        CollectionAssert.AreEqual(new[] { 15, 25 }, result.Shape.ToArray());
        Assert.AreEqual(DType.Float32, result.DType);
        Assert.AreEqual(2, gpu.Live);
    }

    private static int[] Ints(FakeGpu gpu, DevicePointer pointer, int count) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(gpu.Bytes(pointer, count * 4L)).ToArray();

    [TestMethod]
    [DataRow(BoundaryMode.Mirror, 0)]
    [DataRow(BoundaryMode.Constant, 3)]
    [DataRow(BoundaryMode.Nearest, 0)]
    [DataRow(BoundaryMode.Wrap, 3)]
    public void Resize_tables_reproduce_the_cpu_through_a_stand_in_kernel(BoundaryMode mode, int channels)
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(31, 27, channels, seed: 5);
        using var image = GpuArray<float>.Upload(host, gpu.Device);
        gpu.OnLaunch = (f, s, a) => ResampleStandIn(gpu, f, a);

        foreach (var shape in new[] { new[] { 12, 40 }, new[] { 50, 9 } })
        {
            using var result = (GpuArray<float>)On(backend, () => Transform.Resize(image, shape, mode: mode, cval: 0.3, clip: false));
            var expected = (HostArray<float>)Transform.Resize(host, shape, mode: mode, cval: 0.3, clip: false);
            AssertClose(expected.ToArray(), result.Download().ToArray(), 2e-6f, $"{mode} {shape[0]}x{shape[1]}");
        }
        Assert.IsFalse(gpu.Loads.Any(l => l.Contains("clip", StringComparison.Ordinal)), "clip: false launches no clip");
    }

    private static void ResampleStandIn(FakeGpu gpu, GpuFunction f, KernelArguments a)
    {
        if (f.EntryPoint == "scoped_resample_axis0")
        {
            int rowLength = a.IntAt(2), outRows = a.IntAt(3), taps = a.IntAt(7);
            var start = Ints(gpu, a.PointerAt(4), outRows);
            var w = Read(gpu, a.PointerAt(5), outRows * taps);
            var c = Read(gpu, a.PointerAt(6), outRows);
            int inRows = start.Max() + taps;
            var src = Read(gpu, a.PointerAt(0), inRows * rowLength);
            var dst = gpu.Floats(a.PointerAt(1), (long)outRows * rowLength);
            for (int o = 0; o < outRows; o++)
                for (int e = 0; e < rowLength; e++)
                {
                    float acc = c[o] * a.FloatAt(8);
                    for (int k = 0; k < taps; k++)
                        if (w[o * taps + k] != 0) acc = MathF.FusedMultiplyAdd(w[o * taps + k], src[(start[o] + k) * rowLength + e], acc);
                    dst[o * rowLength + e] = acc;
                }
        }
        else if (f.EntryPoint == "scoped_resample_axis1")
        {
            int rows = a.IntAt(2), inW = a.IntAt(3), outW = a.IntAt(4), ch = a.IntAt(5), taps = a.IntAt(9);
            var start = Ints(gpu, a.PointerAt(6), outW);
            var w = Read(gpu, a.PointerAt(7), outW * taps);
            var c = Read(gpu, a.PointerAt(8), outW);
            var src = Read(gpu, a.PointerAt(0), rows * inW * ch);
            var dst = gpu.Floats(a.PointerAt(1), (long)rows * outW * ch);
            for (int y = 0; y < rows; y++)
                for (int o = 0; o < outW; o++)
                    for (int k0 = 0; k0 < ch; k0++)
                    {
                        float acc = c[o] * a.FloatAt(10);
                        for (int k = 0; k < taps; k++)
                            if (w[o * taps + k] != 0) acc = MathF.FusedMultiplyAdd(w[o * taps + k], src[(y * inW + start[o] + k) * ch + k0], acc);
                        dst[(y * outW + o) * ch + k0] = acc;
                    }
        }
    }

    [TestMethod]
    public void Rescale_runs_as_resize_and_constant_mode_reduces_both_ranges()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(20, 30, 3), gpu.Device);

        using var result = (GpuArray)On(backend, () => Transform.Rescale(image, 0.5, mode: BoundaryMode.Constant, cval: 2, channelAxis: -1));

        CollectionAssert.AreEqual(new[] { 10, 15, 3 }, result.Shape.ToArray());
        var finals = gpu.Launches.Where(l => l.Function.EntryPoint == "scoped_minmax_final").ToArray();
        Assert.AreEqual(2, finals.Length);
        Assert.AreEqual(0, finals[0].Arguments.IntAt(3), "input range in slot 0");
        Assert.AreEqual(1, finals[1].Arguments.IntAt(3), "output range in slot 1");
        var clip = gpu.Launches[^1].Arguments;
        Assert.AreEqual(1, clip.IntAt(3));
        Assert.AreEqual(2f, clip.FloatAt(4));
        Assert.AreEqual(3, gpu.Launches[0].Arguments.IntAt(2) / 30, "row length counts the channels");
    }

    [TestMethod]
    public void Rotate_passes_the_cpu_matrix_in_float32_and_grows_the_output_with_resize()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(30, 50), gpu.Device);

        using var result = (GpuArray)On(backend, () => Transform.Rotate(image, 30, resize: true, mode: BoundaryMode.Reflect, cval: 0.5, clip: false));

        var (matrix, shape) = Transform.RotateMatrix(30, 50, 30, true, null);
        CollectionAssert.AreEqual(new[] { "transform:scoped_warp_linear" }, gpu.Loads);
        var (_, launch, a) = gpu.Launches.Single();
        CollectionAssert.AreEqual(shape, result.Shape.ToArray());
        Assert.AreEqual(LaunchShape.Covering(shape![1], shape[0]), launch);
        Assert.AreEqual(image.Pointer, a.PointerAt(0));
        Assert.AreEqual(result.Pointer, a.PointerAt(1));
        CollectionAssert.AreEqual(new[] { 30, 50, 1, shape[0], shape[1] }, Enumerable.Range(2, 5).Select(a.IntAt).ToArray());
        CollectionAssert.AreEqual(matrix.Select(v => (float)v).ToArray(), Enumerable.Range(7, 9).Select(a.FloatAt).ToArray());
        Assert.AreEqual(1, a.IntAt(16), "a rotation is an affine matrix");
        Assert.AreEqual((int)BoundaryMode.Reflect, a.IntAt(17));
        Assert.AreEqual(0.5f, a.FloatAt(18));
    }

    [TestMethod]
    [DataRow(BoundaryMode.Constant, 0)]
    [DataRow(BoundaryMode.Mirror, 3)]
    [DataRow(BoundaryMode.Wrap, 0)]
    [DataRow(BoundaryMode.Nearest, 2)]
    public void Warp_arguments_reproduce_the_cpu_through_a_stand_in_kernel(BoundaryMode mode, int channels)
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(19, 23, channels, seed: 9);
        using var image = GpuArray<float>.Upload(host, gpu.Device);
        gpu.OnLaunch = (f, s, a) => WarpStandIn(gpu, f, a);
        foreach (var call in new Func<NDArray, NDArray>[]
                 {
                     i => Transform.Rotate(i, 33, mode: mode, cval: 0.4, clip: false),
                     i => Transform.Rotate(i, -71, resize: true, mode: mode, cval: 0.4, clip: false),
                     i => Transform.Warp(i, [1.1, 0.2, -3, -0.1, 0.9, 2, 0.002, -0.001, 1], outputShape: [25, 17], mode: mode, cval: 0.4, clip: false),
                 })
        {
            using var result = (GpuArray<float>)On(backend, () => call(image));
            AssertClose(((HostArray<float>)call(host)).ToArray(), result.Download().ToArray(), 1e-6f, $"{mode} {channels}");
        }
    }

    /// <summary>scoped_warp_linear's arithmetic in C#: float32 coordinates in the kernel's order, the float64 blend.</summary>
    private static void WarpStandIn(FakeGpu gpu, GpuFunction f, KernelArguments a)
    {
        if (f.EntryPoint != "scoped_warp_linear") return;
        int rows = a.IntAt(2), cols = a.IntAt(3), ch = a.IntAt(4), outRows = a.IntAt(5), outCols = a.IntAt(6);
        var h = Enumerable.Range(7, 9).Select(a.FloatAt).ToArray();
        int kind = a.IntAt(16);
        var mode = (BoundaryMode)a.IntAt(17);
        float cval = a.FloatAt(18);
        var src = Read(gpu, a.PointerAt(0), rows * cols * ch);
        var dst = gpu.Floats(a.PointerAt(1), (long)outRows * outCols * ch);
        float Pixel(long r, long c, int k)
        {
            if (mode == BoundaryMode.Constant) return r < 0 || r >= rows || c < 0 || c >= cols ? cval : src[(int)((r * cols + c) * ch + k)];
            static int MapLong(long i, int n, BoundaryMode m)
            {
                if (i >= 0 && i < n) return (int)i;
                long period = 2L * n;
                if (i < -period || i > period) i %= period;
                return Border.Map((int)i, n, m);
            }
            return src[(MapLong(r, rows, mode) * cols + MapLong(c, cols, mode)) * ch + k];
        }
        for (int r = 0; r < outRows; r++)
            for (int c = 0; c < outCols; c++)
            {
                float x = c, y = r;
                float colX = h[0] * x, colY = h[3] * x, rowX = h[1] * y, rowY = h[4] * y, sx, sy;
                if (kind == 0) { sx = colX + h[2]; sy = rowY + h[5]; }
                else if (kind == 1) { sx = colX + rowX + h[2]; sy = colY + rowY + h[5]; }
                else
                {
                    float z = h[6] * x + h[7] * y + h[8];
                    sx = (colX + rowX + h[2]) / z;
                    sy = (colY + rowY + h[5]) / z;
                }
                float fr = MathF.Floor(sy), fc = MathF.Floor(sx);
                long minr = fr >= -1e9f && fr <= 1e9f ? (long)fr : -2_000_000_000L, minc = fc >= -1e9f && fc <= 1e9f ? (long)fc : -2_000_000_000L;
                float dr = sy - minr, dc = sx - minc;
                long maxr = MathF.Ceiling(sy) == fr ? minr : minr + 1, maxc = MathF.Ceiling(sx) == fc ? minc : minc + 1;
                for (int k = 0; k < ch; k++)
                {
                    float top = (1 - dc) * Pixel(minr, minc, k) + dc * Pixel(minr, maxc, k);
                    float bottom = (1 - dc) * Pixel(maxr, minc, k) + dc * Pixel(maxr, maxc, k);
                    dst[(r * outCols + c) * ch + k] = (float)((double)(1 - dr) * top + (double)dr * bottom);
                }
            }
    }

    [TestMethod]
    public void Warp_marks_projective_matrices_and_keeps_channels()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(16, 16, 3), gpu.Device);
        double[] projective = [1, 0.1, 2, 0, 1, -1, 0.001, 0, 1];

        using var result = (GpuArray)On(backend, () => Transform.Warp(image, projective, outputShape: [10, 12]));

        CollectionAssert.AreEqual(new[] { 10, 12, 3 }, result.Shape.ToArray());
        var a = gpu.Launches.First().Arguments;
        Assert.AreEqual(3, a.IntAt(4));
        Assert.AreEqual(2, a.IntAt(16), "projective");
        Assert.AreEqual((int)BoundaryMode.Constant, a.IntAt(17));
        Assert.IsTrue(gpu.Loads.Contains("transform:scoped_clip"), "clip is on by default");
    }

    [TestMethod]
    public void Geometry_declines_order_0_and_non_float32_images()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(10, 10), gpu.Device);
        using var bytes = GpuArray<byte>.Upload(HostArray.Create(new byte[100], 10, 10), gpu.Device);

        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Transform.Resize(image, [5, 5], order: 0))).Message, "order 0");
        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Transform.Rotate(image, 10, order: 0))).Message, "order 0");
        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Transform.Warp(bytes, [1, 0, 0, 0, 1, 0, 0, 0, 1]))).Message, "uint8");
        Assert.AreEqual(0, gpu.Launches.Count);
    }

    [TestMethod]
    public void Interop_geometry_uploads_once_downloads_once_and_frees_on_every_path()
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(64, 64);
        WithThreshold(0, () =>
        {
            HostArray result;
            using (Backend.Interop(backend, only: true)) result = (HostArray)Transform.Rotate(host, 15);
            Assert.AreEqual(DType.Float32, result.DType);
            gpu.Runtime.Verify(r => r.Upload(It.IsAny<DevicePointer>(), It.IsAny<nint>(), 64 * 64 * 4), Times.Once());
            Assert.AreEqual(1, gpu.Device.Statistics.Downloads);
            Assert.AreEqual(0, gpu.Live);

            foreach (int failAt in new[] { 1, 2, 4 })
            {
                int launches = 0;
                gpu.OnLaunch = (_, _, _) => { if (++launches == failAt) gpu.FailNext = "Launch"; };
                using (Backend.Interop(backend, only: true)) Assert.Throws<InvalidOperationException>(() => Transform.Resize(host, [20, 30]));
                Assert.AreEqual(0, gpu.Live, $"failure after launch {failAt}");
            }
        });
    }
}
