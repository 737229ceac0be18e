using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>
/// PNG and PGM/PPM codecs against files written by PIL, OpenCV and a small reference encoder (tools/fixtures/gen_io.py),
/// with the arrays PIL/OpenCV decode from them; round trips; corrupt files; atomic writes.
/// </summary>
[TestClass]
public sealed class ImageFileTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "io");

    private static string Fixture(string file) => Path.Combine(Dir, file);

    private static HostArray Expected(string file) => Load("io", file.Replace('.', '_'));

    /// <summary>A fresh directory for written files; SCOPED_IO_KEEP=DIR keeps them there for gen_io.py --check.</summary>
    private static string OutDir(string test)
    {
        string? keep = Environment.GetEnvironmentVariable("SCOPED_IO_KEEP");
        string dir = keep is { Length: > 0 } ? keep : Path.Combine(Path.GetTempPath(), "scoped-io-" + test + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void Cleanup(string dir)
    {
        if (Environment.GetEnvironmentVariable("SCOPED_IO_KEEP") is not { Length: > 0 }) Directory.Delete(dir, recursive: true);
    }

    private static ImageFileException ReadFails(string file, params string[] words)
    {
        var ex = Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(Fixture(file)));
        StringAssert.Contains(ex.Message, Fixture(file), "the message names the file");
        foreach (var word in words) StringAssert.Contains(ex.Message, word);
        return ex;
    }

    [TestMethod]
    [DataRow("pil_gray8.png", DType.UInt8)]
    [DataRow("pil_rgb8.png", DType.UInt8)]
    [DataRow("pil_rgba8.png", DType.UInt8)]
    [DataRow("pil_la8.png", DType.UInt8)]
    [DataRow("pil_gray16.png", DType.UInt16)]
    [DataRow("pil_bit1.png", DType.UInt8)]
    [DataRow("pil_palette.png", DType.UInt8)]
    [DataRow("pil_palette_trns.png", DType.UInt8)]
    [DataRow("cv_rgb16.png", DType.UInt16)]
    [DataRow("cv_rgba16.png", DType.UInt16)]
    public void ReadsPngsWrittenByPilAndOpenCv(string file, DType dtype)
    {
        var image = ImageFile.Read(Fixture(file));
        Assert.AreEqual(dtype, image.DType);
        AssertMatches(Expected(file), image, what: file);
    }

    [TestMethod]
    [DataRow("gray1.png")]
    [DataRow("gray2.png")]
    [DataRow("gray4.png")]
    [DataRow("palette1.png")]
    [DataRow("palette2.png")]
    [DataRow("palette4.png")]
    [DataRow("palette1_trns.png")]
    [DataRow("palette2_trns.png")]
    [DataRow("palette4_trns.png")]
    public void ReadsLowBitDepthsScaledAndPalettesExpanded(string file)
    {
        var image = ImageFile.Read(Fixture(file));
        AssertMatches(Expected(file), image, what: file);
        int channels = file.StartsWith("gray") ? 1 : file.Contains("trns") ? 4 : 3;
        Assert.AreEqual(channels == 1 ? 2 : 3, image.Rank);
        if (channels > 1) Assert.AreEqual(channels, image.Shape[2]);
    }

    [TestMethod]
    [DataRow("filters_gray8.png")]
    [DataRow("filters_rgb8.png")]
    [DataRow("filters_la8.png")]
    [DataRow("filters_la16.png")]
    [DataRow("filters_rgba16.png")]
    public void ReadsEveryFilterTypeAcrossSeveralIdatChunks(string file) =>
        AssertMatches(Expected(file), ImageFile.Read(Fixture(file)), what: file);

    [TestMethod]
    [DataRow("adam7_rgb8.png")]
    [DataRow("adam7_gray8.png")]
    [DataRow("adam7_gray16.png")]
    [DataRow("adam7_rgba16.png")]
    [DataRow("adam7_la8.png")]
    [DataRow("adam7_gray1.png")]
    [DataRow("adam7_gray4.png")]
    [DataRow("adam7_small_rgb8.png")]
    [DataRow("adam7_1x1_gray8.png")]
    [DataRow("adam7_1x9_gray2.png")]
    [DataRow("adam7_palette4_trns.png")]
    public void ReadsAdam7Interlaced(string file) =>
        AssertMatches(Expected(file), ImageFile.Read(Fixture(file)), what: file);

    [TestMethod]
    public void StreamReadRecognisesTheFormat()
    {
        foreach (var file in new[] { "pil_rgb8.png", "gray16.pgm", "plain.ppm" })
        {
            using var stream = File.OpenRead(Fixture(file));
            AssertMatches(Expected(file), ImageFile.Read(stream, file), what: file);
        }
        using var npy = File.OpenRead(Path.Combine(Dir, "gray_u8.npy"));
        AssertMatches(Load("io", "gray_u8"), ImageFile.Read(npy));
        var ex = Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(new MemoryStream("GIF89a"u8.ToArray()), "x.gif"));
        Assert.AreEqual("x.gif", ex.FileName);
    }

    [TestMethod]
    [DataRow("gray_u8", ".png")]
    [DataRow("rgb_u8", ".png")]
    [DataRow("rgba_u8", ".png")]
    [DataRow("gray_alpha_u8", ".png")]
    [DataRow("gray_u16", ".png")]
    [DataRow("rgb_u16", ".png")]
    [DataRow("rgba_u16", ".png")]
    [DataRow("gray_alpha_u16", ".png")]
    [DataRow("gray_u8", ".pgm")]
    [DataRow("gray_u16", ".pgm")]
    [DataRow("rgb_u8", ".ppm")]
    [DataRow("rgb_u16", ".ppm")]
    [DataRow("gray_u8", ".pnm")]
    [DataRow("rgb_u16", ".pnm")]
    public void RoundTrips(string name, string ext)
    {
        string dir = OutDir("roundtrip");
        var image = Load("io", name);
        string path = Path.Combine(dir, $"{name}_{ext.TrimStart('.')}{ext}");
        Unmodified(image, () => { ImageFile.Write(path, image); return 0; });
        AssertMatches(image, ImageFile.Read(path), what: path);
        if (ext != ".pnm") Npy.Write(Path.ChangeExtension(path, ".npy"), image); // for gen_io.py --check
        Assert.AreEqual(0, Directory.GetFiles(dir, "*.tmp").Length, "no temporary file is left");
        Cleanup(dir);
    }

    [TestMethod]
    public void WritesBoolAsZeroOr255AndCropsAndStreams()
    {
        string dir = OutDir("bool");
        var mask = Load<bool>("io", "mask_bool");
        string path = Path.Combine(dir, "mask_bool.png");
        ImageFile.Write(path, mask);
        Npy.Write(Path.ChangeExtension(path, ".npy"), mask);
        var back = (HostArray<byte>)ImageFile.Read(path);
        CollectionAssert.AreEqual(Array.ConvertAll(mask.ToArray(), v => v ? (byte)255 : (byte)0), back.ToArray());
        ImageFile.Write(Path.Combine(dir, "mask_bool.pgm"), mask);
        AssertMatches(back, ImageFile.Read(Path.Combine(dir, "mask_bool.pgm")));

        // A strided crop (a view) is written as the crop.
        var rgb = Load<byte>("io", "rgb_u8");
        var crop = new HostArray<byte>(rgb.Tensor.Slice([new System.Buffers.NRange(2, 11), new System.Buffers.NRange(3, 16), System.Buffers.NRange.All]));
        var stream = new MemoryStream();
        Png.Write(stream, crop);
        stream.Position = 0;
        AssertMatches(HostArray.Create(crop.ToArray(), 9, 13, 3), Png.Read(stream));
        var pnm = new MemoryStream();
        Pnm.Write(pnm, crop);
        pnm.Position = 0;
        AssertMatches(HostArray.Create(crop.ToArray(), 9, 13, 3), Pnm.Read(pnm));
        Cleanup(dir);
    }

    [TestMethod]
    public void WrittenPngIsCompressedAndCarriesValidChunks()
    {
        // A smooth image must compress well with the per-row filter choice; the file must reread (CRCs checked).
        var data = new ushort[64 * 64];
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) data[y * 64 + x] = (ushort)(1000 * x + 37 * y);
        var image = HostArray.Create(data, 64, 64);
        var stream = new MemoryStream();
        Png.Write(stream, image);
        Assert.IsTrue(stream.Length < data.Length * 2 / 4, $"{stream.Length} bytes for {data.Length * 2} bytes of samples");
        stream.Position = 0;
        AssertMatches(image, Png.Read(stream));
    }

    [TestMethod]
    public void CorruptPngsRaiseImageFileException()
    {
        ReadFails("bad_crc.png", "CRC", "IDAT");
        ReadFails("bad_truncated.png", "truncated");
        ReadFails("bad_no_iend.png", "IEND");
        ReadFails("bad_zlib.png", "zlib");
        ReadFails("bad_short_data.png", "ends early");
        ReadFails("bad_signature.png", "signature");
        ReadFails("bad_depth.png", "IHDR", "bit depth 4");
        ReadFails("bad_filter.png", "filter type 7");
        var ex = Assert.ThrowsExactly<ImageFileException>(() => Png.Read(new MemoryStream([137, 80, 78, 71, 13, 10, 26, 10]), "empty.png"));
        StringAssert.Contains(ex.Message, "empty.png");
    }

    [TestMethod]
    [DataRow("gray8.pgm", DType.UInt8)]
    [DataRow("rgb8.ppm", DType.UInt8)]
    [DataRow("gray16.pgm", DType.UInt16)]
    [DataRow("rgb16.ppm", DType.UInt16)]
    [DataRow("plain100.pgm", DType.UInt8)]
    [DataRow("plain.ppm", DType.UInt8)]
    [DataRow("plain16.pgm", DType.UInt16)]
    public void ReadsPgmAndPpm(string file, DType dtype)
    {
        var image = ImageFile.Read(Fixture(file));
        Assert.AreEqual(dtype, image.DType);
        AssertMatches(Expected(file), image, what: file);
    }

    [TestMethod]
    public void MalformedNetpbmRaisesImageFileException()
    {
        ReadFails("bad_truncated.pgm", "truncated");
        ReadFails("bad_truncated_plain.pgm", "truncated");
        ReadFails("bad_maxval.pgm", "maxval");
        ReadFails("bad_sample.pgm", "sample");
        ReadFails("bad_token.ppm", "height");
        var ex = Assert.ThrowsExactly<ImageFileException>(() => Pnm.Read(Fixture("bad_bitmap.pbm")));
        StringAssert.Contains(ex.Message, "P1");
    }

    [TestMethod]
    public void WritesRefuseUnknownExtensionsAndReadsGoByContent()
    {
        ThrowsFor("path", () => ImageFile.Write("picture.gif", Load("io", "gray_u8")));
        ThrowsFor("path", () => ImageFile.Write("no_extension", Load("io", "gray_u8")));
        // Reads tell the format from the bytes: a missing file is missing, whatever its name.
        Assert.ThrowsExactly<FileNotFoundException>(() => ImageFile.Read("picture.gif"));
        string gif = Path.Combine(Path.GetTempPath(), "scoped-" + Guid.NewGuid().ToString("N") + ".gif");
        File.WriteAllBytes(gif, "GIF89a\x01\x00"u8.ToArray());
        try { StringAssert.Contains(Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(gif)).Message, "not a recognised file"); }
        finally { File.Delete(gif); }
    }

    [TestMethod]
    public void FailedWritesLeaveNoFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "scoped-io-fail-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var f32 = HostArray.Create(new float[12], 3, 4);
        foreach (var ext in new[] { ".png", ".pgm", ".ppm" })
        {
            var ex = ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "float" + ext), f32));
            StringAssert.Contains(ex.Message, "ImgAsUbyte");
        }
        ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "int.png"), HostArray.Create(new int[12], 3, 4)));
        ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "five.png"), HostArray.Zeros<byte>(3, 4, 5)));
        ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "empty.png"), HostArray.Zeros<byte>(0, 4)));
        ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "rgba.ppm"), HostArray.Zeros<byte>(3, 4, 4)));
        ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "rgb.pgm"), HostArray.Zeros<byte>(3, 4, 3)));
        ThrowsFor("image", () => ImageFile.Write(Path.Combine(dir, "gray.ppm"), HostArray.Zeros<byte>(3, 4)));
        Assert.ThrowsExactly<DirectoryNotFoundException>(() =>
            ImageFile.Write(Path.Combine(dir, "missing", "x.png"), HostArray.Zeros<byte>(3, 4)));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(dir).Length, "a failed write left a file behind");

        // An existing file survives a failed overwrite unchanged.
        string target = Path.Combine(dir, "keep.png");
        ImageFile.Write(target, Load("io", "gray_u8"));
        var before = File.ReadAllBytes(target);
        ThrowsFor("image", () => ImageFile.Write(target, f32));
        CollectionAssert.AreEqual(before, File.ReadAllBytes(target));
        Assert.AreEqual(1, Directory.GetFileSystemEntries(dir).Length);
        Directory.Delete(dir, recursive: true);
    }
}
