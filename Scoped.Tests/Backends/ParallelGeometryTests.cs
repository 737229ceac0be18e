using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>
/// scoped.image.transform, color, exposure (pointwise) and util on the parallel backend: the same bytes as the default
/// for every shape and band.
/// </summary>
[TestClass]
[DoNotParallelize] // the backend's options are process-wide
public sealed class ParallelGeometryTests
{
    private static readonly DType[] Floats = [DType.Float32, DType.Float64];
    private static readonly DType[] AllTypes = [DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32, DType.Bool];

    // ---------------------------------------------------------------- transform

    [TestMethod]
    public void Resize_Shrink_WithAntiAliasing() =>
        ParallelTestKit.AssertBitIdentical("resize shrink", i => Transform.Resize(i, [Math.Max(1, i.Shape[0] / 2), Math.Max(1, i.Shape[1] / 3)]),
            [DType.Float32, DType.Float64, DType.UInt8], [0, 3]);

    [TestMethod]
    public void Resize_Enlarge_And_Mixed() =>
        ParallelTestKit.AssertBitIdentical("resize mixed", i => Transform.Resize(i, [i.Shape[0] * 2 + 1, Math.Max(1, i.Shape[1] - 3)]),
            [DType.Float32, DType.Float64, DType.UInt16], [0, 3], seed: 3);

    [TestMethod]
    [DataRow(BoundaryMode.Constant)]
    [DataRow(BoundaryMode.Nearest)]
    [DataRow(BoundaryMode.Reflect)]
    [DataRow(BoundaryMode.Wrap)]
    public void Resize_Modes(BoundaryMode mode) =>
        ParallelTestKit.AssertBitIdentical($"resize {mode}", i => Transform.Resize(i, [i.Shape[0] + 5, Math.Max(1, i.Shape[1] / 2)], mode: mode, cval: 0.75),
            Floats, [0, 2], seed: 10 + (int)mode);

    [TestMethod]
    public void Resize_Nearest_AllTypes() =>
        ParallelTestKit.AssertBitIdentical("resize order 0", i => Transform.Resize(i, [i.Shape[0] * 3 / 2 + 1, Math.Max(1, i.Shape[1] * 2 / 3)], order: 0,
            antiAliasing: false, mode: BoundaryMode.Constant, cval: 0.5), AllTypes, [0, 3], seed: 5);

    [TestMethod]
    public void Rescale_NoClip() =>
        ParallelTestKit.AssertBitIdentical("rescale", i => Transform.Rescale(i, 0.4, clip: false), Floats, seed: 21);

    /// <summary>The fused x0.5 float32 path (stride-2 horizontal plan) and the chunked clip range need images larger
    /// than the kit's shapes: more than one 16-row range chunk, at least 16 interior output columns.</summary>
    [TestMethod]
    public void Resize_Halving_Float32_Large()
    {
        foreach (var (rows, cols) in new[] { (96, 160), (75, 131), (130, 64), (33, 200) })
            foreach (bool clip in new[] { true, false })
                foreach (bool nan in new[] { false, true })
                {
                    var image = ParallelTestKit.Random(DType.Float32, rows, cols, 0, rows * cols);
                    if (nan) image = WithSpecials(image);
                    ParallelTestKit.AssertBandsOn($"halve {rows}x{cols} clip {clip} nan {nan}", image,
                        i => Transform.Resize(i, [(i.Shape[0] + 1) / 2, (i.Shape[1] + 1) / 2], clip: clip));
                    ParallelTestKit.AssertBandsOn($"third {rows}x{cols} clip {clip} nan {nan}", image,
                        i => Transform.Resize(i, [i.Shape[0] / 3, i.Shape[1] / 3], clip: clip));
                }
        // A constant top: there the weights' rounding can leave outputs just past the constant, which the clip to the
        // range of the rows read so far (the constant alone) takes back, and the whole image's range would not.
        foreach (var dtype in Floats)
        {
            var stepped = ConstantTop(ParallelTestKit.Random(dtype, 100, 96, 0, 3), 40, 0.7);
            ParallelTestKit.AssertBandsOn($"halve constant top {dtype}", stepped, i => Transform.Resize(i, [50, 48]));
            ParallelTestKit.AssertBandsOn($"shrink constant top {dtype}", stepped, i => Transform.Resize(i, [37, 29]));
        }
        var f64 = WithSpecials(ParallelTestKit.Random(DType.Float64, 90, 70, 0, 4));
        ParallelTestKit.AssertBandsOn("shrink float64 with NaN", f64, i => Transform.Resize(i, [41, 30]));
        ParallelTestKit.AssertBandsOn("pyramid float64 with NaN", f64, i => Transform.PyramidReduce(i));
    }

