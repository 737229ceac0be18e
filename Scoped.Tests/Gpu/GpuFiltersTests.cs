using System.Reflection;
using Moq;
using Scoped.Backends.Gpu;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.Kernels;

namespace Scoped.Tests.Gpu;

/// <summary>
/// The GPU filters (gaussian, sobel / scharr / prewitt and their one-direction forms, laplace) and
/// structural_similarity on a mocked device: registrations, declines, the kernels launched and their arguments, the
/// weights uploaded, transfers and frees on every path. Kernel numerics are checked by the emulated device (EmulatedKernelTests) and on a GPU (the GPU check
/// script runs the image suite with SCOPED_TEST_BACKEND=gpu); here a C# stand-in for the separable passes (same tap
/// order) checks that the host passes the kernels what they need to reproduce the CPU.
/// </summary>
[TestClass]
[DoNotParallelize] // GpuBackend's options are process-wide
public sealed class GpuFiltersTests
{
    internal static HostArray<float> Ramp(int rows, int cols, int channels = 0, int seed = 1)
    {
        var random = new Random(seed);
        var data = new float[rows * cols * Math.Max(1, channels)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
        return channels == 0 ? HostArray.Create(data, rows, cols) : HostArray.Create(data, rows, cols, channels);
    }

    internal static (FakeGpu Gpu, GpuBackend Backend) NewGpu()
    {
        var gpu = new FakeGpu();
        return (gpu, new GpuBackend(gpu.Device));
    }

    internal static float[] Read(FakeGpu gpu, DevicePointer pointer, int count) => gpu.Floats(pointer, count).ToArray();

    internal static double[] ReadDoubles(FakeGpu gpu, DevicePointer pointer, int count) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(gpu.Bytes(pointer, count * 8L)).ToArray();

    /// <summary>Runs <paramref name="call"/> with only the given backend, as the caller's code would with no scope.</summary>
    internal static T On<T>(GpuBackend backend, Func<T> call)
    {
        using (Backend.Use(backend, only: true)) return call();
    }

    internal static void WithThreshold(long bytes, Action action)
    {
        var before = GpuBackend.CurrentOptions.MinimumInteropBytes;
        GpuBackend.Configure(o => o.MinimumInteropBytes = bytes);
        try { action(); }
        finally { GpuBackend.Configure(o => o.MinimumInteropBytes = before); }
    }

    // ---------------------------------------------------------------- registrations

    [TestMethod]
    public void Registered_functions_match_the_attribute_list()
    {
        var attribute = typeof(GpuBackend).Assembly.GetCustomAttribute<ScopedBackendAttribute>()!;
        var (_, backend) = NewGpu();
        CollectionAssert.AreEquivalent(attribute.Functions.ToArray(), backend.Info.Functions.ToArray());
        foreach (var name in new[] { "scoped.image.filters:gaussian", "scoped.image.filters:sobel", "scoped.image.filters:scharr_v", "scoped.image.filters:laplace",
                     "scoped.image.transform:resize", "scoped.image.transform:rotate", "scoped.image.transform:warp", "scoped.image.metrics:structural_similarity" })
            CollectionAssert.Contains(backend.Info.Functions.ToArray(), name);
    }

    // ---------------------------------------------------------------- gaussian

    [TestMethod]
    public void Gaussian_launches_a_row_pass_and_a_column_pass_with_the_cpu_weights()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(40, 70), gpu.Device);
        var seen = new List<float[]>();
        // axis 0: (src, dst, height, rowLength, w, n, ...); axis 1 has channels before w.
        gpu.OnLaunch = (f, shape, a) => seen.Add(f.EntryPoint.Contains("axis0", StringComparison.Ordinal) ? Read(gpu, a.PointerAt(4), a.IntAt(5)) : Read(gpu, a.PointerAt(5), a.IntAt(6)));

        using var result = (GpuArray)On(backend, () => Filters.Gaussian(image, [1.5, 0.7], BoundaryMode.Wrap, cval: 0.25));

