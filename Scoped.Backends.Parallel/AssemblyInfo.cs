using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

// Discovery reads the [assembly: ScopedBackend] attribute without running the assembly's code. Its function list is
// written at build time from Scoped.Image's declarations (every function declared RunsInBands), the same list the
// constructor registers from; nothing here names a function.
[assembly: ScopedBackendManifest(ParallelBackend.BackendName, typeof(ParallelBackend), "scoped.image", typeof(Declarations), nameof(Declarations.RunInBands),
    Description = "Scoped.Image's kernels in row bands on all cores, bit-identical to the default")]
