using Scoped.Image;
using Scoped.Image.Primitives;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>Scoped.Image.Primitives: the shared math a backend outside this repository uses to get the default's numbers.</summary>
[TestClass]
public sealed class PrimitivesTests
{
    [TestMethod]
    public void HistogramBinsCountedElsewhereGiveTheDefaultsOtsuThreshold()
    {
        // A backend that counts the values of a uint8 image itself (say, on a device) and hands the bins over.
        var camera = (HostArray<byte>)Load("core", "camera_u8");
        var counts = new long[256];
        foreach (var v in camera.Tensor) counts[v]++;
        int lo = Array.FindIndex(counts, c => c > 0), hi = Array.FindLastIndex(counts, c => c > 0);
        var used = counts[lo..(hi + 1)];
        var bins = new HistogramBins(used, [.. Enumerable.Range(lo, used.Length).Select(v => (double)v)], used.Sum(), lo, true, null);
        Assert.AreEqual(Filters.ThresholdOtsu(camera), bins.OtsuThreshold());
        Assert.AreEqual(1.0, bins.Cdf()[^1], 1e-12);
    }

    [TestMethod]
    public void GaussianWeightsAreScipysAndSumToOne()
    {
        var w = Weights.Gaussian(1, 4);
        Assert.AreEqual(9, w.Length, "radius round(4 * 1) = 4 on each side");
        Assert.AreEqual(1.0, w.Sum(), 1e-15);
        for (int i = 0; i < 4; i++) Assert.AreEqual(w[i], w[^(i + 1)], "symmetric");
        // scipy.ndimage._filters._gaussian_kernel1d(1, 0, 4) and (2.5, 0, 10), scipy 1.10.
        Assert.AreEqual(0.39894346935609776, w[4], 1e-16);
        Assert.AreEqual(0.00013383062461474175, w[0], 1e-19);
        var wide = Weights.Gaussian(2.5, 4);
        Assert.AreEqual(21, wide.Length);
        Assert.AreEqual(0.1595806793272152, wide[10], 1e-16);
    }

    [TestMethod]
    public void AnOutsideSchedulerRunsTheDefaultInItsOwnBandsWithTheSameBytes()
    {
        var image = Load("core", "rand_f32_37x53");
        var whole = (HostArray<float>)Filters.Gaussian(image, 2);
        var scheduler = new CountingScheduler();
        HostArray<float> banded;
        Assert.IsFalse(BandScheduling.IsActive);
        using (BandScheduling.Use(scheduler))
        {
            Assert.IsTrue(BandScheduling.IsActive);
            banded = (HostArray<float>)Filters.Gaussian(image, 2);
        }
        Assert.IsFalse(BandScheduling.IsActive, "disposing the scope restores the thread's state");
        Assert.IsTrue(scheduler.Bands > 1, "the scheduler cut the passes");
        CollectionAssert.AreEqual(whole.Tensor.ToArray(), banded.Tensor.ToArray());
        Assert.ThrowsExactly<ArgumentNullException>(() => BandScheduling.Use(null!));
    }

    [TestMethod]
    public void WindowsAreCheckedBeforeTheyAreTakenOrCopied()
    {
        var image = HostArray.Zeros(DType.Float32, 10, 12);
        Assert.AreEqual("(3, 4)", image.Window(2, 5, 3, 4).ShapeText);
        Assert.AreEqual("row", Assert.ThrowsExactly<ArgumentException>(() => image.Window(8, 0, 3, 4)).ParamName);
        Assert.AreEqual("row", Assert.ThrowsExactly<ArgumentException>(() => image.Window(-1, 0, 1, 1)).ParamName);
        var other = HostArray.Zeros(DType.Float64, 10, 12);
        Assert.AreEqual("destination", Assert.ThrowsExactly<ArgumentException>(() => image.CopyWindowTo(other, 0, 0, 2, 2, 0, 0)).ParamName);
        var small = HostArray.Zeros(DType.Float32, 2, 2);
        Assert.AreEqual("dstRow", Assert.ThrowsExactly<ArgumentException>(() => image.CopyWindowTo(small, 0, 0, 2, 2, 1, 0)).ParamName);
        var source = (HostArray<float>)Load("core", "rand_f32_37x53");
        var copy = HostArray.Zeros(DType.Float32, 5, 6);
        source.CopyWindowTo(copy, 10, 20, 5, 6, 0, 0);
        Assert.AreEqual(source.Tensor[12, 23], ((HostArray<float>)copy).Tensor[2, 3]);
    }

