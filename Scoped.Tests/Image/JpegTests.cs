using System.Diagnostics;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>JPEG through LibJpeg.NET against Pillow's decoding of files Pillow and ImageMagick wrote
/// (tools/fixtures/gen_jpeg.py): baseline, progressive, grey, 4:2:0 and 4:4:4, EXIF orientations; round trips with
/// the write options; damaged files.</summary>
[TestClass]
public sealed class JpegTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "jpeg", name + ".jpg");

    // Two libjpeg generations (libjpeg-turbo in Pillow, IJG 9 here) round their IDCTs and upsample chroma a little
    // differently: a few levels at most, and well under one on average.
    private static void AssertCloseToPillow(NDArray expected, NDArray actual, string what)
    {
        Assert.AreEqual(DType.UInt8, actual.DType, what);
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), $"{what}: shape {expected.ShapeText} vs {actual.ShapeText}");
        var e = (byte[])((HostArray)expected).ToFlatArray();
        var a = (byte[])((HostArray)actual).ToFlatArray();
        int worst = 0;
        double sum = 0;
        for (int i = 0; i < e.Length; i++) { int d = Math.Abs(e[i] - a[i]); worst = Math.Max(worst, d); sum += d; }
        Assert.IsTrue(worst <= 16 && sum / e.Length < 1.0, $"{what}: largest difference {worst}, mean {sum / e.Length:F3}");
    }

    [TestMethod]
    [DataRow("pil_gray")]
    [DataRow("pil_rgb_420")]
    [DataRow("pil_rgb_444")]
    [DataRow("pil_rgb_progressive")]
    [DataRow("pil_exif_orientation_3")]
    [DataRow("pil_exif_orientation_6")]
    [DataRow("pil_exif_orientation_8")]
    [DataRow("im_progressive")]
    public void ReadsJpegsAsPillowDoesWithTheExifOrientationApplied(string name) =>
        AssertCloseToPillow(Load("jpeg", name + "_jpg"), ImageFile.Read(Fixture(name)), name);

    [TestMethod]
    public void TheOrientationTurnsTheStoredPixels()
    {
        var upright = (HostArray<byte>)ImageFile.Read(Fixture("pil_rgb_420"));
        var turned = (HostArray<byte>)ImageFile.Read(Fixture("pil_exif_orientation_6"));  // stored 40 x 52, shown 52 x 40
        CollectionAssert.AreEqual(new[] { 52, 40, 3 }, turned.Shape.ToArray());
        // Orientation 6: the stored image rotated 90° clockwise, so the shown top-right is the stored top-left.
        Assert.AreEqual(upright[0, 0, 0], turned[0, 39, 0]);
        Assert.AreEqual(upright[39, 51, 1], turned[51, 0, 1]);
    }

    [TestMethod]
    [DataRow(90, false, JpegSubsampling.Subsample420)]
    [DataRow(95, true, JpegSubsampling.Subsample444)]
    [DataRow(50, false, JpegSubsampling.Subsample420)]
    public void WritesWhatItAndPillowReadBack(int quality, bool progressive, JpegSubsampling subsampling)
    {
        var rgb = Load("core", "astronaut_u8");
        string dir = Path.Combine(Path.GetTempPath(), "scoped-jpeg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "out.jpg");
            Jpeg.Write(path, rgb, new JpegWriteOptions { Quality = quality, Progressive = progressive, Subsampling = subsampling });
            var back = ImageFile.Read(path);
            CollectionAssert.AreEqual(rgb.Shape.ToArray(), back.Shape.ToArray());
            var e = (byte[])rgb.ToFlatArray();
            var a = (byte[])back.ToFlatArray();
            double mean = e.Zip(a, (x, y) => (double)Math.Abs(x - y)).Average();
            Assert.IsTrue(mean < (quality >= 90 ? 4 : 8), $"lossy, but close: mean difference {mean:F2} at quality {quality}");
            var bytes = File.ReadAllBytes(path);
            Assert.AreEqual(progressive, ContainsMarker(bytes, 0xC2), "a progressive file has an SOF2 frame");
            if (File.Exists("/usr/bin/python3") && Run("/usr/bin/python3", "-c \"import PIL\"") == 0)
                Assert.AreEqual(0, Run("/usr/bin/python3", $"-c \"from PIL import Image; im = Image.open('{path}'); im.load(); assert im.size == (52, 40) and im.mode == 'RGB'\""), "Pillow reads it");
            ImageFile.Write(Path.Combine(dir, "gray.jpeg"), Load("core", "camera_u8"));
            var gray = (byte[])((HostArray)ImageFile.Read(Path.Combine(dir, "gray.jpeg"))).ToFlatArray();
            Assert.IsTrue(gray.Zip((byte[])Load("core", "camera_u8").ToFlatArray(), (x, y) => (double)Math.Abs(x - y)).Average() < 4, "grey round trip at 90");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void WhatJpegCannotHoldAndDamagedFilesAreClearErrors()
    {
        Assert.AreEqual("image", ThrowsFor("image", () => Jpeg.Write(new MemoryStream(), Load("core", "rand_f32_37x53"))).ParamName);
        Assert.AreEqual("image", ThrowsFor("image", () => Jpeg.Write(new MemoryStream(), HostArray.Zeros<byte>(4, 4, 4))).ParamName);
        Assert.AreEqual("options", ThrowsFor("options", () => Jpeg.Write(new MemoryStream(), Load("core", "camera_u8"), new() { Quality = 0 })).ParamName);
        foreach (var name in new[] { "bad_truncated", "bad_soi_only" })
        {
            var ex = Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(Fixture(name)));
            StringAssert.Contains(ex.Message, Fixture(name));
        }
        using (Limits.Use(100))
            StringAssert.Contains(Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(Fixture("pil_gray"))).Message, "work limit");
    }

    private static bool ContainsMarker(byte[] bytes, byte marker)
    {
        for (int i = 0; i + 1 < bytes.Length; i++) if (bytes[i] == 0xFF && bytes[i + 1] == marker) return true;
        return false;
    }

    private static int Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
