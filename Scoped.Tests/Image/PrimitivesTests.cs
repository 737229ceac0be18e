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
