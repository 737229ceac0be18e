using Scoped.Backends.Parallel;
using Scoped.Dispatch;

// Discovery reads this without running the assembly's code; a test checks the list against what the backend registers.
[assembly: ScopedBackend(ParallelBackend.BackendName, typeof(ParallelBackend), "scoped.image",
    Description = "Scoped.Image's kernels in row bands on all cores, bit-identical to the default",
    Functions = [
        // filters and feature (ParallelBackend.Filters.cs)
        "scoped.image.feature:canny",
        "scoped.image.feature:corner_harris",
        "scoped.image.filters:difference_of_gaussians",
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
        "scoped.image.filters:threshold_local",
        "scoped.image.filters:unsharp_mask",

        // morphology (ParallelBackend.Morphology.cs)
        "scoped.image.filters:median",
        "scoped.image.morphology:binary_closing",
        "scoped.image.morphology:binary_dilation",
        "scoped.image.morphology:binary_erosion",
        "scoped.image.morphology:binary_opening",
        "scoped.image.morphology:black_tophat",
        "scoped.image.morphology:closing",
        "scoped.image.morphology:dilation",
        "scoped.image.morphology:erosion",
        "scoped.image.morphology:opening",
        "scoped.image.morphology:white_tophat",

        // transform, color, exposure pointwise, util (ParallelBackend.GeometryAndColor.cs)
        "scoped.image.color:gray2rgb",
        "scoped.image.color:hsv2rgb",
        "scoped.image.color:rgb2gray",
        "scoped.image.color:rgb2hsv",
        "scoped.image.exposure:adjust_gamma",
        "scoped.image.exposure:rescale_intensity",
        "scoped.image.transform:pyramid_reduce",
        "scoped.image.transform:resize",
        "scoped.image.transform:rotate",
        "scoped.image.transform:warp",
        "scoped.image.util:img_as_float",
        "scoped.image.util:img_as_ubyte",
        "scoped.image.util:pad",

        // histograms, thresholds, label, metrics, measure (ParallelBackend.Reductions.cs)
        "scoped.image.exposure:equalize_hist",
        "scoped.image.exposure:histogram",
        "scoped.image.filters:threshold_li",
        "scoped.image.filters:threshold_otsu",
        "scoped.image.filters:threshold_yen",
        "scoped.image.measure:label",
        "scoped.image.measure:regionprops",
        "scoped.image.metrics:mean_squared_error",
        "scoped.image.metrics:normalized_root_mse",
        "scoped.image.metrics:peak_signal_noise_ratio",
        "scoped.image.metrics:structural_similarity",
        "scoped.image.morphology:remove_small_objects",

    ])]
