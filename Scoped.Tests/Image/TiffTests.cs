using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>
/// TIFF through LibTiff.NET: files written by tifffile, Pillow, tiffcp and ImageMagick (tools/fixtures/gen_tiff.py)
/// read to the pixels tifffile decodes; round trips over every dtype, codec and layout; files Scoped writes read by
/// tifffile and libtiff's tools; region reads of a 100k × 100k file that decode only their tiles; malformed files.
/// </summary>
[TestClass]
public sealed class TiffTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiff");

    private static string Fixture(string name) => Path.Combine(Dir, name + ".tif");

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "scoped-tiff-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [TestMethod]
    [DataRow("tf_u8_strips", DType.UInt8)]
    [DataRow("tf_u16_tiles_zlib", DType.UInt16)]
    [DataRow("tf_f32_zlib", DType.Float32)]
    [DataRow("tiffcp_f32_float_predictor", DType.Float32)]
    [DataRow("tf_f64_tiles", DType.Float64)]
    [DataRow("tf_i8", DType.Int32)]
    [DataRow("tf_i16_zlib", DType.Int32)]
    [DataRow("tf_i32", DType.Int32)]
    [DataRow("tf_u32", DType.Float64)]
    [DataRow("tf_bool", DType.Bool)]
    [DataRow("tf_rgb_contig", DType.UInt8)]
    [DataRow("tf_rgb_planar", DType.UInt8)]
    [DataRow("tf_rgba_u16_tiles", DType.UInt16)]
    [DataRow("tf_bigtiff", DType.UInt16)]
    [DataRow("tf_stack_u16", DType.UInt16)]
    [DataRow("tf_be_u16", DType.UInt16)]
    [DataRow("tf_ome_tczyx", DType.UInt16)]
    [DataRow("tf_imagej_tzcyx", DType.Float32)]
    [DataRow("pil_u8_lzw", DType.UInt8)]
    [DataRow("pil_rgb_packbits", DType.UInt8)]
    [DataRow("pil_rgb_deflate", DType.UInt8)]
    [DataRow("pil_la", DType.UInt8)]
    [DataRow("pil_bilevel", DType.Bool)]
    [DataRow("tiffcp_tiled_lzw", DType.UInt16)]
    [DataRow("tiffcp_bigtiff_zip", DType.UInt16)]
    [DataRow("tiffcp_planar", DType.UInt8)]
    [DataRow("im_gray16_zip", DType.UInt16)]
    [DataRow("im_two_pages", DType.UInt8)]
    public void ReadsTiffsWrittenByOtherTools(string name, DType dtype)
    {
        var image = ImageFile.Read(Fixture(name));
        Assert.AreEqual(dtype, image.DType, name);
        AssertMatches(Load("tiff", name + "_tif"), image, what: name);
    }

    [TestMethod]
    public void JpegInTiffDecodesWithinALossyCodecsRounding()
    {
        var image = ImageFile.Read(Fixture("pil_rgb_jpeg"));
        var expected = Load("tiff", "pil_rgb_jpeg_tif");
        CollectionAssert.AreEqual(expected.Shape.ToArray(), image.Shape.ToArray());
        // Two IDCTs and colour conversions: a few levels apart at most, and equal on average.
        var e = (byte[])expected.ToFlatArray();
        var a = (byte[])image.ToFlatArray();
        int worst = e.Zip(a, (x, y) => Math.Abs(x - y)).Max();
        double mean = e.Zip(a, (x, y) => (double)Math.Abs(x - y)).Average();
        Assert.IsTrue(worst <= 4 && mean < 0.5, $"largest difference {worst}, mean {mean}");
    }

    [TestMethod]
    public void OmeAndImageJFilesComeBackWithTheirAxesAndPhysicalSizes()
    {
        using (var ome = ImageFile.Open(Fixture("tf_ome_tczyx")))
        {
            Assert.AreEqual("TCZYX", ome.Axes);
            CollectionAssert.AreEqual(new[] { 2, 3, 4, 9, 11 }, ome.Shape.ToArray());
            Assert.AreEqual(24, ome.PageCount);
            Assert.AreEqual("0.25", ome.Metadata["ome.physical_size_x"]);
            Assert.AreEqual("1.5", ome.Metadata["ome.physical_size_z"]);
            Assert.AreEqual("XYZCT", ome.Metadata["ome.dimension_order"]);
            // A page range of an OME file reads flat, pages in file order (Z fastest here).
            var region = ome.ReadRegion(2, 3, 4, 5, firstPage: 5, pageCount: 3);
            CollectionAssert.AreEqual(new[] { 3, 4, 5 }, region.Shape.ToArray());
            var all = (HostArray<ushort>)ome.Read();
            var r = (HostArray<ushort>)region;
            // page 5 is t = 0, c = 1, z = 1.
            Assert.AreEqual(all.Tensor[[0, 1, 1, 2, 3]], r.Tensor[[0, 0, 0]]);
        }
        using var imagej = ImageFile.Open(Fixture("tf_imagej_tzcyx"));
        Assert.AreEqual("TZCYX", imagej.Axes);
        CollectionAssert.AreEqual(new[] { 3, 4, 2, 10, 12 }, imagej.Shape.ToArray());
        Assert.AreEqual("2.0", imagej.Metadata["imagej.spacing"]);
    }

    [TestMethod]
    public void AReaderKnowsTheFileBeforeReadingPixels()
    {
        using var reader = ImageFile.Open(Fixture("tf_u16_tiles_zlib"));
        Assert.AreEqual(".tif", reader.Format);
        Assert.AreEqual(DType.UInt16, reader.DType);
        CollectionAssert.AreEqual(new[] { 45, 70 }, reader.Shape.ToArray());
        Assert.AreEqual(new ImageLayout("tiles", 32, 32), reader.Layout);
        Assert.AreEqual("adobe_deflate", reader.Metadata["tiff.compression"]);
        var whole = (HostArray<ushort>)reader.Read();
        var region = (HostArray<ushort>)reader.ReadRegion(30, 20, 15, 50);
        for (int y = 0; y < 15; y++)
            for (int x = 0; x < 50; x++)
                Assert.AreEqual(whole[30 + y, 20 + x], region[y, x]);
        Assert.AreEqual("row", ThrowsFor("row", () => reader.ReadRegion(40, 0, 10, 10)).ParamName);
        Assert.AreEqual("width", ThrowsFor("width", () => reader.ReadRegion(0, 0, 1, 0)).ParamName);
        Assert.AreEqual("firstPage", ThrowsFor("firstPage", () => reader.ReadRegion(0, 0, 1, 1, firstPage: 1)).ParamName);
    }

    [TestMethod]
    public void FormatsAreToldByTheirFirstBytes()
    {
        string dir = TempDir();
        try
        {
            string misnamed = Path.Combine(dir, "really-a-tiff.png");
            File.Copy(Fixture("tf_u8_strips"), misnamed);
            AssertMatches(Load("tiff", "tf_u8_strips_tif"), ImageFile.Read(misnamed));
            using (var stream = File.OpenRead(Fixture("tf_rgb_contig")))
                AssertMatches(Load("tiff", "tf_rgb_contig_tif"), ImageFile.Read(stream, "upload"));
            var header = ImageFile.ReadHeader(File.ReadAllBytes(Fixture("tf_stack_u16")));
            Assert.IsNotNull(header);
            Assert.AreEqual((".tif", DType.UInt16, "(5, 23, 17)"), (header.Format, header.DType, header.ShapeText));
            // Formats stored whole open through the same reader.
            string png = Path.Combine(dir, "cam.png");
            ImageFile.Write(png, Load("core", "camera_u8"));
            using var reader = ImageFile.Open(png);
            Assert.AreEqual(new ImageLayout("whole", 64, 80), reader.Layout);
            var region = (HostArray<byte>)reader.ReadRegion(10, 20, 5, 6);
            Assert.AreEqual(((HostArray<byte>)Load("core", "camera_u8"))[12, 23], region[2, 3]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    public static IEnumerable<object[]> RoundTripCases()
    {
        var shapes = new[] { new[] { 37, 53 }, new[] { 37, 53, 3 }, new[] { 37, 53, 4 }, new[] { 4, 37, 53 }, new[] { 2, 19, 21, 3 } };
        foreach (var dtype in new[] { DType.Bool, DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64 })
            foreach (var compression in Enum.GetValues<TiffCompression>())
                foreach (int? tile in new int?[] { null, 16 })
                    foreach (var shape in shapes)
                        if (dtype != DType.Bool || shape.Length == 2 || shape[^1] is not (3 or 4))
                            yield return [dtype, compression, tile ?? 0, shape];
    }

    [TestMethod]
    [DynamicData(nameof(RoundTripCases))]
    public void RoundTripsEveryDtypeCodecAndLayout(DType dtype, TiffCompression compression, int tile, int[] shape)
    {
        string dir = TempDir();
        try
        {
            var image = Random(dtype, shape, shape.Sum());
            string path = Path.Combine(dir, "out.tif");
            TiffWriter.Write(path, image, new TiffWriteOptions { Compression = compression, TileSize = tile == 0 ? null : tile });
            using var reader = ImageFile.Open(path);
            AssertMatches(image, reader.Read(), what: $"{dtype} {compression} tile {tile}");
            Assert.AreEqual(tile == 0 ? "strips" : "tiles", reader.Layout.Kind);
            Assert.AreEqual(1, Directory.GetFiles(dir).Length, "no temporary file left behind");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void TifffileAndLibtiffsToolsReadWhatScopedWrites()
    {
        if (!File.Exists("/usr/bin/python3") || Run("/usr/bin/python3", "-c \"import tifffile\"").Code != 0)
            Assert.Inconclusive("python3-tifffile is not installed (tools/test.sh installs it)");
        string dir = TempDir();
        try
        {
            // Debian's tifffile decodes Deflate, PackBits and the integer predictor itself; LZW and the float predictor
            // need imagecodecs, so those files are checked through libtiff (tiffcp) below.
            var cases = new (string Name, NDArray Image, TiffWriteOptions Options, bool Tifffile)[]
            {
                ("u8_lzw", Random(DType.UInt8, [37, 53], 1), new() { Compression = TiffCompression.Lzw }, false),
                ("u16_tiles", Random(DType.UInt16, [70, 45], 2), new() { TileSize = 32 }, true),
                ("f32_deflate", Random(DType.Float32, [33, 31], 3), new() { Predictor = false }, true),
                ("f32_float_predictor", Random(DType.Float32, [33, 31], 3), new(), false),
                ("f64_packbits", Random(DType.Float64, [9, 8], 4), new() { Compression = TiffCompression.PackBits }, true),
                ("i32", Random(DType.Int32, [5, 6], 5), new() { Compression = TiffCompression.None }, true),
                ("rgb", Random(DType.UInt8, [20, 30, 3], 6), new() { TileSize = 16 }, true),
                ("stack", Random(DType.UInt16, [3, 10, 12], 7), new(), true),
                ("bool", Random(DType.Bool, [13, 17], 8), new(), true),
                ("big", Random(DType.UInt8, [10, 10], 9), new() { BigTiff = true }, true),
            };
            foreach (var (name, image, options, _) in cases)
            {
                TiffWriter.Write(Path.Combine(dir, name + ".tif"), image, options);
                Npy.Write(Path.Combine(dir, name + ".npy"), image);
            }
            string check = string.Join(";", cases.Where(c => c.Tifffile).Select(c =>
                $"a=tifffile.imread(d+'/{c.Name}.tif');b=numpy.load(d+'/{c.Name}.npy');ok&=a.shape==b.shape and bool((a==b).all()) or print('{c.Name}',a.shape,b.shape)"));
            var python = Run("/usr/bin/python3", $"-c \"import tifffile,numpy;d='{dir}';ok=True;{check};print('OK' if ok else 'DIFF')\"");
            Assert.AreEqual("OK", python.Output.Trim().Split('\n')[^1], python.Output);
            // libtiff's tiffcp decodes and re-encodes every file; Scoped reads its copies to the same pixels.
            if (Run("tiffcp", "-h").Code == 127) Assert.Inconclusive("libtiff-tools is not installed (tools/test.sh installs it)");
            foreach (var (name, image, _, _) in cases)
            {
                string copy = Path.Combine(dir, name + "_tiffcp.tif");
                var tiffcp = Run("tiffcp", $"-c zip \"{Path.Combine(dir, name + ".tif")}\" \"{copy}\"");
                Assert.AreEqual(0, tiffcp.Code, tiffcp.Output);
                AssertMatches(image, ImageFile.Read(copy), what: "tiffcp's copy of " + name);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void ARegionOfAHundredThousandSquareFileDecodesOnlyItsTiles()
    {
        string dir = TempDir();
        try
        {
            const int size = 100_000, tile = 256;
            var pattern = new byte[tile * tile];
            for (int i = 0; i < pattern.Length; i++) pattern[i] = (byte)(i * 7 + i / tile);
            string path = Path.Combine(dir, "slide.tif");
            WriteSparseBigTiff(path, size, tile, pattern);
            using var counting = new CountingStream(File.OpenRead(path));
            using var reader = TiffReader.Open(counting, path);
            CollectionAssert.AreEqual(new[] { size, size }, reader.Shape.ToArray());
            Assert.AreEqual(new ImageLayout("tiles", tile, tile), reader.Layout);
            Assert.AreEqual("true", reader.Metadata["tiff.bigtiff"]);
            long opened = counting.BytesRead;
            var region = (HostArray<byte>)reader.ReadRegion(50_000, 70_000, 1024, 1024);
            long regionBytes = counting.BytesRead - opened;
            for (int y = 0; y < 1024; y += 37)
                for (int x = 0; x < 1024; x += 41)
                    Assert.AreEqual(pattern[(50_000 + y) % tile * tile + (70_000 + x) % tile], region[y, x]);
            // 5 x 5 tiles are touched (the region is not tile-aligned); each read is one compressed tile.
            long compressedTile = new FileInfo(path).Length - 16L * ((size + tile - 1) / tile) * ((size + tile - 1) / tile) - 4096;
            Assert.IsTrue(regionBytes <= 25 * (compressedTile + 4096), $"the region read {regionBytes} bytes");
            Assert.AreEqual("height", ThrowsFor("height", () => reader.ReadRegion(0, 0, 0, 5)).ParamName);
            using (Limits.Use(1_000_000))
                StringAssert.Contains(Assert.ThrowsExactly<ImageFileException>(() => reader.Read()).Message, "work limit");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    [DataRow("bad_truncated", "")]
    [DataRow("bad_header_only", "")]
    [DataRow("bad_ifd_loop", "loops")]
    [DataRow("bad_tag_past_end", "past the end")]
    [DataRow("bad_bomb", "elements")]
    [DataRow("bad_corrupt_zlib", "")]
    public void MalformedFilesAreImageFileExceptionsNamingTheFile(string name, string words)
    {
        var ex = Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(Fixture(name)));
        StringAssert.Contains(ex.Message, Fixture(name));
        StringAssert.Contains(ex.Message, words);
    }

    [TestMethod]
    public void ATiledWriterWritesTileByTileAndOnlyACompleteFileAppears()
    {
        string dir = TempDir();
        try
        {
            string path = Path.Combine(dir, "tiles.tif");
            var image = (HostArray<ushort>)Random(DType.UInt16, [2, 40, 35], 3);
            using (var writer = TiffTileWriter.Create(path, DType.UInt16, 40, 35, pages: 2, options: new() { TileSize = 16 }))
            {
                Assert.AreEqual((3, 3), (writer.TilesDown, writer.TilesAcross));
                for (int page = 0; page < 2; page++)
                    for (int y = 0; y < 40; y += 16)
                        for (int x = 0; x < 35; x += 16)
                        {
                            if (page == 1 && y == 16 && x == 16) continue; // left out: written as zeros
                            var tile = HostArray.Zeros<ushort>(Math.Min(16, 40 - y), Math.Min(16, 35 - x));
                            for (int r = 0; r < tile.Shape[0]; r++)
                                for (int c = 0; c < tile.Shape[1]; c++) tile[r, c] = image.Tensor[[page, y + r, x + c]];
                            writer.WriteTile(page, y, x, tile);
                        }
                Assert.IsFalse(File.Exists(path), "nothing at the path before Complete");
                Assert.AreEqual("tile", ThrowsFor("tile", () => writer.WriteTile(1, 0, 0, HostArray.Zeros<ushort>(16, 15))).ParamName);
                Assert.AreEqual("page", ThrowsFor("page", () => writer.WriteTile(0, 0, 0, HostArray.Zeros<ushort>(16, 16))).ParamName);
                Assert.AreEqual("row", ThrowsFor("row", () => writer.WriteTile(1, 5, 0, HostArray.Zeros<ushort>(16, 16))).ParamName);
                writer.Complete();
            }
            var back = (HostArray<ushort>)ImageFile.Read(path);
            for (int r = 16; r < 32; r++)
                for (int c = 16; c < 32; c++) image.Tensor[[1, r, c]] = 0;
            AssertMatches(image, back);
            using (var abandoned = TiffTileWriter.Create(Path.Combine(dir, "abandoned.tif"), DType.UInt8, 20, 20))
                abandoned.WriteTile(0, 0, 0, HostArray.Zeros<byte>(20, 20));
            CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir), "an abandoned writer leaves no file");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void WhatTiffCannotHoldIsRefusedBeforeAnythingIsWritten()
    {
        string dir = TempDir();
        try
        {
            string path = Path.Combine(dir, "keep.tif");
            File.WriteAllText(path, "old");
            Assert.AreEqual("image", ThrowsFor("image", () => TiffWriter.Write(path, Random(DType.Bool, [4, 4, 3], 1))).ParamName);
            Assert.AreEqual("image", ThrowsFor("image", () => TiffWriter.Write(path, Random(DType.UInt8, [2, 2, 2, 2, 2], 1))).ParamName);
            Assert.AreEqual("options", ThrowsFor("options", () => TiffWriter.Write(path, Random(DType.UInt8, [4, 4], 1), new() { TileSize = 20 })).ParamName);
            Assert.AreEqual("old", File.ReadAllText(path));
            CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    // ------------------------------------------------------------------ helpers

    private static HostArray Random(DType dtype, int[] shape, int seed)
    {
        var random = new Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        return dtype switch
        {
            DType.Bool => HostArray.Create(Enumerable.Range(0, n).Select(_ => random.Next(2) == 1).ToArray(), shape),
            DType.UInt8 => HostArray.Create(Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray(), shape),
            DType.UInt16 => HostArray.Create(Enumerable.Range(0, n).Select(_ => (ushort)random.Next(65536)).ToArray(), shape),
            DType.Int32 => HostArray.Create(Enumerable.Range(0, n).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray(), shape),
            DType.Float32 => HostArray.Create(Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), shape),
            _ => HostArray.Create(Enumerable.Range(0, n).Select(_ => random.NextDouble() * 1e6 - 5e5).ToArray(), shape),
        };
    }

    private static (int Code, string Output) Run(string program, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception) { return (127, program + " not found"); }
    }

    /// <summary>A BigTIFF of size x size uint8 pixels in deflate tiles that all point at one compressed tile: a
    /// 10-gigapixel image in a few megabytes (its tile tables).</summary>
    private static void WriteSparseBigTiff(string path, int size, int tile, byte[] pattern)
    {
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(pattern);
        long tiles = (long)((size + tile - 1) / tile) * ((size + tile - 1) / tile);
        var tags = new (ushort Tag, ushort Type, long Count, long Value)[]
        {
            (256, 4, 1, size), (257, 4, 1, size), (258, 3, 1, 8), (259, 3, 1, 8), (262, 3, 1, 1), (277, 3, 1, 1),
            (322, 3, 1, tile), (323, 3, 1, tile), (324, 16, tiles, 0), (325, 16, tiles, 0),
        };
        long ifd = 16, ifdBytes = 8 + tags.Length * 20 + 8;
        long data = ifd + ifdBytes, offsets = data + compressed.Length, counts = offsets + tiles * 8;
        using var file = new BinaryWriter(File.Create(path));
        file.Write("II"u8); file.Write((ushort)43); file.Write((ushort)8); file.Write((ushort)0); file.Write(ifd);
        file.Write((long)tags.Length);
        foreach (var (tag, type, count, value) in tags)
        {
            file.Write(tag); file.Write(type); file.Write(count);
            file.Write(tag == 324 ? offsets : tag == 325 ? counts : value);
        }
        file.Write(0L);
        file.Write(compressed.ToArray());
        var table = new byte[tiles * 8];
        for (long i = 0; i < tiles; i++) BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan((int)(i * 8)), data);
        file.Write(table);
        for (long i = 0; i < tiles; i++) BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan((int)(i * 8)), compressed.Length);
        file.Write(table);
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { int n = inner.Read(buffer, offset, count); BytesRead += n; return n; }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
