using System.Globalization;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;

namespace Scoped.Image.IO;

/// <summary>How a TIFF's pixel data is compressed.</summary>
public enum TiffCompression
{
    /// <summary>Stored as is.</summary>
    None,
    /// <summary>Deflate (zlib), with a predictor by default: the best ratio of the lossless codecs.</summary>
    Deflate,
    /// <summary>LZW, with a predictor by default: read by every TIFF reader.</summary>
    Lzw,
    /// <summary>PackBits run-length coding: fast, for images with long runs (masks, labels).</summary>
    PackBits,
}

/// <summary>Options for writing TIFF files (<see cref="TiffWriter"/>, <see cref="ImageFile.Write(string, NDArray)"/>).</summary>
public sealed record TiffWriteOptions
{
    /// <summary>The codec; Deflate unless set.</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.Deflate;

    /// <summary>Whether Deflate and LZW code differences between neighbouring samples (TIFF's predictor 2 for integers,
    /// 3 for floats), which shrinks most images; null: on for those codecs.</summary>
    public bool? Predictor { get; init; }

    /// <summary>Tiles of this many rows and columns (a multiple of 16), or null for strips: tiles let readers decode one
    /// region without the rest (<see cref="ImageReader.ReadRegion"/>). Null by default for images up to 1024 × 1024,
    /// 256 for larger ones.</summary>
    public int? TileSize { get; init; }

    /// <summary>Write a BigTIFF (64-bit offsets); null: only when the data would take 4 GB or more, as a classic TIFF
    /// cannot address it.</summary>
    public bool? BigTiff { get; init; }

    /// <summary>Whether a 3-D array whose last axis has 3 or 4 elements is one RGB(A) page (true, the default, as
    /// tifffile does) or a stack of grey pages (false).</summary>
    public bool ChannelsLast { get; init; } = true;

    /// <summary>The ImageDescription tag of the first page, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The defaults.</summary>
    public static TiffWriteOptions Default { get; } = new();
}

/// <summary>
/// Writes arrays as TIFF through LibTiff.NET: 2-D arrays as one grey page, (rows, cols, 3 or 4) as RGB(A), other 3-D
/// arrays as a stack of pages (axis 0) and 4-D arrays as a stack of colour pages. bool is written 1-bit, the other
/// dtypes as themselves. Files appear whole or not at all.
/// </summary>
public static class TiffWriter
{
    private const long ClassicLimit = (1L << 32) - (1L << 26); // leave room for tags and offsets under 4 GB

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> (atomically: the old file, or the whole new one).</summary>
    /// <exception cref="ArgumentException">The array's rank or options cannot be written (naming the parameter).</exception>
    public static void Write(string path, NDArray image, TiffWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var host = Guard.Host(image, nameof(image));
        options ??= TiffWriteOptions.Default;
        var layout = PageLayout.Of(host, options);
        AtomicFile.Write(path, stream => Write(stream, Path.GetFileName(path), host, layout, options));
    }

