using Scoped.Backends.Parallel;
using Scoped.Dispatch;

// Discovery reads this without running the assembly's code; the function list is checked against the backend by a test.
[assembly: ScopedBackend(ParallelBackend.BackendName, typeof(ParallelBackend), "scoped.image",
    Description = "Scoped.Image's kernels in row bands on all cores, bit-identical to the default",
    Functions = [
        "scoped.image.filters:gaussian",
        "scoped.image.filters:prewitt",
        "scoped.image.filters:scharr",
        "scoped.image.filters:sobel",
    ])]
