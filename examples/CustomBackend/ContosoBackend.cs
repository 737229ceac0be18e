using Scoped.Dispatch;
using Scoped.Image;

namespace Contoso.Imaging;

/// <summary>
/// Contoso's backend for Scoped.Image. It owns <see cref="Gray8Image"/>, so <c>Filters.ThresholdOtsu(gray8)</c> runs here with
/// no scope; for ordinary host arrays it offers a faster uint8 <c>exposure.histogram</c> that runs only when a user opts
/// in (<c>Backend.Use("contoso")</c>, <c>Backend.SetDefault</c>, SCOPED_BACKENDS), so installing it changes nothing by itself.
/// Discovery creates it from the assembly attribute (AssemblyInfo.cs); nobody registers it by hand.
/// </summary>
public sealed class ContosoBackend : DispatchBackend
{
    /// <summary>The name users pass to <c>Backend.Use</c>.</summary>
    public const string BackendName = "contoso";

    /// <summary>Creates the backend (discovery calls this on first use).</summary>
    public ContosoBackend() : base(BackendName, Scoped.Image.Domains.Root) // the whole image API: an "only" scope then means "contoso or nothing"
    {
        Description = "Contoso.Imaging: Gray8Image bitmaps, and a one-pass 8-bit histogram";

        // An array type it owns: calls with a Gray8Image come here without any scope.
        Owns<Gray8Image>();
        Implement(Filters.Methods.ThresholdOtsu, (Gray8Image image, int nbins) => ByteHistogram.Otsu(ByteHistogram.Count(image)));

        // An opt-in alternative for host arrays: registered for every HostArray, declining what it does not handle.
        Implement(Exposure.Methods.Histogram, (HostArray image, int nbins, string sourceRange, bool normalize) =>
            ByteHistogram.Histogram((HostArray<byte>)image, sourceRange, normalize), decline: DeclineHistogram);

        // Interop scopes (Backend.Interop("contoso")) convert with these: host uint8 images to bitmaps for Otsu,
        // and bitmaps to host arrays for the histogram.
        AddConverter<HostArray<byte>, Gray8Image>(Gray8Image.FromHost, host => host.Size);
        AddConverter<Gray8Image, HostArray<byte>>(bitmap => bitmap.ToHost(), bitmap => bitmap.Size);
    }

    /// <summary>
    /// Asked before any interop conversion, with the caller's own arguments: a uint8 host image becomes a bitmap only
    /// when it is 2-D, so a colour image is declined here, before the converter would have to refuse it.
    /// </summary>
    public override string? Decline(DispatchCall call) =>
        call.Method == Filters.Methods.ThresholdOtsu && call.Arguments[0] is HostArray { Rank: not 2 } host
            ? $"a Gray8Image holds one 8-bit channel; this image is {host.ShapeText}."
            : null;

    /// <summary>The reason to leave a histogram call to the next candidate (shown by Backend.Explain), or null to run it.</summary>
    private static string? DeclineHistogram(DispatchCall call)
    {
        var image = call.Argument<NDArray>("image");
        if (image.DType != DType.UInt8) return $"contoso counts uint8 images only; this one is {image.DType.NumPyName()}.";
        if (image.Size > int.MaxValue) return $"contoso returns int32 counts; an image of {image.Size} pixels could overflow them.";
        return null;
    }
}
