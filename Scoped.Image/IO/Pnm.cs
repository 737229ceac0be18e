using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Scoped.Image.IO;

/// <summary>
/// Netpbm gray and colour maps (PGM and PPM), plain (P2, P3) and binary (P5, P6), written from the Netpbm
/// specification. Samples are returned as stored, not rescaled (as OpenCV does): maxval up to 255 gives uint8,
/// above 255 gives uint16 (two bytes, most significant first, in the binary formats). PGM gives (rows, cols), PPM
/// (rows, cols, 3). Files are written as binary P5 (gray) or P6 (RGB) with maxval 255 (uint8, bool as 0/255) or
/// 65535 (uint16).
/// </summary>
public static class Pnm
{
    /// <summary>True when <paramref name="header"/> starts with a P2, P3, P5 or P6 magic number.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> header) =>
        header.Length >= 2 && header[0] == (byte)'P' && header[1] is (byte)'2' or (byte)'3' or (byte)'5' or (byte)'6';

    /// <summary>Reads a PGM or PPM file.</summary>
    /// <exception cref="ImageFileException">The file is malformed, truncated, or of an unsupported Netpbm kind.</exception>
    public static HostArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a PGM or PPM image from a stream; <paramref name="name"/> names it in error messages.</summary>
    public static HostArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name);
    }

    /// <summary>
    /// Writes a gray image as binary PGM (P5) or an RGB image as binary PPM (P6); a .pgm path needs a gray image and a
    /// .ppm path an RGB one. The file appears complete or not at all.
    /// </summary>
    public static void Write(string path, NDArray image)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var host = CheckWritable(image);
        bool gray = host.Rank == 2 || host.Shape[2] == 1;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".pgm" && !gray)
            throw new ArgumentException($"image has shape {host.ShapeText}; a .pgm file holds gray images: write RGB images to .ppm.", nameof(image));
        if (ext == ".ppm" && gray)
            throw new ArgumentException($"image has shape {host.ShapeText}; a .ppm file holds RGB images: write gray images to .pgm.", nameof(image));
        AtomicFile.Write(path, stream => Encode(stream, host));
    }

    /// <summary>Writes a gray image as P5 or an RGB image as P6 to a stream.</summary>
    public static void Write(Stream stream, NDArray image)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Encode(stream, CheckWritable(image));
    }

    private static HostArray CheckWritable(NDArray image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var host = image as HostArray ?? throw new ArgumentException($"image is a {image.Kind} array; copy it to the host first.", nameof(image));
        if (host.DType is not (DType.UInt8 or DType.UInt16 or DType.Bool))
            throw new ArgumentException(
                $"image is {host.DType.NumPyName()}; PGM/PPM store 8- or 16-bit integer samples. Convert it first, e.g. with Util.ImgAsUbyte(image).",
                nameof(image));
        if (host.Rank is not (2 or 3) || (host.Rank == 3 && host.Shape[2] is not (1 or 3)))
            throw new ArgumentException($"image has shape {host.ShapeText}; PGM/PPM need (rows, cols) gray or (rows, cols, 3) RGB.", nameof(image));
        if (host.Shape[0] == 0 || host.Shape[1] == 0)
            throw new ArgumentException($"image has shape {host.ShapeText}; an image needs at least one row and one column.", nameof(image));
        return host;
    }

    private static void Encode(Stream stream, HostArray image)
    {
        int rows = image.Shape[0], cols = image.Shape[1];
        bool gray = image.Rank == 2 || image.Shape[2] == 1;
        int maxval = image.DType == DType.UInt16 ? 65535 : 255;
        stream.Write(Encoding.ASCII.GetBytes($"{(gray ? "P5" : "P6")}\n{cols} {rows}\n{maxval}\n"));
        byte[] data = image switch
        {
            HostArray<byte> b => b.ToArray(),
            HostArray<bool> b => Array.ConvertAll(b.ToArray(), v => v ? (byte)255 : (byte)0),
            HostArray<ushort> u => BigEndian(u.ToArray()),
            _ => throw new ArgumentException($"image is {image.DType.NumPyName()}.", nameof(image)),
        };
        stream.Write(data);
    }

    private static byte[] BigEndian(ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    /// <summary>What the header declares: the kind (P2, P3, P5, P6), the size, maxval, and where the raster starts.</summary>
    private sealed record Layout(char Kind, int Width, int Height, int Channels, int MaxVal, int DataStart, ImageHeader Header);

    /// <summary>What the header at the start of <paramref name="bytes"/> declares, or null when they do not hold a
    /// whole valid header (the decoder then names the problem). Parsed by the same code as the decoder.</summary>
    internal static ImageHeader? TryReadHeader(ReadOnlySpan<byte> bytes)
    {
        if (!HasSignature(bytes)) return null;
        try
        {
            return ParseHeader(bytes, "header").Header;
        }
        catch (ImageFileException)
        {
            return null;
        }
    }

    /// <summary>Parses the magic number, width, height and maxval (with whitespace and comments between them). Every
    /// number must be followed by a byte, so a header cut short in the middle of a number is "truncated", never a
    /// smaller number. The size is not checked against the limits here: the decoder does that, and a pre-check may
    /// apply its own.</summary>
    private static Layout ParseHeader(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 2 || file[0] != (byte)'P' || file[1] is < (byte)'1' or > (byte)'7')
            throw new ImageFileException(name, $"not a Netpbm file (the magic number P1..P7 is missing; the file starts with '{Latin1(file[..Math.Min(file.Length, 2)])}').");
        char kind = (char)file[1];
        if (kind is not ('2' or '3' or '5' or '6'))
            throw new ImageFileException(name, $"Netpbm type P{kind} is not supported; supported: P2 and P5 (PGM), P3 and P6 (PPM).");
        if (file.Length > 2 && !IsSpace(file[2]) && file[2] != (byte)'#')
            throw new ImageFileException(name, $"malformed header: the magic number P{kind} is followed by '{(char)file[2]}', not whitespace.");
        int pos = 2;
        int width = Number(file, ref pos, name, "the width", 1, int.MaxValue, headerField: true);
        int height = Number(file, ref pos, name, "the height", 1, int.MaxValue, headerField: true);
        int maxval = Number(file, ref pos, name, "maxval", 1, 65535, headerField: true);
        int channels = kind is '3' or '6' ? 3 : 1;
        long[] shape = channels == 1 ? [height, width] : [height, width, channels];
        var declared = new ImageHeader(channels == 1 ? ".pgm" : ".ppm", maxval > 255 ? DType.UInt16 : DType.UInt8, shape);
        return new Layout(kind, width, height, channels, maxval, pos, declared);
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private static HostArray Decode(ReadOnlySpan<byte> file, string name)
    {
        var layout = ParseHeader(file, name);
        long declared = layout.Header.Elements;
        DeclaredSize.Check(name, $"the header declares an image of shape {layout.Header.ShapeText}", declared, DeclaredSize.Multiply(declared, layout.MaxVal > 255 ? 2 : 1));
        int pos = layout.DataStart, maxval = layout.MaxVal;
        int count = (int)layout.Header.Elements;
        var shape = layout.Channels == 1 ? new[] { layout.Height, layout.Width } : new[] { layout.Height, layout.Width, layout.Channels };
        bool wide = maxval > 255;

        if (layout.Kind is '5' or '6')
        {
            // Exactly one whitespace byte separates maxval from the raster.
            if (pos >= file.Length) throw new ImageFileException(name, "truncated: the file ends after the header, before the raster.");
            if (!IsSpace(file[pos])) throw new ImageFileException(name, "malformed header: maxval is not followed by a whitespace byte.");
            pos++;
            long need = (long)count * (wide ? 2 : 1);
            if (file.Length - pos < need)
                throw new ImageFileException(name, $"truncated: the header declares {need} bytes of data but the file holds only {file.Length - pos}.");
            var raster = file.Slice(pos, (int)need);
            if (!wide)
            {
                var bytes = raster.ToArray();
                CheckMax(bytes.AsSpan(), maxval, name);
                return HostArray.Create(bytes, shape);
            }
            var values = new ushort[count];
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadUInt16BigEndian(raster[(2 * i)..]);
            CheckMax(values.AsSpan(), maxval, name);
            return HostArray.Create(values, shape);
        }

        // Plain samples are text of unknown length: the buffer grows as samples are parsed, so a short file claiming a
        // huge size fails at its end having allocated about what it holds.
        if (!wide) return HostArray.Create(PlainSamples<byte>(file, ref pos, count, maxval, name), shape);
        return HostArray.Create(PlainSamples<ushort>(file, ref pos, count, maxval, name), shape);
    }

    private static T[] PlainSamples<T>(ReadOnlySpan<byte> file, ref int pos, int count, int maxval, string name) where T : unmanaged, INumberBase<T>
    {
        var samples = GrowingBuffer.Start<T>(count);
        for (int i = 0; i < count; i++)
        {
            if (i == samples.Length) GrowingBuffer.Grow(ref samples, count);
            samples[i] = T.CreateTruncating(Number(file, ref pos, name, $"sample {i} of {count}", 0, maxval));
        }
        return samples;
    }

    private static void CheckMax<T>(ReadOnlySpan<T> values, int maxval, string name) where T : unmanaged, IConvertible
    {
        for (int i = 0; i < values.Length; i++)
        {
            int v = values[i].ToInt32(null);
            if (v > maxval) throw new ImageFileException(name, $"sample {i} is {v}, above maxval {maxval}.");
        }
    }

    /// <summary>Reads one decimal number after whitespace and comments ('#' to the end of the line).</summary>
    private static int Number(ReadOnlySpan<byte> file, ref int pos, string name, string what, int min, int max, bool headerField = false)
    {
        while (pos < file.Length)
        {
            if (IsSpace(file[pos])) pos++;
            else if (file[pos] == (byte)'#')
                while (pos < file.Length && file[pos] is not ((byte)'\n' or (byte)'\r')) pos++;
            else break;
        }
        if (pos >= file.Length) throw new ImageFileException(name, $"truncated: the file ends before {what}.");
        long value = 0;
        int start = pos;
        while (pos < file.Length && file[pos] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (file[pos] - '0');
            if (value > max) throw new ImageFileException(name, $"{what} is out of range (above {max}).");
            pos++;
        }
        if (headerField && pos == file.Length && pos > start) throw new ImageFileException(name, $"truncated: the file ends inside the header, in {what}.");
        if (pos == start) throw new ImageFileException(name, $"malformed: expected {what} (a decimal number) at byte {pos}, found '{(char)file[pos]}'.");
        if (pos < file.Length && !IsSpace(file[pos]) && file[pos] != (byte)'#')
            throw new ImageFileException(name, $"malformed: {what} at byte {start} is followed by '{(char)file[pos]}', not whitespace.");
        if (value < min) throw new ImageFileException(name, $"{what} is {value}; it must be at least {min}.");
        return (int)value;
    }
}
