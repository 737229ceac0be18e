namespace Scoped.Backends.Gpu.Native;

/// <summary>The CUDA driver API and NVRTC behind <see cref="IGpuRuntime"/>. (Being written: reports unavailable.)</summary>
internal sealed class CudaRuntime
{
    /// <summary>Loads the driver, picks device 0 and retains its primary context; or says why it cannot.</summary>
    public static bool TryCreate(out IGpuRuntime? runtime, out string? reason)
    {
        runtime = null;
        reason = "the CUDA binding is not written yet";
        return false;
    }
}
