using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Scoped.Examples.WebApi;

/// <summary>
/// Limits on uploads, bound from "Scoped:Upload". A compressed PNG of a few kilobytes can declare gigapixels, so the
/// image's declared size is read from its header and checked before anything is decoded or allocated.
/// (The body itself is limited by Kestrel's MaxRequestBodySize, 30 MB by default.)
/// </summary>
public sealed partial class UploadLimits
{
    /// <summary>The most pixels (rows × columns) an uploaded image may declare. Default 64 megapixels.</summary>
    public long MaxPixels { get; set; } = 64L * 1024 * 1024;

    /// <summary>Throws <see cref="BadParameterException"/> for "image" when the header declares more than
    /// <see cref="MaxPixels"/>; formats it does not recognise are left to the decoder, which names the problem.</summary>
    /// <param name="upload">The uploaded bytes.</param>
    public void Check(ReadOnlySpan<byte> upload)
    {
        if (DeclaredPixels(upload) is { } pixels && pixels > MaxPixels)
            throw new BadParameterException("image",
                $"The image declares {pixels} pixels, more than this server accepts ({MaxPixels}, Scoped:Upload:MaxPixels).");
    }

    /// <summary>Rows × columns from a PNG, .npy or PGM/PPM header, or null when the header cannot be read.</summary>
    internal static long? DeclaredPixels(ReadOnlySpan<byte> data)
    {
        // PNG: 8-byte signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
        if (data.Length >= 24 && data[..8].SequenceEqual(PngSignature) && data[12..16].SequenceEqual("IHDR"u8))
            return (long)BinaryPrimitives.ReadUInt32BigEndian(data[16..]) * BinaryPrimitives.ReadUInt32BigEndian(data[20..]);

        // .npy: magic, version, header length (2 bytes in version 1, 4 after), then a dict with 'shape': (rows, cols, ...).
        if (data.Length >= 10 && data[..6].SequenceEqual(NpyMagic))
        {
            int lengthBytes = data[6] == 1 ? 2 : 4;
            if (data.Length < 8 + lengthBytes) return null;
            long length = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            var header = Encoding.Latin1.GetString(data.Slice(8 + lengthBytes, (int)Math.Min(length, data.Length - 8 - lengthBytes)));
            var shape = NpyShape().Match(header);
            if (!shape.Success) return null;
            var axes = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            long pixels = 1;
            foreach (var axis in axes.Take(2))
                pixels = long.TryParse(axis, out var n) && n >= 0 ? SaturatingMultiply(pixels, n) : long.MaxValue;
            return pixels;
        }

        // PGM/PPM (binary P5/P6 or plain P2/P3): magic, then width and height as text, with # comments allowed.
        if (data.Length >= 2 && data[0] == (byte)'P' && data[1] is (byte)'2' or (byte)'3' or (byte)'5' or (byte)'6')
        {
            var text = Encoding.Latin1.GetString(data[2..Math.Min(data.Length, 512)]);
            var numbers = PnmSize().Match(CommentLine().Replace(text, " "));
            return numbers.Success && long.TryParse(numbers.Groups[1].Value, out var w) && long.TryParse(numbers.Groups[2].Value, out var h)
                ? SaturatingMultiply(w, h) : null;
        }
        return null;
    }

    // Byte arrays, not u8 strings: "\x89" in a u8 literal would be the two-byte UTF-8 form of U+0089.
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> NpyMagic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private static long SaturatingMultiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex NpyShape();

    [GeneratedRegex(@"^\s*(\d+)\s+(\d+)")]
    private static partial Regex PnmSize();

    [GeneratedRegex(@"#[^\n]*")]
    private static partial Regex CommentLine();
}
