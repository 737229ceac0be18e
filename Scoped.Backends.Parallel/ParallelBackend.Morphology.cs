using Scoped.Image;

namespace Scoped.Backends.Parallel;

public sealed partial class ParallelBackend
{
    private void RegisterMorphology()
    {
        // Min/max filters (MinMax: fused 3x3, separable rectangle, runs) and the median (Median: 3x3, AVX-512 pairs,
        // 5x5, any footprint) band their output rows; the pointwise steps around them (pad, crop, subtract, != 0) too.
        Banded(Filters.Methods.Median);
        Banded(Morphology.Methods.Erosion);
        Banded(Morphology.Methods.Dilation);
        Banded(Morphology.Methods.Opening);
        Banded(Morphology.Methods.Closing);
        Banded(Morphology.Methods.WhiteTophat);
        Banded(Morphology.Methods.BlackTophat);
        Banded(Morphology.Methods.BinaryErosion);
        Banded(Morphology.Methods.BinaryDilation);
        Banded(Morphology.Methods.BinaryOpening);
        Banded(Morphology.Methods.BinaryClosing);
        // remove_small_objects is left to the default: its labelling (union-find in raster order) is global.
    }
}