        CollectionAssert.AreEqual(new[] { "filters:scoped_sep_axis0_f", "filters:scoped_sep_axis1_f" }, gpu.Loads);
        var (f0, s0, a0) = gpu.Launches[0];
        Assert.AreEqual(image.Pointer, a0.PointerAt(0));
        Assert.AreEqual(40, a0.IntAt(2), "height");
        Assert.AreEqual(70, a0.IntAt(3), "row length");
        Assert.AreEqual(1, a0.IntAt(6), "symmetric");
        Assert.AreEqual((int)BoundaryMode.Wrap, a0.IntAt(7));
        Assert.AreEqual(0.25f, a0.FloatAt(8));
        Assert.AreEqual(new Dim3(3, 1), s0.Grid, "70 elements in 32-column tiles, 40 rows in 64-row tiles");
        Assert.AreEqual(new Dim3(32, 8), s0.Block);
        int r0 = a0.IntAt(5) / 2;
        Assert.AreEqual((64 + 2 * r0) * 32 * 4, s0.SharedBytes, "the tile and its halo");
        var (_, s1, a1) = gpu.Launches[1];
        Assert.AreEqual(a0.PointerAt(1), a1.PointerAt(0), "the column pass reads what the row pass wrote");
        Assert.AreEqual(result.Pointer, a1.PointerAt(1));
        Assert.AreEqual(40, a1.IntAt(2));
        Assert.AreEqual(70, a1.IntAt(3));
        Assert.AreEqual(1, a1.IntAt(4), "channels");
        Assert.AreEqual(new Dim3(1, 40), s1.Grid);
        Assert.AreEqual((256 + 2 * (a1.IntAt(6) / 2)) * 4, s1.SharedBytes);
        CollectionAssert.AreEqual(Separable.GaussianWeights(1.5, 4.0).Select(w => (float)w).ToArray(), seen[0]);
        CollectionAssert.AreEqual(Separable.GaussianWeights(0.7, 4.0).Select(w => (float)w).ToArray(), seen[1]);

