using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Backends.Parallel;

public sealed partial class ParallelBackend
{
    private void RegisterReductions()
    {
        // Histograms: min/max and integer counts per band, merged in band order (exact); the mapping pass in bands.
        Banded(Exposure.Methods.Histogram);
        Banded(Exposure.Methods.EqualizeHist);
        Banded(Filters.Methods.ThresholdOtsu);
        Banded(Filters.Methods.ThresholdYen);
        // Integer images through the histogram; float images: order-keeping partitions, a sort and pairwise means
        // split along their own fixed recursion, all in bands.
        Banded(Filters.Methods.ThresholdLi);

        // Labels: per band, joined across the seams, numbered as one raster pass numbers them.
        Banded(Measure.Methods.Label);

        // regionprops without an intensity image: exact integer sums, minima and maxima per band, merged in band order.
        BandedUnless(Measure.Methods.Regionprops, call => call.Argument<NDArray?>("intensityImage") is not null
            ? "regionprops with an intensity image sums it per label in raster order (float64), which bands would change." : null);

        // remove_small_objects: the labels above (bool), largest label and pixel counts per band, merged; the copy in bands.
        Banded(Morphology.Methods.RemoveSmallObjects);

        // Metrics: float64 sums as per-row partials summed in row order, min/max per band.
        Banded(Metrics.Methods.MeanSquaredError);
        Banded(Metrics.Methods.NormalizedRootMse);
        Banded(Metrics.Methods.PeakSignalNoiseRatio);
        // SSIM's own loops are banded and float64 moments go through Separable.Correlate (banded); float32 moments go
        // through UniformFilter / Correlate1D, banded in another change: decline those until it is merged.
        BandedUnless(Metrics.Methods.StructuralSimilarity, call => call.Argument<NDArray>("im1").DType == DType.Float32
            ? "structural_similarity on float32 images filters with UniformFilter/Correlate1D, not banded yet." : null);
    }

    /// <summary><see cref="Banded"/>, also declining the calls <paramref name="decline"/> names a reason for (a path of the
    /// default that is not banded).</summary>
    private void BandedUnless<TDelegate>(Multimethod<TDelegate> method, Func<DispatchCall, string?> decline) where TDelegate : Delegate
    {
        var inner = method.DefaultImplementation ?? throw new InvalidOperationException($"{method.Name} has no default implementation to run in bands.");
        Implement(method, InBands(inner), call => DeclineSmall(call) ?? decline(call));
    }
}
