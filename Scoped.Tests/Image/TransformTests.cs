using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

[TestClass]
public sealed class TransformTests
{
    private const string M = "transform";

    private static HostArray In(string name) => Load(M, name);

    private static void Check(string expected, Func<NDArray> call, HostArray? input = null, double? tolerance = null)
    {
        var actual = input is null ? Call(call) : Unmodified(input, () => Call(call));
        AssertMatches(Load(M, expected), actual, tolerance, expected);
    }

    [TestMethod]
    [DataRow("resize__f32_half", 18, 26)]
    [DataRow("resize__f32_20x17", 20, 17)]
    [DataRow("resize__f32_81x100", 81, 100)]
    [DataRow("resize__f32_50x30", 50, 30)]
    public void ResizeFloat32(string expected, int rows, int cols)
    {
        var f = In("f32");
        Check(expected, () => Transform.Resize(f, [rows, cols]), f);
    }

    [TestMethod]
    public void ResizeByExactlyOneHalf()
    {
        var f = (HostArray<float>)In("f32_48x70");
        Check("resize__f32_48x70_half", () => Transform.Resize(f, [24, 35]), f);
        var stretched = HostArray.Create(f.ToArray().Select(v => v * 3 - 1).ToArray(), 48, 70);
        Check("resize__f32_48x70_half_clipped", () => Transform.Resize(stretched, [24, 35]));
        // a strided crop reads the same pixels as a dense copy
        var big = Load<float>(M, "f32");
        var crop = new HostArray<float>(big.Tensor.Slice([new System.Buffers.NRange(1, 35), new System.Buffers.NRange(3, 51)]));
        var copy = HostArray.Create(crop.ToArray(), 34, 48);
        // (both through the backend under test: another backend may differ from the default by float32 rounding)
        AssertMatches(Call(() => Transform.Resize(copy, [17, 24])), Call(() => Transform.Resize(crop, [17, 24])), 0);
    }

    [TestMethod]
    public void ResizeAntiAliasingOptions()
    {
        var f = In("f32");
        Check("resize__f32_20x17_noaa", () => Transform.Resize(f, [20, 17], antiAliasing: false));
        Check("resize__f32_20x17_sigma", () => Transform.Resize(f, [20, 17], antiAliasingSigma: [1.5, 0.7]));
    }

    [TestMethod]
    [DataRow("constant", BoundaryMode.Constant)]
    [DataRow("edge", BoundaryMode.Nearest)]
    [DataRow("symmetric", BoundaryMode.Reflect)]
    [DataRow("reflect", BoundaryMode.Mirror)]
    [DataRow("wrap", BoundaryMode.Wrap)]
    public void ResizeModes(string skimageMode, BoundaryMode mode)
    {
        Check($"resize__f32_23x71_{skimageMode}", () => Transform.Resize(In("f32"), [23, 71], mode: mode, cval: 0.7));
        Check($"resize__f64_45x13_{skimageMode}", () => Transform.Resize(In("f64"), [45, 13], mode: mode, cval: -0.25));
    }

    [TestMethod]
    public void ResizeOrderZero()
    {
        Check("resize__f32_order0", () => Transform.Resize(In("f32"), [29, 61], order: 0));
        Check("resize__f32_order0_noaa", () => Transform.Resize(In("f32"), [29, 61], order: 0, antiAliasing: false));
        Check("resize__cam_u8_order0", () => Transform.Resize(In("cam_u8"), [57, 64], order: 0, antiAliasing: false));
        Check("resize__mask", () => Transform.Resize(In("mask"), [30, 11]));
    }

    [TestMethod]
    public void ResizeIntegerAndColour()
    {
        var cam = In("cam_u8");
        Check("resize__cam_u8", () => Transform.Resize(cam, [33, 64]), cam);
        Check("resize__cam_u8_preserve", () => Transform.Resize(cam, [33, 64], preserveRange: true));
        var rgb = In("rgb_u8");
        Check("resize__rgb", () => Transform.Resize(rgb, [21, 50]), rgb);
        Check("resize__rgb_3", () => Transform.Resize(rgb, [45, 19, 3]));
    }

