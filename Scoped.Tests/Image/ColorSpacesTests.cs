using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>color's XYZ, L*a*b* and HED conversions, deltaE_cie76 and deltaE_ciede2000, label2rgb and the colour names
/// against scikit-image 0.19.3 (tools/fixtures/gen_colorspaces.py): float64 within 1e-12, float32 within its rounding.</summary>
[TestClass]
public sealed class ColorSpacesTests
{
    private const string M = "colorspaces";

    private static HostArray In(string name) => Load(M, name);

    [TestMethod]
    [DataRow("rgb")]
    [DataRow("rgb32")]
    [DataRow("rgb64")]
    [DataRow("vol")]
    [DataRow("u16")]
    public void ForwardConversions(string input)
    {
        var rgb = In(input);
        AssertMatches(Load(M, $"rgb2xyz__{input}"), Unmodified(rgb, () => Call(() => Color.Rgb2Xyz(rgb))), what: "rgb2xyz");
        AssertMatches(Load(M, $"rgb2lab__{input}"), Unmodified(rgb, () => Call(() => Color.Rgb2Lab(rgb))), what: "rgb2lab");
        // float32 optical densities (NumPy's own float32 log) in a float64 result: within float32 rounding.
        AssertMatches(Load(M, $"rgb2hed__{input}"), Unmodified(rgb, () => Call(() => Color.Rgb2Hed(rgb))), rgb.DType == DType.Float32 ? 2e-6 : null, what: "rgb2hed");
        var xyz = Call(() => Color.Rgb2Xyz(rgb));
        AssertMatches(Load(M, $"xyz2rgb__{input}"), Call(() => Color.Xyz2Rgb(xyz)), what: "xyz2rgb");
        AssertMatches(Load(M, $"xyz2lab__{input}"), Call(() => Color.Xyz2Lab(xyz)), what: "xyz2lab");
    }

    [TestMethod]
    public void ChannelsFirst()
    {
        var chw = In("chw");
        AssertMatches(Load(M, "rgb2xyz__chw_c0"), Call(() => Color.Rgb2Xyz(chw, channelAxis: 0)), what: "rgb2xyz");
        AssertMatches(Load(M, "rgb2lab__chw_c0"), Call(() => Color.Rgb2Lab(chw, channelAxis: -3)), what: "rgb2lab");
        AssertMatches(Load(M, "rgb2hed__chw_c0"), Call(() => Color.Rgb2Hed(chw, channelAxis: 0)), what: "rgb2hed");
        AssertMatches(Load(M, "lab2rgb__lab_chw_c0"), Call(() => Color.Lab2Rgb(In("lab_chw"), channelAxis: 0)), what: "lab2rgb");
    }

    [TestMethod]
    [DataRow("A", "2")]
    [DataRow("D50", "10")]
    [DataRow("d65", "R")]
    [DataRow("E", "2")]
    public void Illuminants(string illuminant, string observer)
    {
        AssertMatches(Load(M, $"rgb2lab__rgb64_{illuminant}_{observer}"), Call(() => Color.Rgb2Lab(In("rgb64"), illuminant, observer)), what: "rgb2lab");
        AssertMatches(Load(M, $"lab2rgb__lab_{illuminant}_{observer}"), Call(() => Color.Lab2Rgb(In("lab"), illuminant, observer)), what: "lab2rgb");
    }

    [TestMethod]
    [DataRow("lab")]
    [DataRow("lab32")]
    [DataRow("lab2")]
    public void InverseConversions(string input)
    {
        var lab = In(input);
        AssertMatches(Load(M, $"lab2xyz__{input}"), Unmodified(lab, () => Call(() => Color.Lab2Xyz(lab))), what: "lab2xyz");
        AssertMatches(Load(M, $"lab2rgb__{input}"), Unmodified(lab, () => Call(() => Color.Lab2Rgb(lab))), what: "lab2rgb");
    }

