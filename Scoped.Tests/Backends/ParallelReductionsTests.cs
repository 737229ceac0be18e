using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>
/// Histograms, thresholds, labels and metrics on the parallel backend: the same bytes (and the same doubles, bit for
/// bit) as the default for every shape and band.
/// </summary>
[TestClass]
[DoNotParallelize] // the backend's options are process-wide
public sealed class ParallelReductionsTests
{
    private static readonly DType[] Numeric = [DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64];

    [TestMethod]
    public void Histogram_ImageAndDTypeRanges()
    {
        ParallelTestKit.AssertBitIdentical("histogram", i => Exposure.Histogram(i), Numeric, [0, 3]);
        ParallelTestKit.AssertBitIdentical("histogram 7 bins normalized", i => Exposure.Histogram(i, 7, normalize: true), Numeric, seed: 3);
        ParallelTestKit.AssertBitIdentical("histogram dtype", i => Exposure.Histogram(i, 5, "dtype"), [DType.UInt8, DType.UInt16, DType.Float32, DType.Float64], seed: 5);
        ParallelTestKit.AssertBitIdentical("histogram constant", i => Exposure.Histogram(Constant(i)), Numeric, seed: 9);
    }

    [TestMethod]
    public void Histogram_NaN_FailsAsTheDefaultDoes()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var image = ParallelTestKit.Random(dtype, 40, 23, 0, 1);
            if (image is HostArray<float> f) f[33, 7] = float.NaN; else ((HostArray<double>)image)[33, 7] = double.NaN;
            var expected = Assert.ThrowsExactly<ArgumentException>(() => Exposure.Histogram(image)).Message;
            Assert.AreEqual(expected, Assert.ThrowsExactly<ArgumentException>(() => Filters.ThresholdOtsu(image)).Message);
            foreach (var band in ParallelTestKit.BandLengths)
                ParallelTestKit.WithBands(band, () =>
                {
                    Assert.AreEqual(expected, Assert.ThrowsExactly<ArgumentException>(() => Exposure.Histogram(image)).Message);
                    Assert.AreEqual(expected, Assert.ThrowsExactly<ArgumentException>(() => Filters.ThresholdOtsu(image)).Message);
                    Assert.AreEqual(expected, Assert.ThrowsExactly<ArgumentException>(() => Exposure.EqualizeHist(image)).Message);
                });
        }
    }

    [TestMethod]
    public void EqualizeHist_WithAndWithoutMask()
    {
        ParallelTestKit.AssertBitIdentical("equalize_hist", i => Exposure.EqualizeHist(i), Numeric, [0, 3]);
        ParallelTestKit.AssertBitIdentical("equalize_hist 17 bins masked", i => Exposure.EqualizeHist(i, 17, Mask(i)), Numeric, seed: 13);
    }

    [TestMethod]
    public void Thresholds_OtsuAndYen()
    {
        DType[] all = [.. Numeric, DType.Bool];
        ParallelTestKit.AssertBitIdentical("threshold_otsu", i => Filters.ThresholdOtsu(i), all);
        ParallelTestKit.AssertBitIdentical("threshold_otsu 2 bins", i => Filters.ThresholdOtsu(i, 2), all, seed: 17);
        ParallelTestKit.AssertBitIdentical("threshold_yen", i => Filters.ThresholdYen(i, 64), all, [0, 3], seed: 19);
        ParallelTestKit.AssertBitIdentical("threshold_li", i => Filters.ThresholdLi(i), Numeric, [0, 3], seed: 41);
        ParallelTestKit.AssertBitIdentical("threshold_li guess", i => Filters.ThresholdLi(i, initialGuess: 0.4), [DType.Float32, DType.Float64], seed: 47);
        ParallelTestKit.AssertBitIdentical("threshold_li tolerance", i => Filters.ThresholdLi(i, 0.01), [DType.Float32, DType.Float64], [0, 3], seed: 49);
        ParallelTestKit.AssertBitIdentical("threshold_li tolerance 3, guess", i => Filters.ThresholdLi(Levels(i, 50), 3, 20.5), [DType.UInt8, DType.UInt16], seed: 43);
        ParallelTestKit.AssertBitIdentical("threshold_otsu bool constant", i => Filters.ThresholdOtsu(Constant(i)), [DType.Bool], seed: 23);
    }

    [TestMethod]
    public void Thresholds_IsodataTriangleMultiotsuAndTheWindowRules()
    {
        DType[] eight = [DType.UInt8, DType.Float32, DType.Float64];
        ParallelTestKit.AssertBitIdentical("threshold_isodata", i => Filters.ThresholdIsodata(i, 64), eight, seed: 51);
        ParallelTestKit.AssertBitIdentical("threshold_triangle", i => Filters.ThresholdTriangle(i, 64), eight, seed: 53);
        ParallelTestKit.AssertBitIdentical("threshold_multiotsu", i => Filters.ThresholdMultiotsu(i, 3, 64), eight, seed: 55);
        ParallelTestKit.AssertBitIdentical("threshold_niblack", i => Filters.ThresholdNiblack(i, 7, 0.3), Numeric, seed: 57);
        ParallelTestKit.AssertBitIdentical("threshold_sauvola", i => Filters.ThresholdSauvola(i, 5), Numeric, seed: 59);
    }

    [TestMethod]
    public void Measure_MomentsEulerNumberAndPerimeters()
    {
        ParallelTestKit.AssertBitIdentical("moments_central", i => Measure.MomentsCentral(i), Numeric, seed: 61);
        ParallelTestKit.AssertBitIdentical("inertia_tensor", i => Measure.InertiaTensor(i), [DType.Float64], seed: 63);
        ParallelTestKit.AssertBitIdentical("euler_number", i => Measure.EulerNumber(i), [DType.Bool, DType.UInt8], seed: 65);
        ParallelTestKit.AssertBitIdentical("perimeter", i => Measure.Perimeter(i, 8), [DType.Bool], seed: 67);
        ParallelTestKit.AssertBitIdentical("perimeter_crofton", i => Measure.PerimeterCrofton(i), [DType.Bool, DType.Float32], seed: 69);
    }

    [TestMethod]
    public void ThresholdLi_Floats_LargeWithNaNAndInfinity_AsTheOneArrayAlgorithm()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            foreach (var special in new[] { false, true })
            {
                var image = ParallelTestKit.Random(dtype, 301, 257, 0, special ? 2 : 1);
                if (special)
                    for (int k = 0; k < 300; k += 7)
                    {
                        double v = k % 3 == 0 ? double.NaN : k % 3 == 1 ? double.PositiveInfinity : double.NegativeInfinity;
                        if (image is HostArray<float> f) f[k, (k * 31) % 257] = (float)v; else ((HostArray<double>)image)[k, (k * 31) % 257] = v;
                    }
                double reference = dtype == DType.Float32 ? LiReference(((HostArray<float>)image).ToArray()) : LiReference(((HostArray<double>)image).ToArray());
                ParallelTestKit.AssertSameBytes(reference, Filters.ThresholdLi(image), $"li {dtype} {special} default");
                foreach (var band in ParallelTestKit.BandLengths)
                    ParallelTestKit.WithBands(band, () => ParallelTestKit.AssertSameBytes(reference, Filters.ThresholdLi(image), $"li {dtype} {special} bands of {band}"));
            }
    }

    /// <summary>threshold_li on one array, as the default computed it before it was banded (tolerance and guess unset).</summary>
    private static double LiReference<T>(T[] all) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = Array.FindAll(all, v => !T.IsNaN(v));
        values = Array.FindAll(values, T.IsFinite);
        T min = values[0], max = values[0];
        foreach (var v in values) { min = T.Min(min, v); max = T.Max(max, v); }
        for (int i = 0; i < values.Length; i++) values[i] -= min;
        var sorted = (T[])values.Clone();
        Array.Sort(sorted);
        T gap = T.PositiveInfinity;
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i] != sorted[i - 1]) gap = T.Min(gap, sorted[i] - sorted[i - 1]);
        double tol = double.CreateTruncating(gap) / 2;
        double next = double.CreateTruncating(Scoped.Image.Kernels.Pairwise.Mean<T>(values)), current = -2 * tol;
        var fore = new T[values.Length];
        var back = new T[values.Length];
        T nextT = T.CreateTruncating(next);
        while (Math.Abs(next - current) > tol)
        {
            current = next;
            T cut = T.CreateTruncating(current);
            int nf = 0, nb = 0;
            foreach (var v in values)
                if (v > cut) fore[nf++] = v; else back[nb++] = v;
            T meanFore = Scoped.Image.Kernels.Pairwise.Mean<T>(fore.AsSpan(0, nf)), meanBack = Scoped.Image.Kernels.Pairwise.Mean<T>(back.AsSpan(0, nb));
            nextT = (meanBack - meanFore) / (T.Log(meanBack) - T.Log(meanFore));
            next = double.CreateTruncating(nextT);
        }
        return double.CreateTruncating(nextT + min);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Label_Connectivities(int connectivity)
    {
        // Few distinct values, so regions are large, wind around and cross many seams.
        ParallelTestKit.AssertBitIdentical($"label {connectivity}", i => Measure.Label(i, connectivity: connectivity), [DType.Bool], seed: connectivity);
        ParallelTestKit.AssertBitIdentical($"label {connectivity} background 1", i => Measure.Label(i, 1, connectivity), [DType.Bool], seed: 10 + connectivity);
        ParallelTestKit.AssertBitIdentical($"label {connectivity} levels", i => Measure.Label(Levels(i, 3), connectivity: connectivity), [DType.UInt8, DType.UInt16, DType.Int32], seed: 20 + connectivity);
        ParallelTestKit.AssertBitIdentical($"label {connectivity} levels background 2", i => Measure.Label(Levels(i, 3), 2, connectivity), [DType.UInt8, DType.Int32], seed: 30 + connectivity);
        ParallelTestKit.AssertBitIdentical($"label {connectivity} full range", i => Measure.Label(i, connectivity: connectivity), [DType.UInt8], seed: 40 + connectivity);
    }

    [TestMethod]
    public void Label_Spirals_CrossEverySeam()
    {
        // One region snaking down and up through all rows (one component, its first pixel far from most seams), and
        // its complement (columns whose first pixels are on row 0 or row 1).
        foreach (var (rows, cols) in new[] { (31, 29), (64, 17), (9, 40) })
        {
            var data = new bool[rows * cols];
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    // Odd columns full; even columns join them alternately at the top and at the bottom row.
                    data[y * cols + x] = x % 2 == 1 || (x > 0 && y == (x / 2 % 2 == 1 ? 0 : rows - 1));
            var image = HostArray.Create(data, rows, cols);
            foreach (var c in new[] { 1, 2 })
                foreach (var bg in new[] { 0, 1 })
                {
                    var expected = Measure.Label(image, bg, c);
                    foreach (var band in ParallelTestKit.BandLengths)
                        ParallelTestKit.WithBands(band, () => ParallelTestKit.AssertSameBytes(expected, Measure.Label(image, bg, c), $"spiral {rows}x{cols} c{c} bg{bg} bands of {band}"));
                }
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void RemoveSmallObjects_BoolAndLabels(int connectivity)
    {
        ParallelTestKit.AssertBitIdentical($"remove_small_objects {connectivity}", i => Morphology.RemoveSmallObjects(i, 6, connectivity), [DType.Bool], seed: connectivity);
        ParallelTestKit.AssertBitIdentical($"remove_small_objects {connectivity} 0", i => Morphology.RemoveSmallObjects(i, 0, connectivity), [DType.Bool, DType.UInt8], seed: 5 + connectivity);
        ParallelTestKit.AssertBitIdentical($"remove_small_objects {connectivity} labels", i => Morphology.RemoveSmallObjects(Levels(i, 40), 25, connectivity), [DType.UInt8, DType.UInt16], seed: 9 + connectivity);
        ParallelTestKit.AssertBitIdentical($"remove_small_objects {connectivity} int32 labels", i => Morphology.RemoveSmallObjects(NonNegative(i, 60), 25, connectivity), [DType.Int32], seed: 13 + connectivity);
        var negative = HostArray.Create(Enumerable.Range(0, 600).Select(v => v == 555 ? -1 : v % 7).ToArray(), 30, 20);
        Assert.ThrowsExactly<ArgumentException>(() => Morphology.RemoveSmallObjects(negative, 3, connectivity));
        foreach (var band in ParallelTestKit.BandLengths)
            ParallelTestKit.WithBands(band, () => Assert.ThrowsExactly<ArgumentException>(() => Morphology.RemoveSmallObjects(negative, 3, connectivity)));
    }

    [TestMethod]
    public void Regionprops_WithoutIntensity()
    {
        ParallelTestKit.AssertBitIdentical("regionprops levels", i => Describe(Measure.Regionprops(Levels(i, 5))), [DType.UInt8, DType.UInt16], seed: 51);
        ParallelTestKit.AssertBitIdentical("regionprops labels", i => Describe(Measure.Regionprops(Measure.Label(i))), [DType.Bool], seed: 53);
        ParallelTestKit.AssertBitIdentical("regionprops int32", i => Describe(Measure.Regionprops(NonNegative(i, 300))), [DType.Int32], seed: 55);
        var negative = HostArray.Create(Enumerable.Range(0, 600).Select(v => v == 555 ? -1 : v % 7).ToArray(), 30, 20);
        var message = Assert.ThrowsExactly<ArgumentException>(() => Measure.Regionprops(negative)).Message;
        ParallelTestKit.WithBands(2, () => Assert.AreEqual(message, Assert.ThrowsExactly<ArgumentException>(() => Measure.Regionprops(negative)).Message));
    }

    /// <summary>Every field of every region, doubles as their bits.</summary>
    private static string Describe(RegionProperties[] regions) => string.Join(";", regions.Select(r =>
        $"{r.Label},{r.Area},{BitConverter.DoubleToInt64Bits(r.Centroid[0])},{BitConverter.DoubleToInt64Bits(r.Centroid[1])},{string.Join(",", r.Bbox)},{r.MeanIntensity},{r.MinIntensity},{r.MaxIntensity}"));

    [TestMethod]
    public void Metrics_MseNrmsePsnr()
    {
        DType[] all = [.. Numeric, DType.Bool];
        ParallelTestKit.AssertBitIdentical("mean_squared_error", i => Metrics.MeanSquaredError(i, Reversed(i)), all, [0, 3]);
        ParallelTestKit.AssertBitIdentical("mean_squared_error mixed", i => Metrics.MeanSquaredError(i, i.AsType(DType.Float32)), Numeric, seed: 7);
        foreach (var n in new[] { "euclidean", "min-max", "mean" })
            ParallelTestKit.AssertBitIdentical($"normalized_root_mse {n}", i => Metrics.NormalizedRootMse(i, Reversed(i), n), all, [0, 3], seed: n.Length);
        ParallelTestKit.AssertBitIdentical("peak_signal_noise_ratio", i => Metrics.PeakSignalNoiseRatio(i, Reversed(i)), all, seed: 29);
        ParallelTestKit.AssertBitIdentical("peak_signal_noise_ratio range", i => Metrics.PeakSignalNoiseRatio(i, Reversed(i), 3.5), Numeric, seed: 31);
    }

    [TestMethod]
    public void NormalizedRootMse_Mean_LargeImages_PairwiseAsNumPy()
    {
        // Above the pairwise piece size (2^14 elements) the mean is summed in pieces: the same bits as one pairwise sum.
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.UInt8 })
        {
            var image = ParallelTestKit.Random(dtype, 301, 257, 0, 5);
            var expected = Metrics.NormalizedRootMse(image, Reversed(image), "mean");
            foreach (var band in ParallelTestKit.BandLengths)
                ParallelTestKit.WithBands(band, () => ParallelTestKit.AssertSameBytes(expected, Metrics.NormalizedRootMse(image, Reversed(image), "mean"), $"nrmse mean {dtype} bands of {band}"));
        }
        var random = new Random(3);
        foreach (var n in new[] { 1, 7, 128, 129, 16384, 16385, 40000, 77777, 300001 })
        {
            var f = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
            var d = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            Assert.AreEqual(BitConverter.SingleToInt32Bits(Metrics.PairwiseSum<float>(f)), BitConverter.SingleToInt32Bits(Metrics.PairwiseSumBanded(f)), $"float {n}");
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(Metrics.PairwiseSum<double>(d)), BitConverter.DoubleToInt64Bits(Metrics.PairwiseSumBanded(d)), $"double {n}");
        }
    }

    [TestMethod]
    public void UInt8Masks_OutOfRangeBackgrounds_AndTheDeclines()
    {
        ParallelTestKit.AssertBitIdentical("equalize_hist uint8 mask", i => Exposure.EqualizeHist(i, 9, Mask(i).AsType(DType.UInt8)), Numeric, seed: 61);
        ParallelTestKit.AssertBitIdentical("label background 300", i => Measure.Label(Levels(i, 2), 300, 1), [DType.UInt8, DType.UInt16], seed: 63);
        ParallelTestKit.AssertBitIdentical("label background -1", i => Measure.Label(Levels(i, 2), -1), [DType.UInt8], seed: 65);
        var image = ParallelTestKit.Random(DType.UInt8, 30, 20, 0, 1);
        ParallelTestKit.WithBands(3, () => Assert.Throws<BackendNotImplementedException>(() => Measure.Regionprops(image, image)));
    }

    [TestMethod]
    public void StructuralSimilarity_ItsOwnLoopsInBands()
    {
        // Directly under a scheduler (no dispatch): every loop of the default in bands must give its bits.
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.UInt8 })
            foreach (var (rows, cols, channels) in new[] { (7, 7, 0), (23, 40, 0), (40, 17, 3) })
                foreach (var gaussian in new[] { false, true })
                {
                    var a = ParallelTestKit.Random(dtype, rows, cols, channels, rows);
                    var b = Reversed(a);
                    int? axis = channels > 0 ? -1 : null;
                    int? win = gaussian ? 7 : null;
                    double expected = Metrics.StructuralSimilarity(a, b, out var expectedMap, win, channelAxis: axis, gaussianWeights: gaussian, sigma: 1.0);
                    foreach (var band in ParallelTestKit.BandLengths)
                    {
                        string label = $"ssim {dtype} {rows}x{cols}x{channels} gaussian {gaussian} bands of {band}";
                        using (Scoped.Image.Kernels.Bands.Use(new ParallelTestKit.FixedBands(band)))
                        {
                            double actual = Metrics.StructuralSimilarity(a, b, out var actualMap, win, channelAxis: axis, gaussianWeights: gaussian, sigma: 1.0);
                            ParallelTestKit.AssertSameBytes(expected, actual, label);
                            ParallelTestKit.AssertSameBytes(expectedMap, actualMap, label + " map");
                        }
                    }
                }
    }

    [TestMethod]
    public void StructuralSimilarity_AllTypes()
    {
        DType[] types = [DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32];
        ParallelTestKit.AssertBitIdentical("ssim", i => Metrics.StructuralSimilarity(i, Reversed(i)), types);
        ParallelTestKit.AssertBitIdentical("ssim gaussian full", i => { Metrics.StructuralSimilarity(i, Reversed(i), out var full, gaussianWeights: true, sigma: 1.0); return full; }, types, seed: 3);
        ParallelTestKit.AssertBitIdentical("ssim channels", i => Metrics.StructuralSimilarity(i, Reversed(i), 3, channelAxis: -1, useSampleCovariance: false), types, [3], seed: 5);
        ParallelTestKit.AssertBitIdentical("ssim channels full", i => { Metrics.StructuralSimilarity(i, Reversed(i), out var full, 5, channelAxis: -1); return full; }, [DType.Float32, DType.Float64], [3], seed: 7);
    }

    /// <summary>The image's elements in reverse order: a second image of the same shape and dtype.</summary>
    private static HostArray Reversed(HostArray image)
    {
        var flat = image.ToFlatArray();
        Array.Reverse(flat);
        return Create(flat, image.Shape.ToArray());
    }

    private static HostArray Create(Array flat, int[] shape) => flat switch
    {
        float[] f => HostArray.Create(f, shape),
        double[] d => HostArray.Create(d, shape),
        byte[] b => HostArray.Create(b, shape),
        ushort[] u => HostArray.Create(u, shape),
        int[] i => HostArray.Create(i, shape),
        bool[] b => HostArray.Create(b, shape),
        _ => throw new ArgumentException("unexpected dtype"),
    };

    /// <summary>A mask of the image's shape, true where the flat index is not a multiple of 3 (empty on one pixel).</summary>
    private static HostArray Mask(HostArray image)
    {
        int rows = image.Shape[0], cols = image.Shape[1];
        return HostArray.Create(Enumerable.Range(0, rows * cols).Select(i => i % 3 != 0 || i % 7 == 6).ToArray(), rows, cols);
    }

    /// <summary>The image with every element replaced by its first one.</summary>
    private static HostArray Constant(HostArray image)
    {
        var flat = image.ToFlatArray();
        var first = flat.GetValue(0);
        for (int i = 0; i < flat.Length; i++) flat.SetValue(first, i);
        return Create(flat, image.Shape.ToArray());
    }

    /// <summary>An int32 image's values as |v| mod <paramref name="levels"/>.</summary>
    private static HostArray NonNegative(HostArray image, int levels) =>
        HostArray.Create(((HostArray<int>)image).ToArray().Select(v => Math.Abs(v) % levels).ToArray(), image.Shape.ToArray());

    /// <summary>The image's values reduced to <paramref name="levels"/> classes (value mod levels), in its dtype.</summary>
    private static HostArray Levels(HostArray image, int levels) => image switch
    {
        HostArray<byte> b => HostArray.Create(b.ToArray().Select(v => (byte)(v % levels)).ToArray(), image.Shape.ToArray()),
        HostArray<ushort> u => HostArray.Create(u.ToArray().Select(v => (ushort)(v % levels)).ToArray(), image.Shape.ToArray()),
        HostArray<int> i => HostArray.Create(i.ToArray().Select(v => Math.Abs(v) % levels - 1).ToArray(), image.Shape.ToArray()),
        _ => image,
    };
}
