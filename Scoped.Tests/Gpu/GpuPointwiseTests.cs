using System.Reflection;
using System.Runtime.InteropServices;
using Scoped.Backends.Gpu;
using Scoped.Dispatch;
using Scoped.Image;
using static Scoped.Tests.Gpu.GpuRankMorphologyTests;

namespace Scoped.Tests.Gpu;

/// <summary>
/// color.rgb2gray, exposure.rescale_intensity, exposure.equalize_hist and filters.threshold_otsu on the "gpu" backend
/// over a mocked device: the kernels launched and their arguments, declines, frees, and (with the kernels stood in for
/// by <see cref="GpuKernelStandIns"/>) the host side's tables and combinations against the CPU's results. Kernel
/// numerics are checked by the emulated device (EmulatedKernelTests) and on a GPU (the GPU check script runs the image suite with SCOPED_TEST_BACKEND=gpu).
/// </summary>
[TestClass]
public sealed class GpuPointwiseTests
{
    private static HostArray<T> Host<T>(int rows, int cols, Func<int, T> value) where T : unmanaged =>
        HostArray.Create(Enumerable.Range(0, rows * cols).Select(value).ToArray(), rows, cols);

    private static string[] Entries(FakeGpu gpu) => [.. gpu.Launches.Select(l => l.Function.EntryPoint)];

    /// <summary>Runs <paramref name="call"/> on a GPU copy of <paramref name="host"/> with the stand-in kernels, and downloads the result.</summary>
    private static HostArray OnGpu(FakeGpu gpu, HostArray host, Func<NDArray, NDArray> call)
    {
        GpuKernelStandIns.Install(gpu);
        using var image = GpuArray.Upload(host, gpu.Device);
        using var result = (GpuArray)Call(gpu, () => call(image));
        Assert.AreSame(gpu.Device, result.Device);
        return result.Download();
    }

    [TestMethod]
    public void The_attribute_lists_every_function_this_area_registers()
    {
        var attribute = typeof(GpuBackend).Assembly.GetCustomAttribute<ScopedBackendAttribute>()!;
        var registered = new GpuBackend(new FakeGpu().Device).Info.Functions;
        foreach (var name in new[] { "scoped.image.color:rgb2gray", "scoped.image.exposure:equalize_hist", "scoped.image.exposure:rescale_intensity", "scoped.image.filters:threshold_otsu" })
        {
            CollectionAssert.Contains(attribute.Functions.ToArray(), name);
            CollectionAssert.Contains(registered.ToArray(), name);
        }
    }

    [TestMethod]
    public void Rgb2gray_of_float32_runs_in_float32_with_the_cpu_weights()
    {
        var gpu = new FakeGpu();
        var rgb = HostArray.Create(Enumerable.Range(0, 4 * 5 * 3).Select(i => (float)Math.Cos(i)).ToArray(), 4, 5, 3);

        var result = OnGpu(gpu, rgb, image => Color.Rgb2Gray(image));

        var (function, shape, args) = gpu.Launches.Single();
        Assert.AreEqual("rgb2gray_f32", function.EntryPoint);
        Assert.AreEqual(LaunchShape.Linear(20), shape);
        Assert.AreEqual(20L, (long)args.Slots[2]);
        Assert.AreEqual((0.2125f, 0.7154f, 0.0721f), (args.FloatAt(3), args.FloatAt(4), args.FloatAt(5)));
        Image.ImageTestKit.AssertMatches(Color.Rgb2Gray(rgb), result, 0);
    }

    [TestMethod]
    public void Rgb2gray_of_integers_and_bool_goes_through_img_as_float_in_float64()
    {
        foreach (var (rgb, scale, floor) in new (HostArray, double, double)[]
        {
            (HostArray.Create(Enumerable.Range(0, 36).Select(i => (byte)(i * 7)).ToArray(), 3, 4, 3), 1.0 / 255, double.MinValue),
            (HostArray.Create(Enumerable.Range(0, 36).Select(i => i * 99_999_999 - int.MaxValue).ToArray(), 3, 4, 3), 1.0 / int.MaxValue, -1),
            (HostArray.Create(Enumerable.Range(0, 36).Select(i => i % 3 == 1).ToArray(), 3, 4, 3), 1.0, double.MinValue),
        })
        {
            var gpu = new FakeGpu();
            var result = OnGpu(gpu, rgb, image => Color.Rgb2Gray(image));

            var args = gpu.Launches.Single().Arguments;
            Assert.AreEqual("rgb2gray_f64", gpu.Launches[0].Function.EntryPoint);
            Assert.AreEqual((1, scale, floor), (args.IntAt(2), args.DoubleAt(3), args.DoubleAt(4)), rgb.DType.ToString());
            Image.ImageTestKit.AssertMatches(Color.Rgb2Gray(rgb), result, 0, rgb.DType.ToString());
        }
    }