    [TestMethod]
    public void ResizeClipping()
    {
        var shifted = HostArray.Create(((HostArray<float>)In("f32")).ToArray().Select(v => v + 1).ToArray(), 37, 53);
        Check("resize__f32_noclip_constant", () => Transform.Resize(shifted, [60, 70], mode: BoundaryMode.Constant, clip: false));
        Check("resize__f32_clip_constant", () => Transform.Resize(shifted, [60, 70], mode: BoundaryMode.Constant));
        Check("resize__f32_big_cval", () => Transform.Resize(In("f32"), [80, 120], mode: BoundaryMode.Constant, cval: 3));
    }

    [TestMethod]
    public void Rescale()
    {
        Check("rescale__f32_0_37", () => Transform.Rescale(In("f32"), 0.37));
        Check("rescale__f32_1_6_0_8", () => Transform.Rescale(In("f32"), [1.6, 0.8]));
        Check("rescale__rgb_0_5", () => Transform.Rescale(In("rgb_u8"), 0.5, channelAxis: -1));
        Check("rescale__cam_2_5", () => Transform.Rescale(In("cam_u8"), 2.5));
    }

    [TestMethod]
    [DataRow("30", 30.0)]
    [DataRow("m17_5", -17.5)]
    [DataRow("90", 90.0)]
    [DataRow("180", 180.0)]
    [DataRow("45", 45.0)]
    public void RotateFloat32(string name, double angle)
    {
        var f = In("f32");
        Check($"rotate__f32_{name}", () => Transform.Rotate(f, angle), f);
        Check($"rotate__f32_{name}_resize", () => Transform.Rotate(f, angle, resize: true));
    }

    [TestMethod]
    public void RotateCentreDtypesAndColour()
    {
        Check("rotate__f64_30_center", () => Transform.Rotate(In("f64"), 30, center: [3, 20.5]));
        Check("rotate__f64_30_center_resize", () => Transform.Rotate(In("f64"), 30, resize: true, center: [3, 20.5]));
        Check("rotate__cam_u8_25", () => Transform.Rotate(In("cam_u8"), 25));
        Check("rotate__cam_u8_25_preserve", () => Transform.Rotate(In("cam_u8"), 25, preserveRange: true));
        Check("rotate__rgb_40", () => Transform.Rotate(In("rgb_u8"), 40));
        Check("rotate__mask_20", () => Transform.Rotate(In("mask"), 20));
        Check("rotate__cam_u8_20_order0", () => Transform.Rotate(In("cam_u8"), 20, order: 0));
        Check("rotate__f32_33_order0", () => Transform.Rotate(In("f32"), 33, order: 0));
    }

    [TestMethod]
    [DataRow("edge", BoundaryMode.Nearest)]
    [DataRow("symmetric", BoundaryMode.Reflect)]
    [DataRow("reflect", BoundaryMode.Mirror)]
    [DataRow("wrap", BoundaryMode.Wrap)]
    public void RotateModes(string skimageMode, BoundaryMode mode) =>
        Check($"rotate__f32_33_{skimageMode}", () => Transform.Rotate(In("f32"), 33, mode: mode));

    [TestMethod]
    public void RotateCval()
    {
        Check("rotate__f32_33_cval", () => Transform.Rotate(In("f32"), 33, cval: 0.5));
        Check("rotate__f32_33_cval_out", () => Transform.Rotate(In("f32"), 33, cval: 2.0));
    }

    /// <summary>NaN in the input, as scikit-image 0.19 clips: rotate and warp clip to nanmin..nanmax (widened by a cval
    /// outside it), while resize clips to [image.min(), image.max()], which NaN makes NaN, so nothing is clipped.</summary>
    [TestMethod]
    public void ClippingWithNaNInTheInputFollowsScikitImage()
    {
        var withNaN = In("f32_nan");
        Check("rotate__f32_nan_33_cval_out", () => Transform.Rotate(withNaN, 33, cval: 2.0), withNaN);
        Check("rotate__f32_nan_33_cval_in", () => Transform.Rotate(withNaN, 33, cval: 0.5), withNaN);
        var shifted = HostArray.Create(((HostArray<float>)withNaN).ToArray().Select(v => v + 1).ToArray(), 37, 53);
        Check("resize__f32_nan_60x70_constant", () => Transform.Resize(shifted, [60, 70], mode: BoundaryMode.Constant), shifted);
    }

