using Scoped.Backends.Gpu;
using Scoped.Dispatch;

// Discovery reads this without running the assembly's code; a test checks the list against what the backend registers.
[assembly: ScopedBackend(GpuBackend.BackendName, typeof(GpuBackend), "scoped.image",
    OwnedTypes = [typeof(GpuArray)],
    Description = "CUDA GPUs: GpuArray device arrays and kernels compiled at run time with NVRTC",
    Functions = [
        // filters (GpuBackend.Filters.cs)
        "scoped.image.filters:gaussian",
        "scoped.image.filters:laplace",
        "scoped.image.filters:prewitt",
        "scoped.image.filters:prewitt_h",
        "scoped.image.filters:prewitt_v",
        "scoped.image.filters:scharr",
        "scoped.image.filters:scharr_h",
        "scoped.image.filters:scharr_v",
        "scoped.image.filters:sobel",
        "scoped.image.filters:sobel_h",
        "scoped.image.filters:sobel_v",
        // morphology, and the median filter (GpuBackend.Morphology.cs)
        "scoped.image.filters:median",
        "scoped.image.morphology:closing",
        "scoped.image.morphology:dilation",
        "scoped.image.morphology:erosion",
        "scoped.image.morphology:opening",
        // transform (GpuBackend.Geometry.cs; rescale calls resize)
        "scoped.image.transform:resize",
        "scoped.image.transform:rotate",
        "scoped.image.transform:warp",
        // color and exposure, and threshold_otsu (GpuBackend.ColorAndExposure.cs)
        "scoped.image.color:rgb2gray",
        "scoped.image.exposure:equalize_hist",
        "scoped.image.exposure:rescale_intensity",
        "scoped.image.filters:threshold_otsu",
        // metrics (GpuBackend.Metrics.cs; structural_similarity in GpuBackend.Ssim.cs)
        "scoped.image.metrics:mean_squared_error",
        "scoped.image.metrics:peak_signal_noise_ratio",
        "scoped.image.metrics:structural_similarity",
    ])]