    [TestMethod]
    public void Rescale_with_the_image_range_reads_the_min_max_partials_then_maps_in_float32()
    {
        var gpu = new FakeGpu();
        var host = Host(6, 7, i => (float)(i % 11) * 0.5f + 2);

        var result = OnGpu(gpu, host, image => Exposure.RescaleIntensity(image));

        CollectionAssert.AreEqual(new[] { "minmax_partials", "rescale_f32" }, Entries(gpu));
        var args = gpu.Launches[1].Arguments;
        Assert.AreEqual(3, args.IntAt(2), "float32 out");
        Assert.AreEqual((2f, 7f, 0f, 1f, 5f, 1f, 0), (args.FloatAt(4), args.FloatAt(5), args.FloatAt(6), args.FloatAt(7), args.FloatAt(8), args.FloatAt(9), args.IntAt(10)));
        Image.ImageTestKit.AssertMatches(Exposure.RescaleIntensity(host), result, 0);
    }

    [TestMethod]
    public void Rescale_with_explicit_and_named_ranges_needs_no_reduction_and_matches_the_cpu()
    {
        foreach (var (host, inRange, outRange) in new (HostArray, string, string)[]
        {
            (Host(5, 9, i => (byte)(i * 6)), "10,100", "uint8"),
            (Host(5, 9, i => (ushort)(i * 1000)), "uint12", "0,1"),
            (Host(5, 9, i => (float)i - 20), "-10,10", "uint8"),
            (Host(5, 9, i => (double)i), "dtype", "float32"),
        })
        {
            var gpu = new FakeGpu();
            var result = OnGpu(gpu, host, image => Exposure.RescaleIntensity(image, inRange, outRange));

            Assert.AreEqual(1, gpu.Launches.Count, $"{host.DType} {inRange} -> {outRange}");
            Image.ImageTestKit.AssertMatches(Exposure.RescaleIntensity(host, inRange, outRange), result, 0, $"{host.DType} {inRange} -> {outRange}");
        }
    }

    [TestMethod]
    public void Equalizing_uint8_counts_on_the_device_and_looks_up_the_cpu_cdf()
    {
        var gpu = new FakeGpu();
        var host = Host(8, 9, i => (byte)(40 + i * 13 % 50));
        double[]? table = null;
        var result = OnGpuCapturing(gpu, host, image => Exposure.EqualizeHist(image), "lookup_u8", a => table = Doubles(gpu, a.PointerAt(1), 256));

        CollectionAssert.AreEqual(new[] { "hist_u8", "lookup_u8" }, Entries(gpu));
        Assert.AreEqual(256 * 4, gpu.Launches[0].Shape.SharedBytes);
        Assert.IsTrue(gpu.Launches[0].Arguments.PointerAt(1).IsNull, "no mask");
        Assert.AreEqual(table![40], table[0], "values below the minimum take the first cdf value");
        Assert.AreEqual(1.0, table[255]);
        Image.ImageTestKit.AssertMatches(Exposure.EqualizeHist(host), result, 0);
    }

    [TestMethod]
    public void Equalizing_with_a_host_mask_uploads_it_once_and_frees_it()
    {
        var gpu = new FakeGpu();
        var host = Host(8, 9, i => (ushort)(i * 977 % 3000));
        var mask = Host(8, 9, i => i % 4 != 0);

        var result = OnGpu(gpu, host, image => Exposure.EqualizeHist(image, mask: mask));

        CollectionAssert.AreEqual(new[] { "hist_u16", "lookup_u16" }, Entries(gpu));
        Assert.IsFalse(gpu.Launches[0].Arguments.PointerAt(1).IsNull);
        Assert.AreEqual(3, gpu.Device.Statistics.Uploads, "the image, the mask and the lookup table");
        Assert.AreEqual(0, gpu.Live);
        Image.ImageTestKit.AssertMatches(Exposure.EqualizeHist(host, mask: mask), result, 0);
    }

