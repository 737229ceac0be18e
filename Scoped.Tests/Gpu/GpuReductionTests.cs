using System.Reflection;
using System.Runtime.InteropServices;
using Scoped.Backends.Gpu;
using Scoped.Dispatch;
using Scoped.Image;
using static Scoped.Tests.Gpu.GpuRankMorphologyTests;

namespace Scoped.Tests.Gpu;

/// <summary>
/// metrics.mean_squared_error and peak_signal_noise_ratio on the "gpu" backend over a mocked device: the per-row sums
/// and min/max partials the kernels would write are stood in for (<see cref="GpuKernelStandIns"/>, or fixed values),
/// and the host's combination of them is checked against the CPU. Kernel numerics are checked by the emulated device (EmulatedKernelTests) and on a GPU.
/// </summary>
[TestClass]
public sealed class GpuReductionTests
{
    private static HostArray<T> Host<T>(int rows, int cols, Func<int, T> value) where T : unmanaged =>
        HostArray.Create(Enumerable.Range(0, rows * cols).Select(value).ToArray(), rows, cols);

    [TestMethod]
    public void The_attribute_lists_both_metrics_and_the_backend_registers_them()
    {
        var attribute = typeof(GpuBackend).Assembly.GetCustomAttribute<ScopedBackendAttribute>()!;
        var registered = new GpuBackend(new FakeGpu().Device).Info.Functions;
        foreach (var name in new[] { "scoped.image.metrics:mean_squared_error", "scoped.image.metrics:peak_signal_noise_ratio" })
        {
            CollectionAssert.Contains(attribute.Functions.ToArray(), name);
            CollectionAssert.Contains(registered.ToArray(), name);
        }
    }

    [TestMethod]
    public void Mse_launches_one_block_per_row_and_divides_the_row_sums_added_in_order_by_the_size()
    {
        var gpu = new FakeGpu();
        using var a = Device<float>(gpu, 3, 5, i => i);
        using var b = Device<float>(gpu, 3, 5, i => 0);
        gpu.OnLaunch = (_, _, args) => new double[] { 1.0, 2.0, 4.5 }.CopyTo(MemoryMarshal.Cast<byte, double>(gpu.Bytes(args.PointerAt(6), 24)));

        double mse = Call(gpu, () => Metrics.MeanSquaredError(a, b));

        Assert.AreEqual(7.5 / 15, mse, "a number computed from the downloaded row sums");
        var (function, shape, args) = gpu.Launches.Single();
        Assert.AreEqual("reduce:mse_rows", gpu.Loads.Single());
        Assert.AreEqual(new LaunchShape(new Dim3(3), new Dim3(256)), shape);
        Assert.AreEqual((a.Pointer, 3, b.Pointer, 3), (args.PointerAt(0), args.IntAt(1), args.PointerAt(2), args.IntAt(3)));
        Assert.AreEqual(5, args.IntAt(4), "row length");
        Assert.AreEqual(1, args.IntAt(5), "both float32: squares in float32");
        Assert.AreEqual(2, gpu.Live, "the row sums are freed");
    }

    [TestMethod]
    public void Mse_of_mixed_types_squares_in_float64_and_matches_the_cpu()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        var hostA = Host(6, 9, i => (byte)(i * 37 % 256));
        var hostB = Host(6, 9, i => (float)Math.Sin(i) * 100);
        using var a = GpuArray<byte>.Upload(hostA, gpu.Device);
        using var b = GpuArray<float>.Upload(hostB, gpu.Device);

        double mse = Call(gpu, () => Metrics.MeanSquaredError(a, b));