        Assert.AreEqual(DType.Float32, result.DType);
        CollectionAssert.AreEqual(new[] { 40, 70 }, result.Shape.ToArray());
        Assert.AreSame(gpu.Device, result.Device);
        Assert.AreEqual(2, gpu.Live, "the input and the result: the intermediate and weights are freed");
    }

    [TestMethod]
    [DataRow(BoundaryMode.Reflect)]
    [DataRow(BoundaryMode.Constant)]
    [DataRow(BoundaryMode.Nearest)]
    [DataRow(BoundaryMode.Mirror)]
    [DataRow(BoundaryMode.Wrap)]
    public void Gaussian_arguments_reproduce_the_cpu_through_a_stand_in_kernel(BoundaryMode mode)
    {
        foreach (int channels in new[] { 0, 3 })
        {
            var (gpu, backend) = NewGpu();
            var host = Ramp(23, 37, channels, seed: 7);
            using var image = GpuArray<float>.Upload(host, gpu.Device);
            gpu.OnLaunch = (f, s, a) => KernelStandIn.Run(gpu, f, a);

            using var result = (GpuArray<float>)On(backend, () => Filters.Gaussian(image, [2.0, 1.2], mode, cval: 0.5));
            var expected = (HostArray<float>)Filters.Gaussian(host, [2.0, 1.2], mode, cval: 0.5);

            AssertClose(expected.ToArray(), result.Download().ToArray(), 1e-6f, $"{mode}, {channels} channels");
        }
    }

    [TestMethod]
    public void Gaussian_with_a_kernel_too_long_for_a_tile_uses_the_direct_kernel()
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(30, 20);
        using var image = GpuArray<float>.Upload(host, gpu.Device);
        gpu.OnLaunch = (f, s, a) => KernelStandIn.Run(gpu, f, a);

        // sigma 60: radius 240, a 544-row tile of 32 columns is 69 kB (> 48 kB); 752 pixels of a row still fit.
        using var result = (GpuArray<float>)On(backend, () => Filters.Gaussian(image, [60.0, 60.0]));

        CollectionAssert.AreEqual(new[] { "filters:scoped_sep_direct_f", "filters:scoped_sep_axis1_f" }, gpu.Loads);
        Assert.AreEqual(0, gpu.Launches[0].Arguments.IntAt(5), "axis");
        Assert.AreEqual(LaunchShape.Linear(600), gpu.Launches[0].Shape);
        AssertClose(((HostArray<float>)Filters.Gaussian(host, [60.0, 60.0])).ToArray(), result.Download().ToArray(), 1e-6f, "direct");
    }

    [TestMethod]
    public void Gaussian_declines_images_whose_default_result_is_float64()
    {
        var (gpu, backend) = NewGpu();
        using var doubles = GpuArray<double>.Upload(HostArray.Create(new double[64], 8, 8), gpu.Device);
        using var bytes = GpuArray<byte>.Upload(HostArray.Create(new byte[64], 8, 8), gpu.Device);

        var e1 = Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Filters.Gaussian(doubles, 1)));
        var e2 = Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Filters.Gaussian(bytes, 1)));

        StringAssert.Contains(e1.Message, "image is float64");
        StringAssert.Contains(e2.Message, "image is uint8");
        StringAssert.Contains(e2.Message, "float64 result");
        Assert.AreEqual(0, gpu.Launches.Count);
    }

    [TestMethod]
    public void Interop_gaussian_uploads_the_image_once_downloads_once_and_frees_everything()
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(64, 64);
        HostArray result = null!;
        WithThreshold(0, () =>
        {
            using (Backend.Interop(backend, only: true)) result = (HostArray)Filters.Gaussian(host, 1.0);
        });

        Assert.IsInstanceOfType<HostArray<float>>(result);
        gpu.Runtime.Verify(r => r.Upload(It.IsAny<DevicePointer>(), It.IsAny<nint>(), 64 * 64 * 4), Times.Once());
        Assert.AreEqual(1, gpu.Device.Statistics.Downloads);
        Assert.AreEqual(0, gpu.Live);
    }

    [TestMethod]
    public void Interop_declines_a_float64_host_image_before_uploading_it()
    {
        var (gpu, backend) = NewGpu();
        var host = HostArray.Create(new double[64 * 64], 64, 64);
        WithThreshold(0, () =>
        {
            using (Backend.Interop(backend))
            {
                var explanation = Backend.Explain(() => Filters.Gaussian(host, 1.0));
                Assert.AreNotEqual(GpuBackend.BackendName, explanation.Backend);
            }
        });
        Assert.AreEqual(0, gpu.Device.Statistics.Uploads);
    }

    [TestMethod]
    public void Interop_below_the_threshold_runs_on_the_cpu()
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(16, 16);   // 1 kB
        WithThreshold(4096, () =>
        {
            using (Backend.Interop(backend))
            {
                var explanation = Backend.Explain(() => Filters.Sobel(host));
                Assert.AreNotEqual(GpuBackend.BackendName, explanation.Backend);
            }
        });
        Assert.AreEqual(0, gpu.Device.Statistics.Uploads);
    }

    [TestMethod]
    public void A_failed_launch_frees_the_result_and_temporaries()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(32, 32), gpu.Device);
        foreach (var call in new Func<NDArray>[]
                 {
                     () => Filters.Gaussian(image, 1.0), () => Filters.Sobel(image), () => Filters.SobelH(image), () => Filters.Laplace(image),
                 })
        {
            gpu.FailNext = "Launch";
            Assert.Throws<InvalidOperationException>(() => On(backend, call));
            Assert.AreEqual(1, gpu.Live, "only the caller's image is left");
        }
        // second launch of a two-pass filter
        int launches = 0;
        gpu.OnLaunch = (_, _, _) => { if (++launches == 1) gpu.FailNext = "Launch"; };
        Assert.Throws<InvalidOperationException>(() => On(backend, () => Filters.Gaussian(image, 1.0)));
        Assert.AreEqual(1, gpu.Live);
    }

    [TestMethod]
    public void Interop_with_a_failed_launch_frees_everything()
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(64, 64);
        WithThreshold(0, () =>
        {
            gpu.FailNext = "Launch";
            using (Backend.Interop(backend, only: true)) Assert.Throws<InvalidOperationException>(() => Filters.Gaussian(host, 2.0));
        });
        Assert.AreEqual(0, gpu.Live);
    }

    // ---------------------------------------------------------------- edges

    [TestMethod]
    [DataRow("sobel", 0.25f, 0.5f)]
    [DataRow("scharr", 3 / 16f, 10 / 16f)]
    [DataRow("prewitt", 1 / 3f, 1 / 3f)]
    public void Edge_magnitude_is_one_fused_launch_with_the_smoothing_weights(string name, float a, float b)
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(30, 50), gpu.Device);
        using var result = (GpuArray)On(backend, () => name switch
        {
            "sobel" => Filters.Sobel(image, mode: BoundaryMode.Nearest),
            "scharr" => Filters.Scharr(image, mode: BoundaryMode.Nearest),
            _ => Filters.Prewitt(image, mode: BoundaryMode.Nearest),
        });

        CollectionAssert.AreEqual(new[] { "filters:scoped_edge_magnitude" }, gpu.Loads);
        var (_, shape, args) = gpu.Launches.Single();
        Assert.AreEqual(LaunchShape.Covering(50, 30), shape);
        Assert.AreEqual(image.Pointer, args.PointerAt(0));
        Assert.AreEqual(result.Pointer, args.PointerAt(1));
        Assert.AreEqual(30, args.IntAt(2));
        Assert.AreEqual(50, args.IntAt(3));
        Assert.AreEqual((int)BoundaryMode.Nearest, args.IntAt(4));
        Assert.AreEqual(a, args.FloatAt(5));
        Assert.AreEqual(b, args.FloatAt(6));
        Assert.AreEqual((float)Math.Sqrt(2), args.FloatAt(7));
        Assert.AreEqual(DType.Float32, result.DType);
    }

    [TestMethod]
    [DataRow(BoundaryMode.Reflect)]
    [DataRow(BoundaryMode.Constant)]
    [DataRow(BoundaryMode.Nearest)]
    [DataRow(BoundaryMode.Mirror)]
    [DataRow(BoundaryMode.Wrap)]
    public void Edge_magnitude_arguments_reproduce_the_cpu_through_a_stand_in_kernel(BoundaryMode mode)
    {
        var host = Ramp(17, 29, seed: 4);
        foreach (var call in new Func<NDArray, NDArray>[] { i => Filters.Sobel(i, mode: mode), i => Filters.Scharr(i, mode: mode), i => Filters.Prewitt(i, mode: mode) })
        {
            var (gpu, backend) = NewGpu();
            using var image = GpuArray<float>.Upload(host, gpu.Device);
            gpu.OnLaunch = (f, s, a) => KernelStandIn.Run(gpu, f, a);
            using var result = (GpuArray<float>)On(backend, () => call(image));
            AssertClose(((HostArray<float>)call(host)).ToArray(), result.Download().ToArray(), 1e-6f, mode.ToString());
        }
    }

    [TestMethod]
    public void One_direction_edges_are_separable_passes_that_reproduce_the_cpu()
    {
        var host = Ramp(21, 34, seed: 3);
        foreach (var (name, gpuCall, cpuCall) in new (string, Func<NDArray, NDArray>, Func<NDArray, NDArray>)[]
                 {
                     ("sobel_h", i => Filters.SobelH(i), i => Filters.SobelH(i)),
                     ("scharr_v", i => Filters.ScharrV(i), i => Filters.ScharrV(i)),
                     ("prewitt axis 1 constant", i => Filters.Prewitt(i, axis: 1, mode: BoundaryMode.Constant, cval: 3), i => Filters.Prewitt(i, axis: 1, mode: BoundaryMode.Constant, cval: 3)),
                 })
        {
            var (gpu, backend) = NewGpu();
            using var image = GpuArray<float>.Upload(host, gpu.Device);
            gpu.OnLaunch = (f, s, a) => KernelStandIn.Run(gpu, f, a);
            using var result = (GpuArray<float>)On(backend, () => gpuCall(image));

            CollectionAssert.AreEqual(new[] { "filters:scoped_sep_axis0_f", "filters:scoped_sep_axis1_f" }, gpu.Loads, name);
            Assert.IsTrue(gpu.Launches.Any(l => l.Arguments.IntAt(SymmetricIndex(l.Function)) == 0), $"{name}: the derivative pass is not symmetric");
            Assert.IsTrue(gpu.Launches.Any(l => l.Arguments.IntAt(SymmetricIndex(l.Function)) == 1), $"{name}: the smoothing pass is symmetric");
            Assert.IsTrue(gpu.Launches.All(l => l.Arguments.FloatAt(l.Arguments.Slots.Count - 1) == 0f), $"{name}: constant mode pads with 0");
            AssertClose(((HostArray<float>)cpuCall(host)).ToArray(), result.Download().ToArray(), 1e-6f, name);
        }
    }

    [TestMethod]
    public void A_host_mask_is_uploaded_once_for_the_call_and_freed()
    {
        var (gpu, backend) = NewGpu();
        using var image = GpuArray<float>.Upload(Ramp(20, 24), gpu.Device);
        var mask = HostArray.Create(Enumerable.Range(0, 480).Select(i => i % 7 != 0).ToArray(), 20, 24);
        // The backend declines host arguments under the interop threshold, a mask too: lifted for this call.
        byte[]? maskSeen = null;
        gpu.OnLaunch = (f, s, a) => { if (f.EntryPoint == "scoped_eroded_mask") maskSeen = gpu.Bytes(a.PointerAt(1), 480).ToArray(); };
        long uploadsBefore = gpu.Device.Statistics.Uploads;

        GpuArray result = null!;
        WithThreshold(0, () => result = (GpuArray)On(backend, () => Filters.Sobel(image, mask)));
        using var _ = result;

        CollectionAssert.AreEqual(new[] { "filters:scoped_edge_magnitude", "filters:scoped_eroded_mask" }, gpu.Loads);
        var (_, _, args) = gpu.Launches[1];
        Assert.AreEqual(result.Pointer, args.PointerAt(0));
        Assert.AreEqual(20, args.IntAt(2));
        Assert.AreEqual(24, args.IntAt(3));
        CollectionAssert.AreEqual(mask.ToArray().Select(v => v ? (byte)1 : (byte)0).ToArray(), maskSeen);
        Assert.AreEqual(uploadsBefore + 1, gpu.Device.Statistics.Uploads);
        Assert.AreEqual(2, gpu.Live, "the image and the result; the uploaded mask is freed");
    }

    [TestMethod]
    public void A_gpu_mask_is_used_in_place_and_the_mask_step_zeroes_as_the_cpu()
    {
        var (gpu, backend) = NewGpu();
        var host = Ramp(12, 15);
        var hostMask = HostArray.Create(Enumerable.Range(0, 180).Select(i => (byte)(i % 11 == 0 ? 0 : 1)).ToArray(), 12, 15);
        using var image = GpuArray<float>.Upload(host, gpu.Device);
        using var mask = GpuArray<byte>.Upload(hostMask, gpu.Device);
        gpu.OnLaunch = (f, s, a) => KernelStandIn.Run(gpu, f, a);
        long uploadsBefore = gpu.Device.Statistics.Uploads;

        using var result = (GpuArray<float>)On(backend, () => Filters.Laplace(image, mask: mask));

        Assert.AreEqual(uploadsBefore, gpu.Device.Statistics.Uploads);
        CollectionAssert.AreEqual(new[] { "filters:scoped_laplace", "filters:scoped_eroded_mask" }, gpu.Loads);
        Assert.AreEqual(mask.Pointer, gpu.Launches[1].Arguments.PointerAt(1));
        AssertClose(((HostArray<float>)Filters.Laplace(host, mask: hostMask)).ToArray(), result.Download().ToArray(), 1e-6f, "laplace with mask");
    }

    [TestMethod]
    public void Edges_decline_float64_and_a_mask_on_another_device()
    {
        var (gpu, backend) = NewGpu();
        var other = new FakeGpu("Other");
        using var doubles = GpuArray<double>.Upload(HostArray.Create(new double[100], 10, 10), gpu.Device);
        using var image = GpuArray<float>.Upload(Ramp(10, 10), gpu.Device);
        using var foreignMask = GpuArray<bool>.Upload(HostArray.Create(new bool[100], 10, 10), other.Device);

        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Filters.Scharr(doubles))).Message, "float64");
        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Filters.Sobel(image, foreignMask))).Message, "different device");
        Assert.AreEqual(0, gpu.Launches.Count);
    }

    // ---------------------------------------------------------------- SSIM

    [TestMethod]
    public void Ssim_runs_products_ten_float64_passes_the_formula_and_the_interior_sum()
    {
        var (gpu, backend) = NewGpu();
        using var x = GpuArray<float>.Upload(Ramp(30, 40, seed: 1), gpu.Device);
        using var y = GpuArray<float>.Upload(Ramp(30, 40, seed: 2), gpu.Device);
        double[]? weights = null;
        gpu.OnLaunch = (f, s, a) =>
        {
            if (f.EntryPoint == "scoped_sep_axis0_d") weights ??= ReadDoubles(gpu, a.PointerAt(4), a.IntAt(5));
            // stand in for the final sum: the interior is 24 x 34 = 816 elements
            if (f.EntryPoint == "scoped_ssim_sum_final") WriteDoubles(gpu, a.PointerAt(2), 408.0);
        };

        double mean = On(backend, () => Metrics.StructuralSimilarity(x, y));

        Assert.AreEqual(0.5, mean, 1e-15, "408 / 816");
        var entries = gpu.Launches.Select(l => l.Function.EntryPoint).ToArray();
        Assert.AreEqual("scoped_ssim_products", entries[0]);
        Assert.AreEqual(5, entries.Count(e => e == "scoped_sep_axis0_d"));
        Assert.AreEqual(5, entries.Count(e => e == "scoped_sep_axis1_d"));
        CollectionAssert.AreEqual(new[] { "scoped_ssim_map", "scoped_ssim_sum_partial", "scoped_ssim_sum_final" }, entries[^3..]);
        CollectionAssert.AreEqual(Enumerable.Repeat(1.0 / 7, 7).ToArray(), weights, "uniform 7x7 window");
        Assert.IsTrue(gpu.Launches.Where(l => l.Function.EntryPoint.StartsWith("scoped_sep", StringComparison.Ordinal)).All(l => l.Arguments.IntAt(SymmetricIndex(l.Function) + 1) == (int)BoundaryMode.Reflect), "ndimage's reflect");
        var map = gpu.Launches.Single(l => l.Function.EntryPoint == "scoped_ssim_map").Arguments;
        Assert.AreEqual(1200L, (long)map.Slots[6]);
        Assert.AreEqual((float)(49.0 / 48), map.FloatAt(7), "sample covariance");
        Assert.AreEqual((float)Math.Pow(0.01 * 2, 2), map.FloatAt(8), "C1 with float data range 2");
        Assert.AreEqual((float)Math.Pow(0.03 * 2, 2), map.FloatAt(9));
        var partial = gpu.Launches.Single(l => l.Function.EntryPoint == "scoped_ssim_sum_partial");
        Assert.AreEqual(3, partial.Arguments.IntAt(4), "pad");
        Assert.AreEqual(new Dim3(256, 1), partial.Shape.Grid);
        Assert.AreEqual(1, gpu.Device.Statistics.Downloads, "one double");
        Assert.AreEqual(2, gpu.Live, "the two inputs");
    }

    /// <summary>Where a separable pass takes its symmetric flag (the mode follows it, then cval).</summary>
    private static int SymmetricIndex(GpuFunction f) => f.EntryPoint.Contains("axis0", StringComparison.Ordinal) ? 6 : 7;

    private static void WriteDoubles(FakeGpu gpu, DevicePointer pointer, params double[] values) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<double, byte>(values.AsSpan()).CopyTo(gpu.Bytes(pointer, values.Length * 8L));

    [TestMethod]
    public void Ssim_gaussian_full_rgb_returns_the_map_on_the_device_and_averages_channels_in_float32()
    {
        var (gpu, backend) = NewGpu();
        using var x = GpuArray<float>.Upload(Ramp(20, 20, 3, seed: 1), gpu.Device);
        using var y = GpuArray<float>.Upload(Ramp(20, 20, 3, seed: 2), gpu.Device);
        double[]? weights = null;
        gpu.OnLaunch = (f, s, a) =>
        {
            if (f.EntryPoint == "scoped_sep_axis1_d") weights ??= ReadDoubles(gpu, a.PointerAt(5), a.IntAt(6));
            if (f.EntryPoint == "scoped_ssim_sum_final") WriteDoubles(gpu, a.PointerAt(2), 81 * 0.1, 81 * 0.2, 81 * 0.4);
        };

        double mean;
        NDArray fullMap;
        using (Backend.Use(backend, only: true)) mean = Metrics.StructuralSimilarity(x, y, out fullMap, channelAxis: -1, gaussianWeights: true, dataRange: 1);

        CollectionAssert.AreEqual(Separable.GaussianWeights(1.5, 3.5), weights);
        var partial = gpu.Launches.Last(l => l.Function.EntryPoint == "scoped_ssim_sum_partial");
        Assert.AreEqual(5, partial.Arguments.IntAt(4), "pad of the 11x11 Gaussian window");
        Assert.AreEqual(new Dim3(256, 3), partial.Shape.Grid, "one row of blocks per channel");
        Assert.AreEqual(3, partial.Arguments.IntAt(3));
        var c1 = gpu.Launches.Last(l => l.Function.EntryPoint == "scoped_ssim_map").Arguments.FloatAt(8);
        Assert.AreEqual((float)Math.Pow(0.01, 2), c1);
        Assert.AreEqual(121f / 120, gpu.Launches.Last(l => l.Function.EntryPoint == "scoped_ssim_map").Arguments.FloatAt(7));
        // interior 10 x 10 = 100 elements per channel
        float m0 = (float)(81 * 0.1 / 100), m1 = (float)(81 * 0.2 / 100), m2 = (float)(81 * 0.4 / 100);
        Assert.AreEqual((double)((m0 + m1 + m2) / 3), mean);
        var map = (GpuArray)fullMap;
        Assert.AreSame(gpu.Device, map.Device);
        CollectionAssert.AreEqual(new[] { 20, 20, 3 }, map.Shape.ToArray());
        map.Dispose();
        Assert.AreEqual(2, gpu.Live, "the inputs: the map was the caller's to free");
    }

    [TestMethod]
    public void Ssim_declines_float64_and_full_maps_of_host_images()
    {
        var (gpu, backend) = NewGpu();
        using var a = GpuArray<double>.Upload(HostArray.Create(new double[100], 10, 10), gpu.Device);
        using var b = GpuArray<double>.Upload(HostArray.Create(new double[100], 10, 10), gpu.Device);
        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => On(backend, () => Metrics.StructuralSimilarity(a, b))).Message, "im1 is float64");

        var host1 = Ramp(64, 64, seed: 1);
        var host2 = Ramp(64, 64, seed: 2);
        WithThreshold(0, () =>
        {
            using (Backend.Interop(backend))
            {
                var explanation = Backend.Explain(() => Metrics.StructuralSimilarity(host1, host2, out _));
                Assert.AreNotEqual(GpuBackend.BackendName, explanation.Backend);
            }
        });
        Assert.AreEqual(0, gpu.Device.Statistics.Uploads - 2, "the host images were not uploaded");
    }

    [TestMethod]
    public void Interop_ssim_uploads_each_image_once_and_frees_everything_also_on_a_failed_launch()
    {
        var (gpu, backend) = NewGpu();
        var host1 = Ramp(64, 64, seed: 1);
        var host2 = Ramp(64, 64, seed: 2);
        WithThreshold(0, () =>
        {
            using (Backend.Interop(backend, only: true)) Metrics.StructuralSimilarity(host1, host2);
            gpu.Runtime.Verify(r => r.Upload(It.IsAny<DevicePointer>(), It.IsAny<nint>(), 64 * 64 * 4), Times.Exactly(2));
            Assert.AreEqual(0, gpu.Live);

            int launches = 0;
            gpu.OnLaunch = (_, _, _) => { if (++launches == 6) gpu.FailNext = "Launch"; };
            using (Backend.Interop(backend, only: true)) Assert.Throws<InvalidOperationException>(() => Metrics.StructuralSimilarity(host1, host2));
            Assert.AreEqual(0, gpu.Live);
        });
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance) && !(float.IsNaN(expected[i]) && float.IsNaN(actual[i])))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }
}

