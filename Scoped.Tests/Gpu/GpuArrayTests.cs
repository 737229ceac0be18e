using Scoped.Backends.Gpu;
using Scoped.Image;

namespace Scoped.Tests.Gpu;

/// <summary>Device arrays on a mocked runtime: transfers, views, and memory freed exactly once on every path.</summary>
[TestClass]
public sealed class GpuArrayTests
{
    private static HostArray<float> Ramp(int rows, int cols)
    {
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = i * 0.5f - 7;
        return HostArray.Create(data, rows, cols);
    }

    [TestMethod]
    public void Upload_then_download_gives_the_same_array_and_counts_one_of_each()
    {
        var gpu = new FakeGpu();
        var host = Ramp(5, 7);

        using var device = GpuArray<float>.Upload(host, gpu.Device);
        var back = device.Download();

        Assert.AreEqual("gpu", device.Kind);
        CollectionAssert.AreEqual(new[] { 5, 7 }, device.Shape.ToArray());
        Assert.AreEqual(DType.Float32, device.DType);
        CollectionAssert.AreEqual(host.ToArray(), back.ToArray());
        Assert.AreEqual(1, gpu.Device.Statistics.Uploads);
        Assert.AreEqual(1, gpu.Device.Statistics.Downloads);
        Assert.AreEqual(35 * 4, gpu.Device.Statistics.BytesUploaded);
    }

    [TestMethod]
    public void A_strided_host_view_is_packed_before_upload()
    {
        var gpu = new FakeGpu();
        // Column-major: the same shape, but rows are not contiguous.
        var data = new float[6 * 8];
        for (int i = 0; i < data.Length; i++) data[i] = i;
        var view = new HostArray<float>(System.Numerics.Tensors.Tensor.Create(data, 0, [6, 8], [1, 6]));
        Assert.AreEqual(6, (int)view.Tensor.Strides[1], "column-major");

        using var device = GpuArray<float>.Upload(view, gpu.Device);

        CollectionAssert.AreEqual(view.ToArray(), device.Download().ToArray());
    }

    [TestMethod]
    public void Every_dtype_round_trips_through_the_untyped_entry_points()
    {
        var gpu = new FakeGpu();
        foreach (var dtype in new[] { DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64 })
        {
            var host = HostArray.Zeros(dtype, 3, 4, 3);
            using var device = GpuArray.Upload(host, gpu.Device);
            var back = device.Download();
            Assert.AreEqual(dtype, back.DType);
            CollectionAssert.AreEqual(host.Shape.ToArray(), back.Shape.ToArray());
        }
        Assert.AreEqual(0, gpu.Live);
    }

    [TestMethod]
    public void Dispose_frees_once_and_use_after_dispose_throws()
    {
        var gpu = new FakeGpu();
        var device = GpuArray<float>.Upload(Ramp(4, 4), gpu.Device);
        Assert.AreEqual(1, gpu.Live);

        device.Dispose();
        device.Dispose();

        Assert.AreEqual(0, gpu.Live);
        Assert.AreEqual(1, gpu.Device.Statistics.Frees);
        Assert.Throws<ObjectDisposedException>(() => _ = device.Pointer);
        Assert.Throws<ObjectDisposedException>(() => device.Download());
    }

    [TestMethod]
    public void A_view_shares_memory_and_keeps_it_alive_until_the_last_holder_is_disposed()
    {
        var gpu = new FakeGpu();
        var host = Ramp(6, 3);
        var device = GpuArray<float>.Upload(host, gpu.Device);

        var rows = device.Rows(2, 3);
        Assert.AreEqual(1, gpu.Device.Statistics.Allocations, "a view allocates nothing");
        CollectionAssert.AreEqual(host.ToArray()[6..15], rows.Download().ToArray());

        device.Dispose();
        Assert.AreEqual(1, gpu.Live, "the view still holds the memory");
        CollectionAssert.AreEqual(host.ToArray()[6..15], rows.Download().ToArray());
        rows.Dispose();
        Assert.AreEqual(0, gpu.Live);
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuArray<float>.Upload(host, gpu.Device).Rows(5, 2));
    }

    [TestMethod]
    public void A_failed_upload_frees_the_allocation_and_surfaces_the_error()
    {
        var gpu = new FakeGpu { FailNext = "Upload" };

        var error = Assert.Throws<InvalidOperationException>(() => GpuArray<float>.Upload(Ramp(3, 3), gpu.Device));

        StringAssert.Contains(error.Message, "Upload failed");
        Assert.AreEqual(0, gpu.Live);
    }

    [TestMethod]
    public void A_forgotten_array_is_freed_by_the_finalizer()
    {
        var gpu = new FakeGpu();
        Forget(gpu);
        for (int i = 0; i < 5 && gpu.Live > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.AreEqual(0, gpu.Live);
        Assert.AreEqual(1, gpu.Device.Statistics.Frees);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static void Forget(FakeGpu gpu) => GpuArray<float>.Upload(Ramp(8, 8), gpu.Device);
    }

    [TestMethod]
    public void Zeros_fills_and_bad_shapes_are_refused_naming_the_parameter()
    {
        var gpu = new FakeGpu();
        using var zeros = GpuArray<int>.Zeros(gpu.Device, 2, 3);
        CollectionAssert.AreEqual(new int[6], zeros.Download().ToArray());

        var error = Assert.Throws<ArgumentException>(() => GpuArray<float>.Allocate(gpu.Device, 2, -1));
        Assert.AreEqual("shape", error.ParamName);
    }

    [TestMethod]
    public async Task The_async_transfers_give_the_same_bytes()
    {
        var gpu = new FakeGpu();
        var host = Ramp(9, 2);
        using var device = await GpuArray.UploadAsync(host, gpu.Device);
        var back = (HostArray<float>)await device.DownloadAsync();
        CollectionAssert.AreEqual(host.ToArray(), back.ToArray());
    }
}
