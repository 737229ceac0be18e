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

        // histograms, thresholds, label, metrics, measure (ParallelBackend.Reductions.cs)

    ])]
