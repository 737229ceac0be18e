using BenchmarkDotNet.Attributes;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Benchmarks.Backends;

/// <summary>Each benchmark once with the default and once inside Backend.Use("parallel", only: true), in the same run.</summary>
public abstract class DefaultVersusParallel
{
    [Params(DispatchBackend.DefaultName, ParallelBackend.BackendName)]
    public string Backend { get; set; } = DispatchBackend.DefaultName;

    protected readonly HostArray<bool> Square3 = HostArray.Create(Enumerable.Repeat(true, 9).ToArray(), 3, 3);

    protected T Run<T>(Func<T> call)
    {
        if (Backend == DispatchBackend.DefaultName) return call();
        using (Scoped.Dispatch.Backend.Use(Backend, only: true)) return call();
    }
}