    /// <summary>Writes <paramref name="image"/> as TIFF to the seekable <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, NDArray image, TiffWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanWrite) throw new ArgumentException("TIFF is written to a writable, seekable stream.", nameof(stream));
        var host = Guard.Host(image, nameof(image));
        options ??= TiffWriteOptions.Default;
        Write(stream, "stream", host, PageLayout.Of(host, options), options);
    }

    private static void Write(Stream stream, string name, HostArray image, PageLayout layout, TiffWriteOptions options)
    {
        switch (image)
        {
            case HostArray<bool> a: Write(stream, name, a.ToArray(), DType.Bool, layout, options); break;
            case HostArray<byte> a: Write(stream, name, a.ToArray(), DType.UInt8, layout, options); break;
            case HostArray<ushort> a: Write(stream, name, a.ToArray(), DType.UInt16, layout, options); break;
            case HostArray<int> a: Write(stream, name, a.ToArray(), DType.Int32, layout, options); break;
            case HostArray<float> a: Write(stream, name, a.ToArray(), DType.Float32, layout, options); break;
            case HostArray<double> a: Write(stream, name, a.ToArray(), DType.Float64, layout, options); break;
            default: throw new ArgumentException($"TIFF cannot hold {image.DType.NumPyName()} elements.", nameof(image));
        }
    }

    // data: the elements in C order (a view's are packed by ToArray).
    private static void Write<T>(Stream stream, string name, T[] data, DType dtype, PageLayout layout, TiffWriteOptions options) where T : unmanaged
    {
        bool big = options.BigTiff ?? DeclaredSize.Multiply(data.LongLength, dtype.ItemSize()) >= ClassicLimit;
        long pageElements = (long)layout.Height * layout.Width * layout.Samples;
        using var log = TiffLog.Capture();
        using var tif = Tiff.ClientOpen(name, big ? "w8" : "w", stream, new TiffReader.UnclosedStream())
            ?? throw new IOException($"{name}: libtiff cannot create the file: {TiffLog.LastError("no reason given")}.");
        for (int page = 0; page < layout.Pages; page++)
        {
            Limits.ThrowIfCancelled();
            var fields = new PageFields(dtype, layout.Height, layout.Width, layout.Samples, options,
                page == 0 ? options.Description : null, layout.Pages);
            fields.Apply(tif);
            var block = new byte[fields.BlockBytes];
            MemoryStream? deflated = null;
            long first = page * pageElements;
            for (int y = 0, strip = 0; y < fields.Height; y += fields.BlockHeight, strip++)
                for (int x = 0; x < fields.Width; x += fields.BlockWidth)
                {
                    int rows = Math.Min(fields.BlockHeight, fields.Height - y), cols = Math.Min(fields.BlockWidth, fields.Width - x);
                    if (fields.Tiled) Array.Clear(block); // edge tiles are padded with zeros
                    int length = Pack(fields, data, first, y, x, rows, cols, block);
                    if (fields.Tiled) length = block.Length;
                    int index = fields.Tiled ? tif.ComputeTile(x, y, 0, 0) : strip;
                    int written;
                    if (NativeDeflate.Applies(fields))
                    {
                        var compressed = NativeDeflate.Encode(fields, block, length, deflated ??= new MemoryStream());
                        written = fields.Tiled ? tif.WriteRawTile(index, compressed.GetBuffer(), (int)compressed.Length)
                                               : tif.WriteRawStrip(index, compressed.GetBuffer(), (int)compressed.Length);
                    }
                    else written = fields.Tiled ? tif.WriteEncodedTile(index, block, length) : tif.WriteEncodedStrip(index, block, length);
                    if (written < 0)
                        throw new IOException(string.Create(CultureInfo.InvariantCulture,
                            $"{name}: the block at row {y}, column {x} of page {page} cannot be written: {TiffLog.LastError("no reason given")}."));
                }
            if (!tif.WriteDirectory()) throw new IOException($"{name}: page {page} cannot be written: {TiffLog.LastError("no reason given")}.");
        }
    }

    // Copies rows [y, y + rows) x columns [x, x + cols) of the page starting at element first into a block (rows
    // BlockRowBytes apart); bool is packed to bits, MSB first. Returns the bytes used.
    internal static int Pack<T>(PageFields fields, ReadOnlySpan<T> data, long first, int y, int x, int rows, int cols, byte[] block) where T : unmanaged
    {
        long rowElements = (long)fields.Width * fields.Samples;
        int count = cols * fields.Samples;
        for (int r = 0; r < rows; r++)
        {
            long start = first + (y + r) * rowElements + (long)x * fields.Samples;
            var from = data.Slice((int)start, count);
            var to = block.AsSpan((int)(r * fields.BlockRowBytes), (int)fields.BlockRowBytes);
            if (typeof(T) == typeof(bool))
            {
                var bits = MemoryMarshal.Cast<T, byte>(from);
                to.Clear();
                for (int i = 0; i < bits.Length; i++)
                    if (bits[i] != 0) to[i >> 3] |= (byte)(0x80 >> (i & 7));
            }
            else MemoryMarshal.AsBytes(from).CopyTo(to);
        }
        return (int)(rows * fields.BlockRowBytes);
    }

    /// <summary>
    /// Deflate through .NET's zlib (native) instead of LibTiff.NET's managed port, which is about half as fast: the
    /// block is differenced here (TIFF predictor 2, integers) and written raw, so the bytes are what libtiff's codec
    /// would write. The floating-point predictor (3) and the other codecs stay with libtiff.
    /// </summary>
    internal static class NativeDeflate
    {
        public static bool Applies(PageFields fields) =>
            fields.Options.Compression == TiffCompression.Deflate && fields.DType != DType.Bool
            && !(fields.DType.IsFloat() && Predicts(fields));

        private static bool Predicts(PageFields fields) => fields.Options.Predictor ?? true;

        public static MemoryStream Encode(PageFields fields, byte[] block, int length, MemoryStream output)
        {
            if (Predicts(fields))
            {
                int rows = length / (int)fields.BlockRowBytes;
                for (int r = 0; r < rows; r++)
                {
                    var row = block.AsSpan((int)(r * fields.BlockRowBytes), (int)fields.BlockRowBytes);
                    switch (fields.DType)
                    {
                        case DType.UInt8: Difference(row, fields.Samples); break;
                        case DType.UInt16: Difference(MemoryMarshal.Cast<byte, ushort>(row), fields.Samples); break;
                        default: Difference(MemoryMarshal.Cast<byte, int>(row), fields.Samples); break;
                    }
                }
            }
            output.SetLength(0);
            using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(block, 0, length);
            return output;
        }

        // Each sample minus the same sample of the pixel before it (wrapping), last first so the originals are used.
        private static void Difference<T>(Span<T> row, int samples) where T : unmanaged, System.Numerics.IBinaryInteger<T>
        {
            for (int i = row.Length - 1; i >= samples; i--) row[i] = unchecked(row[i] - row[i - samples]);
        }
    }

    /// <summary>The pages an array is written as.</summary>
    internal readonly record struct PageLayout(int Pages, int Height, int Width, int Samples)
    {
        public static PageLayout Of(HostArray image, TiffWriteOptions options)
        {
            var s = image.Shape;
            bool colour = options.ChannelsLast && s.Length >= 3 && s[^1] is 3 or 4;
            var layout = (s.Length, colour) switch
            {
                (2, _) => new PageLayout(1, s[0], s[1], 1),
                (3, true) => new PageLayout(1, s[0], s[1], s[2]),
                (3, false) => new PageLayout(s[0], s[1], s[2], 1),
                (4, _) => new PageLayout(s[0], s[1], s[2], s[3]),
                _ => throw new ArgumentException(
                    $"image must be 2-D (rows, cols), 3-D (rows, cols, 3 or 4) or (pages, rows, cols), or 4-D (pages, rows, cols, channels) for TIFF; got {image.ShapeText}.", "image"),
            };
            if (layout.Pages < 1 || layout.Height < 1 || layout.Width < 1 || layout.Samples < 1)
                throw new ArgumentException($"image must not be empty; got {image.ShapeText}.", "image");
            if (layout.Pages > TiffStructure.MaxPages)
                throw new ArgumentException($"image has {layout.Pages} pages; a TIFF written here holds at most {TiffStructure.MaxPages}.", "image");
            if (image.DType == DType.Bool && layout.Samples > 1)
                throw new ArgumentException("bool images are written 1-bit, one sample per pixel; convert colour masks to uint8 first.", "image");
            if (options.TileSize is int t && (t < 16 || t % 16 != 0 || t > 65536))
                throw new ArgumentException($"TileSize must be a multiple of 16 from 16 to 65536 (TIFF's rule for tiles); got {t}.", nameof(options));
            return layout;
        }
    }

    /// <summary>One page's tags, and the block (tile or strip) geometry that follows from them.</summary>
    internal sealed class PageFields
    {
        public PageFields(DType dtype, int height, int width, int samples, TiffWriteOptions options, string? description, int pages)
        {
            (DType, Height, Width, Samples, Options, Description, Pages) = (dtype, height, width, samples, options, description, pages);
            int? tile = options.TileSize ?? (height > 1024 || width > 1024 ? 256 : null);
            Tiled = tile is not null;
            int bits = dtype == DType.Bool ? 1 : dtype.ItemSize() * 8;
            if (Tiled)
            {
                BlockHeight = BlockWidth = tile!.Value;
            }
            else
            {
                BlockWidth = width;
                long rowBytes = ((long)width * samples * bits + 7) / 8;
                BlockHeight = (int)Math.Clamp((1 << 16) / Math.Max(1, rowBytes), 1, height); // ~64 KiB strips
            }
            BlockRowBytes = ((long)BlockWidth * samples * bits + 7) / 8;
            BlockBytes = checked((int)(BlockRowBytes * BlockHeight));
        }

        public DType DType { get; }
        public int Height { get; }
        public int Width { get; }
        public int Samples { get; }
        public int Pages { get; }
        public TiffWriteOptions Options { get; }
        public string? Description { get; }
        public bool Tiled { get; }
        public int BlockHeight { get; }
        public int BlockWidth { get; }
        public long BlockRowBytes { get; }
        public int BlockBytes { get; }

        public void Apply(Tiff tif)
        {
            tif.SetField(TiffTag.IMAGEWIDTH, Width);
            tif.SetField(TiffTag.IMAGELENGTH, Height);
            tif.SetField(TiffTag.SAMPLESPERPIXEL, Samples);
            tif.SetField(TiffTag.BITSPERSAMPLE, DType == DType.Bool ? 1 : DType.ItemSize() * 8);
            tif.SetField(TiffTag.SAMPLEFORMAT, DType switch
            {
                DType.Float32 or DType.Float64 => SampleFormat.IEEEFP,
                DType.Int32 => SampleFormat.INT,
                _ => SampleFormat.UINT,
            });
            tif.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
            tif.SetField(TiffTag.PHOTOMETRIC, Samples >= 3 && Options.ChannelsLast ? Photometric.RGB : Photometric.MINISBLACK);
            if (Samples is 2 or 4) tif.SetField(TiffTag.EXTRASAMPLES, 1, new short[] { (short)ExtraSample.UNASSALPHA });
            else if (Samples > 4 || (Samples == 3 && !Options.ChannelsLast))
                tif.SetField(TiffTag.EXTRASAMPLES, Samples - (Samples >= 3 && Options.ChannelsLast ? 3 : 1),
                    Enumerable.Repeat((short)ExtraSample.UNSPECIFIED, Samples - (Samples >= 3 && Options.ChannelsLast ? 3 : 1)).ToArray());
            var compression = Options.Compression switch
            {
                TiffCompression.Deflate => Compression.ADOBE_DEFLATE,
                TiffCompression.Lzw => Compression.LZW,
                TiffCompression.PackBits => Compression.PACKBITS,
                _ => Compression.NONE,
            };
            tif.SetField(TiffTag.COMPRESSION, compression);
            if (Options.Compression is TiffCompression.Deflate or TiffCompression.Lzw && (Options.Predictor ?? true) && DType != DType.Bool)
                tif.SetField(TiffTag.PREDICTOR, DType.IsFloat() ? Predictor.FLOATINGPOINT : Predictor.HORIZONTAL);
            if (Tiled)
            {
                tif.SetField(TiffTag.TILEWIDTH, BlockWidth);
                tif.SetField(TiffTag.TILELENGTH, BlockHeight);
            }
            else tif.SetField(TiffTag.ROWSPERSTRIP, BlockHeight);
            if (Pages > 1) tif.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
            tif.SetField(TiffTag.SOFTWARE, "Scoped");
            if (Description is not null) tif.SetField(TiffTag.IMAGEDESCRIPTION, Description);
        }
    }
}
