using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Tests.Image;

/// <summary>
/// The readers against hostile files (issue 12): declared sizes that overflow, headers that claim gigabytes in a few
/// bytes, control characters in header text; the shared header parser; and a seeded fuzz run over mutated valid files.
/// Each hostile file is built here, byte by byte, so the test shows what it is.
/// </summary>
[TestClass]
public sealed class ImageFileHardeningTests
{
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "io");

    // ---------------------------------------------------------------- hostile files

    private static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    /// <summary>A PNG with a valid structure and CRCs whose IHDR declares <paramref name="width"/> × <paramref name="height"/>,
    /// followed by a few bytes of image data: a file of about 70 bytes.</summary>
    private static byte[] PngClaiming(uint width, uint height, byte depth, byte colorType)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = depth;
        ihdr[9] = colorType;
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        return [.. signature, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", Zlib(new byte[4])), .. Chunk("IEND", [])];
    }

    /// <summary>A .npy version 1.0 file whose header is <paramref name="dict"/>, padded as NumPy pads it, then
    /// <paramref name="dataBytes"/> bytes of data.</summary>
    private static byte[] NpyWith(string dict, int dataBytes = 0)
    {
        int padding = (64 - (10 + dict.Length + 1) % 64) % 64;
        var header = Encoding.Latin1.GetBytes(dict + new string(' ', padding) + "\n");
        byte[] preamble = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8)];
        return [.. preamble, .. header, .. new byte[dataBytes]];
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A stream that cannot seek, as a network body is: its length is not known in advance.</summary>
    private sealed class NonSeekable(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Runs <paramref name="read"/>, expects an ImageFileException naming <paramref name="name"/>, and returns it
    /// with the bytes the read allocated on this thread.</summary>
    private static (ImageFileException Error, long Allocated) FailsWithin(Func<HostArray> read, string name)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.ThrowsExactly<ImageFileException>(() => read());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(name, ex.FileName);
        StringAssert.StartsWith(ex.Message, name + ": ");
        return (ex, allocated);
    }

    private const long MB = 1 << 20;

    // ---------------------------------------------------------------- finding 1: overflow

    [TestMethod]
    public void A_png_declaring_2147483647_squared_rgba_is_refused_not_an_overflow()
    {
        var png = PngClaiming(int.MaxValue, int.MaxValue, 8, 6);
        var (ex, _) = FailsWithin(() => ImageFile.Read(new MemoryStream(png), "huge.png"), "huge.png");
        StringAssert.Contains(ex.Message, "IHDR");
        StringAssert.Contains(ex.Message, "(2147483647, 2147483647, 4)");
        StringAssert.Contains(ex.Message, "more than 2^63 elements");
    }

    [TestMethod]
    public void A_npy_of_shape_2147483647_squared_is_refused_not_an_overflow()
    {
        foreach (var shape in new[] { "(2147483647, 2147483647)", "(2147483647, 2147483647, 2147483647)", "(99999999999, 99999999999)" })
        {
            var npy = NpyWith($"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
            var (ex, _) = FailsWithin(() => ImageFile.Read(new MemoryStream(npy), "huge.npy"), "huge.npy");
            StringAssert.Contains(ex.Message, shape);
            StringAssert.Contains(ex.Message, "elements");
        }
    }

    // ---------------------------------------------------------------- finding 2: allocating what the header claims

    [TestMethod]
    public void The_work_limit_refuses_declared_sizes_with_an_ImageFileException_naming_its_key()
    {
        var image = HostArray.Create(Enumerable.Range(0, 20 * 30).Select(i => (byte)i).ToArray(), 20, 30);
        var files = new Dictionary<string, byte[]>();
        var png = new MemoryStream(); Png.Write(png, image); files["small.png"] = png.ToArray();
        var npy = new MemoryStream(); Npy.Write(npy, image); files["small.npy"] = npy.ToArray();
        var pgm = new MemoryStream(); Pnm.Write(pgm, image); files["small.pgm"] = pgm.ToArray();
        files["plain.pgm"] = Ascii("P2 30 20 255\n" + string.Join(" ", Enumerable.Repeat("7", 600)) + "\n");
        using (Limits.Use(599))
            foreach (var (name, bytes) in files)
            {
                var (ex, _) = FailsWithin(() => ImageFile.Read(new MemoryStream(bytes), name), name);
                StringAssert.Contains(ex.Message, "(20, 30)");
                StringAssert.Contains(ex.Message, "600 elements, more than the work limit of 599 elements (Scoped:Limits:MaxElements)");
            }
        foreach (var (name, bytes) in files)
            Assert.AreEqual(600, ImageFile.Read(new MemoryStream(bytes), name).Size, name);
    }

    [TestMethod]
    public void A_70_byte_png_claiming_46000_squared_does_not_allocate_it()
    {
        var png = PngClaiming(46000, 46000, 8, 0);
        Assert.IsLessThan(80, png.Length);
        var (ex, allocated) = FailsWithin(() => ImageFile.Read(new MemoryStream(png), "claims.png"), "claims.png");
        Assert.IsLessThan(64 * MB, allocated, $"allocated {allocated} bytes: {ex.Message}");

        // Within every machine's work limit (at least 2^24 elements), so this is the decoder's incremental inflate at
        // work: before, it allocated the 16 MB the header claims before inflating the 4 bytes the file holds.
        png = PngClaiming(4000, 4000, 8, 0);
        (ex, allocated) = FailsWithin(() => ImageFile.Read(new MemoryStream(png), "claims.png"), "claims.png");
        StringAssert.Contains(ex.Message, "ends early");
        Assert.IsLessThan(4 * MB, allocated, $"allocated {allocated} bytes");
    }

    [TestMethod]
    public void A_192_byte_npy_claiming_2_GB_does_not_allocate_it()
    {
        var npy = NpyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 268435448), }", dataBytes: 64);
        Assert.AreEqual(192, npy.Length);
        foreach (var stream in new Func<Stream>[] { () => new MemoryStream(npy), () => new NonSeekable(npy) })
        {
            var (ex, allocated) = FailsWithin(() => Npy.Read(stream(), "claims.npy"), "claims.npy");
            Assert.IsLessThan(64 * MB, allocated, $"allocated {allocated} bytes: {ex.Message}");
        }

        // 32 MB declared, within every work limit: a seekable stream is checked to hold it, others grow as it arrives.
        npy = NpyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2000, 2000), }", dataBytes: 100);
        var (seekable, seekableAllocated) = FailsWithin(() => Npy.Read(new MemoryStream(npy), "claims.npy"), "claims.npy");
        StringAssert.Contains(seekable.Message, "declares 32000000 bytes of data but the file holds only 100");
        Assert.IsLessThan(1 * MB, seekableAllocated);
        var (streamed, streamedAllocated) = FailsWithin(() => Npy.Read(new NonSeekable(npy), "claims.npy"), "claims.npy");
        StringAssert.Contains(streamed.Message, "declares 32000000 bytes of data but the file holds only 100");
        Assert.IsLessThan(1 * MB, streamedAllocated);
    }

    [TestMethod]
    public void A_29_byte_plain_pgm_claiming_46000_squared_does_not_allocate_it()
    {
        var pgm = Ascii("P2 46000 46000 65535\n1 2 3 4\n");
        Assert.AreEqual(29, pgm.Length);
        var (ex, allocated) = FailsWithin(() => ImageFile.Read(new MemoryStream(pgm), "claims.pgm"), "claims.pgm");
        Assert.IsLessThan(64 * MB, allocated, $"allocated {allocated} bytes: {ex.Message}");

        // Within every work limit: before, the 32 MB of samples were allocated before the first was parsed.
        foreach (var text in new[] { "P2 4000 4000 65535\n1 2 3 4\n", "P3 4000 1000 255\n1 2 3 4\n" })
        {
            (ex, allocated) = FailsWithin(() => ImageFile.Read(new MemoryStream(Ascii(text)), "claims.pgm"), "claims.pgm");
            StringAssert.Contains(ex.Message, "truncated");
            Assert.IsLessThan(4 * MB, allocated, $"allocated {allocated} bytes");
        }
        var binary = Ascii("P5 4000 4000 255\n\x01\x02");
        (ex, _) = FailsWithin(() => ImageFile.Read(new MemoryStream(binary), "claims.pgm"), "claims.pgm");
        StringAssert.Contains(ex.Message, "declares 16000000 bytes of data but the file holds only 2");
    }

    /// <summary>Shapes at the edges: empty axes, an axis past the largest array beside an empty one, a 0-d array,
    /// many axes, negative and non-numeric entries. Each reads or is an ImageFileException.</summary>
    [TestMethod]
    public void Edge_npy_shapes_read_or_fail_with_ImageFileException()
    {
        string[] shapes = ["(0, 5)", "(5, 0, 3000000000)", "()", "(" + string.Join(", ", Enumerable.Repeat("1", 40)) + ")", "(-1, 2)", "(2, x)", "(3L, 2L)", "(,)"];
        foreach (var shape in shapes)
        {
            var npy = NpyWith($"{{'descr': '<i4', 'fortran_order': True, 'shape': {shape}, }}", dataBytes: 24);
            try
            {
                var array = ImageFile.Read(new MemoryStream(npy), "edge.npy");
                var header = ImageFile.ReadHeader(npy);
                Assert.IsNotNull(header, shape);
                AssertAgrees(header, array, shape);
            }
            catch (ImageFileException ex)
            {
                StringAssert.StartsWith(ex.Message, "edge.npy: ", shape);
            }
        }
    }

    // ---------------------------------------------------------------- finding 3: Npy.Write in chunks

    /// <summary>Records the size of every write.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public List<int> Writes { get; } = [];
        // Only the span overload: the base passes it on to the array one, which would count each write twice.
        public override void Write(ReadOnlySpan<byte> buffer) { Writes.Add(buffer.Length); base.Write(buffer); }
    }

    /// <summary>Writing 2 GiB for real would need more memory than a test should take, so the chunking is shown on a
    /// small chunk size: the data goes out in writes of at most that many bytes, and the file is the same.</summary>
    [TestMethod]
    public void Npy_Write_writes_the_data_in_chunks()
    {
        var values = Enumerable.Range(0, 1000).Select(i => i * 0.25 - 7).ToArray();
        var array = HostArray.Create(values, 10, 100);
        var whole = new MemoryStream();
        Npy.Write(whole, array);
        foreach (var (chunkBytes, perWrite) in new[] { (64, 64), (100, 96), (7, 8) })
        {
            var chunked = new RecordingStream();
            Npy.Write(chunked, array, chunkBytes);
            CollectionAssert.AreEqual(whole.ToArray(), chunked.ToArray(), $"chunk {chunkBytes}");
            var dataWrites = chunked.Writes.TakeLast((8000 + perWrite - 1) / perWrite).ToArray();
            Assert.AreEqual(8000, dataWrites.Sum(), $"chunk {chunkBytes}: the last writes are the data");
            Assert.IsTrue(dataWrites.All(n => n <= perWrite), $"chunk {chunkBytes}: writes of {string.Join(", ", dataWrites.Distinct())}");
        }

        var bools = HostArray.Create(Enumerable.Range(0, 77).Select(i => i % 3 == 0).ToArray(), 7, 11);
        var boolFile = new RecordingStream();
        Npy.Write(boolFile, bools, 10);
        AssertSame(bools, Npy.Read(new MemoryStream(boolFile.ToArray())));
    }

    private static void AssertSame(HostArray expected, HostArray actual)
    {
        Assert.AreEqual(expected.DType, actual.DType);
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray());
        CollectionAssert.AreEqual(expected.ToFlatArray(), actual.ToFlatArray());
    }

    // ---------------------------------------------------------------- finding 4: control characters in messages

    [TestMethod]
    public void Errors_show_control_characters_from_headers_escaped()
    {
        var cases = new (string Name, byte[] File, string Escaped)[]
        {
            ("esc.npy", NpyWith("{'descr': '\x1b[31mred', 'fortran_order': False, 'shape': (1,), }"), @"\u001B[31mred"),
            ("shape.npy", NpyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1\r\n2,), }"), @"1\r\n2"),
            ("dict.npy", NpyWith("{'descr': '<f8', \0'fortran_order': 0, 'shape': (1,), }"), @"\0'fortran_order'"),
            ("magic.pgm", Ascii("P\0 3 3 255\n"), @"'P\0'"),
            ("after-magic.pgm", Ascii("P5\x1b[2J 3 3 255\n"), @"'\u001B'"),
            ("token.pgm", Ascii("P2 3 \r\x07 255\n"), @"'\u0007'"),
            ("sample.pgm", Ascii("P2 1 1 255\n4\x9b"), @"'\u009B'"),
        };
        foreach (var (name, file, escaped) in cases)
        {
            var ex = Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(WriteTemp(name, file)), name);
            StringAssert.Contains(ex.Message, escaped, name);
            Assert.IsFalse(ex.Message.Any(c => char.IsControl(c)), $"{name}: raw control character in: {ex.Message}");
            Assert.IsFalse(ex.Problem.Any(c => char.IsControl(c)), name);
        }
        var named = Assert.ThrowsExactly<ImageFileException>(() => ImageFile.Read(new MemoryStream([1, 2, 3]), "evil\nname\x1b"));
        StringAssert.StartsWith(named.Message, @"evil\nname\u001B: ");
        Assert.AreEqual("evil\nname\x1b", named.FileName, "the property keeps the name as given");
    }

    private static string WriteTemp(string name, byte[] bytes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "scoped-hardening");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // ---------------------------------------------------------------- finding 5: one header parser

    [TestMethod]
    public void ReadHeader_declares_what_the_decoder_returns()
    {
        foreach (var file in SeedFiles())
        {
            var header = ImageFile.ReadHeader(file.Bytes);
            Assert.IsNotNull(header, file.Name);
            var image = ImageFile.Read(new MemoryStream(file.Bytes), file.Name);
            AssertAgrees(header, image, file.Name);
        }
    }

    [TestMethod]
    public void ReadHeader_reads_every_axis_long_comments_and_comments_ended_by_cr()
    {
        var npy = NpyWith("{'descr': '<u2', 'fortran_order': True, 'shape': (3, 4, 5, 6), }");
        var header = ImageFile.ReadHeader(npy)!;
        Assert.AreEqual(".npy", header.Format);
        Assert.AreEqual(DType.UInt16, header.DType);
        CollectionAssert.AreEqual(new long[] { 3, 4, 5, 6 }, header.Shape);
        Assert.AreEqual(360, header.Elements);

        var big = ImageFile.ReadHeader(NpyWith("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 300000000000), }"))!;
        CollectionAssert.AreEqual(new long[] { 1, 1, 300_000_000_000 }, big.Shape, "the header says what the file claims, limits or not");
        Assert.AreEqual(long.MaxValue, ImageFile.ReadHeader(NpyWith("{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999, 99999999999), }"))!.Elements);

        string comment = "# " + new string('x', 2000);
        foreach (var text in new[] { $"P5\n{comment}\n46000 46000\n255\n", $"P5  \n\n   \t {comment}\r46000 46000 255\n", $"P2\n#a\r46000\r#b\r46000\r255 " })
        {
            var pgm = ImageFile.ReadHeader(Ascii(text))!;
            Assert.IsNotNull(pgm, text);
            CollectionAssert.AreEqual(new long[] { 46000, 46000 }, pgm.Shape, text);
            Assert.AreEqual(DType.UInt8, pgm.DType);
        }
        var ppm = ImageFile.ReadHeader(Ascii("P6 640 480 65535\n"))!;
        Assert.AreEqual(".ppm", ppm.Format);
        Assert.AreEqual(DType.UInt16, ppm.DType);
        CollectionAssert.AreEqual(new long[] { 480, 640, 3 }, ppm.Shape);

        var png = ImageFile.ReadHeader(PngClaiming(int.MaxValue, int.MaxValue, 16, 6))!;
        CollectionAssert.AreEqual(new long[] { int.MaxValue, int.MaxValue, 4 }, png.Shape);
        Assert.AreEqual(DType.UInt16, png.DType);
        Assert.AreEqual(long.MaxValue, png.Elements);
    }

    [TestMethod]
    public void ReadHeader_is_null_when_the_bytes_do_not_hold_a_whole_valid_header()
    {
        var npy = NpyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (300, 400), }");
        var pgm = Ascii("P5 46000 46000 255\n");
        var png = PngClaiming(300, 400, 8, 2);
        foreach (var (what, bytes) in new[]
        {
            ("npy cut inside the header", npy[..40]),
            ("pgm cut inside the height, which would read as 460", pgm[..11]),
            ("pgm cut inside maxval", pgm[..17]),
            ("pgm cut before maxval", pgm[..15]),
            ("png cut inside IHDR", png[..28]),
            ("png with colour type 5", PngClaiming(3, 4, 8, 5)),
            ("npy with an unknown dtype", NpyWith("{'descr': '<c16', 'fortran_order': False, 'shape': (3,), }")),
            ("pgm with a letter for the width", Ascii("P5 4x 3 255\n")),
            ("not an image", Ascii("GIF89a......")),
            ("empty", Array.Empty<byte>()),
        })
            Assert.IsNull(ImageFile.ReadHeader(bytes), what);
        Assert.IsNotNull(ImageFile.ReadHeader(pgm), "the byte after maxval is enough");
        Assert.IsNotNull(ImageFile.ReadHeader(png[..29]), "signature, IHDR length, type and data are enough");
    }

    private static void AssertAgrees(ImageHeader header, HostArray image, string what)
    {
        Assert.AreEqual(header.DType, image.DType, what);
        var shape = image.Shape.ToArray().Select(n => (long)n).ToArray();
        // A palette PNG is declared as RGB; a tRNS chunk after the header adds alpha.
        if (header.Format == ".png" && shape.Length == 3 && shape[2] == 4 && header.Shape is [_, _, 3]) shape[2] = 3;
        CollectionAssert.AreEqual(header.Shape, shape, what);
    }

    // ---------------------------------------------------------------- fuzz

    private sealed record SeedFile(string Name, byte[] Bytes);

    /// <summary>Small valid files of every kind the readers take: PNG of each colour type and several bit depths
    /// (palette, with and without tRNS, Adam7, 16-bit), PGM/PPM plain and binary, 8- and 16-bit, and .npy of each dtype.</summary>
    private static List<SeedFile> SeedFiles()
    {
        var files = new List<SeedFile>();
        foreach (var name in new[]
        {
            "pil_gray8.png", "pil_gray16.png", "pil_rgb8.png", "pil_la8.png", "cv_rgba16.png", "pil_bit1.png", "gray2.png",
            "palette1.png", "palette4_trns.png", "pil_palette_trns.png", "adam7_gray16.png", "adam7_palette4_trns.png",
            "filters_rgb8.png", "adam7_1x9_gray2.png",
            "gray8.pgm", "gray16.pgm", "plain100.pgm", "plain16.pgm", "plain.ppm", "rgb8.ppm", "rgb16.ppm",
            "gray_u8.npy", "gray_u16.npy", "mask_bool.npy", "rgb_u8.npy",
        })
            files.Add(new(name, File.ReadAllBytes(Path.Combine(FixtureDir, name))));
        var random = new Random(12);
        HostArray[] arrays =
        [
            HostArray.Create(Enumerable.Range(0, 30).Select(_ => random.NextSingle()).ToArray(), 5, 6),
            HostArray.Create(Enumerable.Range(0, 24).Select(_ => random.NextDouble()).ToArray(), 2, 3, 4),
            HostArray.Create(Enumerable.Range(0, 12).Select(_ => random.Next()).ToArray(), 12),
            HostArray.Create(Enumerable.Range(0, 20).Select(_ => (ushort)random.Next(65536)).ToArray(), 4, 5),
        ];
        foreach (var array in arrays)
        {
            var stream = new MemoryStream();
            Npy.Write(stream, array);
            files.Add(new($"written_{array.DType.NumPyName()}.npy", stream.ToArray()));
        }
        // Big-endian and Fortran order, as NumPy can write them.
        var be = NpyWith("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }").Concat(
            Enumerable.Range(0, 6).SelectMany(i => new byte[] { 0, 0, 1, (byte)i })).ToArray();
        files.Add(new("bigendian_fortran.npy", be));
        return files;
    }

    /// <summary>Rewrites the decimal numbers of a text header (PNM maxval/size, the .npy shape) with huge or odd values.</summary>
    private static byte[] HugeNumbers(byte[] file, int headerEnd, Random random)
    {
        string[] values = ["2147483647", "4294967296", "99999999999999999999", "46000", "0", "65536", "268435448", "-1"];
        var text = Encoding.Latin1.GetString(file, 0, headerEnd);
        var replaced = System.Text.RegularExpressions.Regex.Replace(text, @"\d+", m => random.Next(3) == 0 ? values[random.Next(values.Length)] : m.Value);
        return [.. Encoding.Latin1.GetBytes(replaced), .. file.AsSpan(headerEnd)];
    }

    private static byte[] Mutate(byte[] original, string name, Random random, out string mutation)
    {
        var file = (byte[])original.Clone();
        bool png = name.EndsWith(".png"), npy = name.EndsWith(".npy");
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = random.Next(1, 5);
                for (int i = 0; i < flips; i++) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                mutation = $"flip {flips} bits";
                return file;
            }
            case 1:
            {
                int length = random.Next(file.Length);
                mutation = $"truncate to {length}";
                return file[..length];
            }
            case 2:
            {
                int at = random.Next(file.Length + 1);
                var inserted = new byte[random.Next(1, 9)];
                random.NextBytes(inserted);
                mutation = $"insert {inserted.Length} bytes at {at}";
                return [.. file.AsSpan(0, at), .. inserted, .. file.AsSpan(at)];
            }
            case 3:
            {
                // Header numbers: a PNG's IHDR (with its CRC fixed, so the decoder believes it), or the text numbers.
                if (png)
                {
                    uint[] huge = [uint.MaxValue, int.MaxValue, 46000, 65536, 1, 0, 1u << 30];
                    for (int at = 16; at <= 20; at += 4)
                        if (random.Next(2) == 0) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), huge[random.Next(huge.Length)]);
                    if (random.Next(3) == 0) file[24 + random.Next(5)] = (byte)random.Next(20);
                    FixCrc(file, 8);
                    mutation = $"IHDR {BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(16))}x{BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(20))}, CRC fixed";
                    return file;
                }
                int headerEnd = npy ? 10 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)) : Math.Min(file.Length, 24);
                var rewritten = HugeNumbers(file, headerEnd, random);
                if (npy && rewritten.Length != file.Length)
                    BinaryPrimitives.WriteUInt16LittleEndian(rewritten.AsSpan(8), (ushort)(headerEnd - 10 + rewritten.Length - file.Length));
                mutation = "header numbers rewritten";
                return rewritten;
            }
            case 4:
            {
                // Overwrite a run of bytes with random ones, and for a PNG fix that chunk's CRC so the damage reaches the decoder.
                int at = random.Next(file.Length), n = Math.Min(random.Next(1, 9), file.Length - at);
                random.NextBytes(file.AsSpan(at, n));
                if (png) FixCrcAround(file, at);
                mutation = $"overwrite {n} bytes at {at}" + (png ? ", CRC fixed" : "");
                return file;
            }
            case 5:
            {
                int length = random.Next(file.Length);
                var cut = file[..length];
                mutation = $"truncate to {length}, then flip a bit";
                if (length > 0) cut[random.Next(length)] ^= (byte)(1 << random.Next(8));
                return cut;
            }
            default:
            {
                // Overwrite one byte of the header region with an extreme value.
                int at = random.Next(Math.Min(file.Length, 64));
                file[at] = (byte)(random.Next(2) == 0 ? 0xFF : random.Next(2) == 0 ? 0 : (byte)random.Next(256));
                if (png) FixCrcAround(file, at);
                mutation = $"set byte {at} to {file[at]}";
                return file;
            }
        }
    }

    private static void FixCrc(byte[] file, int chunkStart)
    {
        if (chunkStart + 12 > file.Length) return;
        long length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(chunkStart));
        if (chunkStart + 12 + length > file.Length) return;
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(chunkStart + 8 + (int)length), Crc32.Compute(file.AsSpan(chunkStart + 4, 4 + (int)length)));
    }

    /// <summary>Fixes the CRC of the chunk holding byte <paramref name="at"/>, when the chunk structure up to it is intact.</summary>
    private static void FixCrcAround(byte[] file, int at)
    {
        int pos = 8;
        while (pos + 12 <= file.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos));
            if (length > file.Length) return;
            long end = pos + 12 + length;
            if (at < end) { if (at >= pos + 4) FixCrc(file, pos); return; }
            pos = (int)end;
        }
    }

    /// <summary>3000 seeded mutations of small valid files. Each read must give an image (one the header parser agrees
    /// with) or an ImageFileException, never another exception, and allocate under 64 MB.</summary>
    [TestMethod]
    public void Mutated_files_read_or_fail_with_ImageFileException_within_budget()
    {
        var seeds = SeedFiles();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        int decoded = 0, refused = 0;
        for (int seed = 0; seed < 3000; seed++)
        {
            var original = seeds[seed % seeds.Count];
            var random = new Random(seed);
            var file = Mutate(original.Bytes, original.Name, random, out var mutation);
            string what = $"seed {seed}, {original.Name}, {mutation}";
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var image = ImageFile.Read(new MemoryStream(file), what);
                decoded++;
                if (ImageFile.ReadHeader(file) is not { } header) failures.Add($"{what}: decoded, but ReadHeader gives null");
                else
                {
                    try { AssertAgrees(header, image, what); }
                    catch (AssertFailedException ex) { failures.Add($"{what}: header and decoder disagree: {ex.Message}"); }
                }
            }
            catch (ImageFileException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                failures.Add($"{what}: {ex.GetType().Name}: {ex.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > 64 * MB) failures.Add($"{what}: allocated {allocated} bytes");
            if (failures.Count >= 20) break;
        }
        Assert.IsEmpty(failures, string.Join("\n", failures));
        Assert.IsGreaterThan(100, decoded, "some mutations still decode (a bit flip in pixel data)");
        Assert.IsGreaterThan(1000, refused);
        Console.WriteLine($"{decoded} decoded, {refused} refused in {clock.ElapsedMilliseconds} ms");
    }
}
