using System.Reflection;
using System.Runtime.InteropServices;
using Scoped.Backends.Gpu;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Gpu;

/// <summary>
/// filters.median and morphology.erosion / dilation / opening / closing on the "gpu" backend over a mocked device:
/// which kernels are launched with which shapes and arguments, what is declined and why, and that every temporary is
/// freed on every path. Kernel numerics are checked by the emulated device (EmulatedKernelTests) and on a GPU (the GPU check script runs the image suite with
/// SCOPED_TEST_BACKEND=gpu); the kernels here are stood in for by <see cref="FakeGpu.OnLaunch"/> where the host
/// plumbing needs data.
/// </summary>
[TestClass]
public sealed class GpuRankMorphologyTests
{
    private static readonly string[] AreaFunctions =
    [
        "scoped.image.filters:median",
        "scoped.image.morphology:closing",
        "scoped.image.morphology:dilation",
        "scoped.image.morphology:erosion",
        "scoped.image.morphology:opening",
    ];

    internal static GpuArray<T> Device<T>(FakeGpu gpu, int rows, int cols, Func<int, T> value) where T : unmanaged =>
        GpuArray<T>.Upload(HostArray.Create(Enumerable.Range(0, rows * cols).Select(value).ToArray(), rows, cols), gpu.Device);

    private static HostArray<byte> Ones(int rows, int cols) => HostArray.Create(Enumerable.Repeat((byte)1, rows * cols).ToArray(), rows, cols);

    private static string Entry(FakeGpu gpu, int launch) => gpu.Launches[launch].Function.EntryPoint;

    [TestMethod]
    public void The_attribute_lists_every_function_this_area_registers()
    {
        var attribute = typeof(GpuBackend).Assembly.GetCustomAttribute<ScopedBackendAttribute>()!;
        var registered = new GpuBackend(new FakeGpu().Device).Info.Functions;
        foreach (var name in AreaFunctions)
        {
            CollectionAssert.Contains(attribute.Functions.ToArray(), name, "AssemblyInfo.cs must list it");
            CollectionAssert.Contains(registered.ToArray(), name, "the backend must register it");
        }
    }

    [TestMethod]
    public void Median_3x3_launches_one_thread_per_pixel_with_the_size_mode_and_cval_in_the_image_type()
    {
        var gpu = new FakeGpu();
        using var image = Device<byte>(gpu, 5, 7, i => (byte)i);

        using var result = (GpuArray)Call(gpu, () => Filters.Median(image, mode: BoundaryMode.Constant, cval: 300.7));

        CollectionAssert.AreEqual(new[] { "rank:median3x3_u8" }, gpu.Loads);
        var (_, shape, args) = gpu.Launches.Single();
        Assert.AreEqual(new LaunchShape(new Dim3(1, 1), new Dim3(32, 8)), shape);
        Assert.AreEqual(image.Pointer, args.PointerAt(0));
        Assert.AreEqual(result.Pointer, args.PointerAt(1));
        Assert.AreEqual(7, args.IntAt(2), "width");
        Assert.AreEqual(5, args.IntAt(3), "height");
        Assert.AreEqual((int)BoundaryMode.Constant, args.IntAt(4));
        Assert.AreEqual(255.0, args.DoubleAt(5), "cval saturates to the uint8 range, as Elements.From does");
        Assert.AreEqual(DType.UInt8, result.DType);
        CollectionAssert.AreEqual(new[] { 5, 7 }, result.Shape.ToArray());
        Assert.AreSame(gpu.Device, result.Device);
        Assert.AreEqual(2, gpu.Live, "the input and the result, nothing else");
    }

    [TestMethod]
    public void Median_with_a_full_5x5_footprint_runs_the_5x5_kernel_for_the_image_type()
    {
        var gpu = new FakeGpu();
        using var image = Device<float>(gpu, 40, 70, i => i);

        using var result = (GpuArray)Call(gpu, () => Filters.Median(image, Ones(5, 5), BoundaryMode.Wrap, 0.1));

        var (function, shape, args) = gpu.Launches.Single();
        Assert.AreEqual("median5x5_f32", function.EntryPoint);
        Assert.AreEqual(new Dim3(3, 5), shape.Grid);
        Assert.AreEqual((int)BoundaryMode.Wrap, args.IntAt(4));
        Assert.AreEqual((double)0.1f, args.DoubleAt(5), "cval rounded to float32");
    }

