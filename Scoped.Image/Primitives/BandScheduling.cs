namespace Scoped.Image.Primitives;

/// <summary>Decides how many bands a pass over <c>length</c> items is split into, and runs them (see
/// <see cref="BandScheduling"/>).</summary>
public interface IBandScheduler
{
    /// <summary>How many bands to cut <paramref name="length"/> items into (at least 1, at most length).</summary>
    /// <param name="length">Items (rows or columns) of the pass.</param>
    int BandCount(int length);

    /// <summary>Runs <paramref name="band"/> for bands 0..count-1 and returns when all are done.</summary>
    /// <param name="count">The number of bands.</param>
    /// <param name="band">Runs one band.</param>
    void Run(int count, Action<int> band);
}

/// <summary>
/// The seam between Scoped.Image's default implementations and a backend that runs them on more cores. Every default
/// whose declaration says <c>RunsInBands</c> hands each loop over output rows (or columns) to the band driver: alone it
/// runs as one band on the calling thread; inside <see cref="Use"/> the scheduler cuts it into bands that may run
/// concurrently, and the bytes written are the same for any cut.
/// </summary>
public static class BandScheduling
{
    /// <summary>Runs the calling thread's Scoped.Image code with <paramref name="scheduler"/> until disposed.</summary>
    /// <param name="scheduler">Cuts and runs the bands.</param>
    public static IDisposable Use(IBandScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return Kernels.Bands.Use(scheduler);
    }

    /// <summary>Whether a scheduler is active on this thread.</summary>
    public static bool IsActive => Kernels.Bands.Active;
}