    [TestMethod]
    public void StainsRecombined()
    {
        AssertMatches(Load(M, "hed2rgb__hed"), Call(() => Color.Hed2Rgb(In("hed"))), what: "float64");
        AssertMatches(Load(M, "hed2rgb__hed32"), Call(() => Color.Hed2Rgb(In("hed32"))), what: "float32 in, float64 out");
        AssertMatches(Load(M, "hed2rgb__rgb2hed_rgb"), Call(() => Color.Hed2Rgb(Color.Rgb2Hed(In("rgb")))), what: "round trip");
    }

    [TestMethod]
    public void ColourDifferences()
    {
        var (lab, lab2) = (In("lab"), In("lab2"));
        AssertMatches(Load(M, "cie76__lab_lab2"), Unmodified(lab, () => Unmodified(lab2, () => Call(() => Color.DeltaECie76(lab, lab2)))), what: "cie76");
        AssertMatches(Load(M, "cie76__lab32_lab2_32"), Call(() => Color.DeltaECie76(In("lab32"), In("lab2_32"))), what: "cie76 float32");
        AssertMatches(Load(M, "cie76__chw_c0"), Call(() => Color.DeltaECie76(In("lab_chw"), In("lab2_chw"), channelAxis: 0)), what: "cie76 channels first");
        var one = Pixel(lab2, 3, 4);
        AssertMatches(Load(M, "cie76__lab_one"), Call(() => Color.DeltaECie76(lab, one)), what: "cie76 against one colour");
        AssertMatches(Load(M, "ciede2000__lab_lab2"), Call(() => Color.DeltaECiede2000(lab, lab2)), what: "ciede2000");
        AssertMatches(Load(M, "ciede2000__lab32_lab2_32"), Call(() => Color.DeltaECiede2000(In("lab32"), In("lab2_32"))), what: "ciede2000 float32");
        AssertMatches(Load(M, "ciede2000__chw_c0"), Call(() => Color.DeltaECiede2000(In("lab_chw"), In("lab2_chw"), channelAxis: 0)), what: "ciede2000 channels first");
        AssertMatches(Load(M, "ciede2000__lab_k"), Call(() => Color.DeltaECiede2000(lab, lab2, kL: 2, kC: 0.5, kH: 1.5)), what: "ciede2000 weights");
        AssertMatches(Load(M, "ciede2000__lab_one"), Call(() => Color.DeltaECiede2000(lab, one)), what: "ciede2000 against one colour");
        AssertMatches(Load(M, "ciede2000__one_one"), Call(() => Color.DeltaECiede2000(Pixel(lab, 2, 2), one)), what: "two colours");
    }

    private static HostArray<double> Pixel(HostArray lab, int row, int col)
    {
        var a = (HostArray<double>)lab;
        return HostArray.Create([a[row, col, 0], a[row, col, 1], a[row, col, 2]], 3);
    }

    [TestMethod]
    public void ConversionsCheckTheirArguments()
    {
        ThrowsFor("rgb", () => Color.Rgb2Xyz(HostArray.Zeros<float>(4, 5, 4)));
        ThrowsFor("rgb", () => Color.Rgb2Lab(HostArray.Zeros<float>(3)));
        ThrowsFor("channelAxis", () => Color.Rgb2Hed(HostArray.Zeros<float>(4, 5, 3), 3));
        ThrowsFor("illuminant", () => Color.Rgb2Lab(HostArray.Zeros<float>(4, 5, 3), "D66"));
        ThrowsFor("observer", () => Color.Lab2Rgb(HostArray.Zeros<float>(4, 5, 3), "D65", "5"));
        ThrowsFor("lab2", () => Color.DeltaECie76(HostArray.Zeros<float>(4, 5, 3), HostArray.Zeros<float>(5, 4, 3)));
        ThrowsFor("lab1", () => Color.DeltaECie76(HostArray.Zeros<float>(4, 5, 2), HostArray.Zeros<float>(4, 5, 2)));
        ThrowsFor("kH", () => Color.DeltaECiede2000(HostArray.Zeros<float>(4, 5, 3), HostArray.Zeros<float>(4, 5, 3), kH: 0));
    }

