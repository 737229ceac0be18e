using System.Globalization;

namespace Scoped.Image.IO;

/// <summary>
/// What a file's header declares, read without decoding the data (<see cref="ImageFile.ReadHeader"/>): the decoders
/// parse their headers with the same code, so a size check made on this cannot disagree with what the decoder will
/// allocate.
/// </summary>
/// <param name="Format">The format, as its usual extension: ".png", ".npy", ".pgm" or ".ppm".</param>
/// <param name="DType">The element type the decoder returns.</param>
/// <param name="Shape">The shape the decoder returns, every axis. A palette PNG is declared as (rows, cols, 3); a tRNS
/// chunk after the header makes the decoder add an alpha channel.</param>
public sealed record ImageHeader(string Format, DType DType, long[] Shape)
{
    /// <summary>The number of elements (the product of <see cref="Shape"/>), or long.MaxValue when it overflows.</summary>
    public long Elements => Limits.Product(Shape);

    /// <summary>The shape as NumPy writes it, e.g. (480, 640, 3).</summary>
    public string ShapeText => Shape.Length == 1
        ? $"({Shape[0].ToString(CultureInfo.InvariantCulture)},)"
        : "(" + string.Join(", ", Shape.Select(n => n.ToString(CultureInfo.InvariantCulture))) + ")";
}

/// <summary>The size checks every reader makes on a declared shape before it allocates anything for it.</summary>
internal static class DeclaredSize
{
    /// <summary>Throws <see cref="ImageFileException"/> when <paramref name="elements"/> (long.MaxValue for "overflows")
    /// exceed the work limit (<see cref="Limits.MaxElements"/>) or the largest .NET array, or when
    /// <paramref name="bytes"/>, the size of the buffer the reader holds them in, exceed the largest byte array.</summary>
    /// <param name="name">The file, for the message.</param>
    /// <param name="what">What declares the size, e.g. "the header declares an image of shape (2, 3)".</param>
    /// <param name="elements">The declared element count.</param>
    /// <param name="bytes">The size of the largest byte buffer the reader makes for them.</param>
    public static void Check(string name, string what, long elements, long bytes)
    {
        string count = elements == long.MaxValue ? "more than 2^63" : elements.ToString(CultureInfo.InvariantCulture);
        long limit = Limits.MaxElements;
        if (elements > limit && limit <= Array.MaxLength)
            throw new ImageFileException(name,
                $"{what}: {count} elements, more than the work limit of {limit} elements (Scoped:Limits:MaxElements).");
        if (elements > Array.MaxLength || bytes > Array.MaxLength)
            throw new ImageFileException(name,
                $"{what}: {count} elements ({(bytes == long.MaxValue ? "more than 2^63" : bytes.ToString(CultureInfo.InvariantCulture))} bytes), more than the largest array .NET can hold ({Array.MaxLength} elements or bytes).");
    }

    /// <summary><paramref name="a"/> × <paramref name="b"/> for non-negative values, or long.MaxValue when it overflows.</summary>
    public static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
}

/// <summary>Buffers that grow as data actually arrives, so that a header's claim alone never allocates its size.</summary>
internal static class GrowingBuffer
{
    /// <summary>The first size of a buffer whose final size is only declared, not yet seen.</summary>
    public const int FirstChunk = 1 << 16;

    /// <summary>A buffer of <paramref name="declared"/> elements, or of the first chunk of it when it is larger.</summary>
    public static T[] Start<T>(long declared) => new T[Math.Min(declared, FirstChunk)];

    /// <summary>Doubles <paramref name="buffer"/>, never past <paramref name="declared"/>: the final size is then
    /// exactly the declared one, and the buffers made on the way total at most twice the data that arrived.</summary>
    public static void Grow<T>(ref T[] buffer, long declared) =>
        Array.Resize(ref buffer, (int)Math.Min(declared, Math.Max(2L * buffer.Length, FirstChunk)));

    /// <summary>Fails unless the seekable <paramref name="stream"/> holds <paramref name="count"/> more bytes.</summary>
    public static void CheckHolds(Stream stream, long count, string name, string what)
    {
        long remaining = Math.Max(0, stream.Length - stream.Position);
        if (remaining < count)
            throw new ImageFileException(name, $"truncated: {what} declares {count} bytes of data but the file holds only {remaining}.");
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes. A seekable stream is first checked to hold them, so a
    /// false length is an error before the buffer is made; from other streams the buffer grows as bytes arrive.</summary>
    /// <param name="stream">The stream, positioned at the bytes.</param>
    /// <param name="count">How many bytes the header declares.</param>
    /// <param name="name">The file, for messages.</param>
    /// <param name="what">What declares the bytes, for messages: "the header".</param>
    public static byte[] ReadExactly(Stream stream, long count, string name, string what)
    {
        if (stream.CanSeek) CheckHolds(stream, count, name, what);
        var buffer = stream.CanSeek ? new byte[count] : Start<byte>(count);
        int total = 0;
        while (total < count)
        {
            if (total == buffer.Length) Grow(ref buffer, count);
            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
                throw new ImageFileException(name, $"truncated: {what} declares {count} bytes of data but the file holds only {total}.");
            total += read;
        }
        return buffer;
    }
}
