using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>measure.find_contours (every contour, in order, from the same first point) and measure.block_reduce
/// against scikit-image 0.19.3 (tools/fixtures/gen_contours.py).</summary>
[TestClass]
public sealed class ContoursAndBlocksTests
{
    private const string M = "contours";

    private static HostArray In(string name) => Load(M, name);

    private static void AssertContours(string tag, NDArray[] actual)
    {
        int expected = (int)Scalar(M, $"n__{tag}");
        Assert.AreEqual(expected, actual.Length, $"{tag}: contour count");
        for (int i = 0; i < expected; i++) AssertMatches(Load(M, $"c__{tag}__{i}"), actual[i], what: $"{tag} contour {i}");
    }

    [TestMethod]
    public void FindContoursMatchesScikitImage()
    {
        var cam = In("cam");
        AssertContours("cam", Unmodified(cam, () => Call(() => Measure.FindContours(cam))));
        AssertContours("cam_100", Call(() => Measure.FindContours(cam, 100)));
        AssertContours("cam_100_high", Call(() => Measure.FindContours(cam, 100, fullyConnected: "high")));
        AssertContours("cam_100_pos", Call(() => Measure.FindContours(cam, 100, positiveOrientation: "high")));
        AssertContours("smooth", Call(() => Measure.FindContours(In("smooth"), 0.5)));
        AssertContours("nan", Call(() => Measure.FindContours(In("nan"), 0.5)));
        var mask = In("mask");
        AssertContours("smooth_mask", Unmodified(mask, () => Call(() => Measure.FindContours(In("smooth"), 0.5, mask: mask))));
        AssertContours("saddle_low", Call(() => Measure.FindContours(In("saddle"), 0.5)));
        AssertContours("saddle_high", Call(() => Measure.FindContours(In("saddle"), 0.5, "high", "high")));
        AssertContours("blobs", Call(() => Measure.FindContours(In("blobs"))));
        AssertContours("blobs_level", Call(() => Measure.FindContours(In("blobs"), 0.25, "high")));
        AssertContours("tiny", Call(() => Measure.FindContours(In("tiny"), 1.5)));
        AssertContours("edge", Call(() => Measure.FindContours(In("edge"), 0.5)));
    }

    [TestMethod]
    public void ClosedContoursEndWhereTheyStart()
    {
        foreach (var contour in Measure.FindContours(In("smooth"), 0.5))
        {
            var points = (HostArray<double>)contour;
            int n = points.Shape[0];
            bool onBorder = points[0, 0] is 0 or 40 || points[0, 1] is 0 or 36;
            if (!onBorder) Assert.IsTrue(points[0, 0] == points[n - 1, 0] && points[0, 1] == points[n - 1, 1], "an interior contour closes");
        }
    }

    [TestMethod]
    public void FindContoursChecksItsArguments()
    {
        ThrowsFor("image", () => Measure.FindContours(HostArray.Zeros<float>(1, 5)));
        ThrowsFor("image", () => Measure.FindContours(HostArray.Zeros<float>(3, 4, 5)));
        ThrowsFor("fullyConnected", () => Measure.FindContours(HostArray.Zeros<float>(3, 3), fullyConnected: "middle"));
        ThrowsFor("positiveOrientation", () => Measure.FindContours(HostArray.Zeros<float>(3, 3), positiveOrientation: "up"));
        ThrowsFor("mask", () => Measure.FindContours(HostArray.Zeros<float>(3, 3), mask: HostArray.Zeros<byte>(3, 3)));
        ThrowsFor("mask", () => Measure.FindContours(HostArray.Zeros<float>(3, 3), mask: HostArray.Zeros<bool>(3, 4)));
    }

    [TestMethod]
    [DataRow("cam")]
    [DataRow("smooth")]
    [DataRow("vol")]
    public void BlockReduceMatchesScikitImage(string input)
    {
        var image = In(input);
        bool volume = image.Rank == 3;
        var sum = Unmodified(image, () => Call(() => Measure.BlockReduce(image, volume ? [2, 3, 4] : [2, 3], "sum")));
        AssertMatches(Load(M, $"br_sum__{input}"), ((HostArray)sum).AsType(DType.Float64), image.DType == DType.Float32 ? 2e-6 : null, what: "sum");
        AssertMatches(Load(M, $"br_mean__{input}"), Call(() => Measure.BlockReduce(image, [3], "mean")), what: "mean");
        AssertMatches(Load(M, $"br_max__{input}"), Call(() => Measure.BlockReduce(image, volume ? [3, 2, 2] : [4, 2], "max")), what: "max");
        AssertMatches(Load(M, $"br_min__{input}"), Call(() => Measure.BlockReduce(image, [2], "min", cval: 7)), what: "min, cval 7");
        AssertMatches(Load(M, $"br_median__{input}"), Call(() => Measure.BlockReduce(image, volume ? [2, 2, 3] : [3, 5], "median")), what: "median");
        if (image.DType != DType.UInt8)
            AssertMatches(Load(M, $"br_mean_cval__{input}"), Call(() => Measure.BlockReduce(image, [4], "mean", cval: 0.5)), what: "mean, cval 0.5");
    }

    [TestMethod]
    public void BlockReduceChecksItsArguments()
    {
        var image = HostArray.Zeros<byte>(6, 7);
        ThrowsFor("blockSize", () => Measure.BlockReduce(image, [2, 2, 2]));
        ThrowsFor("blockSize", () => Measure.BlockReduce(image, [0, 2]));
        ThrowsFor("func", () => Measure.BlockReduce(image, func: "std"));
        ThrowsFor("cval", () => Measure.BlockReduce(image, cval: 300));
        Assert.AreEqual(DType.Bool, Measure.BlockReduce(HostArray.Zeros<bool>(4, 4), func: "max").DType);
        Assert.AreEqual(DType.Float64, Measure.BlockReduce(HostArray.Zeros<bool>(4, 4), func: "mean").DType);
    }
}