    [TestMethod]
    public void NoBackendSeesScopedImagesInternals()
    {
        // First-party backends build on public API only, as a third party's must.
        var grants = typeof(Filters).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToArray();
        Assert.IsFalse(grants.Any(g => g.StartsWith("Scoped.Backends", StringComparison.Ordinal)), string.Join(", ", grants));
    }

    [TestMethod]
    public void EdgeWeightsReproduceSobelH()
    {
        // sobel_h correlates the derivative down the rows with the smoothing along them.
        var image = (HostArray<double>)Load("core", "rand_f64_31x29");
        var h = (HostArray<double>)Filters.SobelH(image);
        var d = Weights.EdgeDerivative; var smooth = Weights.SobelSmooth;
        foreach (var (y, x) in new[] { (5, 7), (14, 20), (29, 27) })
        {
            double sum = 0;
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) sum += d[i] * smooth[j] * image.Tensor[y + i - 1, x + j - 1];
            Assert.AreEqual(sum, h.Tensor[y, x], 1e-12, $"({y}, {x})");
        }
        Assert.AreEqual(1.0, Weights.ScharrSmooth.ToArray().Sum(), 1e-15);
        Assert.AreEqual(1.0, Weights.PrewittSmooth.ToArray().Sum(), 1e-15);
    }

    [TestMethod]
    public void FootprintCentresPlaceAnEvenErosionAsTheDefaultDoes()
    {
        Assert.AreEqual(2, Footprints.Centre(5, false));
        Assert.AreEqual(2, Footprints.Centre(5, true));
        Assert.AreEqual(1, Footprints.Centre(4, false));
        Assert.AreEqual(2, Footprints.Centre(4, true));
        var image = (HostArray<byte>)Load("core", "camera_u8");
        var footprint = (HostArray<bool>)HostArray.Zeros(DType.Bool, 2, 4);
        footprint.Tensor.Fill(true);
        foreach (var (shiftX, shiftY) in new[] { (false, false), (true, false), (false, true) })
        {
            var eroded = (HostArray<byte>)Morphology.Erosion(image, footprint, shiftX, shiftY);
            // scikit-image's shift_x moves the centre along axis 0 (rows), shift_y along axis 1.
            int cy = Footprints.Centre(2, shiftX), cx = Footprints.Centre(4, shiftY);
            foreach (var (y, x) in new[] { (40, 60), (10, 3), (50, 70) })
            {
                byte min = byte.MaxValue;
                for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) min = Math.Min(min, image.Tensor[y + i - cy, x + j - cx]);
                Assert.AreEqual(min, eroded.Tensor[y, x], $"shift ({shiftX}, {shiftY}) at ({y}, {x})");
            }
        }
    }

    [TestMethod]
    public void CastIsNumPysAstypeOfAScalar()
    {
        Assert.AreEqual(255, DType.UInt8.Cast(300.7));
        Assert.AreEqual(0, DType.UInt8.Cast(-3));
        Assert.AreEqual(12, DType.UInt8.Cast(12.9), "truncated toward zero");
        Assert.AreEqual(-2, DType.Int32.Cast(-2.9));
        Assert.AreEqual(65535, DType.UInt16.Cast(1e9));
        Assert.AreEqual(1, DType.Bool.Cast(0.5));
        Assert.AreEqual(0, DType.Bool.Cast(0));
        Assert.AreEqual((double)0.1f, DType.Float32.Cast(0.1));
        Assert.AreEqual(0.1, DType.Float64.Cast(0.1));
    }

    [TestMethod]
    public void RescalePlansAreTheDefaultsMap()
    {
        var image = (HostArray<byte>)Load("core", "camera_u8");
        Assert.IsTrue(RescalePlan.NeedsImageRange("image", "dtype"));
        Assert.IsFalse(RescalePlan.NeedsImageRange("uint8", "float32"));
        var plan = RescalePlan.Create(DType.UInt8, "10,200", "float32", (double.NaN, double.NaN));
        Assert.AreEqual(new RescalePlan(DType.Float32, 10, 200, 0, 1), plan);
        var rescaled = (HostArray<float>)Exposure.RescaleIntensity(image, "10,200", "float32");
        double v = image.Tensor[30, 40];
        double expected = Math.Clamp((v - plan.InMin) / (plan.InMax - plan.InMin), 0, 1) * (plan.OutMax - plan.OutMin) + plan.OutMin;
        Assert.AreEqual(expected, rescaled.Tensor[30, 40], 1e-6);
        Assert.AreEqual("inRange", Assert.ThrowsExactly<ArgumentException>(() => RescalePlan.NeedsImageRange("bright", "dtype")).ParamName);
    }

    [TestMethod]
    public void GeometryAndMetricPlansAgreeWithTheFunctions()
    {
        var (matrix, shape) = GeometryPlans.Rotation(30, 50, 90, true, null);
        CollectionAssert.AreEqual(new[] { 50, 30 }, shape);
        Assert.AreEqual(9, matrix.Length);
        var image = Load("core", "rand_f32_37x53");
        var (rows, cols) = GeometryPlans.Resize(image, [74, 106], 1, BoundaryMode.Reflect, null, null, floatWork: true);
        Assert.AreEqual((37, 74, 53, 106), (rows.InLength, rows.OutLength, cols.InLength, cols.OutLength));
        var noisy = Filters.Gaussian(image, 1);
        double mse = Metrics.MeanSquaredError(image, noisy);
        Assert.AreEqual(Metrics.PeakSignalNoiseRatio(image, noisy, 2), MetricFormulas.PeakSignalNoiseRatio(2, mse), 1e-12);
        Assert.AreEqual(255, MetricFormulas.DefaultDataRange(DType.UInt8, 0, 200));
        Assert.AreEqual(2, MetricFormulas.DefaultDataRange(DType.Float32, -0.5, 0.5));
        Assert.AreEqual("imageTrue", Assert.ThrowsExactly<ArgumentException>(() => MetricFormulas.DefaultDataRange(DType.Float32, 0, 3)).ParamName);
    }

    [TestMethod]
    public void UniformBinsCountAndInterpolateAsTheDefault()
    {
        var (edges, centers) = HistogramBins.UniformEdges(0f, 1f, 4);
        CollectionAssert.AreEqual(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }, edges);
        CollectionAssert.AreEqual(new[] { 0.125, 0.375, 0.625, 0.875 }, centers);
        var (norm, lower, upper) = HistogramBins.CountingBounds(edges);
        Assert.AreEqual(4f, norm);
        Assert.AreEqual(5, lower.Length, "bins plus the not-counted sentinel");
        Assert.AreEqual(4.0, HistogramBins.InverseStep(centers), 1e-12);
        var bins = new HistogramBins([1, 1, 1, 1], centers, 4, 0, false, null);
        var (fp, slopes) = bins.InterpTables<float>();
        CollectionAssert.AreEqual(new[] { 0.25, 0.5, 0.75, 1.0 }, fp);
        Assert.AreEqual(1.0, slopes[0], 1e-12);
    }

    private sealed class CountingScheduler : IBandScheduler
    {
        public int Bands;
        public int BandCount(int length) => Math.Min(length, 4);
        public void Run(int count, Action<int> band)
        {
            Interlocked.Add(ref Bands, count);
            System.Threading.Tasks.Parallel.For(0, count, band);
        }
    }
}