    [TestMethod]
    public void Median_of_a_bool_image_runs_the_byte_kernel()
    {
        var gpu = new FakeGpu();
        using var image = Device<bool>(gpu, 4, 4, i => i % 3 == 0);
        using var result = (GpuArray)Call(gpu, () => Filters.Median(image));
        Assert.AreEqual("median3x3_u8", Entry(gpu, 0));
        Assert.AreEqual(DType.Bool, result.DType);
    }

    [TestMethod]
    public void Median_declines_footprints_other_than_full_3x3_and_5x5_squares_with_the_reason()
    {
        var cross = HostArray.Create(new byte[] { 0, 1, 0, 1, 1, 1, 0, 1, 0 }, 3, 3);
        StringAssert.Contains(GpuMedian.Decline(HostArray.Zeros<float>(4, 4), cross), "3x3 or 5x5");
        StringAssert.Contains(GpuMedian.Decline(HostArray.Zeros<float>(4, 4), Ones(3, 4)), "(3, 4)");
        Assert.IsNull(GpuMedian.Decline(HostArray.Zeros<float>(4, 4), Ones(3, 3)));

        var gpu = new FakeGpu();
        using var image = Device<float>(gpu, 6, 6, i => i);
        var error = Assert.Throws<BackendNotImplementedException>(() => Call(gpu, () => Filters.Median(image, cross)));
        StringAssert.Contains(error.Message, "3x3 or 5x5");
        Assert.AreEqual(0, gpu.Launches.Count);
        Assert.AreEqual(1, gpu.Live);
    }

    [TestMethod]
    public void A_failed_median_launch_frees_the_result()
    {
        var gpu = new FakeGpu();
        using var image = Device<float>(gpu, 6, 6, i => i);
        gpu.FailNext = "Launch";

        Assert.Throws<InvalidOperationException>(() => Call(gpu, () => Filters.Median(image)));

        Assert.AreEqual(1, gpu.Live, "only the caller's image is left");
    }

    [TestMethod]
    public void An_interop_median_uploads_the_image_once_downloads_the_result_once_and_frees_both()
    {
        var gpu = new FakeGpu();
        var backend = new GpuBackend(gpu.Device);
        // 512 x 256 float32 = 512 kB: at the default interop threshold. The stand-in kernel copies input to output.
        var host = HostArray.Create(Enumerable.Range(0, 512 * 256).Select(i => (float)(i % 1000)).ToArray(), 512, 256);
        gpu.OnLaunch = (_, _, args) => gpu.Floats(args.PointerAt(0), host.Size).CopyTo(gpu.Floats(args.PointerAt(1), host.Size));

        NDArray result;
        using (Backend.Interop(backend, only: true)) result = Filters.Median(host);

        Assert.IsInstanceOfType<HostArray<float>>(result);
        CollectionAssert.AreEqual(host.ToArray(), ((HostArray<float>)result).ToArray());
        Assert.AreEqual(1, gpu.Device.Statistics.Uploads);
        Assert.AreEqual(1, gpu.Device.Statistics.Downloads);
        Assert.AreEqual(0, gpu.Live);
    }

    [TestMethod]
    public void An_interop_morphology_call_with_a_small_footprint_is_not_declined_for_the_footprint_size()
    {
        var gpu = new FakeGpu();
        var host = HostArray.Zeros<float>(512, 256);

        NDArray result;
        using (Backend.Interop(new GpuBackend(gpu.Device), only: true)) result = Morphology.Erosion(host, Morphology.Disk(1));

        Assert.IsInstanceOfType<HostArray<float>>(result);
        Assert.AreEqual("morph_tile_min_f32", Entry(gpu, 0));
        Assert.AreEqual(0, gpu.Live);
    }