    [TestMethod]
    public void Equalizing_floats_bins_on_the_device_and_interpolates_the_cpu_tables()
    {
        var gpu = new FakeGpu();
        var host = Host(9, 11, i => (float)Math.Sin(i * 0.37) * 3);

        double[]? xp = null;
        var result = OnGpuCapturing(gpu, host, image => Exposure.EqualizeHist(image, nbins: 16), "interp_f32", a => xp = Doubles(gpu, a.PointerAt(3), 16));

        CollectionAssert.AreEqual(new[] { "minmax_partials", "hist_uniform_f32", "interp_f32" }, Entries(gpu));
        Assert.AreEqual(15 / (xp![15] - xp[0]), gpu.Launches[2].Arguments.DoubleAt(7), "the interval guess's scale: 1 / the centres' spacing");
        var hist = gpu.Launches[1];
        Assert.AreEqual(16, hist.Arguments.IntAt(3));
        Assert.AreEqual(1, hist.Arguments.IntAt(10), "16 bins fit in shared memory");
        Assert.AreEqual(16 * 4, hist.Shape.SharedBytes);
        Assert.AreEqual(16, gpu.Launches[2].Arguments.IntAt(6), "one interpolation point per bin centre");
        Assert.AreEqual(DType.Float32, result.DType);
        Image.ImageTestKit.AssertMatches(Exposure.EqualizeHist(host, nbins: 16), result, 0);
    }

    [TestMethod]
    public void Equalizing_float64_with_a_gpu_mask_and_many_bins_counts_in_global_memory()
    {
        var gpu = new FakeGpu();
        var host = Host(10, 10, i => Math.Cos(i * 1.3) + i * 0.01);
        var mask = Host(10, 10, i => (byte)(i % 3));
        using var deviceMask = GpuArray<byte>.Upload(mask, gpu.Device);

        var result = OnGpu(gpu, host, image => Exposure.EqualizeHist(image, nbins: 10_000, mask: deviceMask));

        Assert.AreEqual(deviceMask.Pointer, gpu.Launches[0].Arguments.PointerAt(2), "the min/max skips masked-out pixels");
        Assert.AreEqual(deviceMask.Pointer, gpu.Launches[1].Arguments.PointerAt(1));
        Assert.AreEqual(0, gpu.Launches[1].Arguments.IntAt(10), "10000 bins: straight to global memory");
        Assert.AreEqual(0, gpu.Launches[1].Shape.SharedBytes);
        Image.ImageTestKit.AssertMatches(Exposure.EqualizeHist(host, nbins: 10_000, mask: mask), result, 0);
    }

    [TestMethod]
    public void Equalizing_with_a_mask_that_selects_nothing_throws_for_the_mask_as_the_cpu_does()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        using var image = Device<float>(gpu, 4, 4, i => i);

        var error = Assert.Throws<ArgumentException>(() => Call(gpu, () => Exposure.EqualizeHist(image, mask: HostArray.Zeros<bool>(4, 4))));

