using System.Globalization;

namespace Scoped.Image.IO;

/// <summary>How a file stores its pixels: what a region read has to decode to deliver a region.</summary>
/// <param name="Kind">"tiles", "strips", or "whole" (formats decoded in one piece).</param>
/// <param name="BlockHeight">Rows per tile or strip (the image height for "whole").</param>
/// <param name="BlockWidth">Columns per tile (the image width for strips and "whole").</param>
public readonly record struct ImageLayout(string Kind, int BlockHeight, int BlockWidth);

/// <summary>
/// An image file opened without reading its pixels (<see cref="ImageFile.Open"/>): its shape, dtype, pages, storage
/// layout and metadata come from the headers; <see cref="ReadRegion"/> then decodes only the tiles or strips a
/// region touches, so a region of a file far larger than memory reads in the time of its own tiles.
/// </summary>
/// <remarks>The shape is what <see cref="Read"/> returns: (rows, cols), then a channel axis when a pixel has several
/// samples, with leading page axes for a multi-page file (one "pages" axis, or the OME-TIFF dimensions of
/// <see cref="Axes"/>). A reader is not thread-safe: one region read at a time.</remarks>
public abstract class ImageReader : IDisposable
{
    private protected ImageReader(string name) => Name = name;

    /// <summary>The file, as named in error messages.</summary>
    public string Name { get; }

    /// <summary>The format, as its usual extension: ".tif", ".png", ".npy", ".pgm", ".ppm".</summary>
    public abstract string Format { get; }

    /// <summary>The element type <see cref="Read"/> returns.</summary>
    public abstract DType DType { get; }

    /// <summary>The shape <see cref="Read"/> returns.</summary>
    public abstract IReadOnlyList<int> Shape { get; }

    /// <summary>One letter per axis of <see cref="Shape"/>, as tifffile names them: Y and X for rows and columns, S
    /// for samples (channels), I for pages, and Z, C, T for an OME-TIFF's planes, channels and time points.</summary>
    public abstract string Axes { get; }

    /// <summary>How many pages (images) the file holds; region reads select a range of them.</summary>
    public abstract int PageCount { get; }

    /// <summary>Samples per pixel (channels): 1 for grey images.</summary>
    public abstract int Samples { get; }

    /// <summary>Rows of each page.</summary>
    public abstract int Height { get; }

    /// <summary>Columns of each page.</summary>
    public abstract int Width { get; }

    /// <summary>How the pixels are stored.</summary>
    public abstract ImageLayout Layout { get; }

    /// <summary>What the file says about itself (descriptions, resolution, OME sizes and physical pixel sizes), by name.</summary>
    public abstract IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The whole image: every page, in <see cref="Shape"/>.</summary>
    /// <exception cref="ImageFileException">The data is corrupt, or the image holds more elements than the work limit
    /// (<see cref="Limits.MaxElements"/>; read it by regions instead).</exception>
    public HostArray Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ReadCore(0, 0, Height, Width, 0, PageCount, Shape.ToArray());
    }

    /// <summary>
    /// Rows [<paramref name="row"/>, + <paramref name="height"/>) and columns [<paramref name="col"/>, + <paramref name="width"/>)
    /// of pages [<paramref name="firstPage"/>, + <paramref name="pageCount"/>), decoding only the tiles or strips they
    /// touch. The result is (rows, cols) plus a channel axis when pixels have several samples, with a leading pages axis
    /// when the file has more than one page.
    /// </summary>
    /// <exception cref="ArgumentException">The region or the page range is empty or outside the image (naming the
    /// parameter), or pages of different shapes or types are asked for together.</exception>
    /// <exception cref="ImageFileException">The data is corrupt, or the region holds more elements than the work limit.</exception>
    public HostArray ReadRegion(int row, int col, int height, int width, int firstPage = 0, int pageCount = 1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRange(row, height, Height, nameof(row), nameof(height), "rows");
        CheckRange(col, width, Width, nameof(col), nameof(width), "columns");
        CheckRange(firstPage, pageCount, PageCount, nameof(firstPage), nameof(pageCount), "pages");
        var shape = new List<int>(4);
        if (PageCount > 1) shape.Add(pageCount);
        shape.Add(height);
        shape.Add(width);
        if (Samples > 1) shape.Add(Samples);
        return ReadCore(row, col, height, width, firstPage, pageCount, [.. shape]);
    }

    /// <summary>The region, already checked to lie inside the image, as an array of <paramref name="shape"/> (whose
    /// elements are the region's in page, row, column, sample order).</summary>
    private protected abstract HostArray ReadCore(int row, int col, int height, int width, int firstPage, int pageCount, int[] shape);

    private bool _disposed;

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file.</summary>
    private protected abstract void DisposeCore();

    private static void CheckRange(int start, int length, int total, string startName, string lengthName, string what)
    {
        if (length < 1)
            throw new ArgumentException($"{lengthName} must be at least 1; got {length}.", lengthName);
        if (start < 0 || start > total - length)
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{what} [{start}, {(long)start + length}) are outside the image's {total} {what}."), startName);
    }
}
