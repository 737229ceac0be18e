using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>scoped.image.filters on the parallel backend: the same bytes as the default for every shape and band.</summary>
[TestClass]
[DoNotParallelize] // the backend's options are process-wide
public sealed class ParallelFiltersTests
{
    private static readonly DType[] Floats = [DType.Float32, DType.Float64];

    [TestMethod]
    public void Gaussian_AllModes() =>
        ParallelTestKit.AssertBitIdentical("gaussian", i => Filters.Gaussian(i, 1.5, BoundaryMode.Reflect), [DType.Float32, DType.Float64, DType.UInt8], [0, 3]);

    [TestMethod]
    [DataRow(BoundaryMode.Constant)]
    [DataRow(BoundaryMode.Nearest)]
    [DataRow(BoundaryMode.Mirror)]
    [DataRow(BoundaryMode.Wrap)]
    public void Gaussian_Modes(BoundaryMode mode) =>
        ParallelTestKit.AssertBitIdentical($"gaussian {mode}", i => Filters.Gaussian(i, [3.0, 0.7], mode, cval: 0.25), Floats, seed: (int)mode);

    [TestMethod]
    public void Sobel_Scharr_Prewitt()
    {
        ParallelTestKit.AssertBitIdentical("sobel", i => Filters.Sobel(i), Floats);
        ParallelTestKit.AssertBitIdentical("scharr", i => Filters.Scharr(i), [DType.UInt8], seed: 7);
        ParallelTestKit.AssertBitIdentical("prewitt", i => Filters.Prewitt(i), Floats, seed: 11);
    }
}