        Assert.AreEqual("mask", error.ParamName);
        Assert.AreEqual(1, gpu.Live);
    }

    [TestMethod]
    public void A_failure_in_any_equalize_launch_frees_every_temporary()
    {
        for (int failing = 1; failing <= 3; failing++)
        {
            var gpu = new FakeGpu();
            using var image = Device<float>(gpu, 6, 6, i => i * 0.1f);
            var standIns = gpu;
            GpuKernelStandIns.Install(gpu, _ =>
            {
                if (standIns.Launches.Count == failing) throw new InvalidOperationException("injected failure");
            });

            Assert.Throws<InvalidOperationException>(() => Call(gpu, () => Exposure.EqualizeHist(image, mask: HostArray.Create(Enumerable.Repeat(true, 36).ToArray(), 6, 6))));

            Assert.AreEqual(1, gpu.Live, $"launch {failing}");
        }
    }

    [TestMethod]
    public void Int32_equalize_and_int32_or_bool_otsu_are_declined_with_the_reason()
    {
        var gpu = new FakeGpu();
        using var ints = Device<int>(gpu, 4, 4, i => i);
        using var bools = Device<bool>(gpu, 4, 4, i => i % 2 == 0);

        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => Call(gpu, () => Exposure.EqualizeHist(ints))).Message, "int32");
        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => Call(gpu, () => Filters.ThresholdOtsu(ints))).Message, "int32");
        StringAssert.Contains(Assert.Throws<BackendNotImplementedException>(() => Call(gpu, () => Filters.ThresholdOtsu(bools))).Message, "bool");
        Assert.AreEqual(0, gpu.Launches.Count);
    }

    [TestMethod]
    public void Otsu_is_a_number_computed_from_the_downloaded_histogram_and_equals_the_cpu()
    {
        foreach (var host in new HostArray[]
        {
            Host(12, 13, i => (byte)(i * 37 % 200 + (i % 5 == 0 ? 50 : 0))),
            Host(12, 13, i => (ushort)(i * 4001 % 60000)),
            Host(12, 13, i => (float)Math.Sin(i) * (i % 3)),
            Host(12, 13, i => Math.Exp(Math.Cos(i))),
            Host(12, 13, i => 3.25f),
        })
        {
            var gpu = new FakeGpu();
            GpuKernelStandIns.Install(gpu);
            using var image = GpuArray.Upload(host, gpu.Device);

            double threshold = Call(gpu, () => Filters.ThresholdOtsu(image, 64));

            Assert.AreEqual(Filters.ThresholdOtsu(host, 64), threshold, host.DType.ToString());
            Assert.AreEqual(1, gpu.Live, "only the image: the histogram and tables are freed");
        }
    }

    [TestMethod]
    public void Otsu_of_a_float_image_with_nan_throws_for_the_image_as_the_cpu_does()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        using var image = Device<float>(gpu, 4, 4, i => i == 5 ? float.NaN : i);

        Assert.AreEqual("image", Assert.Throws<ArgumentException>(() => Call(gpu, () => Filters.ThresholdOtsu(image))).ParamName);
        Assert.AreEqual(1, gpu.Live);
    }

    [TestMethod]
    public void Interop_calls_upload_the_image_once_and_download_the_result_or_the_histogram_once()
    {
        var gpu = new FakeGpu();
        GpuKernelStandIns.Install(gpu);
        var backend = new GpuBackend(gpu.Device);
        var host = Host(1024, 512, i => (byte)(i % 251));

        NDArray rescaled;
        using (Backend.Interop(backend, only: true)) rescaled = Exposure.RescaleIntensity(host, "0,250", "uint8");
        Assert.IsInstanceOfType<HostArray<byte>>(rescaled);
        Assert.AreEqual((1L, 1L), (gpu.Device.Statistics.Uploads, gpu.Device.Statistics.Downloads));

        double threshold;
        using (Backend.Interop(backend, only: true)) threshold = Filters.ThresholdOtsu(host);
        Assert.AreEqual((2L, 2L), (gpu.Device.Statistics.Uploads, gpu.Device.Statistics.Downloads), "otsu downloads its 256 counts, nothing else");
        Assert.AreEqual(256 * 8, gpu.Device.Statistics.BytesDownloaded - host.Size);
        Assert.AreEqual(Filters.ThresholdOtsu(host), threshold);
        Assert.AreEqual(0, gpu.Live);
    }

    private static double[] Doubles(FakeGpu gpu, DevicePointer p, int count) => MemoryMarshal.Cast<byte, double>(gpu.Bytes(p, count * 8L)).ToArray();

    /// <summary>As <see cref="OnGpu"/>, also handing the arguments of one entry point's launch to <paramref name="capture"/> while its buffers are alive.</summary>
    private static HostArray OnGpuCapturing(FakeGpu gpu, HostArray host, Func<NDArray, NDArray> call, string entry, Action<KernelArguments> capture)
    {
        GpuKernelStandIns.Install(gpu);
        var standIn = gpu.OnLaunch!;
        gpu.OnLaunch = (f, s, a) =>
        {
            standIn(f, s, a);
            if (f.EntryPoint == entry) capture(a);
        };
        using var image = GpuArray.Upload(host, gpu.Device);
        using var result = (GpuArray)Call(gpu, () => call(image));
        return result.Download();
    }
}
