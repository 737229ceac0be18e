using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Scoped.Image.IO;

/// <summary>
/// PNG files (ISO/IEC 15948), written from the specification.
/// <para>Reading: every colour type and bit depth, Adam7 interlacing, all five filters, any number of IDAT chunks;
/// every chunk's CRC is checked. 8-bit and lower depths give uint8 (1-, 2- and 4-bit gray are scaled to 0..255, as
/// PIL/imageio and OpenCV do), 16-bit gives uint16. Gray is (rows, cols); gray+alpha (rows, cols, 2); RGB
/// (rows, cols, 3); RGBA (rows, cols, 4); palette images are expanded to RGB, or to RGBA when a tRNS chunk gives
/// the palette transparency. tRNS of gray and RGB images, gamma and colour-space chunks are ignored.</para>
/// <para>Writing: uint8 and uint16 images of 1 to 4 channels (gray, gray+alpha, RGB, RGBA), and bool images as
/// 8-bit 0/255; each row gets the filter with the smallest sum of absolute differences.</para>
/// </summary>
public static class Png
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The Adam7 passes: first row, first column, row step, column step.</summary>
    private static readonly (int Y, int X, int DY, int DX)[] Adam7 =
        [(0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1)];

    private const int MaxIdatChunk = 1 << 20;

    /// <summary>What the IHDR chunk at the start of <paramref name="bytes"/> declares, or null when they do not hold a
    /// valid one (the decoder then names the problem). The chunk's CRC is not checked here; the decoder checks it.</summary>
    internal static ImageHeader? TryReadHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 + 8 + 13 || !HasSignature(bytes)) return null;
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) != 13 || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        try
        {
            return ParseHeader(bytes.Slice(16, 13), "header").Declared;
        }
        catch (ImageFileException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="header"/> starts with the PNG signature.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> header) => header.StartsWith(Signature);

    /// <summary>Reads a PNG file.</summary>
    /// <exception cref="ImageFileException">The file is not a valid PNG file: bad signature, CRC, header, data or truncated.</exception>
    public static HostArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a PNG image from a stream; <paramref name="name"/> names it in error messages.</summary>
    public static HostArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name);
    }

    /// <summary>Writes an image as PNG; the file appears complete or not at all.</summary>
    /// <exception cref="ArgumentException">The image is not a host array, is float or int32, or has an unsupported shape.</exception>
    public static void Write(string path, NDArray image)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var host = CheckWritable(image);
        AtomicFile.Write(path, stream => Encode(stream, host));
    }

    /// <summary>Writes an image to a stream as PNG.</summary>
    public static void Write(Stream stream, NDArray image)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Encode(stream, CheckWritable(image));
    }

    // ---------------------------------------------------------------- reading

    private sealed record Header(int Width, int Height, int Depth, int ColorType, bool Interlaced)
    {
        /// <summary>What the header declares (a palette image as RGB: a tRNS chunk may add alpha later).</summary>
        public ImageHeader Declared => new(".png", Depth == 16 ? DType.UInt16 : DType.UInt8,
            ColorType is 0 ? [Height, Width] : [Height, Width, ColorType == 3 ? 3 : Channels]);
        /// <summary>The bytes of filtered image data the zlib stream must hold (long.MaxValue when it overflows).</summary>
        public long RawBytes
        {
            get
            {
                long total = 0;
                foreach (var p in Passes(this))
                    if (p.Rows > 0 && p.Cols > 0)
                        total = Math.Min(long.MaxValue / 2, total + DeclaredSize.Multiply(p.Rows, 1 + RowBytes(p.Cols)));
                return total >= long.MaxValue / 2 ? long.MaxValue : total;
            }
        }
        public int Channels => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        public int BitsPerPixel => Channels * Depth;
        /// <summary>The distance in bytes to the corresponding byte of the previous pixel (at least 1).</summary>
        public int FilterStep => Math.Max(1, BitsPerPixel / 8);
        public long RowBytes(int pixels) => ((long)pixels * BitsPerPixel + 7) / 8;
    }

    private static HostArray Decode(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
            throw new ImageFileException(name, "not a PNG file (bad signature: the first 8 bytes are not \\x89PNG\\r\\n\\x1a\\n).");
        int pos = Signature.Length;
        Header? header = null;
        byte[]? palette = null, transparency = null;
        var idat = new MemoryStream();
        bool sawIdat = false, idatEnded = false, sawEnd = false;
        while (pos < file.Length)
        {
            if (file.Length - pos < 12)
                throw new ImageFileException(name, $"truncated: the file ends inside a chunk header at byte {pos}.");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            var typeBytes = file.Slice(pos + 4, 4);
            foreach (byte b in typeBytes)
                if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'))
                    throw new ImageFileException(name, $"invalid chunk type at byte {pos} (not four letters): the file is corrupt.");
            string type = Encoding.ASCII.GetString(typeBytes);
            if (length > int.MaxValue || length > (uint)(file.Length - pos - 12))
                throw new ImageFileException(name, $"truncated: chunk {type} at byte {pos} declares {length} bytes of data but the file ends first.");
            var data = file.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 8 + (int)length)..]);
            uint computed = Crc32.Compute(file.Slice(pos + 4, 4 + (int)length));
            if (stored != computed)
                throw new ImageFileException(name, $"CRC mismatch in chunk {type} at byte {pos} (stored 0x{stored:X8}, computed 0x{computed:X8}): the file is corrupt.");
            pos += 12 + (int)length;

            if (header is null && type != "IHDR")
                throw new ImageFileException(name, $"the first chunk is {type}, not IHDR.");
            if (sawIdat && type != "IDAT") idatEnded = true;
            switch (type)
            {
                case "IHDR":
                    if (header is not null) throw new ImageFileException(name, "more than one IHDR chunk.");
                    header = ParseHeader(data, name);
                    var declared = header.Declared;
                    DeclaredSize.Check(name, $"the IHDR chunk declares an image of shape {declared.ShapeText}", declared.Elements, header.RawBytes);
                    break;
                case "PLTE":
                    if (palette is not null) throw new ImageFileException(name, "more than one PLTE chunk.");
                    if (sawIdat) throw new ImageFileException(name, "the PLTE chunk comes after IDAT.");
                    if (header!.ColorType is 0 or 4) throw new ImageFileException(name, $"a PLTE chunk in a gray image (colour type {header.ColorType}) is not allowed.");
                    if (length == 0 || length % 3 != 0 || length / 3 > 256)
                        throw new ImageFileException(name, $"the PLTE chunk has {length} bytes; it must hold 1 to 256 RGB entries (a multiple of 3 bytes).");
                    if (header.ColorType == 3 && length / 3 > 1 << header.Depth)
                        throw new ImageFileException(name, $"the PLTE chunk has {length / 3} entries, more than a {header.Depth}-bit index can address.");
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    if (header!.ColorType == 3)
                    {
                        if (palette is null) throw new ImageFileException(name, "the tRNS chunk comes before PLTE.");
                        if (length > palette.Length / 3) throw new ImageFileException(name, $"the tRNS chunk has {length} entries, more than the palette's {palette.Length / 3}.");
                        transparency = data.ToArray();
                    }
                    break;
                case "IDAT":
                    if (idatEnded) throw new ImageFileException(name, "the IDAT chunks are not consecutive.");
                    sawIdat = true;
                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    if (char.IsUpper(type[0])) throw new ImageFileException(name, $"unknown critical chunk {type}; this reader cannot decode it.");
                    break;
            }
            if (sawEnd) break;
        }
        if (header is null) throw new ImageFileException(name, "truncated: the file holds no chunks after the signature.");
        if (!sawEnd) throw new ImageFileException(name, $"truncated: the IEND chunk is missing (the file ends at byte {file.Length}).");
        if (!sawIdat) throw new ImageFileException(name, "the file has no IDAT chunk (no image data).");
        if (header.ColorType == 3 && palette is null) throw new ImageFileException(name, "a palette image (colour type 3) without a PLTE chunk.");

        var raw = Inflate(idat, header, name);
        return header.Depth == 16 ? Unpack16(raw, header, name) : Unpack8(raw, header, palette, transparency, name);
    }

    private static Header ParseHeader(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length != 13) throw new ImageFileException(name, $"the IHDR chunk has {data.Length} bytes; it must have 13.");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8], colorType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw new ImageFileException(name, $"bad IHDR: image size {width}x{height}; width and height must be 1 to 2^31-1.");
        bool depthOk = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => throw new ImageFileException(name, $"bad IHDR: colour type {colorType} is not one of 0, 2, 3, 4, 6."),
        };
        if (!depthOk) throw new ImageFileException(name, $"bad IHDR: bit depth {depth} is not allowed for colour type {colorType}.");
        if (compression != 0) throw new ImageFileException(name, $"bad IHDR: compression method {compression} (only 0, deflate, exists).");
        if (filter != 0) throw new ImageFileException(name, $"bad IHDR: filter method {filter} (only 0 exists).");
        if (interlace > 1) throw new ImageFileException(name, $"bad IHDR: interlace method {interlace} (only 0 and 1 exist).");
        return new Header((int)width, (int)height, depth, colorType, interlace == 1);
    }

    /// <summary>The passes of the image: the whole image, or the seven Adam7 sub-images (empty ones included).</summary>
    private static IEnumerable<(int Y, int X, int DY, int DX, int Rows, int Cols)> Passes(Header h)
    {
        if (!h.Interlaced)
        {
            yield return (0, 0, 1, 1, h.Height, h.Width);
            yield break;
        }
        foreach (var (y, x, dy, dx) in Adam7)
        {
            int rows = h.Height > y ? (h.Height - y + dy - 1) / dy : 0;
            int cols = h.Width > x ? (h.Width - x + dx - 1) / dx : 0;
            yield return (y, x, dy, dx, rows, cols);
        }
    }

    /// <summary>Inflates the image data into a buffer that grows as data comes out of the zlib stream: the header's
    /// size is only a claim, and a short stream must fail having allocated about what it holds.</summary>
    private static byte[] Inflate(MemoryStream idat, Header h, string name)
    {
        long expected = h.RawBytes; // within Array.MaxLength: checked when the IHDR chunk was read
        var raw = GrowingBuffer.Start<byte>(expected);
        idat.Position = 0;
        int total = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            while (total < expected)
            {
                if (total == raw.Length) GrowingBuffer.Grow(ref raw, expected);
                int read = z.Read(raw, total, raw.Length - total);
                if (read == 0) break;
                total += read;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImageFileException(name, $"bad zlib data in the IDAT chunks: {ex.Message}", ex);
        }
        if (total < expected)
            throw new ImageFileException(name, $"the zlib data in the IDAT chunks ends early: {total} of {expected} bytes of image data (truncated or corrupt).");
        return raw;
    }

    /// <summary>Undoes the filter of every row in place (each row's filter byte is left as it is).</summary>
    private static void Unfilter(byte[] raw, Header h, string name)
    {
        int bpp = h.FilterStep;
        int offset = 0;
        foreach (var p in Passes(h))
        {
            if (p.Rows == 0 || p.Cols == 0) continue;
            int rowBytes = (int)h.RowBytes(p.Cols);
            for (int r = 0; r < p.Rows; r++)
            {
                int filter = raw[offset];
                var row = raw.AsSpan(offset + 1, rowBytes);
                ReadOnlySpan<byte> prev = r == 0 ? default : raw.AsSpan(offset - rowBytes, rowBytes);
                switch (filter)
                {
                    case 0: break;
                    case 1:
                        for (int i = bpp; i < rowBytes; i++) row[i] += row[i - bpp];
                        break;
                    case 2:
                        if (r > 0) for (int i = 0; i < rowBytes; i++) row[i] += prev[i];
                        break;
                    case 3:
                        if (r == 0)
                            for (int i = bpp; i < rowBytes; i++) row[i] += (byte)(row[i - bpp] >> 1);
                        else
                        {
                            for (int i = 0; i < bpp; i++) row[i] += (byte)(prev[i] >> 1);
                            for (int i = bpp; i < rowBytes; i++) row[i] += (byte)((row[i - bpp] + prev[i]) >> 1);
                        }
                        break;
                    case 4:
                        if (r == 0)
                            for (int i = bpp; i < rowBytes; i++) row[i] += row[i - bpp]; // Paeth with no row above is Sub
                        else
                        {
                            for (int i = 0; i < bpp; i++) row[i] += prev[i];
                            for (int i = bpp; i < rowBytes; i++) row[i] += Paeth(row[i - bpp], prev[i], prev[i - bpp]);
                        }
                        break;
                    default:
                        throw new ImageFileException(name, $"bad filter type {filter} on a row of the image data (only 0 to 4 exist): the file is corrupt.");
                }
                offset += 1 + rowBytes;
            }
        }
    }

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }

    private static HostArray Unpack8(byte[] raw, Header h, byte[]? palette, byte[]? transparency, string name)
    {
        Unfilter(raw, h, name);
        int w = h.Width, channels = h.Channels;
        int outChannels = h.ColorType == 3 ? (transparency is null ? 3 : 4) : channels;
        if (outChannels == 4 && h.ColorType == 3)
            DeclaredSize.Check(name, $"the palette with tRNS makes an image of shape ({h.Height}, {w}, 4)", (long)w * h.Height * 4, (long)w * h.Height * 4);
        var result = new byte[(long)w * h.Height * outChannels];
        int depth = h.Depth, mask = (1 << depth) - 1, scale = h.ColorType == 0 ? 255 / mask : 1;
        int entries = palette is null ? 0 : palette.Length / 3;
        int offset = 0;
        foreach (var p in Passes(h))
        {
            if (p.Rows == 0 || p.Cols == 0) continue;
            int rowBytes = (int)h.RowBytes(p.Cols);
            for (int r = 0; r < p.Rows; r++)
            {
                var row = raw.AsSpan(offset + 1, rowBytes);
                int y = p.Y + r * p.DY;
                if (depth == 8 && h.ColorType != 3 && p.DX == 1)
                {
                    row.CopyTo(result.AsSpan(y * w * outChannels, rowBytes));
                    offset += 1 + rowBytes;
                    continue;
                }
                for (int i = 0; i < p.Cols; i++)
                {
                    int target = (y * w + p.X + i * p.DX) * outChannels;
                    if (depth == 8 && h.ColorType != 3)
                    {
                        row.Slice(i * channels, channels).CopyTo(result.AsSpan(target, channels));
                        continue;
                    }
                    int value = depth == 8 ? row[i] : (row[(i * depth) >> 3] >> (8 - depth - ((i * depth) & 7))) & mask;
                    if (h.ColorType == 0) { result[target] = (byte)(value * scale); continue; }
                    if (value >= entries)
                        throw new ImageFileException(name, $"palette index {value} at row {y} is out of range (the palette has {entries} entries).");
                    result[target] = palette![3 * value];
                    result[target + 1] = palette[3 * value + 1];
                    result[target + 2] = palette[3 * value + 2];
                    if (outChannels == 4) result[target + 3] = value < transparency!.Length ? transparency[value] : (byte)255;
                }
                offset += 1 + rowBytes;
            }
        }
        return outChannels == 1 ? HostArray.Create(result, h.Height, w) : HostArray.Create(result, h.Height, w, outChannels);
    }

    private static HostArray Unpack16(byte[] raw, Header h, string name)
    {
        Unfilter(raw, h, name);
        int w = h.Width, channels = h.Channels;
        var result = new ushort[(long)w * h.Height * channels];
        int offset = 0;
        foreach (var p in Passes(h))
        {
            if (p.Rows == 0 || p.Cols == 0) continue;
            int rowBytes = (int)h.RowBytes(p.Cols);
            for (int r = 0; r < p.Rows; r++)
            {
                var row = raw.AsSpan(offset + 1, rowBytes);
                int y = p.Y + r * p.DY;
                for (int i = 0; i < p.Cols; i++)
                {
                    int target = (y * w + p.X + i * p.DX) * channels;
                    for (int c = 0; c < channels; c++)
                        result[target + c] = BinaryPrimitives.ReadUInt16BigEndian(row[(2 * (i * channels + c))..]);
                }
                offset += 1 + rowBytes;
            }
        }
        return channels == 1 ? HostArray.Create(result, h.Height, w) : HostArray.Create(result, h.Height, w, channels);
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Checks that an image can be stored as PNG (before any file is created).</summary>
    internal static HostArray CheckWritable(NDArray image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var host = image as HostArray ?? throw new ArgumentException($"image is a {image.Kind} array; copy it to the host first.", nameof(image));
        if (host.DType is not (DType.UInt8 or DType.UInt16 or DType.Bool))
            throw new ArgumentException(
                $"image is {host.DType.NumPyName()}; PNG stores 8- or 16-bit integer samples. Convert it first, e.g. with Util.ImgAsUbyte(image).",
                nameof(image));
        if (host.Rank is not (2 or 3) || (host.Rank == 3 && host.Shape[2] is < 1 or > 4))
            throw new ArgumentException(host.Rank >= 3
                ? $"image has shape {host.ShapeText}: a volume or stack, and PNG holds one 2-D image, (rows, cols) or (rows, cols, 1|2|3|4) (gray, gray+alpha, RGB, RGBA). Write it as .npy or a multi-page .tif, or take one slice."
                : $"image has shape {host.ShapeText}; PNG needs (rows, cols) or (rows, cols, 1|2|3|4) (gray, gray+alpha, RGB, RGBA).", nameof(image));
        if (host.Shape[0] == 0 || host.Shape[1] == 0)
            throw new ArgumentException($"image has shape {host.ShapeText}; a PNG image needs at least one row and one column.", nameof(image));
        return host;
    }

    private static void Encode(Stream stream, HostArray image)
    {
        int height = image.Shape[0], width = image.Shape[1];
        int channels = image.Rank == 3 ? image.Shape[2] : 1;
        int depth = image.DType == DType.UInt16 ? 16 : 8;
        int colorType = channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        int bpp = channels * depth / 8;
        int rowBytes = checked(width * bpp);
        byte[] pixels = image switch
        {
            HostArray<byte> b => b.ToArray(),
            HostArray<bool> b => Array.ConvertAll(b.ToArray(), v => v ? (byte)255 : (byte)0),
            HostArray<ushort> u => BigEndian(u.ToArray()),
            _ => throw new ArgumentException($"image is {image.DType.NumPyName()}.", nameof(image)),
        };

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var candidates = new byte[5][];
            for (int f = 0; f < 5; f++) candidates[f] = new byte[1 + rowBytes];
            for (int y = 0; y < height; y++)
            {
                var row = pixels.AsSpan(y * rowBytes, rowBytes);
                var prev = y == 0 ? default : pixels.AsSpan((y - 1) * rowBytes, rowBytes);
                z.Write(candidates[ChooseFilter(row, prev, bpp, candidates)]);
            }
        }

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)colorType;
        ihdr[10] = ihdr[11] = ihdr[12] = 0;
        stream.Write(Signature);
        WriteChunk(stream, "IHDR", ihdr);
        var data = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        for (int start = 0; start < data.Length; start += MaxIdatChunk)
            WriteChunk(stream, "IDAT", data.Slice(start, Math.Min(MaxIdatChunk, data.Length - start)));
        WriteChunk(stream, "IEND", []);
    }

    private static byte[] BigEndian(ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    /// <summary>
    /// Fills the five filtered versions of <paramref name="row"/> (filter byte first) and returns the one whose
    /// bytes, read as signed, have the smallest sum of absolute values (the heuristic the PNG specification suggests).
    /// </summary>
    private static int ChooseFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prev, int bpp, byte[][] candidates)
    {
        int n = row.Length;
        bool hasPrev = !prev.IsEmpty;
        for (int f = 0; f < 5; f++) candidates[f][0] = (byte)f;
        var none = candidates[0].AsSpan(1);
        var sub = candidates[1].AsSpan(1);
        var up = candidates[2].AsSpan(1);
        var avg = candidates[3].AsSpan(1);
        var paeth = candidates[4].AsSpan(1);
        row.CopyTo(none);
        for (int i = 0; i < n; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = hasPrev ? prev[i] : 0;
            int c = hasPrev && i >= bpp ? prev[i - bpp] : 0;
            int x = row[i];
            sub[i] = (byte)(x - a);
            up[i] = (byte)(x - b);
            avg[i] = (byte)(x - ((a + b) >> 1));
            paeth[i] = (byte)(x - Paeth(a, b, c));
        }
        int best = 0;
        long bestSum = long.MaxValue;
        for (int f = 0; f < 5; f++)
        {
            long sum = 0;
            foreach (byte v in candidates[f].AsSpan(1)) sum += v < 128 ? v : 256 - v;
            if (sum < bestSum) { bestSum = sum; best = f; }
        }
        return best;
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        stream.Write(head);
        stream.Write(data);
        uint crc = Crc32.Append(Crc32.Compute(head[4..]), data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        stream.Write(tail);
    }
}