    [TestMethod]
    public void Label2RgbOverlay()
    {
        var (labels, cam, rgb) = (In("labels"), In("cam"), In("rgb_l"));
        AssertMatches(Load(M, "l2r__labels"), Unmodified(labels, () => Call(() => Color.Label2Rgb(labels))), what: "no image");
        AssertMatches(Load(M, "l2r__labels_cam"), Unmodified(cam, () => Call(() => Color.Label2Rgb(labels, cam))), what: "grey image");
        AssertMatches(Load(M, "l2r__labels_rgb"), Unmodified(rgb, () => Call(() => Color.Label2Rgb(labels, rgb))), what: "RGB image");
        AssertMatches(Load(M, "l2r__labels_rgb_sat"), Call(() => Color.Label2Rgb(labels, rgb, alpha: 0.6, saturation: 0.5, imageAlpha: 0.7)), what: "saturation, alphas");
        AssertMatches(Load(M, "l2r__labels_cam_nobg"), Call(() => Color.Label2Rgb(labels, cam, bgLabel: 2, bgColor: null)), what: "background shows the image");
        AssertMatches(Load(M, "l2r__labels_neg"), Call(() => Color.Label2Rgb(In("labels_neg"), cam, bgLabel: -1, colors: ["teal", "0.2,0.4,0.6", "orange"])), what: "negative labels, own colours");
        AssertMatches(Load(M, "l2r__labels_nobg"), Call(() => Color.Label2Rgb(In("labels_nobg"), bgColor: "white")), what: "no background label");
        AssertMatches(Load(M, "l2r__vol"), Call(() => Color.Label2Rgb(In("lab_vol"), In("gray_vol"), bgLabel: 1)), what: "volume");
    }

    [TestMethod]
    public void Label2RgbAverage()
    {
        var (labels, rgb) = (In("labels"), In("rgb_l"));
        AssertMatches(Load(M, "l2r_avg__labels_rgb"), Call(() => Color.Label2Rgb(labels, rgb, kind: "avg")), what: "uint8");
        AssertMatches(Load(M, "l2r_avg__labels_rgb_bg"), Call(() => Color.Label2Rgb(labels, rgb, kind: "avg", bgLabel: 3, bgColor: "0.1,0.2,0.3")), what: "background colour");
        var grey = (HostArray<byte>)In("cam");
        var grey3 = Color.Gray2Rgb(grey.AsType(DType.Float32));
        var scaled = HostArray.Create(Array.ConvertAll(((HostArray<float>)grey3).ToArray(), v => v / 255f), 21, 27, 3);
        AssertMatches(Load(M, "l2r_avg__labels_cam"), Call(() => Color.Label2Rgb(labels, scaled, kind: "avg")), what: "float32");
    }

    [TestMethod]
    public void Label2RgbChecksItsArguments()
    {
        var labels = In("labels");
        ThrowsFor("image", () => Color.Label2Rgb(labels, kind: "avg"));
        ThrowsFor("image", () => Color.Label2Rgb(labels, HostArray.Zeros<float>(21, 26)));
        ThrowsFor("image", () => Color.Label2Rgb(labels, HostArray.Zeros<float>(21, 27, 4)));
        ThrowsFor("kind", () => Color.Label2Rgb(labels, kind: "mean"));
        ThrowsFor("colors", () => Color.Label2Rgb(labels, colors: ["reddish"]));
        ThrowsFor("bgColor", () => Color.Label2Rgb(labels, bgColor: "0.1,0.2,1.3"));
        ThrowsFor("saturation", () => Color.Label2Rgb(labels, saturation: 2));
        ThrowsFor("label", () => Color.Label2Rgb(HostArray.Zeros<float>(3, 3)));
    }

    [TestMethod]
    public void EveryScikitImageColourNameIsKnown()
    {
        var names = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", M, "color_names.txt")).Where(n => n.Length > 0).ToArray();
        var values = (HostArray<double>)In("color_values");
        Assert.AreEqual(names.Length, values.Shape[0]);
        for (int i = 0; i < names.Length; i++)
            CollectionAssert.AreEqual(new[] { values[i, 0], values[i, 1], values[i, 2] }, Color.ParseColor(names[i], "color"), names[i]);
    }
}
