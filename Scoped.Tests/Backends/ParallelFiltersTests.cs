using Scoped.Image;
using Scoped.Image.Kernels;

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

    /// <summary>A mask of the image's shape, mostly true (so the eroded mask keeps pixels), the same on every call.</summary>
    private static HostArray MaskOf(HostArray image, int seed = 5)
    {
        var random = new Random(seed);
        return HostArray.Create(Enumerable.Range(0, image.Shape[0] * image.Shape[1]).Select(_ => random.Next(10) != 0).ToArray(), image.Shape[0], image.Shape[1]);
    }

    [TestMethod]
    public void Directional_Edges()
    {
        ParallelTestKit.AssertBitIdentical("sobel_h", i => Filters.SobelH(i), Floats, seed: 21);
        ParallelTestKit.AssertBitIdentical("sobel_v", i => Filters.SobelV(i), [DType.UInt8], seed: 22);
        ParallelTestKit.AssertBitIdentical("scharr_h", i => Filters.ScharrH(i), [DType.Float32], seed: 23);
        ParallelTestKit.AssertBitIdentical("scharr_v", i => Filters.ScharrV(i), [DType.Float64], seed: 24);
        ParallelTestKit.AssertBitIdentical("prewitt_h", i => Filters.PrewittH(i), [DType.UInt16], seed: 25);
        ParallelTestKit.AssertBitIdentical("prewitt_v", i => Filters.PrewittV(i), [DType.Float32], seed: 26);
    }

    [TestMethod]
    public void Edges_WithMask()
    {
        ParallelTestKit.AssertBitIdentical("sobel mask", i => Filters.Sobel(i, MaskOf(i)), Floats, seed: 31);
        ParallelTestKit.AssertBitIdentical("sobel_h mask", i => Filters.SobelH(i, MaskOf(i)), [DType.Float32], seed: 32);
        ParallelTestKit.AssertBitIdentical("prewitt_v mask", i => Filters.PrewittV(i, MaskOf(i)), [DType.Float64], seed: 33);
        ParallelTestKit.AssertBitIdentical("laplace mask", i => Filters.Laplace(i, 3, MaskOf(i)), [DType.Float64], seed: 34);
    }

    [TestMethod]
    public void Laplace() =>
        ParallelTestKit.AssertBitIdentical("laplace", i => Filters.Laplace(i), [DType.Float32, DType.Float64, DType.UInt8], seed: 41);

    [TestMethod]
    public void UnsharpMask()
    {
        ParallelTestKit.AssertBitIdentical("unsharp", i => Filters.UnsharpMask(i, 2.0, 1.5), [DType.Float32, DType.UInt8], [0, 3], seed: 51);
        ParallelTestKit.AssertBitIdentical("unsharp preserve", i => Filters.UnsharpMask(i, 1.0, 3.0, preserveRange: true), [DType.Float64, DType.Int32], seed: 52);
        // Negative values switch the clip range to [-1, 1]: only some rows hold them.
        ParallelTestKit.AssertBitIdentical("unsharp negative", i => Filters.UnsharpMask(Shifted(i), 1.0, 2.0), Floats, seed: 53);
    }

    /// <summary>The image with its last row made negative (the clip range then depends on one row).</summary>
    private static HostArray Shifted(HostArray image)
    {
        var values = ((HostArray<double>)image.AsType(DType.Float64)).ToArray();
        int width = image.Shape[1];
        for (int i = values.Length - width; i < values.Length; i++) values[i] -= 0.5;
        return HostArray.Create(values, image.Shape.ToArray());
    }

    [TestMethod]
    public void DifferenceOfGaussians()
    {
        ParallelTestKit.AssertBitIdentical("dog", i => Filters.DifferenceOfGaussians(i, 1.0, 2.5), [DType.Float32, DType.UInt8], seed: 61);
        ParallelTestKit.AssertBitIdentical("dog channels", i => Filters.DifferenceOfGaussians(i, [0.5, 1.5], [1.0, 3.0], BoundaryMode.Constant, 0.3, -1),
            [DType.Float64], [2], seed: 62);
    }

    [TestMethod]
    [DataRow("gaussian")]
    [DataRow("mean")]
    [DataRow("median")]
    public void ThresholdLocal(string method)
    {
        ParallelTestKit.AssertBitIdentical($"threshold_local {method} 5", i => Filters.ThresholdLocal(i, 5, method, 0.05), [DType.Float32, DType.UInt8], seed: 71);
        ParallelTestKit.AssertBitIdentical($"threshold_local {method} 3x7", i => Filters.ThresholdLocal(i, [3, 7], method, 0, BoundaryMode.Nearest), [DType.Float64], seed: 72);
        ParallelTestKit.AssertBitIdentical($"threshold_local {method} 3 wrap", i => Filters.ThresholdLocal(i, 3, method, -1, BoundaryMode.Wrap), [DType.Float32], seed: 73);
    }

    [TestMethod]
    public void CornerHarris()
    {
        ParallelTestKit.AssertBitIdentical("harris k", i => Feature.CornerHarris(i), [DType.Float32, DType.Float64, DType.UInt8], seed: 81);
        ParallelTestKit.AssertBitIdentical("harris eps", i => Feature.CornerHarris(i, "eps", sigma: 2.0), [DType.Float64], seed: 82);
    }

    [TestMethod]
    public void Canny()
    {
        ParallelTestKit.AssertBitIdentical("canny", i => Feature.Canny(i), [DType.Float32, DType.Float64, DType.UInt8], seed: 91);
        ParallelTestKit.AssertBitIdentical("canny sigma 2 nearest", i => Feature.Canny(i, 2.0, 0.05, 0.15, mode: BoundaryMode.Nearest), Floats, seed: 92);
        ParallelTestKit.AssertBitIdentical("canny wrap", i => Feature.Canny(i, 1.5, mode: BoundaryMode.Wrap), [DType.Float64], seed: 93);
        ParallelTestKit.AssertBitIdentical("canny mask", i => Feature.Canny(i, 1.0, mask: MaskOf(i)), Floats, seed: 94);
        ParallelTestKit.AssertBitIdentical("canny quantiles", i => Feature.Canny(i, 1.0, 0.5, 0.8, useQuantiles: true), [DType.Float32], seed: 95);
    }

    [TestMethod]
    public void UniformFilter_ColumnBands()
    {
        int seed = 101;
        foreach (var (rows, cols) in ParallelTestKit.Shapes(seed))
            foreach (var size in new[] { 1, 2, 3, 7 })
                foreach (var (mode, cval) in new[] { (BoundaryMode.Reflect, 0.0), (BoundaryMode.Constant, 0.1), (BoundaryMode.Constant, 0.5), (BoundaryMode.Wrap, 0.0), (BoundaryMode.Nearest, 0.0) })
                {
                    var image = (HostArray<float>)ParallelTestKit.Random(DType.Float32, rows, cols, 0, seed++);
                    var expected = new float[rows * cols];
                    UniformFilter.Float32(image.Rows(), expected, size, mode, cval);
                    foreach (var band in ParallelTestKit.BandLengths)
                    {
                        var actual = new float[rows * cols];
                        using (Bands.Use(new ParallelTestKit.FixedBands(band))) UniformFilter.Float32(image.Rows(), actual, size, mode, cval);
                        CollectionAssert.AreEqual(expected.Select(BitConverter.SingleToInt32Bits).ToArray(), actual.Select(BitConverter.SingleToInt32Bits).ToArray(),
                            $"uniform {rows}x{cols} size {size} {mode} {cval}, bands of {band}");
                    }
                }
    }

    /// <summary>measure.label of volumes in bands of rows of every length: runs found per band, joined within bands and
    /// then across their edges, numbered as one raster pass numbers them.</summary>
    [TestMethod]
    public void LabelVolume_RowBands()
    {
        var random = new Random(113);
        foreach (var shape in new[] { new[] { 7, 11, 13 }, [1, 9, 9], [16, 5, 33], [3, 4, 5, 6] })
            foreach (var density in new[] { 0.3, 0.6 })
                foreach (bool binary in new[] { true, false })
                {
                    int size = shape.Aggregate(1, (a, b) => a * b);
                    var values = Enumerable.Range(0, size).Select(_ => random.NextDouble() < density ? (byte)(binary ? 1 : 1 + random.Next(3)) : (byte)0).ToArray();
                    var image = HostArray.Create(values, shape);
                    for (int connectivity = 1; connectivity <= shape.Length; connectivity++)
                    {
                        var expected = ((HostArray<int>)Measure.Label(image, connectivity: connectivity)).ToArray();
                        foreach (var band in ParallelTestKit.BandLengths)
                        {
                            int[] actual;
                            using (Bands.Use(new ParallelTestKit.FixedBands(band))) actual = ((HostArray<int>)Measure.Label(image, connectivity: connectivity)).ToArray();
                            CollectionAssert.AreEqual(expected, actual, $"label {string.Join("x", shape)} density {density} binary {binary} connectivity {connectivity}, bands of {band}");
                        }
                    }
                }
    }

    /// <summary>gaussian along the outer axis of volumes with long rows (over 4096 elements: the vertical-only pass in bands
    /// of columns; a slab over 16 MB goes through the ring, a smaller one is read in place): each line equals the 1-D
    /// gaussian of that line bit for bit (lines of at least one SIMD vector, where the 1-D pass sums the same pairs in
    /// the same order), and every band length gives the same bytes.</summary>
    [TestMethod]
    [DataRow(9, 70, 70, BoundaryMode.Reflect)]
    [DataRow(9, 70, 70, BoundaryMode.Constant)]
    [DataRow(9, 1100, 1000, BoundaryMode.Wrap)]
    [DataRow(20, 1100, 1000, BoundaryMode.Reflect)]
    public void Gaussian_OuterAxisOfLongRows(int planes, int rows, int cols, BoundaryMode mode)
    {
        var rng = new Random(planes * rows);
        var data = new float[planes * rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle();
        var volume = HostArray.Create(data, planes, rows, cols);
        double[] sigma = [1.5, 0, 0];
        var expected = ((HostArray<float>)Filters.Gaussian(volume, sigma, mode, cval: 0.25)).ToArray();
        foreach (var (y, x) in new[] { (0, 0), (rows / 2, cols / 3), (rows - 1, cols - 1) })
        {
            var line = HostArray.Create(Enumerable.Range(0, planes).Select(z => data[(z * rows + y) * cols + x]).ToArray(), planes);
            var alone = ((HostArray<float>)Filters.Gaussian(line, [1.5], mode, cval: 0.25)).ToArray();
            for (int z = 0; z < planes; z++)
                Assert.AreEqual(BitConverter.SingleToInt32Bits(alone[z]), BitConverter.SingleToInt32Bits(expected[(z * rows + y) * cols + x]), $"line ({y}, {x}) at {z}");
        }
        foreach (var band in ParallelTestKit.BandLengths)
        {
            float[] actual;
            using (Bands.Use(new ParallelTestKit.FixedBands(band))) actual = ((HostArray<float>)Filters.Gaussian(volume, sigma, mode, cval: 0.25)).ToArray();
            CollectionAssert.AreEqual(expected, actual, $"bands of {band}");
        }
    }
}