    [TestMethod]
    public void Rotate_Float32_Affine_And_Generic()
    {
        ParallelTestKit.AssertBitIdentical("rotate 30", i => Transform.Rotate(i, 30), Floats, [0, 3]);
        ParallelTestKit.AssertBitIdentical("rotate resize", i => Transform.Rotate(i, -47.5, resize: true, mode: BoundaryMode.Reflect), Floats, seed: 9);
        ParallelTestKit.AssertBitIdentical("rotate wrap", i => Transform.Rotate(i, 12, mode: BoundaryMode.Wrap, cval: 2), [DType.Float32, DType.UInt8], [0, 2], seed: 13);
    }

    [TestMethod]
    public void Rotate_Order0_AllTypes() =>
        ParallelTestKit.AssertBitIdentical("rotate order 0", i => Transform.Rotate(i, 73, order: 0, cval: 1), AllTypes, [0, 3], seed: 17);

    [TestMethod]
    public void Warp_Projective_And_Affine()
    {
        double[] projective = [0.9, 0.15, 1.5, -0.1, 1.1, -2, 0.002, -0.003, 1];
        double[] affine = [1.2, 0.3, -3, -0.25, 0.8, 4, 0, 0, 1];
        ParallelTestKit.AssertBitIdentical("warp projective", i => Transform.Warp(i, projective), Floats, [0, 3], seed: 23);
        ParallelTestKit.AssertBitIdentical("warp projective order 0", i => Transform.Warp(i, projective, order: 0, mode: BoundaryMode.Mirror), AllTypes, seed: 29);
        ParallelTestKit.AssertBitIdentical("warp affine shape", i => Transform.Warp(i, affine, outputShape: [i.Shape[0] + 7, i.Shape[1] + 2], cval: 0.25),
            [DType.Float32, DType.UInt16], seed: 31);
        var nan = WithSpecials(ParallelTestKit.Random(DType.Float32, 40, 50, 0, 8));
        ParallelTestKit.AssertBandsOn("warp with NaN", nan, i => Transform.Warp(i, affine));
    }

    [TestMethod]
    public void PyramidReduce() =>
        ParallelTestKit.AssertBitIdentical("pyramid_reduce", i => Transform.PyramidReduce(i), [DType.Float32, DType.Float64, DType.UInt8], seed: 37);

    // ---------------------------------------------------------------- color

    [TestMethod]
    public void Color_Conversions()
    {
        ParallelTestKit.AssertBitIdentical("rgb2gray", i => Color.Rgb2Gray(i), [DType.Float32, DType.Float64, DType.UInt8], [3]);
        ParallelTestKit.AssertBitIdentical("gray2rgb", i => Color.Gray2Rgb(i), AllTypes, seed: 41);
        ParallelTestKit.AssertBitIdentical("rgb2hsv", i => Color.Rgb2Hsv(i), [DType.Float32, DType.Float64, DType.UInt16], [3], seed: 43);
        ParallelTestKit.AssertBitIdentical("hsv2rgb", i => Color.Hsv2Rgb(i), Floats, [3], seed: 47);
    }

    // ---------------------------------------------------------------- exposure

    [TestMethod]
    public void RescaleIntensity()
    {
        ParallelTestKit.AssertBitIdentical("rescale_intensity", i => Exposure.RescaleIntensity(i), [DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32], [0, 3]);
        ParallelTestKit.AssertBitIdentical("rescale_intensity out image", i => Exposure.RescaleIntensity(i, "0.2,0.7", "image"), Floats, seed: 53);
        ParallelTestKit.AssertBitIdentical("rescale_intensity uint8 out", i => Exposure.RescaleIntensity(i, "image", "uint8"), [DType.Float64, DType.UInt16], seed: 59);
        ParallelTestKit.AssertBitIdentical("rescale_intensity NaN", i => Exposure.RescaleIntensity(WithSpecials(i)), Floats, seed: 61);
    }