    [TestMethod]
    public void Erosion_with_a_square_runs_separably_down_then_across_and_frees_the_intermediate()
    {
        var gpu = new FakeGpu();
        using var image = Device<float>(gpu, 20, 50, i => i);

        using var result = (GpuArray)Call(gpu, () => Morphology.Erosion(image, Morphology.Square(5)));

        Assert.AreEqual(2, gpu.Launches.Count);
        Assert.AreEqual("morph_rows_min_f32", Entry(gpu, 0));
        Assert.AreEqual("morph_cols_min_f32", Entry(gpu, 1));
        var rows = gpu.Launches[0].Arguments;
        var cols = gpu.Launches[1].Arguments;
        Assert.AreEqual(image.Pointer, rows.PointerAt(0));
        Assert.AreEqual(rows.PointerAt(1), cols.PointerAt(0), "the second pass reads the first's output");
        Assert.AreEqual(result.Pointer, cols.PointerAt(1));
        Assert.AreEqual(-2, rows.IntAt(4), "first row offset");
        Assert.AreEqual(5, rows.IntAt(5), "rows");
        Assert.AreEqual(-2, cols.IntAt(4), "first column offset");
        Assert.AreEqual(5, cols.IntAt(5), "columns");
        Assert.AreEqual((int)BoundaryMode.Reflect, rows.IntAt(6), "ndimage's 'reflect', as scikit-image");
        Assert.AreEqual(2, gpu.Live, "the intermediate is freed");
    }

    [TestMethod]
    public void An_even_square_is_centred_at_n_minus_1_over_2_or_n_over_2_when_shifted()
    {
        var gpu = new FakeGpu();
        using var image = Device<byte>(gpu, 9, 9, i => (byte)i);

        using (Call(gpu, () => (GpuArray)Morphology.Dilation(image, Morphology.Square(4)))) { }
        using (Call(gpu, () => (GpuArray)Morphology.Dilation(image, Morphology.Square(4), shiftX: true, shiftY: false))) { }

        Assert.AreEqual("morph_rows_max_u8", Entry(gpu, 0));
        Assert.AreEqual(-1, gpu.Launches[0].Arguments.IntAt(4), "rows: centre (4 - 1) / 2");
        Assert.AreEqual(-1, gpu.Launches[1].Arguments.IntAt(4), "columns: centre (4 - 1) / 2");
        Assert.AreEqual(-2, gpu.Launches[2].Arguments.IntAt(4), "shiftX moves the row centre to 4 / 2");
        Assert.AreEqual(-1, gpu.Launches[3].Arguments.IntAt(4), "columns unshifted");
    }

    [TestMethod]
    public void Dilation_with_a_disk_uploads_the_footprint_offsets_and_sizes_the_shared_tile()
    {
        var gpu = new FakeGpu();
        using var image = Device<byte>(gpu, 30, 40, i => (byte)i);
        int[]? offsets = null;
        gpu.OnLaunch = (_, _, args) => offsets = MemoryMarshal.Cast<byte, int>(gpu.Bytes(args.PointerAt(4), 8L * args.IntAt(5))).ToArray();

        using var result = (GpuArray)Call(gpu, () => Morphology.Dilation(image, Morphology.Disk(2)));

        var (function, shape, args) = gpu.Launches.Single();
        Assert.AreEqual("morph_tile_max_u8", function.EntryPoint);
        Assert.AreEqual(13, args.IntAt(5), "a radius-2 disk has 13 elements");
        Assert.AreEqual(-2, args.IntAt(6), "smallest row offset");
        Assert.AreEqual(-2, args.IntAt(7), "smallest column offset");
        Assert.AreEqual(32 + 4, args.IntAt(8), "tile width");
        Assert.AreEqual(8 + 4, args.IntAt(9), "tile height");
        Assert.AreEqual(36 * 12 * 1, shape.SharedBytes);
        Assert.AreEqual(new Dim3(2, 4), shape.Grid);
        // The disk's elements relative to the tile origin, row by row: (0, 2), (1, 1), (1, 2), (1, 3), (2, 0) ...
        CollectionAssert.AreEqual(new[] { 0, 2, 1, 1, 1, 2, 1, 3, 2, 0 }, offsets![..10]);
        Assert.AreEqual(2, gpu.Live, "the offset table is freed");
    }

