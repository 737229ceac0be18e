using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

[TestClass]
public sealed class MeasureTests
{
    private const string M = "morphology";

    [TestMethod]
    [DataRow("cam_mask")] [DataRow("rand_mask")] [DataRow("blobs")]
    public void LabelOfBoolMatches(string name)
    {
        var mask = Load(M, name);
        AssertMatches(Load(M, $"label__{name}__c1"), Unmodified(mask, () => Call(() => Measure.Label(mask, connectivity: 1))), what: "connectivity 1");
        var expected8 = Load(M, $"label__{name}__c2");
        AssertMatches(expected8, Call(() => Measure.Label(mask, connectivity: 2)), what: "connectivity 2");
        AssertMatches(expected8, Call(() => Measure.Label(mask)), what: "default connectivity");
        AssertMatches(Load(M, $"label__{name}__bg1"), Call(() => Measure.Label(mask, background: 1)), what: "background 1");
        Measure.Label(mask, out int num);
        Assert.AreEqual(((int[])Load(M, $"label__{name}__c2").ToFlatArray()).Max(), num);
    }

    [TestMethod]
    public void LabelOfIntegersConnectsEqualValues()
    {
        var quant = Load(M, "cam_quant_u8");
        AssertMatches(Load(M, "label__cam_quant_u8__c2"), Call(() => Measure.Label(quant)));
        AssertMatches(Load(M, "label__cam_quant_u8__c1"), Call(() => Measure.Label(quant, connectivity: 1)));
        AssertMatches(Load(M, "label__cam_quant_u8__bg2"), Call(() => Measure.Label(quant, background: 2)));
        var qi = Load(M, "quant_i32");
        AssertMatches(Load(M, "label__quant_i32__c1_bgm1"), Call(() => Measure.Label(qi, background: -1, connectivity: 1)));
    }

    [TestMethod]
    public void RegionpropsMatches()
    {
        var labels = Load(M, "rp_labels");
        var intensity = Load(M, "rp_intensity");
        var props = Call(() => Measure.Regionprops(labels, intensity));
        var label = (int[])Load(M, "rp_label").ToFlatArray();
        var area = (int[])Load(M, "rp_area").ToFlatArray();
        var centroid = (double[])Load(M, "rp_centroid").ToFlatArray();
        var bbox = (int[])Load(M, "rp_bbox").ToFlatArray();
        var mean = (double[])Load(M, "rp_mean").ToFlatArray();
        var min = (double[])Load(M, "rp_min").ToFlatArray();
        var max = (double[])Load(M, "rp_max").ToFlatArray();
        Assert.AreEqual(label.Length, props.Length);
        for (int i = 0; i < props.Length; i++)
        {
            var p = props[i];
            Assert.AreEqual(label[i], p.Label);
            Assert.AreEqual(area[i], p.Area);
            AssertClose(centroid[2 * i], p.Centroid[0], 1e-12, "centroid row");
            AssertClose(centroid[2 * i + 1], p.Centroid[1], 1e-12, "centroid col");
            CollectionAssert.AreEqual(bbox.Skip(4 * i).Take(4).ToArray(), p.Bbox);
            AssertClose(mean[i], p.MeanIntensity!.Value, 1e-12, "mean intensity");
            Assert.AreEqual(min[i], p.MinIntensity);
            Assert.AreEqual(max[i], p.MaxIntensity);
        }
        AssertShapeProperties(M, props);
        AssertShapeProperties(M, Call(() => Measure.Regionprops(labels))); // the banded path without an intensity image
        var gap = Call(() => Measure.Regionprops(Load(M, "rp_gap_labels")));
        CollectionAssert.AreEqual((int[])Load(M, "rp_gap_label").ToFlatArray(), gap.Select(p => p.Label).ToArray());
        Assert.IsNull(gap[0].MeanIntensity);
    }

