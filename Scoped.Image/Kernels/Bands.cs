using System.Runtime.ExceptionServices;

using Scoped.Image.Primitives;

namespace Scoped.Image.Kernels;

/// <summary>One band of a pass: fill items [<paramref name="start"/>, <paramref name="end"/>) (rows, or columns) of the
/// output. <paramref name="band"/> indexes per-band state such as partial histograms.</summary>
internal delegate void BandPass(int band, int start, int end);

/// <summary>
/// The seam between the default implementations and the parallel backend. A default implementation hands each loop over
/// output rows (or columns) to <c>For</c>: alone, that runs the whole range as one band on the calling thread; inside
/// <see cref="Use"/> the scheduler cuts it into bands that may run concurrently. A pass must write the same bytes for any
/// cut: each output item depends only on the pass's inputs, never on items the same pass wrote. Reductions keep one
/// partial per band (<see cref="Count"/>) and combine them in band order, or keep partials per row so that the result
/// does not depend on the cut at all.
/// </summary>
internal static class Bands
{
    [ThreadStatic] private static IBandScheduler? t_scheduler;

    /// <summary>Runs the calling thread's Scoped.Image code with <paramref name="scheduler"/> until disposed.</summary>
    public static Scope Use(IBandScheduler scheduler)
    {
        var previous = t_scheduler;
        t_scheduler = scheduler;
        return new Scope(previous);
    }

    /// <summary>Whether a scheduler is active on this thread (the parallel backend is running the call).</summary>
    public static bool Active => t_scheduler is not null;

    /// <summary>How many bands the next <c>For</c> over <paramref name="length"/> items will use (1 without a scheduler).</summary>
    public static int Count(int length) => length <= 1 || t_scheduler is null ? 1 : Math.Clamp(t_scheduler.BandCount(length), 1, length);

    /// <summary>Item range of band <paramref name="band"/> of <paramref name="count"/> over <paramref name="length"/> items.</summary>
    public static (int Start, int End) Range(int length, int count, int band) =>
        ((int)((long)length * band / count), (int)((long)length * (band + 1) / count));

    /// <summary>Runs <paramref name="pass"/> over [0, <paramref name="length"/>) in <see cref="Count"/> bands.
    /// Inside a cancellable flow (<see cref="Limits.Use"/>) each band runs in pieces with a cancellation check between
    /// them, which the contract above allows: the bytes written do not depend on the cut (and passes given to this
    /// overload keep no per-band state).</summary>
    public static void For(int length, BandPass pass)
    {
        if (Limits.Cancellation is { CanBeCanceled: true } token)
        {
            var inner = pass;
            pass = (band, start, end) =>
            {
                for (int s = start; s < end; s += CancellablePiece)
                {
                    token.ThrowIfCancellationRequested();
                    inner(band, s, Math.Min(end, s + CancellablePiece));
                }
            };
        }
        For(length, Count(length), pass);
    }

    // Rows per cancellation check: small enough to stop within milliseconds.
    private const int CancellablePiece = 32;

    /// <summary>Runs <paramref name="pass"/> over [0, <paramref name="length"/>) in exactly <paramref name="count"/> bands
    /// (the count a caller sized its per-band state for).</summary>
    public static void For(int length, int count, BandPass pass)
    {
        var scheduler = t_scheduler;
        var cancellation = Limits.Cancellation;
        if (count <= 1 || scheduler is null)
        {
            for (int b = 0; b < count; b++) { cancellation.ThrowIfCancellationRequested(); var (s, e) = Range(length, count, b); pass(b, s, e); }
            return;
        }
        // Bands run without the scheduler, so nothing inside a pass fans out again.
        t_scheduler = null;
        try
        {
            scheduler.Run(count, b => { cancellation.ThrowIfCancellationRequested(); var (s, e) = Range(length, count, b); pass(b, s, e); });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        finally { t_scheduler = scheduler; }
    }

    /// <summary>The lines along one axis of a C-order array, <paramref name="outer"/> blocks (the axes before it) of
    /// <paramref name="inner"/> elements (the axes after it) each, in bands: of blocks when there are several, else of
    /// the inner range. <paramref name="pass"/> gets (block, first inner element, end); each line is independent of the
    /// others, so any cut gives the same bytes.</summary>
    public static void ForLines(long outer, long inner, Action<long, long, long> pass)
    {
        if (outer > 1) For(checked((int)outer), (_, start, end) => { for (long o = start; o < end; o++) pass(o, 0, inner); });
        else For(checked((int)inner), (_, start, end) => pass(0, start, end));
    }

    /// <summary>Restores the previous scheduler when disposed.</summary>
    public readonly struct Scope(IBandScheduler? previous) : IDisposable
    {
        public void Dispose() => t_scheduler = previous;
    }
}