    [TestMethod]
    public void AdjustGamma()
    {
        ParallelTestKit.AssertBitIdentical("adjust_gamma", i => Exposure.AdjustGamma(i, 0.7, 1.3), [DType.Float32, DType.Float64, DType.UInt8, DType.UInt16], [0, 3]);
        ParallelTestKit.AssertBitIdentical("adjust_gamma 2", i => Exposure.AdjustGamma(i, 2), [DType.Float32, DType.Int32], seed: 67);
    }

    // ---------------------------------------------------------------- util

    [TestMethod]
    public void ImgAsFloat_ImgAsUbyte()
    {
        ParallelTestKit.AssertBitIdentical("img_as_float", i => Util.ImgAsFloat(i), AllTypes, [0, 3]);
        ParallelTestKit.AssertBitIdentical("img_as_ubyte", i => Util.ImgAsUbyte(i), [DType.Float32, DType.Float64, DType.UInt16, DType.Int32, DType.Bool], [0, 3], seed: 71);
    }

    [TestMethod]
    public void ImgAsUbyte_OutOfRange_SameMessage()
    {
        var values = new double[40 * 30];
        for (int k = 0; k < values.Length; k++) values[k] = k % 7 / 10.0;
        values[25 * 30 + 4] = 3.5; // first offending value in raster order
        values[31 * 30 + 1] = -2;
        var image = HostArray.Create(values, 40, 30);
        string expected = Assert.ThrowsExactly<ArgumentException>(() => Util.ImgAsUbyte(image)).Message;
        foreach (var band in ParallelTestKit.BandLengths)
            ParallelTestKit.WithBands(band, () =>
                Assert.AreEqual(expected, Assert.ThrowsExactly<ArgumentException>(() => Util.ImgAsUbyte(image)).Message, $"bands of {band}"));
    }

    [TestMethod]
    [DataRow("constant")]
    [DataRow("edge")]
    [DataRow("reflect")]
    [DataRow("symmetric")]
    [DataRow("wrap")]
    public void Pad(string mode) =>
        ParallelTestKit.AssertBitIdentical($"pad {mode}", i => Util.Pad(i, [3, 1, 0, 4], mode, 0.5), AllTypes, [0, 2], seed: mode.Length);

    // ---------------------------------------------------------------- helpers

    /// <summary>A copy of a float image with some NaN, -0 and a whole NaN row (when it has more than 3 rows).</summary>
    private static HostArray WithSpecials(HostArray image)
    {
        var shape = image.Shape.ToArray();
        int rowLength = (int)(image.Size / Math.Max(1, shape[0]));
        switch (image.ToFlatArray())
        {
            case float[] f:
                Mark(f.Length, rowLength, k => f[k] = float.NaN, k => f[k] = -0f);
                return HostArray.Create(f, shape);
            case double[] d:
                Mark(d.Length, rowLength, k => d[k] = double.NaN, k => d[k] = -0.0);
                return HostArray.Create(d, shape);
            default:
                return image;
        }
    }

    /// <summary>A copy of a float image whose first <paramref name="rows"/> rows are all <paramref name="value"/>.</summary>
    private static HostArray ConstantTop(HostArray image, int rows, double value)
    {
        var shape = image.Shape.ToArray();
        int n = (int)(image.Size / shape[0]) * rows;
        switch (image.ToFlatArray())
        {
            case float[] f: Array.Fill(f, (float)value, 0, n); return HostArray.Create(f, shape);
            case double[] d: Array.Fill(d, value, 0, n); return HostArray.Create(d, shape);
            default: return image;
        }
    }

    private static void Mark(int n, int rowLength, Action<int> nan, Action<int> negativeZero)
    {
        for (int k = 5; k < n; k += 37) nan(k);
        for (int k = 11; k < n; k += 53) negativeZero(k);
        if (n > 3 * rowLength) for (int k = 2 * rowLength; k < 3 * rowLength; k++) nan(k);
    }
}