    [TestMethod]
    [DataRow("smooth_f32__default")] [DataRow("smooth_f32__md3")] [DataRow("smooth_f32__md2_rel")] [DataRow("smooth_f32__abs_noborder")]
    [DataRow("smooth_f32__np5")] [DataRow("smooth_f32__border4")] [DataRow("smooth_f32__fp_disk")] [DataRow("smooth_f32__md0")]
    [DataRow("smooth_f32__md4_p2")] [DataRow("cam_u8__default")] [DataRow("cam_u8__md5")] [DataRow("cam_u8__md2_abs")]
    [DataRow("rand_f32__md1")] [DataRow("rand_u8__md1")] [DataRow("rand_f64__md2")]
    [DataRow("quant_u8__md1")] [DataRow("quant_u8__md2")] [DataRow("rand_u16__md2")] [DataRow("rand_i32__md1")]
    [DataRow("smooth_f32__labels")] [DataRow("smooth_f32__labels_pp1")] [DataRow("smooth_f32__labels_np3")]
    public void PeakLocalMaxMatches(string name)
    {
        var image = Load(M, name.Split("__")[0]);
        var labels = Load(M, "plm_labels");
        NDArray actual = name.Split("__")[1] switch
        {
            "default" => Feature.PeakLocalMax(image),
            "md3" => Feature.PeakLocalMax(image, minDistance: 3),
            "md2_rel" => Feature.PeakLocalMax(image, minDistance: 2, thresholdRel: 0.5),
            "abs_noborder" => Feature.PeakLocalMax(image, thresholdAbs: 0.5, excludeBorder: false),
            "np5" => Feature.PeakLocalMax(image, minDistance: 2, numPeaks: 5),
            "border4" => Feature.PeakLocalMax(image, 1, null, null, excludeBorder: 4),
            "fp_disk" => Feature.PeakLocalMax(image, footprint: Morphology.Disk(2)),
            "md0" => Feature.PeakLocalMax(image, minDistance: 0, thresholdRel: 0.9),
            "md4_p2" => Feature.PeakLocalMax(image, minDistance: 4, pNorm: 2),
            "md5" => Feature.PeakLocalMax(image, minDistance: 5),
            "md2_abs" => Feature.PeakLocalMax(image, minDistance: 2, thresholdAbs: 100),
            "md1" when image.DType is DType.UInt8 or DType.Int32 => Feature.PeakLocalMax(image, minDistance: 1, excludeBorder: false),
            "md1" => Feature.PeakLocalMax(image, minDistance: 1),
            "md2" => Feature.PeakLocalMax(image, minDistance: 2),
            "labels" => Feature.PeakLocalMax(image, minDistance: 2, labels: labels),
            "labels_pp1" => Feature.PeakLocalMax(image, minDistance: 1, labels: labels, numPeaksPerLabel: 1),
            "labels_np3" => Feature.PeakLocalMax(image, minDistance: 1, labels: labels, numPeaks: 3),
            var other => throw new InvalidOperationException(other),
        };
        var expected = Load(M, "plm__" + name);
        Assert.IsTrue(expected.Size > 2, "fixture has peaks");
        AssertMatches(expected, actual);
    }

    [TestMethod]
    public void PeakLocalMaxGoesThroughTheDispatcher()
    {
        var image = Load(M, "smooth_f32");
        AssertMatches(Load(M, "plm__smooth_f32__md3"), Unmodified(image, () => Call(() => Feature.PeakLocalMax(image, minDistance: 3))));
    }

    [TestMethod]
    public void ValidationNamesTheParameter()
    {
        var mask = Load(M, "cam_mask");
        var image = Load(M, "smooth_f32");
        ThrowsFor("connectivity", () => Measure.Label(mask, connectivity: 3));
        ThrowsFor("connectivity", () => Measure.Label(mask, connectivity: 0));
        ThrowsFor("labelImage", () => Measure.Label(Load(M, "rand_f32")));
        ThrowsFor("labelImage", () => Measure.Label(HostArray.Zeros<byte>(5)));
        ThrowsFor("labelImage", () => Measure.Regionprops(mask));
        ThrowsFor("intensityImage", () => Measure.Regionprops(Load(M, "rp_labels"), image));
        ThrowsFor("labelImage", () => Measure.Regionprops(HostArray.Create(new[] { -1, 0, 1, 1 }, 2, 2)));
        ThrowsFor("minDistance", () => Feature.PeakLocalMax(image, minDistance: -1));
        ThrowsFor("excludeBorder", () => Feature.PeakLocalMax(image, 1, null, null, excludeBorder: -1));
        ThrowsFor("excludeBorder", () => Feature.PeakLocalMax(image, 1, null, null, excludeBorder: new[] { 1, 2, 3 }));
        ThrowsFor("pNorm", () => Feature.PeakLocalMax(image, pNorm: 3));
        ThrowsFor("numPeaks", () => Feature.PeakLocalMax(image, numPeaks: -1));
        ThrowsFor("image", () => Feature.PeakLocalMax(mask));
        ThrowsFor("labels", () => Feature.PeakLocalMax(image, labels: Load(M, "rp_labels")));
        ThrowsFor("thresholdAbs", () => Feature.PeakLocalMax(image, thresholdAbs: double.NaN));
    }
}
