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
        // SSIM: its moment filters (Separable, UniformFilter by columns, Correlate1D) and its own loops in bands.
        Banded(Metrics.Methods.StructuralSimilarity);
    }
}