    [TestMethod]
    public void The_default_footprint_is_the_3x3_cross()
    {
        var gpu = new FakeGpu();
        using var image = Device<double>(gpu, 8, 8, i => i);
        int[]? offsets = null;
        gpu.OnLaunch = (_, _, args) => offsets = MemoryMarshal.Cast<byte, int>(gpu.Bytes(args.PointerAt(4), 8L * args.IntAt(5))).ToArray();

        using (Call(gpu, () => (GpuArray)Morphology.Erosion(image))) { }

        Assert.AreEqual("morph_tile_min_f64", Entry(gpu, 0));
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 0, 1, 1, 1, 2, 2, 1 }, offsets);
        Assert.AreEqual(34 * 10 * 8, gpu.Launches[0].Shape.SharedBytes);
    }

    [TestMethod]
    public void Opening_with_an_even_footprint_pads_erodes_dilates_crops_and_frees_the_temporaries()
    {
        var gpu = new FakeGpu();
        using var image = Device<float>(gpu, 10, 12, i => i);

        using var result = (GpuArray)Call(gpu, () => Morphology.Opening(image, Morphology.Square(2)));

        CollectionAssert.AreEqual(new[]
        {
            "morph_window_f32", "morph_rows_min_f32", "morph_cols_min_f32", "morph_rows_max_f32", "morph_cols_max_f32", "morph_window_f32",
        }, gpu.Launches.Select(l => l.Function.EntryPoint).ToArray());
        var pad = gpu.Launches[0].Arguments;
        Assert.AreEqual((14, 12, -1, -1), (pad.IntAt(4), pad.IntAt(5), pad.IntAt(6), pad.IntAt(7)), "edge padding by n - 1 = 1 on each side");
        Assert.AreEqual(0, gpu.Launches[1].Arguments.IntAt(4), "the erosion centres the even axis at (2 - 1) / 2");
        Assert.AreEqual(-1, gpu.Launches[3].Arguments.IntAt(4), "the dilation centres it at 2 / 2");
        var crop = gpu.Launches[5].Arguments;
        Assert.AreEqual((12, 10, 1, 1), (crop.IntAt(4), crop.IntAt(5), crop.IntAt(6), crop.IntAt(7)), "cropped back");
        CollectionAssert.AreEqual(new[] { 10, 12 }, result.Shape.ToArray());
        Assert.AreEqual(2, gpu.Live, "padded image and both intermediates freed");
    }

    [TestMethod]
    public void Closing_with_an_odd_footprint_dilates_first_without_padding()
    {
        var gpu = new FakeGpu();
        using var image = Device<int>(gpu, 10, 12, i => i);

        using var result = (GpuArray)Call(gpu, () => Morphology.Closing(image, Morphology.Disk(1)));

        CollectionAssert.AreEqual(new[] { "morph_tile_max_i32", "morph_tile_min_i32" }, gpu.Launches.Select(l => l.Function.EntryPoint).ToArray());
        Assert.AreEqual(gpu.Launches[0].Arguments.PointerAt(1), gpu.Launches[1].Arguments.PointerAt(0), "the erosion reads the dilation's output");
        Assert.AreEqual(result.Pointer, gpu.Launches[1].Arguments.PointerAt(1));
        Assert.AreEqual(2, gpu.Live, "the image and the result; the intermediate is freed");
    }

    [TestMethod]
    public void A_launch_failing_in_the_middle_of_an_opening_frees_every_temporary()
    {
        var gpu = new FakeGpu();
        using var image = Device<float>(gpu, 10, 12, i => i);
        gpu.OnLaunch = (_, _, _) =>
        {
            if (gpu.Launches.Count == 4) throw new InvalidOperationException("injected failure in the dilation");
        };

        Assert.Throws<InvalidOperationException>(() => Call(gpu, () => Morphology.Opening(image, Morphology.Square(2))));

        Assert.AreEqual(1, gpu.Live, "only the caller's image is left");
    }

    [TestMethod]
    public void A_footprint_whose_tile_would_not_fit_in_shared_memory_is_declined_with_the_reason()
    {
        var big = Ones(101, 101);
        big.Tensor[0, 0] = 0;   // not a full rectangle, so it needs the tiled kernel
        var reason = GpuMorphology.Decline(HostArray.Zeros<double>(8, 8), big);
        StringAssert.Contains(reason, "shared-memory tile");
        Assert.IsNull(GpuMorphology.Decline(HostArray.Zeros<double>(8, 8), Ones(101, 101)), "full rectangles run separably, any size");
        Assert.IsNull(GpuMorphology.Decline(HostArray.Zeros<float>(8, 8), Morphology.Disk(15)));
    }

    /// <summary>Runs <paramref name="call"/> with the backend on the fake device in scope (GPU arrays go to it with no interop).</summary>
    internal static T Call<T>(FakeGpu gpu, Func<T> call)
    {
        using (Backend.Use(new GpuBackend(gpu.Device), only: true)) return call();
    }
}
