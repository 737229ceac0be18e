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

    ])]
