using Scoped.Backends.Gpu;
using Scoped.Backends.Gpu.Native;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Gpu;

/// <summary>
/// The backend on a machine without the CUDA driver (developer machines, CI): it loads, says why it cannot run, and
/// host programs are unaffected. On a machine that has libcuda these tests are inconclusive; NativeOnGpuTests runs there.
/// </summary>
[TestClass]
public sealed class NativeWithoutGpuTests
{
    private static string ReasonOrSkip()
    {
        if (Scoped.Tests.Image.ImageTestKit.EmulateGpu && Scoped.Tests.Image.ImageTestKit.TestBackend == GpuBackend.BackendName)
            Assert.Inconclusive("SCOPED_GPU_EMULATE=1 registers the emulated device as \"gpu\" in place of the discovered backend.");
        if (CudaLibraryResolver.Load(CudaLibrary.Driver).Found)
            Assert.Inconclusive("This machine has the CUDA driver; the no-GPU behaviour is checked where it is missing.");
        Assert.IsFalse(CudaRuntime.TryCreate(out var runtime, out var reason));
        Assert.IsNull(runtime);
        return reason!;
    }

    private static HostArray<float> Image(int size = 32)
    {
        var data = new float[size * size];
        for (int i = 0; i < data.Length; i++) data[i] = i % 7 * 0.125f;
        return HostArray.Create(data, size, size);
    }

    [TestMethod]
    public void TryCreate_says_that_libcuda_was_not_found_and_where_it_looked()
    {
        var reason = ReasonOrSkip();

        var library = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
        StringAssert.StartsWith(reason, $"{library} was not found (searched: ");
        if (!OperatingSystem.IsWindows())
        {
            StringAssert.Contains(reason, "/usr/local/cuda/lib64");
            StringAssert.Contains(reason, "/usr/lib/x86_64-linux-gnu");
        }
    }

    [TestMethod]
    public void The_default_device_reports_the_same_reason_and_creating_an_array_throws_it()
    {
        var reason = ReasonOrSkip();

        Assert.AreEqual(reason, GpuDevice.DefaultUnavailableReason);
        var thrown = Assert.ThrowsExactly<GpuUnavailableException>(() => GpuArray.Upload(Image()));
        Assert.AreEqual(reason, thrown.Reason);
        StringAssert.Contains(thrown.Message, reason);
        Assert.ThrowsExactly<GpuUnavailableException>(() => _ = GpuDevice.Default);
    }

    [TestMethod]
    public void The_discovered_gpu_backend_is_listed_as_unavailable_with_the_reason()
    {
        var reason = ReasonOrSkip();

        // Discovery reads metadata only; a call in its scope loads it, after which its reason is known.
        using (Backend.Use(GpuBackend.BackendName)) Filters.Gaussian(Image(), 2);
        var info = Backend.Registered.SingleOrDefault(b => b.Name == GpuBackend.BackendName);

        Assert.IsNotNull(info, "the gpu backend beside the tests is discovered");
        Assert.AreEqual(reason, info.UnavailableReason);
        CollectionAssert.Contains(info.OwnedTypes.ToList(), typeof(GpuArray).FullName);
    }

    [TestMethod]
    public void A_host_program_without_a_scope_runs_on_the_default_backend()
    {
        ReasonOrSkip();
        var image = Image();

        var explained = Backend.Explain(() => Filters.Gaussian(image, 2));

        Assert.AreEqual("default", explained.Backend);
        Assert.IsInstanceOfType<HostArray>(explained.Result);
    }

    [TestMethod]
    public void In_a_gpu_scope_the_call_falls_back_and_the_explanation_gives_the_reason()
    {
        var reason = ReasonOrSkip();
        var image = Image();

        DispatchExplanation<NDArray> explained;
        using (Backend.Use(GpuBackend.BackendName)) explained = Backend.Explain(() => Filters.Gaussian(image, 2));

        Assert.AreEqual("default", explained.Backend);
        var gpu = explained.Call!.Candidates.First(c => c.Backend == GpuBackend.BackendName);
        Assert.AreEqual(CandidateOutcome.Unavailable, gpu.Outcome);
        Assert.AreEqual(reason, gpu.Reason);
        StringAssert.Contains(explained.ToString(), reason);
    }

    [TestMethod]
    public void With_only_the_call_throws_BackendNotImplementedException_carrying_the_reason()
    {
        var reason = ReasonOrSkip();
        var image = Image();

        BackendNotImplementedException thrown;
        using (Backend.Use(GpuBackend.BackendName, only: true))
            thrown = Assert.ThrowsExactly<BackendNotImplementedException>(() => Filters.Gaussian(image, 2));

        Assert.IsTrue(thrown.Candidates.Any(c => c.Backend == GpuBackend.BackendName && c.Reason == reason), thrown.Message);
        StringAssert.Contains(thrown.Message, reason);
    }
}
