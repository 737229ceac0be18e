using Scoped.Backends.Gpu;
using Scoped.Dispatch;

// Discovery reads this without running the assembly's code; a test checks the list against what the backend registers.
[assembly: ScopedBackend(GpuBackend.BackendName, typeof(GpuBackend), "scoped.image",
    OwnedTypes = [typeof(GpuArray)],
    Description = "CUDA GPUs: GpuArray device arrays and kernels compiled at run time with NVRTC",
    Functions = [
        // filters (GpuBackend.Filters.cs)
        // morphology (GpuBackend.Morphology.cs)
        // transform (GpuBackend.Geometry.cs)
        // color and exposure (GpuBackend.ColorAndExposure.cs)
        // metrics (GpuBackend.Metrics.cs)
    ])]
