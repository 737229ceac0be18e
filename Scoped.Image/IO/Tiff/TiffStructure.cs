using System.Buffers.Binary;
using System.Globalization;

namespace Scoped.Image.IO;

/// <summary>
/// A walk over a TIFF's directory chain before libtiff sees it: every directory and every tag's data must lie inside
/// the file, and the chain must end. libtiff allocates a tag's values from its declared count before it reads them, so
/// this is what keeps a 100-byte file from asking for gigabytes; it also gives the page count and the BigTIFF flag
/// without decoding anything.
/// </summary>
internal static class TiffStructure
{
    /// <summary>The most directories a file may chain (libtiff counts them in a short).</summary>
    public const int MaxPages = short.MaxValue;

    /// <summary>Whether <paramref name="head"/> starts like a TIFF or BigTIFF file.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] is 42 or 43 && head[3] == 0)
                             || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] is 42 or 43));

    /// <summary>Checks the directory chain of the seekable <paramref name="stream"/> and returns how many directories
    /// it has and whether it is a BigTIFF. The stream's position is left at 0.</summary>
    /// <exception cref="ImageFileException">The header, a directory or a tag's data lies outside the file, the chain
    /// loops, or there are more than <see cref="MaxPages"/> directories.</exception>
    public static (int Pages, bool BigTiff) Check(Stream stream, string name)
    {
        long length = stream.Length;
        var header = new byte[16];
        stream.Position = 0;
        int got = stream.ReadAtLeast(header, 16, throwOnEndOfStream: false);
        if (got < 8 || !HasSignature(header))
            throw new ImageFileException(name, "not a TIFF file: it does not start with II*\\0, MM\\0*, II+\\0 or MM\\0+.");
        bool little = header[0] == 'I';
        bool big = header[2] == 43 || header[3] == 43;
        if (big && got < 16)
            throw new ImageFileException(name, "truncated: the BigTIFF header needs 16 bytes.");
        long first = big ? (long)U64(header.AsSpan(8), little) : U32(header.AsSpan(4), little);
        int entrySize = big ? 20 : 12, countSize = big ? 8 : 2, nextSize = big ? 8 : 4;
        var seen = new HashSet<long>();
        int pages = 0;
        var buffer = new byte[entrySize];
        for (long offset = first; offset != 0; pages++)
        {
            string where = pages == 0 ? "the first directory" : string.Create(CultureInfo.InvariantCulture, $"directory {pages}");
            if (pages >= MaxPages)
                throw new ImageFileException(name, $"more than {MaxPages} directories chained; Scoped reads at most that many pages.");
            if (!seen.Add(offset))
                throw new ImageFileException(name, $"{where} at offset {offset} was already read: the directory chain loops.");
            if (offset < 8 || offset > length - countSize)
                throw new ImageFileException(name, $"{where} starts at offset {offset}, outside the file's {length} bytes.");
            stream.Position = offset;
            stream.ReadExactly(buffer, 0, countSize);
            long count = big ? (long)U64(buffer, little) : U16(buffer, little);
            long end = offset + countSize + count * entrySize + nextSize;
            if (count <= 0 || count > 4096 || end > length)
                throw new ImageFileException(name, $"{where} declares {count} tags; they would end at byte {end} of a {length}-byte file.");
            for (long i = 0; i < count; i++)
            {
                stream.ReadExactly(buffer, 0, entrySize);
                int tag = U16(buffer, little), type = U16(buffer.AsSpan(2), little);
                long values = big ? (long)U64(buffer.AsSpan(4), little) : U32(buffer.AsSpan(4), little);
                long size = TypeSize(type);
                if (size == 0) continue; // libtiff skips tags of unknown types
                long bytes = values < 0 || values > length / size ? long.MaxValue : values * size;
                if (bytes <= (big ? 8 : 4)) continue; // the values sit in the entry itself
                long at = big ? (long)U64(buffer.AsSpan(12), little) : U32(buffer.AsSpan(8), little);
                if (bytes > length || at < 0 || at > length - bytes)
                    throw new ImageFileException(name,
                        string.Create(CultureInfo.InvariantCulture, $"{where}: tag {tag} declares {values} values at offset {at}, past the end of the file's {length} bytes."));
            }
            stream.Position = offset + countSize + count * entrySize;
            stream.ReadExactly(buffer, 0, nextSize);
            offset = big ? (long)U64(buffer, little) : U32(buffer, little);
        }
        if (pages == 0) throw new ImageFileException(name, "the TIFF holds no directory (no image).");
        stream.Position = 0;
        return (pages, big);
    }

    // Bytes per value of each TIFF field type (0: unknown).
    private static long TypeSize(int type) => type switch
    {
        1 or 2 or 6 or 7 => 1,          // BYTE, ASCII, SBYTE, UNDEFINED
        3 or 8 => 2,                    // SHORT, SSHORT
        4 or 9 or 11 or 13 => 4,        // LONG, SLONG, FLOAT, IFD
        5 or 10 or 12 or 16 or 17 or 18 => 8, // RATIONAL, SRATIONAL, DOUBLE, LONG8, SLONG8, IFD8
        _ => 0,
    };

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
    private static ulong U64(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}
