using Scoped.Image.Primitives;

namespace Scoped.Backends.Parallel;

/// <summary>Cuts the default kernels' passes into bands by the current options and runs them on the thread pool.</summary>
internal sealed class BandScheduler : IBandScheduler
{
    public static readonly BandScheduler Instance = new();

    public int BandCount(int length)
    {
        var o = ParallelBackend.CurrentOptions;
        if (o.BandLength is int band) return (length + band - 1) / band;
        return o.MaxDegreeOfParallelism == 1 ? 1 : Math.Min(length, o.MaxDegreeOfParallelism * o.BandsPerThread);
    }

    public void Run(int count, Action<int> band) =>
        System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = ParallelBackend.CurrentOptions.MaxDegreeOfParallelism }, band);
}
