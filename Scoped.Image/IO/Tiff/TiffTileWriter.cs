using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace Scoped.Image.IO;

/// <summary>
/// Writes a tiled BigTIFF one tile at a time, so an image larger than memory can be written as it is computed. Tiles
/// of a page go in any order; pages in order. Tiles never written are written as zeros when their page is finished.
/// The file appears at its path only on <see cref="Complete"/>; disposing an incomplete writer leaves no file behind.
/// </summary>
public sealed class TiffTileWriter : IDisposable
{
    private readonly AtomicFile.Pending _file;
    private readonly Tiff _tif;
    private readonly TiffWriter.PageFields _fields;
    private readonly string _name;
    private readonly byte[] _block;
    private bool[] _written;
    private int _page;
    private bool _done;

    private TiffTileWriter(string name, AtomicFile.Pending file, Tiff tif, TiffWriter.PageFields fields)
    {
        (_name, _file, _tif, _fields) = (name, file, tif, fields);
        _block = new byte[fields.BlockBytes];
        _written = new bool[TilesDown * TilesAcross];
        _fields.Apply(_tif);
    }

    /// <summary>Starts a tiled BigTIFF of <paramref name="pages"/> pages of <paramref name="height"/> ×
    /// <paramref name="width"/> pixels of <paramref name="samples"/> samples.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="height">Rows per page.</param>
    /// <param name="width">Columns per page.</param>
    /// <param name="samples">Samples per pixel (3 or 4: RGB(A)).</param>
    /// <param name="pages">Pages.</param>
    /// <param name="options">Compression and tile size (256 unless set); BigTiff is always on.</param>
    /// <exception cref="ArgumentException">A size or option out of range (naming it).</exception>
    public static TiffTileWriter Create(string path, DType dtype, int height, int width, int samples = 1, int pages = 1, TiffWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pages, TiffStructure.MaxPages);
        if (dtype == DType.Bool && samples > 1)
            throw new ArgumentException("bool images are written 1-bit, one sample per pixel.", nameof(samples));
        options = (options ?? TiffWriteOptions.Default) with { TileSize = options?.TileSize ?? 256, BigTiff = true };
        if (options.TileSize is int t && (t < 16 || t % 16 != 0 || t > 65536))
            throw new ArgumentException($"TileSize must be a multiple of 16 from 16 to 65536 (TIFF's rule for tiles); got {t}.", nameof(options));
        var fields = new TiffWriter.PageFields(dtype, height, width, samples, options, options.Description, pages);
        var file = AtomicFile.Begin(path);
        // libtiff's messages are captured per call (a writer may be used from one thread after another).
        using var log = TiffLog.Capture();
        try
        {
            var tif = Tiff.ClientOpen(Path.GetFileName(path), "w8", file.Stream, new TiffReader.UnclosedStream())
                ?? throw new IOException($"{path}: libtiff cannot create the file: {TiffLog.LastError("no reason given")}.");
            return new TiffTileWriter(path, file, tif, fields);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Rows and columns per tile.</summary>
    public int TileSize => _fields.BlockHeight;

    /// <summary>Tiles down a page.</summary>
    public int TilesDown => (_fields.Height + TileSize - 1) / TileSize;

    /// <summary>Tiles across a page.</summary>
    public int TilesAcross => (_fields.Width + TileSize - 1) / TileSize;

    /// <summary>Writes the tile whose top-left pixel is (<paramref name="row"/>, <paramref name="col"/>) of
    /// <paramref name="page"/>: an array of the writer's dtype, (rows, cols) or (rows, cols, samples), as large as
    /// the tile or as what is left of the page at its edges.</summary>
    /// <exception cref="ArgumentException">The position is not a tile's corner, the page was finished, or the tile's
    /// shape or dtype is not the one expected.</exception>
    public void WriteTile(int page, int row, int col, NDArray tile)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var host = Guard.Host(tile, nameof(tile));
        if (page < _page || page >= _fields.Pages)
            throw new ArgumentException($"page must be from {_page} (pages are written in order) to {_fields.Pages - 1}; got {page}.", nameof(page));
        if (row < 0 || row >= _fields.Height || row % TileSize != 0)
            throw new ArgumentException($"row must be a multiple of the tile size {TileSize} below {_fields.Height}; got {row}.", nameof(row));
        if (col < 0 || col >= _fields.Width || col % TileSize != 0)
            throw new ArgumentException($"col must be a multiple of the tile size {TileSize} below {_fields.Width}; got {col}.", nameof(col));
        int rows = Math.Min(TileSize, _fields.Height - row), cols = Math.Min(TileSize, _fields.Width - col);
        int[] expected = _fields.Samples == 1 ? [rows, cols] : [rows, cols, _fields.Samples];
        if (host.DType != _fields.DType || !host.Shape.SequenceEqual(expected))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"tile must be {_fields.DType.NumPyName()} of shape ({string.Join(", ", expected)}) at ({row}, {col}); got {host.DType.NumPyName()} {host.ShapeText}."), nameof(tile));
        using var log = TiffLog.Capture();
        while (_page < page) FinishPage();
        Array.Clear(_block);
        switch (host)
        {
            case HostArray<bool> a: Pack(a.ToArray()); break;
            case HostArray<byte> a: Pack(a.ToArray()); break;
            case HostArray<ushort> a: Pack(a.ToArray()); break;
            case HostArray<int> a: Pack(a.ToArray()); break;
            case HostArray<float> a: Pack(a.ToArray()); break;
            case HostArray<double> a: Pack(a.ToArray()); break;
        }
        WriteBlock(row, col);

        // Pack with the tile's own geometry: a page as wide as the tile, in a block as wide as a whole tile.
        void Pack<T>(T[] data) where T : unmanaged =>
            TiffWriter.Pack(new TiffWriter.PageFields(_fields.DType, rows, cols, _fields.Samples, _fields.Options, null, 1), data, 0, 0, 0, rows, cols, _block);
    }

    /// <summary>Finishes the last page (zeros for tiles never written) and moves the file to its path.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        using var log = TiffLog.Capture();
        try
        {
            while (_page < _fields.Pages) FinishPage();
            _tif.Dispose();
            _file.Commit();
        }
        finally
        {
            _done = true;
            _file.Dispose();
        }
    }

    /// <summary>Abandons an incomplete file (nothing appears at the path); after <see cref="Complete"/>, nothing more.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        using (TiffLog.Capture())
            try { _tif.Dispose(); } catch (IOException) { }
        _file.Dispose();
    }

    private void WriteBlock(int row, int col)
    {
        int index = _tif.ComputeTile(col, row, 0, 0);
        if (_tif.WriteEncodedTile(index, _block, _block.Length) < 0)
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"{_name}: the tile at row {row}, column {col} of page {_page} cannot be written: {TiffLog.LastError("no reason given")}."));
        _written[row / TileSize * TilesAcross + col / TileSize] = true;
    }

    private void FinishPage()
    {
        for (int i = 0; i < _written.Length; i++)
        {
            if (_written[i]) continue;
            Array.Clear(_block);
            WriteBlock(i / TilesAcross * TileSize, i % TilesAcross * TileSize);
        }
        if (!_tif.WriteDirectory())
            throw new IOException($"{_name}: page {_page} cannot be written: {TiffLog.LastError("no reason given")}.");
        _page++;
        _written = new bool[_written.Length];
        if (_page < _fields.Pages) _fields.Apply(_tif);
    }
}
