using System.Buffers.Binary;
using System.Globalization;
using BitMiracle.LibJpeg.Classic;

namespace Scoped.Image.IO;

/// <summary>Chroma subsampling of a written JPEG: how many luma samples share one chroma sample.</summary>
public enum JpegSubsampling
{
    /// <summary>4:2:0, chroma halved both ways: the smallest files, what cameras and Pillow write.</summary>
    Subsample420,
    /// <summary>4:4:4, full-resolution chroma: sharp colour edges.</summary>
    Subsample444,
}

/// <summary>Options for writing JPEG (<see cref="Jpeg.Write(string, NDArray, JpegWriteOptions?)"/>).</summary>
public sealed record JpegWriteOptions
{
    /// <summary>IJG quality, 1 (smallest) to 100 (best); 90 unless set.</summary>
    public int Quality { get; init; } = 90;

    /// <summary>Progressive scans (coarse first) instead of one baseline scan.</summary>
    public bool Progressive { get; init; }

    /// <summary>Chroma subsampling of colour images; 4:2:0 unless set.</summary>
    public JpegSubsampling Subsampling { get; init; } = JpegSubsampling.Subsample420;

    /// <summary>The defaults.</summary>
    public static JpegWriteOptions Default { get; } = new();
}

/// <summary>
/// JPEG through LibJpeg.NET (a managed port of IJG libjpeg): baseline and progressive, grey and colour (YCbCr, RGB;
/// CMYK is refused), read as uint8 (rows, cols) or (rows, cols, 3) with the EXIF orientation applied, as a camera's
/// picture is meant to be seen. Written from uint8 grey or RGB images. Truncated or corrupt data is an error, not
/// a grey fill.
/// </summary>
public static class Jpeg
{
    /// <summary>Whether <paramref name="head"/> starts with a JPEG's SOI marker.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) => head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;