        Assert.AreEqual((0, 3, 0), (gpu.Launches[0].Arguments.IntAt(1), gpu.Launches[0].Arguments.IntAt(3), gpu.Launches[0].Arguments.IntAt(5)));
        double expected = Metrics.MeanSquaredError(hostA, hostB);
        Assert.AreEqual(expected, mse, 1e-12 * expected);
    }

    [TestMethod]
    public void Mse_of_a_3d_image_takes_rows_of_columns_times_channels()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        var hostA = HostArray.Create(Enumerable.Range(0, 60).Select(i => (float)i / 7).ToArray(), 4, 5, 3);
        var hostB = HostArray.Create(Enumerable.Range(0, 60).Select(i => (float)(i % 5)).ToArray(), 4, 5, 3);
        using var a = GpuArray<float>.Upload(hostA, gpu.Device);
        using var b = GpuArray<float>.Upload(hostB, gpu.Device);

        double mse = Call(gpu, () => Metrics.MeanSquaredError(a, b));

        Assert.AreEqual(new Dim3(4), gpu.Launches[0].Shape.Grid);
        Assert.AreEqual(15, gpu.Launches[0].Arguments.IntAt(4));
        Assert.AreEqual(Metrics.MeanSquaredError(hostA, hostB), mse, 1e-12 * mse);
    }

    [TestMethod]
    public void Psnr_with_a_data_range_needs_only_the_mse()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        var hostA = Host(5, 5, i => (byte)(i * 11));
        var hostB = Host(5, 5, i => (byte)(i * 11 + 3));
        using var a = GpuArray<byte>.Upload(hostA, gpu.Device);
        using var b = GpuArray<byte>.Upload(hostB, gpu.Device);

        double psnr = Call(gpu, () => Metrics.PeakSignalNoiseRatio(a, b, 200));

        Assert.AreEqual("mse_rows", gpu.Launches.Single().Function.EntryPoint);
        Assert.AreEqual(Metrics.PeakSignalNoiseRatio(hostA, hostB, 200), psnr, 1e-12 * psnr);
    }

    [TestMethod]
    public void Psnr_without_a_data_range_takes_it_from_the_min_max_partials_as_the_cpu_does()
    {
        foreach (var (truth, test) in new (HostArray, HostArray)[]
        {
            (Host(7, 6, i => (float)(i % 10) / 10), Host(7, 6, i => (float)(i % 7) / 10)),
            (Host(7, 6, i => i - 20), Host(7, 6, i => i - 18)),
            (Host(7, 6, i => (ushort)(i * 1000)), Host(7, 6, i => (ushort)(i * 999))),
        })
        {
            var gpu = new FakeGpu();
            GpuKernelStandIns.Install(gpu);
            using var a = GpuArray.Upload(truth, gpu.Device);
            using var b = GpuArray.Upload(test, gpu.Device);

            double psnr = Call(gpu, () => Metrics.PeakSignalNoiseRatio(a, b));

            CollectionAssert.AreEqual(new[] { "minmax_partials", "mse_rows" }, gpu.Launches.Select(l => l.Function.EntryPoint).ToArray());
            Assert.AreEqual(Metrics.PeakSignalNoiseRatio(truth, test), psnr, 1e-12 * Math.Abs(psnr), truth.DType.ToString());
            Assert.AreEqual(2, gpu.Live, "the partials and row sums are freed");
        }
    }

    [TestMethod]
    public void Psnr_of_floats_outside_minus_1_to_1_without_a_data_range_throws_as_on_the_cpu()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        using var a = Device<float>(gpu, 4, 4, i => i);
        using var b = Device<float>(gpu, 4, 4, i => 0);

        var error = Assert.Throws<ArgumentException>(() => Call(gpu, () => Metrics.PeakSignalNoiseRatio(a, b)));

        Assert.AreEqual("imageTrue", error.ParamName);
        Assert.AreEqual(2, gpu.Live);
    }

    [TestMethod]
    public void Min_max_partials_combine_in_block_order_skipping_empty_blocks_and_keeping_nan()
    {
        var extremes = GpuReduce.Combine([0, 0, 0, 0, 3, 9, 0, 1, -2, 4, 1, 1, 0, 0, 1, 0, 5, 12, 0, 1]);
        Assert.AreEqual(new GpuReduce.Extremes(-2, 12, true, true), extremes);
        Assert.IsTrue(double.IsNaN(extremes.Propagating.Min), "np.min is NaN when any value is");
        Assert.AreEqual(new GpuReduce.Extremes(0, 0, false, false), GpuReduce.Combine(new double[8]));
    }

    [TestMethod]
    public void An_interop_mse_uploads_each_image_once_downloads_only_the_row_sums_and_frees_everything()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        var hostA = Host(512, 256, i => (float)(i % 97));
        var hostB = Host(512, 256, i => (float)(i % 89));

        double mse;
        using (Backend.Interop(new GpuBackend(gpu.Device), only: true)) mse = Metrics.MeanSquaredError(hostA, hostB);

        Assert.AreEqual(2, gpu.Device.Statistics.Uploads);
        Assert.AreEqual(1, gpu.Device.Statistics.Downloads);
        Assert.AreEqual(512 * 8, gpu.Device.Statistics.BytesDownloaded, "one double per row");
        Assert.AreEqual(0, gpu.Live);
        double expected = Metrics.MeanSquaredError(hostA, hostB);
        Assert.AreEqual(expected, mse, 1e-12 * expected);
    }

    [TestMethod]
    public void A_failed_launch_or_download_frees_the_partials()
    {
        foreach (var failing in new[] { "Launch", "Download" })
        {
            var gpu = new FakeGpu();
            using var a = Device<float>(gpu, 4, 4, i => i);
            using var b = Device<float>(gpu, 4, 4, i => 0);
            gpu.FailNext = failing;

            Assert.Throws<InvalidOperationException>(() => Call(gpu, () => Metrics.MeanSquaredError(a, b)), failing);

            Assert.AreEqual(2, gpu.Live, failing);
        }
    }

    [TestMethod]
    public void Metrics_of_gpu_arrays_on_different_devices_are_refused_with_the_parameter_named()
    {
        var gpu = new FakeGpu();
        using var a = Device<float>(gpu, 4, 4, i => i);
        using var b = Device<float>(new FakeGpu(), 4, 4, i => 0);

        var error = Assert.Throws<ArgumentException>(() => Call(gpu, () => Metrics.MeanSquaredError(a, b)));

        Assert.AreEqual("image1", error.ParamName);
    }
}