    [TestMethod]
    public void WarpWithMatrix()
    {
        var shear = ((HostArray<double>)In("warp_shear_matrix")).ToArray();
        var f = In("f32");
        Check("warp__f32_shear", () => Transform.Warp(f, shear), f);
        Check("warp__f64_shear_shape", () => Transform.Warp(In("f64"), shear, outputShape: [40, 25]));
        Check("warp__f32_shear_edge", () => Transform.Warp(f, shear, mode: BoundaryMode.Nearest));
        Check("warp__rgb_shear", () => Transform.Warp(In("rgb_u8"), shear));
        Check("warp__cam_shear_order0", () => Transform.Warp(In("cam_u8"), shear, order: 0));
        var grid = new double[3, 3];
        for (int i = 0; i < 9; i++) grid[i / 3, i % 3] = shear[i];
        Check("warp__f32_shear", () => Transform.Warp(f, grid));
        var proj = ((HostArray<double>)In("warp_proj_matrix")).ToArray();
        Check("warp__f32_proj", () => Transform.Warp(f, proj));
    }

    [TestMethod]
    public void PyramidReduce()
    {
        var f = In("f32");
        Check("pyramid__f32", () => Transform.PyramidReduce(f), f);
        Check("pyramid__f32_3", () => Transform.PyramidReduce(f, downscale: 3));
        Check("pyramid__f64_constant", () => Transform.PyramidReduce(In("f64"), mode: BoundaryMode.Constant, cval: 0.5, sigma: 1.2));
        Check("pyramid__f32_wrap_order0", () => Transform.PyramidReduce(f, order: 0, mode: BoundaryMode.Wrap));
        Check("pyramid__rgb", () => Transform.PyramidReduce(In("rgb_u8"), channelAxis: -1));
        Check("pyramid__cam", () => Transform.PyramidReduce(In("cam_u8"), downscale: 2.5));
    }

    [TestMethod]
    public void ValidationNamesTheParameter()
    {
        var f = In("f32");
        ThrowsFor("outputShape", () => Transform.Resize(f, [0, 5]));
        ThrowsFor("outputShape", () => Transform.Resize(f, [5]));
        ThrowsFor("outputShape", () => Transform.Resize(In("rgb_u8"), [5, 5, 4, 2]));
        ThrowsFor("order", () => Transform.Resize(f, [5, 5], order: 3));
        ThrowsFor("order", () => Transform.Resize(In("mask"), [5, 5], order: 1));
        ThrowsFor("antiAliasing", () => Transform.Resize(In("mask"), [5, 5], antiAliasing: true));
        ThrowsFor("antiAliasingSigma", () => Transform.Resize(f, [5, 5], antiAliasingSigma: [-1]));
        ThrowsFor("cval", () => Transform.Resize(f, [5, 5], cval: double.NaN));
        ThrowsFor("scale", () => Transform.Rescale(f, 0));
        ThrowsFor("channelAxis", () => Transform.Rescale(In("rgb_u8"), 0.5, channelAxis: 3));
        ThrowsFor("angle", () => Transform.Rotate(f, double.NaN));
        ThrowsFor("center", () => Transform.Rotate(f, 10, center: [1]));
        ThrowsFor("inverseMap", () => Transform.Warp(f, new double[] { 1, 0, 0, 2, 0, 0, 0, 0, 1 }));
        ThrowsFor("inverseMap", () => Transform.Warp(f, new double[] { 1, 0, 0, 0, 1, 0 }));
        ThrowsFor("inverseMap", () => Transform.Warp(f, new double[] { 1, 0, double.PositiveInfinity, 0, 1, 0, 0, 0, 1 }));
        ThrowsFor("outputShape", () => Transform.Warp(f, new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, outputShape: [-1, 3]));
        ThrowsFor("downscale", () => Transform.PyramidReduce(f, downscale: 1));
        ThrowsFor("mode", () => Transform.PyramidReduce(f, mode: BoundaryMode.Nearest));
        ThrowsFor("channelAxis", () => Transform.PyramidReduce(In("rgb_u8"), channelAxis: -4));
        ThrowsFor("image", () => Transform.Resize(HostArray.Create(new float[3], 3), [2, 2]));
    }
}
