using Scoped.Image;

namespace Scoped.Backends.Parallel;

public sealed partial class ParallelBackend
{
    private void RegisterFilters()
    {
        Banded(Filters.Methods.Gaussian);
        Banded(Filters.Methods.Sobel);
        Banded(Filters.Methods.Scharr);
        Banded(Filters.Methods.Prewitt);
    }
}
