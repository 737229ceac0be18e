using Scoped.Image;

namespace Scoped.Backends.Parallel;

public sealed partial class ParallelBackend
{
    private void RegisterFilters()
    {
        Banded(Filters.Methods.Gaussian);
        Banded(Filters.Methods.Sobel);
        Banded(Filters.Methods.SobelH);
        Banded(Filters.Methods.SobelV);
        Banded(Filters.Methods.Scharr);
        Banded(Filters.Methods.ScharrH);
        Banded(Filters.Methods.ScharrV);
        Banded(Filters.Methods.Prewitt);
        Banded(Filters.Methods.PrewittH);
        Banded(Filters.Methods.PrewittV);
        Banded(Filters.Methods.Laplace);
        Banded(Filters.Methods.UnsharpMask);
        Banded(Filters.Methods.DifferenceOfGaussians);
        // method "median" runs Kernels/Median.cs, banded with the morphology kernels.
        Banded(Filters.Methods.ThresholdLocal);
        Banded(Feature.Methods.CornerHarris);
        // Smoothing, gradients, suppression in bands; hysteresis (connectivity) and the quantile sort stay sequential.
        Banded(Feature.Methods.Canny);
        // Not here: peak_local_max (a global sort of the peaks), median (morphology), thresholds and histograms (reductions).
    }
}
