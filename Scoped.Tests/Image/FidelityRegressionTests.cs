using Scoped.Cli;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>
/// The differences from scikit-image 0.19.3 that randomized testing found (issue 20), each with the reference values
/// scikit-image gives for the reported input.
/// </summary>
[TestClass]
public sealed class FidelityRegressionTests
{
    private static Array Flat(NDArray a) => ((HostArray)a).ToFlatArray();

    private static double[] Row0(NDArray a) => ((double[])((HostArray)a).AsType(DType.Float64).ToFlatArray())[..a.Shape[1]];

    [TestMethod]
    [DataRow(DType.UInt16)]
    [DataRow(DType.Int32)]
    public void ImgAsUbyteCastsWithoutScalingWhenEveryValueFitsInEightBits(DType dtype)
    {
        var image = HostArray.Create(new double[] { 0, 7, 200, 255 }, 1, 4).AsType(dtype);
        CollectionAssert.AreEqual(new byte[] { 0, 7, 200, 255 }, (byte[])Flat(Call(() => Util.ImgAsUbyte(image))));
    }

    [TestMethod]
    public void ImgAsUbyteStillScalesWhenAValueIsTooLargeAndClipsNegativesWhenItFits()
    {
        var u16 = HostArray.Create(new ushort[] { 0, 7, 256 }, 1, 3);
        CollectionAssert.AreEqual(new byte[] { 0, 0, 1 }, (byte[])Flat(Call(() => Util.ImgAsUbyte(u16))));
        var i32 = HostArray.Create(new[] { 0, 7, 127, -3 }, 1, 4);
        CollectionAssert.AreEqual(new byte[] { 0, 7, 127, 0 }, (byte[])Flat(Call(() => Util.ImgAsUbyte(i32))));
    }

    /// <summary>arange(35).reshape(5, 7) read 11 columns to the right: more than one image width outside.</summary>
    [TestMethod]
    [DataRow(BoundaryMode.Nearest, 0, new[] { 6.0, 6, 6, 6, 6, 6, 6 })]     // scikit-image 'edge'
    [DataRow(BoundaryMode.Nearest, 1, new[] { 6.0, 6, 6, 6, 6, 6, 6 })]
    [DataRow(BoundaryMode.Mirror, 0, new[] { 1.0, 0, 1, 2, 3, 4, 5 })]      // scikit-image 'reflect' (period 2n - 2)
    [DataRow(BoundaryMode.Reflect, 0, new[] { 2.0, 1, 0, 0, 1, 2, 3 })]     // scikit-image 'symmetric' (period 2n)
    public void WarpReadsFarOutsideCoordinatesWithEachModesOwnPeriod(BoundaryMode mode, int order, double[] expected)
    {
        var image = HostArray.Create(Enumerable.Range(0, 35).Select(v => (double)v).ToArray(), 5, 7);
        double[,] map = { { 1, 0, 11 }, { 0, 1, 0 }, { 0, 0, 1 } };
        var warped = Call(() => Transform.Warp(image, map, order: order, mode: mode, preserveRange: true));
        CollectionAssert.AreEqual(expected, Row0(warped));
    }

    [TestMethod]
    [DataRow(0.3, false)]
    [DataRow(0.5, false)]
    [DataRow(0.7, false)]
    [DataRow(1.0, true)]
    [DataRow(2.6, true)]
    [DataRow(-3.0, true)]
    public void ABoolImagesCvalIsTruncatedBeforeItIsTested(double cval, bool expected)
    {
        var image = HostArray.Zeros<bool>(3, 3);
        double[,] shift = { { 1, 0, 5 }, { 0, 1, 0 }, { 0, 0, 1 } };   // every output pixel reads outside
        var warped = Call(() => Transform.Warp(image, shift, order: 0, mode: BoundaryMode.Constant, cval: cval));
        Assert.AreEqual(expected, ((bool[])Flat(warped))[0]);
    }

    /// <summary>A peak one row from the edge: a border of 1 keeps it, exclude_border=True (min_distance 3) does not.</summary>
    [TestMethod]
    public void PeakLocalMaxReadsAnIntegerExcludeBorderAsAWidthInCodeAndOnTheCommandLine()
    {
        var image = HostArray.Zeros<double>(12, 12);
        image.Tensor[1, 5] = 1;
        image.Tensor[6, 6] = 0.5;
        CollectionAssert.AreEqual(new[] { 1, 5, 6, 6 }, (int[])Flat(Feature.PeakLocalMax(image, minDistance: 3, excludeBorder: 1)));
        CollectionAssert.AreEqual(new[] { 6, 6 }, (int[])Flat(Feature.PeakLocalMax(image, minDistance: 3, excludeBorder: true)));
        CollectionAssert.AreEqual(new[] { 1, 5, 6, 6 }, (int[])Flat(Feature.PeakLocalMax(image, minDistance: 3, excludeBorder: new[] { 0, 2 })));

        string dir = Path.Combine(Path.GetTempPath(), "scoped-plm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "in.npy"), output = Path.Combine(dir, "out.npy");
            Npy.Write(input, image);
            foreach (var (border, peaks) in new[] { ("1", new[] { 1, 5, 6, 6 }), ("true", new[] { 6, 6 }), ("0,2", new[] { 1, 5, 6, 6 }) })
            {
                var stderr = new StringWriter();
                int code = new ScopedCli().Run(["run", "feature.peak_local_max", input, "--min_distance", "3", "--exclude_border", border, "-o", output], new StringWriter(), stderr);
                Assert.AreEqual(0, code, stderr.ToString());
                CollectionAssert.AreEqual(peaks, (int[])Npy.Read(output).ToFlatArray(), $"--exclude_border {border}");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
