using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>
/// Size-like arguments (issue 12): each is checked against the element type's limits and the work limit
/// (<see cref="Limits"/>, Scoped:Limits:MaxElements) before anything is allocated, and a bad one is an ArgumentException
/// naming the parameter, not an OverflowException, OutOfMemoryException or IndexOutOfRangeException.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SizeArgumentTests
{
    private static readonly HostArray<float> Small = HostArray.Create(Enumerable.Range(0, 64).Select(i => (float)(i % 7) / 7).ToArray(), 8, 8);
    private static readonly HostArray<byte> SmallBytes = HostArray.Create(Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray(), 8, 8);

    /// <summary>The exception, checked to name the parameter and to say which rule it broke.</summary>
    private static ArgumentException Refused(string parameter, Func<object?> call)
    {
        var ex = ThrowsFor(parameter, () => Call(call));
        StringAssert.Contains(ex.Message, "elements", ex.Message);
        return ex;
    }

    [TestMethod]
    public void A_huge_sigma_or_truncate_is_refused_by_its_kernel_length()
    {
        Refused("sigma", () => Filters.Gaussian(Small, 1e9));
        Refused("truncate", () => Filters.Gaussian(Small, 1, truncate: 1e12));
        Refused("sigma", () => Feature.Canny(Small, sigma: 1e9));
        Refused("lowSigma", () => Filters.DifferenceOfGaussians(Small, 1e9));
        Refused("highSigma", () => Filters.DifferenceOfGaussians(Small, 1, 1e9));
        Refused("radius", () => Filters.UnsharpMask(Small, radius: 1e9));
        Refused("sigma", () => Feature.CornerHarris(Small, sigma: 1e9));
    }

    [TestMethod]
    public void A_large_sigma_within_the_limit_still_runs()
    {
        // 1e5 * 4 * 2 + 1 weights: far past the image, well within the limit.
        var blurred = (HostArray)Call(() => Filters.Gaussian(Small, 1e5));
        CollectionAssert.AreEqual(Small.Shape.ToArray(), blurred.Shape.ToArray());
    }

    [TestMethod]
    public void Output_shapes_beyond_the_limit_are_refused_before_allocation()
    {
        Refused("outputShape", () => Transform.Resize(Small, [50000, 50000]));
        Refused("outputShape", () => Transform.Resize(Small, [46341, 46341]));
        Refused("outputShape", () => Transform.Warp(Small, new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, outputShape: [100000, 100000]));
        Refused("scale", () => Transform.Rescale(Small, 20000));
        Refused("scale", () => Transform.Rescale(Small, 1e300));
    }

    [TestMethod]
    public void Nbins_beyond_the_limit_is_refused()
    {
        Refused("nbins", () => Exposure.Histogram(Small, nbins: int.MaxValue));
        Refused("nbins", () => Filters.ThresholdOtsu(Small, nbins: int.MaxValue));
        Refused("nbins", () => Filters.ThresholdYen(Small, nbins: int.MaxValue));
        Refused("nbins", () => Exposure.EqualizeHist(Small, nbins: int.MaxValue));
    }

    [TestMethod]
    public void Window_sizes_beyond_the_limit_are_refused()
    {
        Refused("minDistance", () => Feature.PeakLocalMax(Small, minDistance: int.MaxValue));
        Refused("blockSize", () => Filters.ThresholdLocal(Small, blockSize: int.MaxValue));
        Refused("downscale", () => Transform.PyramidReduce(Small, 1e300));
        Refused("ksize", () => Filters.Laplace(Small, ksize: int.MaxValue));
        Refused("padWidth", () => Util.Pad(Small, [int.MaxValue]));
    }

    [TestMethod]
    public void Footprints_and_arrays_beyond_the_limit_are_refused()
    {
        Refused("radius", () => Morphology.Disk(50000));
        Refused("width", () => Morphology.Square(int.MaxValue));
        Refused("shape", () => HostArray.Zeros<float>(100000, 100000));
        Refused("shape", () => HostArray.Zeros(DType.Float64, 100000, 100000));
    }

    [TestMethod]
    public void A_crop_wider_than_the_image_names_crop_width()
    {
        var ex = ThrowsFor("cropWidth", () => Call(() => Util.Crop(Small, [int.MaxValue, int.MaxValue])));
        StringAssert.Contains(ex.Message, "cropWidth");
    }

    [TestMethod]
    public void Regionprops_handles_huge_labels_without_a_table_of_that_size()
    {
        foreach (int label in new[] { int.MaxValue, 1_000_000_000 })
        {
            var data = new int[25];
            data[2 * 5 + 3] = label;
            data[4 * 5 + 4] = 7;
            var labels = HostArray.Create(data, 5, 5);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var regions = Call(() => Measure.Regionprops(labels));
            Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "regionprops allocated a table sized by the largest label");
            CollectionAssert.AreEqual(new[] { 7, label }, regions.Select(r => r.Label).ToArray());
            Assert.AreEqual(1, regions[1].Area);
            CollectionAssert.AreEqual(new[] { 2.0, 3.0 }, regions[1].Centroid);
        }
    }

    [TestMethod]
    public void The_work_limit_is_lowered_per_flow_and_restored()
    {
        var before = Limits.MaxElements;
        using (Limits.Use(1000))
        {
            Assert.AreEqual(1000, Limits.MaxElements);
            var ex = Refused("outputShape", () => Transform.Resize(Small, [40, 40]));
            StringAssert.Contains(ex.Message, "Scoped:Limits:MaxElements");
            Call(() => Transform.Resize(Small, [30, 30]));
            using (Limits.Use(1_000_000)) Assert.AreEqual(1000, Limits.MaxElements, "a nested Use cannot raise the limit");
            Assert.AreEqual(1000, Task.Run(() => Limits.MaxElements).Result, "the limit flows into tasks");
        }
        Assert.AreEqual(before, Limits.MaxElements);
    }

    [TestMethod]
    public void A_cancelled_flow_stops_the_work_between_rows()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        // Caught inside Call, so that a test backend lacking gaussian stays inconclusive rather than failing here.
        Exception? thrown;
        using (Limits.Use(Limits.MaxElements, cts.Token))
            thrown = Call(() =>
            {
                try { Filters.Gaussian(HostArray.Zeros<float>(256, 256), 3); return null; }
                catch (OperationCanceledException e) { return (Exception?)e; }
            });
        Assert.IsInstanceOfType<OperationCanceledException>(thrown);
        Call(() => Filters.Gaussian(Small, 3));
    }

    [TestMethod]
    public void The_process_wide_limit_binds_from_configuration_and_rejects_bad_values()
    {
        var section = LimitsOptions.ConfigurationSection;
        Assert.AreEqual("Scoped:Limits", section.Path);
        CollectionAssert.Contains(section.Keys.ToList(), "MaxElements");
        var bad = new LimitsOptions { MaxElements = 0 };
        StringAssert.Contains(string.Join("\n", section.Validate(bad)), "Scoped:Limits:MaxElements must be >= 1");
        var previous = Limits.ProcessMaxElements;
        try
        {
            Limits.Configure(new LimitsOptions { MaxElements = 500 });
            Refused("nbins", () => Exposure.Histogram(Small, nbins: 1000));
        }
        finally { Limits.Configure(new LimitsOptions { MaxElements = previous }); }
        Assert.IsTrue(Limits.DefaultMaxElements >= 1 << 24);
    }

    /// <summary>Inside a cancellable flow the passes run in pieces of rows; the bytes must not change.</summary>
    [TestMethod]
    public void A_cancellable_flow_gives_the_same_bytes()
    {
        var random = new Random(12);
        var image = HostArray.Create(Enumerable.Range(0, 150 * 201).Select(_ => random.NextSingle()).ToArray(), 150, 201);
        Func<NDArray>[] calls =
        [
            () => Filters.Gaussian(image, 2.5),
            () => Filters.Median(image, Morphology.Disk(2)),
            () => Transform.Resize(image, [71, 333]),
            () => Transform.Rotate(image, 17),
            () => Morphology.Erosion(image, Morphology.Square(4)),
            () => Filters.Sobel(image),
        ];
        using var cts = new CancellationTokenSource();
        foreach (var call in calls)
        {
            var plain = ((HostArray)Call(call)).ToFlatArray();
            Array inPieces;
            using (Limits.Use(Limits.MaxElements, cts.Token)) inPieces = ((HostArray)Call(call)).ToFlatArray();
            CollectionAssert.AreEqual(plain, inPieces);
        }
    }
}
