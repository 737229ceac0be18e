using Scoped.Backends.Parallel;
using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>ParallelUtil.ApplyParallel: chunks with halos, the same bytes as the whole call when the halo covers the reach.</summary>
[TestClass]
public sealed class ApplyParallelTests
{
    private static HostArray Image(int rows, int cols, int channels = 0, DType dtype = DType.Float32) => ParallelTestKit.Random(dtype, rows, cols, channels, rows * 31 + cols);

    /// <summary>gaussian sigma 1, truncate 4: reach 4 pixels.</summary>
    private static NDArray Blur(NDArray image) => Filters.Gaussian(image, 1.0, BoundaryMode.Nearest);

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(37, 53, 8)]
    [DataRow(64, 64, 16)]
    [DataRow(50, 3, 7)]
    [DataRow(3, 50, 5)]
    public void WithoutPadding_AHaloAsDeepAsTheReach_GivesTheWholeCallsBytes(int rows, int cols, int chunk)
    {
        var image = Image(rows, cols);
        var expected = Blur(image);
        var actual = ParallelUtil.ApplyParallel(Blur, image, chunks: [chunk], depth: [4]);
        ParallelTestKit.AssertSameBytes(expected, actual, $"{rows}x{cols} chunks {chunk}");
    }

    [TestMethod]
    public void ChannelsAreNeverSplit_AndRectangularChunksWork()
    {
        var image = Image(41, 29, 3);
        var expected = Blur(image);
        ParallelTestKit.AssertSameBytes(expected, ParallelUtil.ApplyParallel(Blur, image, chunks: [9, 5], depth: [4, 4]), "rgb");
    }

    [TestMethod]
    public void AShallowHalo_ChangesPixelsNearTheSeams()
    {
        // The test above can fail: with depth 1 < reach 4 the seams show.
        var image = Image(40, 40);
        var whole = (float[])((HostArray)Blur(image)).ToFlatArray();
        var chunked = (float[])ParallelUtil.ApplyParallel(Blur, image, chunks: [10], depth: [1]).ToFlatArray();
        Assert.IsFalse(whole.SequenceEqual(chunked));
        // Pixel (5, 5) is more than the reach away from every chunk edge that is not the image edge: unchanged.
        Assert.AreEqual(whole[5 * 40 + 5], chunked[5 * 40 + 5]);
    }

    [TestMethod]
    public void WithAMode_TheImageIsPaddedFirst_AsScikitImageDoes()
    {
        var image = Image(30, 22);
        const int depth = 4;
        foreach (var mode in new[] { BoundaryMode.Reflect, BoundaryMode.Mirror, BoundaryMode.Nearest, BoundaryMode.Wrap, BoundaryMode.Constant })
        {
            string numpy = mode switch { BoundaryMode.Reflect => "symmetric", BoundaryMode.Mirror => "reflect", BoundaryMode.Nearest => "edge", BoundaryMode.Wrap => "wrap", _ => "constant" };
            var padded = Util.Pad(image, depth, numpy);
            var expected = Util.Crop(Blur(padded), depth, copy: true);
            var actual = ParallelUtil.ApplyParallel(Blur, image, chunks: [7, 6], depth: [depth], mode: mode);
            ParallelTestKit.AssertSameBytes(expected, actual, mode.ToString());
        }
    }

    [TestMethod]
    public void TheFunctionMayChangeDtypeAndChannels()
    {
        var image = Image(20, 17, 3, DType.UInt8);
        var expected = Color.Rgb2Gray(image);
        ParallelTestKit.AssertSameBytes(expected, ParallelUtil.ApplyParallel(i => Color.Rgb2Gray(i), image, chunks: [6]), "rgb2gray");
    }

    [TestMethod]
    public void ReportsProgressOncePerChunk_AndEndsAtTheCount()
    {
        var image = Image(25, 25);
        var seen = new System.Collections.Concurrent.ConcurrentBag<ApplyParallelProgress>();
        ParallelUtil.ApplyParallel(Blur, image, chunks: [10], depth: [4], progress: new SynchronousProgress(seen.Add));
        Assert.AreEqual(9, seen.Count);
        CollectionAssert.AreEquivalent(Enumerable.Range(1, 9).ToArray(), seen.Select(p => p.ChunksDone).ToArray());
        Assert.IsTrue(seen.All(p => p.ChunkCount == 9));
        Assert.AreEqual(1.0, seen.Max(p => p.Fraction));
    }

    private sealed class SynchronousProgress(Action<ApplyParallelProgress> report) : IProgress<ApplyParallelProgress>
    {
        public void Report(ApplyParallelProgress value) => report(value);
    }

    [TestMethod]
    public void BadArguments_NameTheParameter()
    {
        var image = Image(10, 10);
        Assert.AreEqual("function", Assert.ThrowsExactly<ArgumentNullException>(() => ParallelUtil.ApplyParallel(null!, image)).ParamName);
        Assert.AreEqual("image", Assert.ThrowsExactly<ArgumentNullException>(() => ParallelUtil.ApplyParallel(Blur, null!)).ParamName);
        Assert.AreEqual("chunks", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ParallelUtil.ApplyParallel(Blur, image, chunks: [0])).ParamName);
        Assert.AreEqual("chunks", Assert.ThrowsExactly<ArgumentException>(() => ParallelUtil.ApplyParallel(Blur, image, chunks: [1, 2, 3])).ParamName);
        Assert.AreEqual("depth", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ParallelUtil.ApplyParallel(Blur, image, depth: [-1])).ParamName);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => ParallelUtil.ApplyParallel(i => Util.Crop(i, 1), image, chunks: [5]));
        Assert.AreEqual("function", ex.ParamName);
        StringAssert.Contains(ex.Message, "rows and columns");
    }

    [TestMethod]
    public void AFailingFunction_SurfacesItsOwnException_AndTheInputIsUntouched()
    {
        var image = Image(30, 30);
        var before = (float[])image.ToFlatArray();
        int calls = 0;
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ParallelUtil.ApplyParallel(i =>
        {
            if (Interlocked.Increment(ref calls) == 3) throw new InvalidOperationException("chunk failed");
            return Blur(i);
        }, image, chunks: [5], depth: [2]));
        Assert.AreEqual("chunk failed", ex.Message);
        CollectionAssert.AreEqual(before, (float[])image.ToFlatArray());
    }

    [TestMethod]
    public void Cancellation_Stops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => ParallelUtil.ApplyParallel(Blur, Image(30, 30), cancellationToken: cts.Token));
        using var later = new CancellationTokenSource();
        int calls = 0;
        Assert.ThrowsExactly<OperationCanceledException>(() => ParallelUtil.ApplyParallel(i =>
        {
            if (Interlocked.Increment(ref calls) == 2) later.Cancel();
            return Blur(i);
        }, Image(60, 60), chunks: [3], cancellationToken: later.Token));
        Assert.IsTrue(calls < 400, $"{calls} chunks ran after cancellation");
    }
}
