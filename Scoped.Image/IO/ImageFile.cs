namespace Scoped.Image.IO;

/// <summary>
/// Reads and writes image and array files: .npy (<see cref="Npy"/>), .png (<see cref="Png"/>), .pgm, .ppm and .pnm
/// (<see cref="Pnm"/>), .tif/.tiff (<see cref="TiffReader"/>, <see cref="TiffWriter"/>) and .jpg/.jpeg (<see cref="Jpeg"/>). Reads tell the format
/// from the file's first bytes; writes choose it by the extension.
/// </summary>
public static class ImageFile
{
    /// <summary>The extensions <see cref="Read(string)"/> and <see cref="Write(string, NDArray)"/> accept.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".npy", ".png", ".pgm", ".ppm", ".pnm", ".tif", ".tiff", ".jpg", ".jpeg"];

    /// <summary>Reads an image or array, recognising the format by the file's first bytes (whatever its extension).
    /// A multi-page TIFF comes back as a stack (pages on axis 0; see <see cref="TiffReader"/>).</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="ImageFileException">The file is not a recognised format, is corrupt, truncated or of an
    /// unsupported kind, or its header declares more elements than the work limit (<see cref="Limits.MaxElements"/>,
    /// <c>Scoped:Limits:MaxElements</c>) or a .NET array allows. No reader allocates what a header claims before the
    /// file shows it holds that much data.</exception>
    public static HostArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Sniff(path) switch
        {
            ".tif" => ReadTiff(path),
            ".jpg" => Jpeg.Read(path),
            ".npy" => Npy.Read(path),
            ".png" => Png.Read(path),
            ".pnm" => Pnm.Read(path),
            // No known magic: a file named for a format goes to that decoder, which says what is wrong with it.
            _ => Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".npy" => Npy.Read(path),
                ".png" => Png.Read(path),
                ".pgm" or ".ppm" or ".pnm" => Pnm.Read(path),
                ".tif" or ".tiff" => ReadTiff(path),
                ".jpg" or ".jpeg" => Jpeg.Read(path),
                _ => throw new ImageFileException(path, $"not a recognised file: neither .npy, PNG, PGM/PPM (P2, P3, P5, P6), TIFF nor JPEG{ExtensionHint(path)}."),
            },
        };

        static HostArray ReadTiff(string path)
        {
            using var reader = TiffReader.Open(path);
            return reader.Read();
        }
    }

    /// <summary>
    /// Opens an image file without reading its pixels: the reader knows the shape, dtype, pages, storage layout and
    /// metadata, and reads regions (<see cref="ImageReader.ReadRegion"/>) decoding only the tiles or strips they touch.
    /// TIFFs are read lazily; PNG, PGM/PPM and .npy files (stored in one piece) are decoded on the first read, JPEG
    /// on open (its shape depends on the EXIF orientation).
    /// </summary>
    /// <exception cref="ImageFileException">The file is not a recognised format, or its headers are malformed.</exception>
    public static ImageReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string format = Sniff(path);
        if (format == ".tif") return TiffReader.Open(path);
        if (format.Length == 0)
            throw new ImageFileException(path, $"not a recognised file: neither .npy, PNG, PGM/PPM (P2, P3, P5, P6), TIFF nor JPEG{ExtensionHint(path)}.");
        return format == ".jpg" ? new WholeImageReader(path, Jpeg.Read(path)) : new WholeImageReader(path, format);
    }

    // The format by the first bytes: ".tif", ".npy", ".png", ".pnm", or "" when none matches.
    private static string Sniff(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int got;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
            got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Sniff(head[..got]);
    }

    private static string Sniff(ReadOnlySpan<byte> head) =>
        TiffStructure.HasSignature(head) ? ".tif"
        : Jpeg.HasSignature(head) ? ".jpg"
        : Png.HasSignature(head) ? ".png"
        : head.Length >= 6 && head[0] == 0x93 && head[1..6].SequenceEqual("NUMPY"u8) ? ".npy"
        : Pnm.HasSignature(head) ? ".pnm"
        : "";

    private static string ExtensionHint(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        "" => "",
        var ext => $" ({ext} files are not read)",
    };

    /// <summary>
    /// Reads an image or array from a stream, recognising the format by its first bytes (the .npy magic string, the PNG
    /// signature, a P2/P3/P5/P6 Netpbm magic number, or a TIFF header); <paramref name="name"/> names the stream in
    /// error messages.
    /// </summary>
    public static HostArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var head = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, 8));
        buffer.Position = 0;
        switch (Sniff(head))
        {
            case ".png": return Png.Read(buffer, name);
            case ".npy": return Npy.Read(buffer, name);
            case ".pnm": return Pnm.Read(buffer, name);
            case ".tif":
                using (var reader = TiffReader.Open(buffer, name)) return reader.Read();
            case ".jpg": return Jpeg.Read(buffer, name);
            default: throw new ImageFileException(name, "not a recognised file: neither .npy, PNG, PGM/PPM (P2, P3, P5, P6), TIFF nor JPEG.");
        }
    }

    /// <summary>
    /// What the header at the start of <paramref name="firstBytes"/> declares, without decoding any data: the format
    /// (recognised by its first bytes, as <see cref="Read(Stream, string)"/> does), the element type and the shape the
    /// decoder will return. The decoders parse their headers with the same code, so a size check made on this (e.g.
    /// a server refusing uploads that declare too many elements) cannot disagree with what the decoder allocates.
    /// </summary>
    /// <param name="firstBytes">The start of the file; a PNG needs its first 29 bytes, a .npy its whole header, a
    /// PGM/PPM everything up to maxval (comments included), a TIFF everything up to the end of its last directory.</param>
    /// <returns>The header, or null when the bytes are not a recognised format or do not hold a whole valid header:
    /// reading the file then throws <see cref="ImageFileException"/> naming the problem.</returns>
    public static ImageHeader? ReadHeader(ReadOnlySpan<byte> firstBytes) =>
        Png.TryReadHeader(firstBytes) ?? Npy.TryReadHeader(firstBytes) ?? Pnm.TryReadHeader(firstBytes) ?? TiffHeader(firstBytes);

    // A TIFF's directories may lie anywhere in the file: these bytes must hold the first one (and its tags).
    private static ImageHeader? TiffHeader(ReadOnlySpan<byte> bytes)
    {
        if (!TiffStructure.HasSignature(bytes)) return null;
        try
        {
            using var reader = TiffReader.Open(new MemoryStream(bytes.ToArray(), writable: false), "header");
            return new ImageHeader(".tif", reader.DType, reader.Shape.Select(n => (long)n).ToArray());
        }
        catch (ImageFileException) { return null; }
    }

    /// <summary>
    /// Writes an image or array; the extension of <paramref name="path"/> chooses the format. The file appears whole
    /// or not at all: a failed write leaves no partial or temporary file. PNG and PGM/PPM take uint8, uint16 and bool
    /// images (float images must be converted first, e.g. with <see cref="Util.ImgAsUbyte"/>); .npy takes any array;
    /// .tif/.tiff take every dtype in 2-D, colour, stack and colour-stack shapes (<see cref="TiffWriter"/>, Deflate);
    /// .jpg/.jpeg take uint8 grey and RGB (<see cref="Jpeg"/>, quality 90).
    /// </summary>
    /// <exception cref="ArgumentException">The extension is not supported, or the format cannot hold the image.</exception>
    public static void Write(string path, NDArray image)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(image);
        switch (Format(path))
        {
            case ".npy": Npy.Write(path, image); break;
            case ".png": Png.Write(path, image); break;
            case ".tif" or ".tiff": TiffWriter.Write(path, image); break;
            case ".jpg" or ".jpeg": Jpeg.Write(path, image); break;
            default: Pnm.Write(path, image); break;
        }
    }

    private static string Format(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(ext))
            throw new ArgumentException($"{path}: unsupported file type '{ext}'; supported: {string.Join(", ", Extensions)}.", nameof(path));
        return ext;
    }
}