/// <summary>
/// C# stand-ins for some kernels, reading the same arguments, so a test can check that the host passes what the CUDA
/// code needs (pointers, sizes, weights, mode, cval). They follow the kernels' arithmetic, not their tiling; they say
/// nothing about whether the CUDA code itself is right (only a GPU run does).
/// </summary>
internal static class KernelStandIn
{
    public static void Run(FakeGpu gpu, GpuFunction function, KernelArguments a)
    {
        switch (function.EntryPoint)
        {
            case "scoped_sep_axis0_f":
            {
                int height = a.IntAt(2), rowLength = a.IntAt(3);
                Separable(gpu, a.PointerAt(0), a.PointerAt(1), height, rowLength, 1, 0, a.PointerAt(4), a.IntAt(5), a.IntAt(6), a.IntAt(7), a.FloatAt(8));
                break;
            }
            case "scoped_sep_axis1_f":
                Separable(gpu, a.PointerAt(0), a.PointerAt(1), a.IntAt(2), a.IntAt(3), a.IntAt(4), 1, a.PointerAt(5), a.IntAt(6), a.IntAt(7), a.IntAt(8), a.FloatAt(9));
                break;
            case "scoped_sep_direct_f":
                Separable(gpu, a.PointerAt(0), a.PointerAt(1), a.IntAt(2), a.IntAt(3), a.IntAt(4), a.IntAt(5), a.PointerAt(6), a.IntAt(7), a.IntAt(8), a.IntAt(9), a.FloatAt(10));
                break;
            case "scoped_edge_magnitude":
            {
                int height = a.IntAt(2), width = a.IntAt(3);
                var mode = (BoundaryMode)a.IntAt(4);
                float wa = a.FloatAt(5), wb = a.FloatAt(6), norm = a.FloatAt(7);
                var src = gpu.Floats(a.PointerAt(0), (long)height * width).ToArray();
                var dst = gpu.Floats(a.PointerAt(1), (long)height * width);
                float At(int row, int col) => row < 0 || col < 0 ? 0f : src[row * width + col];
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        int yu = Border.Map(y - 1, height, mode), yd = Border.Map(y + 1, height, mode);
                        int[] cols = [Border.Map(x - 1, width, mode), x, Border.Map(x + 1, width, mode)];
                        var diff = new float[3];
                        var mean = new float[3];
                        for (int k = 0; k < 3; k++)
                        {
                            if (cols[k] < 0) continue;
                            float up = At(yu, cols[k]), mid = src[y * width + cols[k]], down = At(yd, cols[k]);
                            diff[k] = down - up;
                            mean[k] = mid * wb + (up + down) * wa;
                        }
                        float h = diff[1] * wb + (diff[0] + diff[2]) * wa, v = mean[2] - mean[0];
                        dst[y * width + x] = MathF.Sqrt(h * h + v * v) / norm;
                    }
                break;
            }
            case "scoped_laplace":
            {
                int height = a.IntAt(2), width = a.IntAt(3);
                var src = gpu.Floats(a.PointerAt(0), (long)height * width).ToArray();
                var dst = gpu.Floats(a.PointerAt(1), (long)height * width);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        int yu = Border.Map(y - 1, height, BoundaryMode.Reflect), yd = Border.Map(y + 1, height, BoundaryMode.Reflect);
                        int xl = Border.Map(x - 1, width, BoundaryMode.Reflect), xr = Border.Map(x + 1, width, BoundaryMode.Reflect);
                        double sum = -(double)src[yu * width + x];
                        sum -= src[y * width + xl];
                        sum += 4 * (double)src[y * width + x];
                        sum -= src[y * width + xr];
                        sum -= src[yd * width + x];
                        dst[y * width + x] = (float)sum;
                    }
                break;
            }
            case "scoped_eroded_mask":
            {
                int height = a.IntAt(2), width = a.IntAt(3);
                var mask = gpu.Bytes(a.PointerAt(1), (long)height * width).ToArray();
                var values = gpu.Floats(a.PointerAt(0), (long)height * width);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        bool keep = y > 0 && y < height - 1 && x > 0 && x < width - 1;
                        for (int dy = -1; keep && dy <= 1; dy++)
                            for (int dx = -1; dx <= 1; dx++)
                                if (mask[(y + dy) * width + x + dx] == 0) { keep = false; break; }
                        if (!keep) values[y * width + x] *= 0f;
                    }
                break;
            }
        }
    }

    /// <summary>scoped_taps_f's order along one axis: rows (axis 0) of rowLength elements, or pixels (axis 1) of channels elements.</summary>
    private static void Separable(FakeGpu gpu, DevicePointer srcPointer, DevicePointer dstPointer, int height, int width, int channels, int axis,
        DevicePointer weightPointer, int n, int symmetric, int mode, float cval)
    {
        long count = (long)height * width * channels;
        var src = gpu.Floats(srcPointer, count).ToArray();
        var w = gpu.Floats(weightPointer, n).ToArray();
        var dst = gpu.Floats(dstPointer, count);
        int r = n / 2, rowLength = width * channels;
        var window = new float[n];
        for (int y = 0; y < height; y++)
            for (int e = 0; e < rowLength; e++)
            {
                int x = e / channels, c = e % channels;
                for (int k = 0; k < n; k++)
                {
                    int m = axis == 0 ? Border.Map(y + k - r, height, (BoundaryMode)mode) : Border.Map(x + k - r, width, (BoundaryMode)mode);
                    window[k] = m < 0 ? cval : axis == 0 ? src[m * rowLength + e] : src[y * rowLength + m * channels + c];
                }
                float acc;
                if (symmetric != 0)
                {
                    acc = window[r] * w[r];
                    for (int j = 1; j <= r; j++) acc = MathF.FusedMultiplyAdd(window[r - j] + window[r + j], w[r + j], acc);
                }
                else
                {
                    acc = window[0] * w[0];
                    for (int k = 1; k < n; k++) acc = MathF.FusedMultiplyAdd(window[k], w[k], acc);
                }
                dst[y * rowLength + e] = acc;
            }
    }
}
