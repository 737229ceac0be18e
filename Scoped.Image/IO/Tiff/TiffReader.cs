using System.Globalization;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;

namespace Scoped.Image.IO;

/// <summary>
/// A TIFF, BigTIFF, OME-TIFF or ImageJ TIFF opened through LibTiff.NET (<see cref="ImageFile.Open"/>): the pages'
/// tags are read on open, pixels only by <see cref="ImageReader.ReadRegion"/>, which decodes just the tiles or strips the
/// region touches.
/// </summary>
/// <remarks>
/// Samples come back as Scoped's element types: 1-bit as bool, uint8, uint16, int32, float32 and float64 as they are;
/// int8 and int16 widened to int32 and uint32 to float64 (exact; Scoped has no such dtypes). Planar-separate files come
/// back with their channels last, as contiguous ones. The series is the run of full-resolution pages of the first
/// page's kind; reduced-resolution pages (pyramid levels) are left out.
/// </remarks>
public sealed class TiffReader : ImageReader
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Tiff _tif;
    private readonly TiffPage[] _pages;     // the series
    private readonly short[] _directories;  // each series page's directory index
    private readonly int[] _shape;
    private readonly string _axes;
    private readonly Dictionary<string, string> _metadata;
    private short _current;

    private TiffReader(string name, Stream stream, bool leaveOpen, Tiff tif, TiffPage[] pages, short[] directories,
        int[] shape, string axes, Dictionary<string, string> metadata) : base(name)
    {
        (_stream, _leaveOpen, _tif, _pages, _directories, _shape, _axes, _metadata) = (stream, leaveOpen, tif, pages, directories, shape, axes, metadata);
        _current = (short)(directories.Length > 0 ? _tif.CurrentDirectory() : 0);
    }

    /// <summary>Opens the TIFF at <paramref name="path"/>, reading its directories but no pixels.</summary>
    /// <exception cref="ImageFileException">The file is not a TIFF, or its structure is malformed.</exception>
    public static TiffReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        try { return Open(stream, path, leaveOpen: false); }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Opens a TIFF held by the seekable <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    /// <param name="stream">A readable, seekable stream positioned anywhere (reads start at its byte 0).</param>
    /// <param name="name">The name in error messages.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    public static TiffReader Open(Stream stream, string name = "stream", bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
            throw new ArgumentException("A TIFF is read from a readable, seekable stream (copy others into a MemoryStream first).", nameof(stream));
        var (_, big) = TiffStructure.Check(stream, name);
        using var log = TiffLog.Capture();
        Tiff? tif = null;
        try
        {
            tif = Tiff.ClientOpen(name, "r", stream, new UnclosedStream()) ?? throw TiffLog.Failure(name, "libtiff cannot open it");
            var all = new List<(TiffPage Page, short Directory)>();
            short index = 0;
            do
            {
                all.Add((TiffPage.Read(tif, name, index), index));
                index++;
            }
            while (index < TiffStructure.MaxPages && tif.ReadDirectory());
            var first = all[0].Page;
            var series = all.Where(p => !p.Page.Reduced && p.Page.Stacks(first)).ToArray();
            var pages = series.Select(p => p.Page).ToArray();
            var metadata = Describe(tif, first, all.Count, big);
            var (shape, axes) = SeriesShape(first, pages.Length, metadata);
            tif.SetDirectory(series[0].Directory);
            Prepare(tif, first);
            return new TiffReader(name, stream, leaveOpen, tif, pages, series.Select(p => p.Directory).ToArray(), shape, axes, metadata);
        }
        catch (Exception ex) when (ex is not (ImageFileException or OperationCanceledException or OutOfMemoryException))
        {
            tif?.Dispose();
            throw new ImageFileException(name, $"malformed TIFF ({ex.GetType().Name}: {ex.Message}).", ex);
        }
        catch
        {
            tif?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override string Format => ".tif";
    /// <inheritdoc />
    public override DType DType => _pages[0].DType;
    /// <inheritdoc />
    public override IReadOnlyList<int> Shape => _shape;
    /// <inheritdoc />
    public override string Axes => _axes;
    /// <inheritdoc />
    public override int PageCount => _pages.Length;
    /// <inheritdoc />
    public override int Samples => _pages[0].Samples;
    /// <inheritdoc />
    public override int Height => _pages[0].Height;
    /// <inheritdoc />
    public override int Width => _pages[0].Width;
    /// <inheritdoc />
    public override ImageLayout Layout => new(_pages[0].Tiled ? "tiles" : "strips", _pages[0].BlockHeight, _pages[0].BlockWidth);
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata => _metadata;

    private protected override HostArray ReadCore(int row, int col, int height, int width, int firstPage, int pageCount, int[] shape) => DType switch
    {
        DType.Bool => ReadAs<bool>(row, col, height, width, firstPage, pageCount, shape),
        DType.UInt8 => ReadAs<byte>(row, col, height, width, firstPage, pageCount, shape),
        DType.UInt16 => ReadAs<ushort>(row, col, height, width, firstPage, pageCount, shape),
        DType.Int32 => ReadAs<int>(row, col, height, width, firstPage, pageCount, shape),
        DType.Float32 => ReadAs<float>(row, col, height, width, firstPage, pageCount, shape),
        _ => ReadAs<double>(row, col, height, width, firstPage, pageCount, shape),
    };

    private HostArray<T> ReadAs<T>(int row, int col, int height, int width, int firstPage, int pageCount, int[] shape) where T : unmanaged
    {
        long total = Limits.Product(Array.ConvertAll(shape, n => (long)n));
        DeclaredSize.Check(Name, $"the region of shape ({string.Join(", ", shape)})", total, DeclaredSize.Multiply(total, DType.ItemSize()));
        var data = new T[total];
        int samples = Samples;
        byte[] block = [];
        using var log = TiffLog.Capture();
        try
        {
            for (int p = 0; p < pageCount; p++)
            {
                var page = Goto(firstPage + p);
                if (block.Length < page.BlockBytes) block = new byte[page.BlockBytes];
                int planes = page.Planar ? samples : 1;
                int bw = page.BlockWidth, bh = page.BlockHeight;
                for (int plane = 0; plane < planes; plane++)
                    for (int by = row / bh * bh; by < row + height; by += bh)
                        for (int bx = col / bw * bw; bx < col + width; bx += bw)
                        {
                            Limits.ThrowIfCancelled();
                            int y0 = Math.Max(row, by), y1 = Math.Min(row + height, by + bh);
                            int x0 = Math.Max(col, bx), x1 = Math.Min(col + width, bx + bw);
                            long rowBytes = page.BlockRowBytes;
                            int decoded = Decode(page, bx, by, (short)plane, block);
                            if (decoded < (y1 - by) * rowBytes)
                                throw new ImageFileException(Name, string.Create(CultureInfo.InvariantCulture,
                                    $"page {firstPage + p}: the {(page.Tiled ? "tile" : "strip")} at row {by}, column {bx} decodes to {decoded} bytes, fewer than its {(y1 - by) * rowBytes} (truncated or corrupt data)."));
                            int count = (x1 - x0) * page.BlockSamples, step = page.Planar ? samples : 1;
                            for (int y = y0; y < y1; y++)
                            {
                                var source = block.AsSpan((int)((y - by) * rowBytes), (int)rowBytes);
                                long at = (((long)p * height + (y - row)) * width + (x0 - col)) * samples + plane;
                                var target = data.AsSpan((int)at, (count - 1) * step + 1);
                                CopySamples<T>(page.Sample, source, (x0 - bx) * page.BlockSamples, count, target, step);
                            }
                        }
            }
        }
        catch (Exception ex) when (ex is not (ImageFileException or OperationCanceledException or OutOfMemoryException))
        {
            throw new ImageFileException(Name, $"malformed TIFF data ({ex.GetType().Name}: {ex.Message}).", ex);
        }
        return HostArray.Create(data, shape);
    }

    // Decodes one tile or strip into block; libtiff returns -1 (and logs why) on corrupt data.
    private int Decode(TiffPage page, int x, int y, short plane, byte[] block)
    {
        int index = page.Tiled ? _tif.ComputeTile(x, y, 0, plane) : _tif.ComputeStrip(y, plane);
        int decoded = page.Tiled ? _tif.ReadEncodedTile(index, block, 0, -1) : _tif.ReadEncodedStrip(index, block, 0, -1);
        if (decoded < 0)
            throw TiffLog.Failure(Name, string.Create(CultureInfo.InvariantCulture, $"the {(page.Tiled ? "tile" : "strip")} at row {y}, column {x} cannot be decoded"));
        return decoded;
    }

    // Makes the series page current: the next directory is one step on; others are found from the first.
    private TiffPage Goto(int seriesIndex)
    {
        short directory = _directories[seriesIndex];
        if (directory != _current)
        {
            bool ok = directory == _current + 1 ? _tif.ReadDirectory() : _tif.SetDirectory(directory);
            if (!ok) throw TiffLog.Failure(Name, $"directory {directory} cannot be read");
            _current = directory;
            Prepare(_tif, _pages[seriesIndex]);
        }
        return _pages[seriesIndex];
    }

    // Per-directory decoder settings (reset by every directory read).
    private static void Prepare(Tiff tif, TiffPage page)
    {
        if (page.Compression is Compression.JPEG or Compression.OJPEG && page.Photometric == Photometric.RGB
            && tif.GetField(TiffTag.PHOTOMETRIC) is { Length: > 0 } p && p[0].ToInt() == (int)Photometric.YCBCR)
            tif.SetField(TiffTag.JPEGCOLORMODE, JpegColorMode.RGB);
    }

    // count samples from sample index first of a decoded row, into target at every step-th element.
    private static void CopySamples<T>(TiffSample sample, ReadOnlySpan<byte> row, int first, int count, Span<T> target, int step) where T : unmanaged
    {
        switch (sample)
        {
            case TiffSample.Bit:
            {
                var bits = MemoryMarshal.Cast<T, bool>(target);
                for (int k = 0; k < count; k++)
                {
                    int i = first + k;
                    bits[k * step] = ((row[i >> 3] >> (7 - (i & 7))) & 1) != 0;
                }
                break;
            }
            case TiffSample.Int8: Widen(MemoryMarshal.Cast<byte, sbyte>(row).Slice(first, count), MemoryMarshal.Cast<T, int>(target), step, static v => v); break;
            case TiffSample.Int16: Widen(MemoryMarshal.Cast<byte, short>(row[..(row.Length & ~1)]).Slice(first, count), MemoryMarshal.Cast<T, int>(target), step, static v => v); break;
            case TiffSample.UInt32: Widen(MemoryMarshal.Cast<byte, uint>(row[..(row.Length & ~3)]).Slice(first, count), MemoryMarshal.Cast<T, double>(target), step, static v => v); break;
            default:
            {
                var values = MemoryMarshal.Cast<byte, T>(row[..(row.Length / System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())]).Slice(first, count);
                if (step == 1) values.CopyTo(target);
                else for (int k = 0; k < count; k++) target[k * step] = values[k];
                break;
            }
        }
    }

    private static void Widen<TFrom, TTo>(ReadOnlySpan<TFrom> values, Span<TTo> target, int step, Func<TFrom, TTo> widen)
    {
        for (int k = 0; k < values.Length; k++) target[k * step] = widen(values[k]);
    }

    private protected override void DisposeCore()
    {
        _tif.Dispose();
        if (!_leaveOpen) _stream.Dispose();
    }

    // ------------------------------------------------------------------ series shape and metadata

    private static (int[] Shape, string Axes) SeriesShape(TiffPage first, int pages, Dictionary<string, string> metadata)
    {
        var axes = new List<(char Axis, int Size)>();
        var planes = SeriesAxes.Planes(metadata, first.Samples, pages);
        if (planes is not null) axes.AddRange(planes);
        else if (pages > 1) axes.Add(('I', pages));
        axes.Add(('Y', first.Height));
        axes.Add(('X', first.Width));
        if (first.Samples > 1) axes.Add(('S', first.Samples));
        return (axes.Select(a => a.Size).ToArray(), new string(axes.Select(a => a.Axis).ToArray()));
    }

    private static Dictionary<string, string> Describe(Tiff tif, TiffPage first, int directories, bool big)
    {
        tif.SetDirectory(0);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tiff.directories"] = directories.ToString(CultureInfo.InvariantCulture),
            ["tiff.bigtiff"] = big ? "true" : "false",
            ["tiff.compression"] = first.Compression.ToString().ToLowerInvariant(),
            ["tiff.photometric"] = first.Photometric.ToString().ToLowerInvariant(),
            ["tiff.planar"] = first.Planar ? "separate" : "contiguous",
        };
        void Text(TiffTag tag, string key)
        {
            if (tif.GetField(tag) is { Length: > 0 } v && v[0].ToString() is { Length: > 0 } s) metadata[key] = s.TrimEnd('\0');
        }
        void Number(TiffTag tag, string key)
        {
            if (tif.GetField(tag) is { Length: > 0 } v) metadata[key] = v[0].ToDouble().ToString("R", CultureInfo.InvariantCulture);
        }
        Text(TiffTag.IMAGEDESCRIPTION, "description");
        Text(TiffTag.SOFTWARE, "software");
        Text(TiffTag.DATETIME, "datetime");
        Text(TiffTag.ARTIST, "artist");
        Number(TiffTag.XRESOLUTION, "resolution.x");
        Number(TiffTag.YRESOLUTION, "resolution.y");
        if (tif.GetField(TiffTag.RESOLUTIONUNIT) is { Length: > 0 } unit)
            metadata["resolution.unit"] = unit[0].ToInt() switch { 2 => "inch", 3 => "centimeter", _ => "none" };
        if (metadata.TryGetValue("description", out var description)) SeriesAxes.Describe(description, metadata);
        return metadata;
    }

    // libtiff closes its stream on Close; the reader (or the atomic writer) owns it instead.
    internal sealed class UnclosedStream : TiffStream
    {
        public override void Close(object clientData) { }
    }
}
