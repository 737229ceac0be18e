using Scoped.Backends.Gpu;
using Scoped.Backends.Gpu.Native;
using Scoped.Image;

namespace Scoped.Tests.Gpu;

/// <summary>
/// The CUDA runtime on a real device: transfers, NVRTC compiles, launches, errors and the disk cache. Inconclusive on a
/// machine without a usable GPU (the reason is given); tools/gpu/check.sh runs them on one.
/// </summary>
[TestClass]
[DoNotParallelize] // the kernel cache folder is a process-wide option
public sealed class NativeOnGpuTests
{
    private const string ScaleSource = """
        #include "scale.cuh"
        extern "C" __global__ void scale(float* data, int n, float factor)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) data[i] = scaled(data[i], factor);
        }
        """;

    private static GpuDevice DeviceOrSkip()
    {
        if (GpuDevice.DefaultUnavailableReason is { } reason) Assert.Inconclusive($"No usable GPU: {reason}");
        return GpuDevice.Default;
    }

    private static KernelSource Scale(string salt = "") =>
        new("scale_test", ScaleSource + salt, new Dictionary<string, string> { ["scale.cuh"] = "__device__ inline float scaled(float v, float f) { return v * f; }\n" });

    [TestMethod]
    public void Upload_copy_fill_and_download_move_the_bytes()
    {
        var device = DeviceOrSkip();
        var data = Enumerable.Range(0, 1000).Select(i => i * 0.25f).ToArray();

        using var a = GpuArray<float>.Upload(HostArray.Create(data, 10, 100), device);
        using var b = GpuArray<float>.Allocate(device, 10, 100);
        device.Runtime.Copy(b.Pointer, a.Pointer, a.ByteCount);
        using var zeros = GpuArray<float>.Zeros(device, 3, 5);

        CollectionAssert.AreEqual(data, b.Download().ToArray());
        Assert.IsTrue(zeros.Download().ToArray().All(v => v == 0));
        StringAssert.StartsWith(device.Info.Architecture, "sm_");
        Assert.IsTrue(device.Info.DriverVersion >= CudaReasons.MinimumDriverVersion);
    }

    [TestMethod]
    public void A_kernel_with_a_header_compiles_launches_and_is_cached_on_disk()
    {
        var device = DeviceOrSkip();
        var folder = Path.Combine(Path.GetTempPath(), "scoped-gpu-cache-" + Guid.NewGuid().ToString("N"));
        var before = GpuBackend.CurrentOptions;
        try
        {
            GpuBackend.Configure(o => o.KernelCachePath = folder);
            var source = Scale(salt: "// " + folder);   // a source no earlier run has cached
            var data = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
            using var array = GpuArray<float>.Upload(HostArray.Create(data, 1000), device);

            var function = device.Runtime.Load(source, "scale");
            device.Runtime.Launch(function, LaunchShape.Linear(1000), new KernelArguments().Pointer(array.Pointer).Int(1000).Float(2.5f));

            CollectionAssert.AreEqual(data.Select(v => v * 2.5f).ToArray(), array.Download().ToArray());
            var cached = Directory.GetFiles(folder, "scale_test-*.bin");
            Assert.AreEqual(1, cached.Length, "the compiled module is written to the cache");
            StringAssert.Contains(Path.GetFileName(cached[0]), device.Info.Architecture);
        }
        finally
        {
            GpuBackend.Configure(before);
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void A_compile_error_throws_with_the_nvrtc_log()
    {
        var device = DeviceOrSkip();
        var broken = new KernelSource("broken_test", "extern \"C\" __global__ void k(float* p) { p[0] = undefined_name; }");

        var thrown = Assert.ThrowsExactly<CudaException>(() => device.Runtime.Load(broken, "k"));

        StringAssert.StartsWith(thrown.Call, "nvrtcCompileProgram");
        Assert.AreEqual("NVRTC_ERROR_COMPILATION", thrown.ErrorName);
        StringAssert.Contains(thrown.Message, "undefined_name");
    }

    [TestMethod]
    public void An_unknown_entry_point_throws_naming_it()
    {
        var device = DeviceOrSkip();

        var thrown = Assert.ThrowsExactly<CudaException>(() => device.Runtime.Load(Scale(), "no_such_kernel"));

        StringAssert.StartsWith(thrown.Call, "cuModuleGetFunction");
        StringAssert.Contains(thrown.Message, "no_such_kernel");
        Assert.AreEqual("CUDA_ERROR_NOT_FOUND", thrown.ErrorName);
    }

    [TestMethod]
    public void Work_from_another_thread_uses_the_same_context()
    {
        var device = DeviceOrSkip();
        var data = new float[] { 1, 2, 3 };

        var back = Task.Run(() =>
        {
            using var array = GpuArray<float>.Upload(HostArray.Create(data, 3), device);
            return array.Download().ToArray();
        }).GetAwaiter().GetResult();

        CollectionAssert.AreEqual(data, back);
    }

    [TestMethod]
    public void Events_time_device_work()
    {
        var device = DeviceOrSkip();
        var runtime = (CudaRuntime)device.Runtime;
        using var a = GpuArray<float>.Zeros(device, 1024, 1024);
        using var b = GpuArray<float>.Allocate(device, 1024, 1024);

        var milliseconds = runtime.TimeMilliseconds(() => runtime.Copy(b.Pointer, a.Pointer, a.ByteCount));

        Assert.IsTrue(milliseconds >= 0 && double.IsFinite(milliseconds), $"{milliseconds} ms");
    }
}