    /// <summary>Reads the JPEG at <paramref name="path"/>.</summary>
    /// <exception cref="ImageFileException">Not a JPEG, corrupt or truncated, or more pixels than the work limit.</exception>
    public static HostArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a JPEG from <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    public static HostArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        int orientation = stream.CanSeek ? ExifOrientation(stream) : 1;
        var errors = new Errors();
        var decoder = new jpeg_decompress_struct(errors);
        try
        {
            decoder.jpeg_stdio_src(stream);
            decoder.jpeg_read_header(true);
            int components = decoder.Num_components;
            decoder.Out_color_space = decoder.Jpeg_color_space switch
            {
                J_COLOR_SPACE.JCS_GRAYSCALE => J_COLOR_SPACE.JCS_GRAYSCALE,
                J_COLOR_SPACE.JCS_YCbCr or J_COLOR_SPACE.JCS_RGB or J_COLOR_SPACE.JCS_BG_YCC or J_COLOR_SPACE.JCS_BG_RGB => J_COLOR_SPACE.JCS_RGB,
                var other => throw new ImageFileException(name, $"a {other} JPEG ({components} components); Scoped reads grey and colour (YCbCr, RGB) JPEGs."),
            };
            int width = decoder.Image_width, height = decoder.Image_height;
            int channels = decoder.Out_color_space == J_COLOR_SPACE.JCS_GRAYSCALE ? 1 : 3;
            long elements = DeclaredSize.Multiply(DeclaredSize.Multiply(width, height), channels);
            DeclaredSize.Check(name, string.Create(CultureInfo.InvariantCulture, $"the header declares a {width}x{height} image"), elements, elements);
            decoder.jpeg_start_decompress();
            var pixels = new byte[elements];
            var row = new byte[1][];
            row[0] = new byte[width * channels];
            while (decoder.Output_scanline < height)
            {
                Limits.ThrowIfCancelled();
                int y = decoder.Output_scanline;
                if (decoder.jpeg_read_scanlines(row, 1) != 1) break;
                Buffer.BlockCopy(row[0], 0, pixels, y * width * channels, width * channels);
                if (errors.Warning is { } warning) throw new ImageFileException(name, $"corrupt or truncated JPEG data at row {y}: {warning}.");
            }
            decoder.jpeg_finish_decompress();
            if (errors.Warning is { } last) throw new ImageFileException(name, $"corrupt or truncated JPEG data: {last}.");
            var image = channels == 1 ? HostArray.Create(pixels, height, width) : HostArray.Create(pixels, height, width, channels);
            return orientation <= 1 ? image : Orient(image, orientation);
        }
        catch (Exception ex) when (ex is not (ImageFileException or OperationCanceledException or OutOfMemoryException))
        {
            throw new ImageFileException(name, $"not a readable JPEG: {ex.Message.TrimEnd('.')}.", ex);
        }
        finally { decoder.jpeg_destroy(); }
    }

    /// <summary>Writes a uint8 grey (rows, cols) or RGB (rows, cols, 3) image as JPEG (atomically).</summary>
    /// <exception cref="ArgumentException">Another dtype or shape, or options out of range (naming it).</exception>
    public static void Write(string path, NDArray image, JpegWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var host = Check(image, options ??= JpegWriteOptions.Default);
        AtomicFile.Write(path, stream => Encode(stream, host, options));
    }

    /// <summary>Writes a uint8 grey or RGB image as JPEG to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, NDArray image, JpegWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Encode(stream, Check(image, options ??= JpegWriteOptions.Default), options);
    }

    private static HostArray<byte> Check(NDArray image, JpegWriteOptions options)
    {
        var host = Guard.Host(image, nameof(image));
        if (host is not HostArray<byte> bytes || !(host.Rank == 2 || (host.Rank == 3 && host.Shape[2] == 3)))
            throw new ArgumentException($"JPEG holds uint8 grey (rows, cols) or RGB (rows, cols, 3) images; image is {host.DType.NumPyName()} {host.ShapeText} (convert with img_as_ubyte, or write .tif).", nameof(image));
        if (host.Shape[0] is < 1 or > 65500 || host.Shape[1] is < 1 or > 65500)
            throw new ArgumentException($"JPEG images are 1 to 65500 pixels along each axis; image is {host.ShapeText}.", nameof(image));
        if (options.Quality is < 1 or > 100)
            throw new ArgumentException($"Quality must be from 1 to 100; got {options.Quality}.", nameof(options));
        return bytes;
    }

    private static void Encode(Stream stream, HostArray<byte> image, JpegWriteOptions options)
    {
        int height = image.Shape[0], width = image.Shape[1], channels = image.Rank == 3 ? 3 : 1;
        var encoder = new jpeg_compress_struct(new Errors());
        try
        {
            encoder.jpeg_stdio_dest(stream);
            encoder.Image_width = width;
            encoder.Image_height = height;
            encoder.Input_components = channels;
            encoder.In_color_space = channels == 1 ? J_COLOR_SPACE.JCS_GRAYSCALE : J_COLOR_SPACE.JCS_RGB;
            encoder.jpeg_set_defaults();
            encoder.jpeg_set_quality(options.Quality, true);
            if (channels == 3)
            {
                var (h, v) = options.Subsampling switch
                {
                    JpegSubsampling.Subsample444 => (1, 1),
                    _ => (2, 2), // LibJpeg.NET does not downsample 4:2:2 ("not implemented"), so it is not offered
                };
                encoder.Component_info[0].H_samp_factor = h;
                encoder.Component_info[0].V_samp_factor = v;
            }
            if (options.Progressive) encoder.jpeg_simple_progression();
            encoder.jpeg_start_compress(true);
            var pixels = image.ToArray();
            var row = new byte[1][];
            row[0] = new byte[width * channels];
            for (int y = 0; y < height; y++)
            {
                Limits.ThrowIfCancelled();
                Buffer.BlockCopy(pixels, y * width * channels, row[0], 0, width * channels);
                encoder.jpeg_write_scanlines(row, 1);
            }
            encoder.jpeg_finish_compress();
        }
        finally { encoder.jpeg_destroy(); }
    }

    // EXIF's Orientation (tag 0x0112 of IFD0) from the APP1 "Exif\0\0" segment before the first scan; 1 (as stored)
    // when absent or unreadable. LibJpeg.NET's saved-marker list is not usable, so the segments are walked here; the
    // stream is left where it was.
    private static int ExifOrientation(Stream stream)
    {
        long start = stream.Position;
        try
        {
            Span<byte> head = stackalloc byte[4];
            if (stream.ReadAtLeast(head[..2], 2, throwOnEndOfStream: false) < 2 || head[0] != 0xFF || head[1] != 0xD8) return 1;
            for (int segments = 0; segments < 64; segments++)
            {
                if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4 || head[0] != 0xFF) return 1;
                byte marker = head[1];
                int length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]) - 2;
                if (marker == 0xDA || length < 0) return 1; // start of scan: no EXIF before it
                if (marker != 0xE1) { stream.Seek(length, SeekOrigin.Current); continue; }
                var data = new byte[length];
                if (stream.ReadAtLeast(data, length, throwOnEndOfStream: false) < length) return 1;
                if (data.Length >= 14 && data.AsSpan(0, 6).SequenceEqual("Exif\0\0"u8)) return Orientation(data.AsSpan(6));
            }
            return 1;
        }
        finally { stream.Position = start; }
    }

    private static int Orientation(ReadOnlySpan<byte> tiff)
    {
        bool little = tiff[0] == 'I';
        long ifd = little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff[4..]) : BinaryPrimitives.ReadUInt32BigEndian(tiff[4..]);
        if (ifd < 8 || ifd > tiff.Length - 2) return 1;
        int count = little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff[(int)ifd..]) : BinaryPrimitives.ReadUInt16BigEndian(tiff[(int)ifd..]);
        for (int i = 0; i < count; i++)
        {
            long at = ifd + 2 + 12L * i;
            if (at + 12 > tiff.Length) return 1;
            var entry = tiff.Slice((int)at, 12);
            int tag = little ? BinaryPrimitives.ReadUInt16LittleEndian(entry) : BinaryPrimitives.ReadUInt16BigEndian(entry);
            if (tag != 0x0112) continue;
            int value = little ? BinaryPrimitives.ReadUInt16LittleEndian(entry[8..]) : BinaryPrimitives.ReadUInt16BigEndian(entry[8..]);
            return value is >= 1 and <= 8 ? value : 1;
        }
        return 1;
    }

    // The stored image turned as EXIF orientation o says (2: mirrored, 3: 180°, 4: flipped, 5: transposed,
    // 6: 90° clockwise, 7: transversed, 8: 90° anticlockwise).
    private static HostArray<byte> Orient(HostArray<byte> image, int o)
    {
        int h = image.Shape[0], w = image.Shape[1], c = image.Rank == 3 ? image.Shape[2] : 1;
        bool swap = o >= 5;
        int oh = swap ? w : h, ow = swap ? h : w;
        var src = image.ToArray();
        var dst = new byte[src.Length];
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                var (sy, sx) = o switch
                {
                    2 => (y, w - 1 - x),
                    3 => (h - 1 - y, w - 1 - x),
                    4 => (h - 1 - y, x),
                    5 => (x, y),
                    6 => (h - 1 - x, y),
                    7 => (h - 1 - x, w - 1 - y),
                    _ => (x, w - 1 - y),
                };
                Buffer.BlockCopy(src, (sy * w + sx) * c, dst, (y * ow + x) * c, c);
            }
        return c == 1 ? HostArray.Create(dst, oh, ow) : HostArray.Create(dst, oh, ow, c);
    }

    // libjpeg's fatal errors are exceptions already; its warnings (premature end of data, corrupt entropy data) are
    // kept, so a damaged file is an error rather than an image with a grey bottom.
    private sealed class Errors : jpeg_error_mgr
    {
        public string? Warning { get; private set; }

        public override void emit_message(int msg_level)
        {
            if (msg_level < 0 && Warning is null) Warning = format_message();
        }

        public override void output_message() { }
    }
}
