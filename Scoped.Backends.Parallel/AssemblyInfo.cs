using Scoped.Backends.Parallel;
using Scoped.Dispatch;

// Discovery reads this without running the assembly's code; a test checks the list against what the backend registers.
[assembly: ScopedBackend(ParallelBackend.BackendName, typeof(ParallelBackend), "scoped.image",
    Description = "Scoped.Image's kernels in row bands on all cores, bit-identical to the default",
    Functions = [
        // filters and feature (ParallelBackend.Filters.cs)
        "scoped.image.filters:gaussian",
        "scoped.image.filters:prewitt",
        "scoped.image.filters:scharr",
        "scoped.image.filters:sobel",

        // morphology (ParallelBackend.Morphology.cs)

        // transform, color, exposure pointwise, util (ParallelBackend.GeometryAndColor.cs)

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
