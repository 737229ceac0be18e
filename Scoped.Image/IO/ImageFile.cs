namespace Scoped.Image.IO;

/// <summary>
/// Reads and writes image and array files, choosing the format by extension: .npy (<see cref="Npy"/>), .png
/// (<see cref="Png"/>), .pgm, .ppm and .pnm (<see cref="Pnm"/>).
/// </summary>
public static class ImageFile
{
    /// <summary>The extensions <see cref="Read(string)"/> and <see cref="Write(string, NDArray)"/> accept.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".npy", ".png", ".pgm", ".ppm", ".pnm"];

    /// <summary>Reads an image or array; the extension of <paramref name="path"/> chooses the format.</summary>
    /// <exception cref="ArgumentException">The extension is not a supported one.</exception>
    /// <exception cref="ImageFileException">The file is corrupt, truncated or of an unsupported kind, or its header
    /// declares more elements than the work limit (<see cref="Limits.MaxElements"/>, <c>Scoped:Limits:MaxElements</c>)
    /// or a .NET array allows. No reader allocates what a header claims before the file shows it holds that much data.</exception>
    public static HostArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Format(path) switch
        {
            ".npy" => Npy.Read(path),
            ".png" => Png.Read(path),
            _ => Pnm.Read(path),
        };
    }

    /// <summary>
    /// Reads an image or array from a stream, recognising the format by its first bytes (the .npy magic string, the PNG
    /// signature, or a P2/P3/P5/P6 Netpbm magic number); <paramref name="name"/> names the stream in error messages.
    /// </summary>
    public static HostArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var head = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, 8));
        buffer.Position = 0;
        if (Png.HasSignature(head)) return Png.Read(buffer, name);
        if (head.Length >= 6 && head[0] == 0x93 && head[1..6].SequenceEqual("NUMPY"u8)) return Npy.Read(buffer, name);
        if (Pnm.HasSignature(head)) return Pnm.Read(buffer, name);
        throw new ImageFileException(name, "not a recognised file: neither .npy, PNG nor PGM/PPM (P2, P3, P5, P6).");
    }

    /// <summary>
    /// What the header at the start of <paramref name="firstBytes"/> declares, without decoding any data: the format
    /// (recognised by its first bytes, as <see cref="Read(Stream, string)"/> does), the element type and the shape the
    /// decoder will return. The decoders parse their headers with the same code, so a size check made on this (e.g.
    /// a server refusing uploads that declare too many elements) cannot disagree with what the decoder allocates.
    /// </summary>
    /// <param name="firstBytes">The start of the file; a PNG needs its first 29 bytes, a .npy its whole header, a
    /// PGM/PPM everything up to maxval (comments included).</param>
    /// <returns>The header, or null when the bytes are not a recognised format or do not hold a whole valid header:
    /// reading the file then throws <see cref="ImageFileException"/> naming the problem.</returns>
    public static ImageHeader? ReadHeader(ReadOnlySpan<byte> firstBytes) =>
        Png.TryReadHeader(firstBytes) ?? Npy.TryReadHeader(firstBytes) ?? Pnm.TryReadHeader(firstBytes);

    /// <summary>
    /// Writes an image or array; the extension of <paramref name="path"/> chooses the format. The file appears whole
    /// or not at all: a failed write leaves no partial or temporary file. PNG and PGM/PPM take uint8, uint16 and bool
    /// images (float images must be converted first, e.g. with <see cref="Util.ImgAsUbyte"/>); .npy takes any array.
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
