using Scoped.Backends.Gpu;
using Scoped.Dispatch;

// Discovery reads this without running the assembly's code; a test checks the list against what the backend registers.
[assembly: ScopedBackend(GpuBackend.BackendName, typeof(GpuBackend), "scoped.image",
    OwnedTypes = [typeof(GpuArray)],
    Description = "CUDA GPUs: GpuArray device arrays and kernels compiled at run time with NVRTC",
    Functions = [
        // filters (GpuBackend.Filters.cs)
        // morphology, and the median filter (GpuBackend.Morphology.cs)
        "scoped.image.filters:median",
        "scoped.image.morphology:closing",
        "scoped.image.morphology:dilation",
        "scoped.image.morphology:erosion",
        "scoped.image.morphology:opening",
        // transform (GpuBackend.Geometry.cs)
        // color and exposure, and threshold_otsu (GpuBackend.ColorAndExposure.cs)
        "scoped.image.color:rgb2gray",
        "scoped.image.exposure:equalize_hist",
        "scoped.image.exposure:rescale_intensity",
        "scoped.image.filters:threshold_otsu",
        // metrics (GpuBackend.Metrics.cs)
        "scoped.image.metrics:mean_squared_error",
        "scoped.image.metrics:peak_signal_noise_ratio",
    ])]
