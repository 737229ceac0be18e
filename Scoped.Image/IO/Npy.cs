using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Scoped.Image.IO;

/// <summary>
/// NumPy's .npy format (versions 1.0, 2.0 and 3.0): bool, uint8, uint16, int32, float32 and float64, either byte
/// order, C or Fortran order, any rank (a 0-d scalar reads as shape (1,)). Files are written as version 1.0, little-endian, C order.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an array from a .npy file.</summary>
    /// <exception cref="ImageFileException">The file is not a valid .npy file, is truncated, or holds an unsupported type.</exception>
    public static HostArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an array from a stream; <paramref name="name"/> names it in error messages.</summary>
    /// <remarks>The declared size is checked against the work limit (<see cref="Limits.MaxElements"/>) and, for a
    /// seekable stream, against the bytes the stream holds, before the data is read; from other streams the buffer
    /// grows as data arrives, so a short file cannot make the reader allocate what its header claims.</remarks>
    public static HostArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> preamble = stackalloc byte[12];
        ReadExactly(stream, preamble[..8], name, "the header");
        int fieldSize = LengthFieldSize(preamble[..8], name);
        ReadExactly(stream, preamble.Slice(8, fieldSize), name, "the header length");
        int headerLength = HeaderLength(preamble[..(8 + fieldSize)], name);
        var headerBytes = GrowingBuffer.ReadExactly(stream, headerLength, name, "the header length field");
        var layout = ParseHeader(headerBytes, preamble[6], name);
        long count = layout.Header.Elements;
        DeclaredSize.Check(name, $"the header declares an array of shape {layout.Header.ShapeText}", count, DeclaredSize.Multiply(count, layout.DType.ItemSize()));
        var shape = ToIntShape(layout, name);

        string what = $"the header (shape {layout.Header.ShapeText}, {layout.DType.NumPyName()})";
        HostArray array = layout.DType switch
        {
            DType.Bool => Build(ReadData<bool>(stream, count, layout.BigEndian, name, what), shape, layout.Fortran),
            DType.UInt8 => Build(ReadData<byte>(stream, count, layout.BigEndian, name, what), shape, layout.Fortran),
            DType.UInt16 => Build(ReadData<ushort>(stream, count, layout.BigEndian, name, what), shape, layout.Fortran),
            DType.Int32 => Build(ReadData<int>(stream, count, layout.BigEndian, name, what), shape, layout.Fortran),
            DType.Float32 => Build(ReadData<float>(stream, count, layout.BigEndian, name, what), shape, layout.Fortran),
            _ => Build(ReadData<double>(stream, count, layout.BigEndian, name, what), shape, layout.Fortran),
        };
        return array;
    }

    /// <summary>What the header at the start of <paramref name="bytes"/> declares, or null when they do not hold a
    /// whole valid .npy header (the decoder then names the problem). Parsed by the same code as <see cref="Read(Stream, string)"/>.</summary>
    internal static ImageHeader? TryReadHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || !bytes[..6].SequenceEqual(Magic)) return null;
        try
        {
            int fieldSize = LengthFieldSize(bytes[..8], "header");
            if (bytes.Length < 8 + fieldSize) return null;
            int headerLength = HeaderLength(bytes[..(8 + fieldSize)], "header");
            if (bytes.Length - 8 - fieldSize < headerLength) return null;
            return ParseHeader(bytes.Slice(8 + fieldSize, headerLength), bytes[6], "header").Header;
        }
        catch (ImageFileException)
        {
            return null;
        }
    }

    /// <summary>The parsed header: the element type, its byte order, the data's order and the shape the reader returns.</summary>
    private sealed record Layout(DType DType, bool BigEndian, bool Fortran, ImageHeader Header);

    /// <summary>Checks the magic string and version in the first 8 bytes; returns the size of the header length field.</summary>
    private static int LengthFieldSize(ReadOnlySpan<byte> preamble, string name)
    {
        if (!preamble[..6].SequenceEqual(Magic)) throw new ImageFileException(name, "not a .npy file (the magic string \\x93NUMPY is missing).");
        return preamble[6] switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new ImageFileException(name, $"unsupported .npy format version {preamble[6]}.{preamble[7]}."),
        };
    }

    /// <summary>The header length from the preamble (magic, version, length field).</summary>
    private static int HeaderLength(ReadOnlySpan<byte> preamble, string name)
    {
        if (preamble[6] == 1) return BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (value > 1 << 20) throw new ImageFileException(name, $"header length {value} is not plausible.");
        return (int)value;
    }

    /// <summary>Parses the header dictionary.</summary>
    private static Layout ParseHeader(ReadOnlySpan<byte> headerBytes, byte major, string name)
    {
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, dims) = ParseDict(header, name);
        var (dtype, bigEndian) = ParseDescr(descr, name);
        // A 0-d array (a NumPy scalar) is read as one element of shape (1,): tensors have no 0-d form.
        var shape = dims.Length == 0 ? [1L] : dims;
        return new Layout(dtype, bigEndian, fortran, new ImageHeader(".npy", dtype, shape));
    }

    /// <summary>The shape as the int lengths arrays take; an axis past them (possible when another is 0) is refused.</summary>
    private static int[] ToIntShape(Layout layout, string name)
    {
        var shape = new int[layout.Header.Shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            long n = layout.Header.Shape[i];
            if (n > Array.MaxLength) throw new ImageFileException(name, $"shape {layout.Header.ShapeText} has an axis of {n}, longer than the largest .NET array ({Array.MaxLength}).");
            shape[i] = (int)n;
        }
        return shape;
    }

    /// <summary>Writes an array to a .npy file; the file appears complete or not at all.</summary>
    public static void Write(string path, NDArray array)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var host = array as HostArray ?? throw new ArgumentException($"array is a {array?.Kind ?? "null"} array; copy it to the host first.", nameof(array));
        AtomicFile.Write(path, stream => Write(stream, host));
    }

    /// <summary>Writes an array to a stream as .npy version 1.0, little-endian, C order.</summary>
    public static void Write(Stream stream, HostArray array) => Write(stream, array, WriteChunkBytes);

    /// <summary>As <see cref="Write(Stream, HostArray)"/>, with the chunk size of the data writes chosen (for tests).</summary>
    internal static void Write(Stream stream, HostArray array, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        string descr = array.DType switch
        {
            DType.Bool => "|b1",
            DType.UInt8 => "|u1",
            DType.UInt16 => "<u2",
            DType.Int32 => "<i4",
            DType.Float32 => "<f4",
            _ => "<f8",
        };
        string shape = array.Rank == 1 ? $"({array.Shape[0]},)" : "(" + string.Join(", ", array.Shape.ToArray()) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int padding = (64 - total % 64) % 64;
        string header = dict + new string(' ', padding) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, checked((ushort)header.Length));
        stream.Write(len);
        stream.Write(Encoding.Latin1.GetBytes(header));
        switch (array)
        {
            case HostArray<bool> b: WriteData(stream, b, chunkBytes); break;
            case HostArray<byte> b: WriteData(stream, b, chunkBytes); break;
            case HostArray<ushort> u: WriteData(stream, u, chunkBytes); break;
            case HostArray<int> n: WriteData(stream, n, chunkBytes); break;
            case HostArray<float> f: WriteData(stream, f, chunkBytes); break;
            case HostArray<double> d: WriteData(stream, d, chunkBytes); break;
            default: throw new ArgumentException("Unsupported element type.", nameof(array));
        }
    }

    /// <summary>The most bytes of data one <see cref="Stream.Write(ReadOnlySpan{byte})"/> call is given.</summary>
    internal const int WriteChunkBytes = 1 << 20;

    /// <summary>Writes the elements in chunks of at most <paramref name="chunkBytes"/> bytes: the data may be 2 GiB or
    /// more, past what one span of bytes can hold, and a big-endian machine swaps a chunk at a time, not a copy of it all.</summary>
    private static void WriteData<T>(Stream stream, HostArray<T> array, int chunkBytes) where T : unmanaged
    {
        // A dense array is written from its own memory; a strided view is first copied into C order.
        var tensor = array.Tensor;
        ReadOnlySpan<T> data = tensor.IsDense
            ? MemoryMarshal.CreateReadOnlySpan(ref TensorMarshal.GetReference(tensor.AsTensorSpan()), checked((int)array.Size))
            : array.ToArray();
        int size = Unsafe.SizeOf<T>();
        int chunk = Math.Max(1, chunkBytes / size);
        byte[]? swapped = BitConverter.IsLittleEndian || size == 1 ? null : new byte[(long)Math.Min(chunk, data.Length) * size];
        for (long start = 0; start < data.Length; start += chunk)
        {
            int n = (int)Math.Min(chunk, data.Length - start);
            var bytes = MemoryMarshal.AsBytes(data.Slice((int)start, n));
            if (swapped is not null)
            {
                bytes.CopyTo(swapped);
                SwapBytes(swapped.AsSpan(0, bytes.Length), size);
                bytes = swapped.AsSpan(0, bytes.Length);
            }
            stream.Write(bytes);
        }
    }

    /// <summary>The <paramref name="count"/> elements of data, in native byte order. From a seekable stream (a file),
    /// whose length was checked against <paramref name="count"/>, the bytes are read straight into the array, in
    /// pieces of at most <see cref="WriteChunkBytes"/> (the data may pass what one span can hold); from other streams
    /// they arrive in a buffer that grows with them, so a short stream never makes the reader allocate what the header
    /// claims.</summary>
    private static T[] ReadData<T>(Stream stream, long count, bool bigEndian, string name, string what) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        T[] data;
        if (stream.CanSeek)
        {
            GrowingBuffer.CheckHolds(stream, count * size, name, what);
            if (count > Array.MaxLength) throw new ImageFileException(name, $"{what} declares {count} elements, more than one .NET array holds ({Array.MaxLength}).");
            data = GC.AllocateUninitializedArray<T>((int)count);
            int chunk = Math.Max(1, WriteChunkBytes / size);
            for (int start = 0; start < data.Length; start += chunk)
            {
                var piece = MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(chunk, data.Length - start)));
                ReadExactly(stream, piece, name, what);
                ToNative<T>(piece, bigEndian, name);
            }
            return data;
        }
        var bytes = GrowingBuffer.ReadExactly(stream, count * size, name, what);
        ToNative<T>(bytes, bigEndian, name);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    /// <summary>Swaps big-endian data to the machine's order; refuses bool bytes other than 0 and 1.</summary>
    private static void ToNative<T>(Span<byte> bytes, bool bigEndian, string name) where T : unmanaged
    {
        if (bigEndian) SwapBytes(bytes, Unsafe.SizeOf<T>());
        if (typeof(T) == typeof(bool) && bytes.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
            throw new ImageFileException(name, $"bool data holds byte {bytes[bad]}; only 0 and 1 are valid.");
    }

    private static HostArray<T> Build<T>(T[] data, int[] shape, bool fortran) where T : unmanaged
    {
        if (!fortran || shape.Length < 2) return HostArray.Create(data, shape);
        // Fortran order: the data is the C-order array of the reversed shape; transpose it back.
        var reversed = shape.Reverse().ToArray();
        var source = HostArray.Create(data, reversed).Tensor;
        var result = new T[data.Length];
        var index = new nint[shape.Length];
        var reversedIndex = new nint[shape.Length];
        for (int flat = 0; flat < result.Length; flat++)
        {
            for (int axis = 0; axis < shape.Length; axis++) reversedIndex[shape.Length - 1 - axis] = index[axis];
            result[flat] = source[reversedIndex];
            for (int axis = shape.Length - 1; axis >= 0; axis--)
            {
                if (++index[axis] < shape[axis]) break;
                index[axis] = 0;
            }
        }
        return HostArray.Create(result, shape);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrPattern();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex FortranPattern();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapePattern();

    private static (string Descr, bool Fortran, long[] Shape) ParseDict(string header, string name)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new ImageFileException(name, $"the header is not a valid .npy dictionary: {header.Trim()}");
        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                throw new ImageFileException(name, $"shape entry '{part}' is not a non-negative integer.");
            dims.Add(n);
        }
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims.ToArray());
    }

    private static (DType DType, bool BigEndian) ParseDescr(string descr, string name)
    {
        if (descr.Length < 2) throw new ImageFileException(name, $"unsupported element type '{descr}'.");
        char order = descr[0];
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        string code = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        DType? dtype = code switch
        {
            "b1" => DType.Bool,
            "u1" => DType.UInt8,
            "u2" => DType.UInt16,
            "i4" => DType.Int32,
            "f4" => DType.Float32,
            "f8" => DType.Float64,
            _ => null,
        };
        return dtype is { } d ? (d, big && d.ItemSize() > 1)
            : throw new ImageFileException(name, $"unsupported element type '{descr}'; supported: bool, uint8, uint16, int32, float32, float64.");
    }

    private static void SwapBytes(Span<byte> bytes, int size)
    {
        if (size == 1) return;
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0) throw new ImageFileException(name, $"truncated: the file ends inside {what} (read {total} of {buffer.Length} bytes).");
            total += read;
        }
    }
}
