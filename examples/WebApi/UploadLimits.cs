using System.Globalization;
using Scoped.Image.IO;

namespace Scoped.Examples.WebApi;

/// <summary>
/// Limits on uploads, bound from "Scoped:Upload". A compressed PNG of a few kilobytes can declare gigapixels, so the
/// image's declared size is read from its header and checked before anything is decoded or allocated.
/// (The body itself is limited by Scoped:Upload:MaxBytes, see UploadBodyLimits.)
/// </summary>
public sealed class UploadLimits
{
    /// <summary>The most elements an uploaded image may declare: rows × columns × channels (every axis of a .npy
    /// array), which is what decoding it allocates. Default 64 M.</summary>
    public long MaxPixels { get; set; } = 64L * 1024 * 1024;

    /// <summary>Throws <see cref="BadParameterException"/> for "image" when the header declares more than
    /// <see cref="MaxPixels"/> elements; uploads whose header cannot be read are left to the decoder, which names the
    /// problem. The header is read by the decoders' own parser (<see cref="ImageFile.ReadHeader"/>), so the check and
    /// the decoder cannot disagree: a size behind leading whitespace or a long comment, or in a third axis, counts.</summary>
    /// <param name="upload">The uploaded bytes.</param>
    public void Check(ReadOnlySpan<byte> upload)
    {
        if (ImageFile.ReadHeader(upload) is { } header && header.Elements > MaxPixels)
            throw new BadParameterException("image",
                $"The image declares shape {header.ShapeText}, {Count(header.Elements)} elements, more than this server accepts ({MaxPixels}, Scoped:Upload:MaxPixels).");
    }

    private static string Count(long elements) =>
        elements == long.MaxValue ? "more than 2^63" : elements.ToString(CultureInfo.InvariantCulture);
}
