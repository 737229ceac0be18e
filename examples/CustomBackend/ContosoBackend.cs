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
        Implement(Filters.Methods.ThresholdOtsu, (Gray8Image image, int nbins) => ThresholdOtsu(image));

        // An opt-in alternative for host arrays: registered for every HostArray, declining what it does not handle.
        Implement(Exposure.Methods.Histogram, (HostArray image, int nbins, string sourceRange, bool normalize) =>
            Histogram((HostArray<byte>)image, sourceRange, normalize), decline: DeclineHistogram);

        // Interop scopes (Backend.Interop("contoso")) convert with these: host uint8 images to bitmaps for Otsu,
        // and bitmaps to host arrays for the histogram.
        AddConverter<HostArray<byte>, Gray8Image>(Gray8Image.FromHost, host => host.Size);
        AddConverter<Gray8Image, HostArray<byte>>(bitmap => bitmap.ToHost(), bitmap => bitmap.Size);
    }

    /// <summary>The reason to leave a histogram call to the next candidate, or null to run it.</summary>
    private static string? DeclineHistogram(DispatchCall call)
    {
        var image = call.Argument<NDArray>("image");
        if (image.DType != DType.UInt8) return $"contoso counts uint8 images only; this one is {image.DType.NumPyName()}.";
        if (image.Size > int.MaxValue) return $"contoso returns int32 counts; an image of {image.Size} pixels could overflow them.";
        return null;
    }

    private static double ThresholdOtsu(Gray8Image image)
    {
        var histogram = new ByteHistogram();
        for (int y = 0; y < image.Height; y++) histogram.Add(image.Row(y));
        return ByteHistogram.Otsu(histogram.Counts());
    }

    /// <summary>skimage.exposure.histogram of a uint8 image: one bin per value over the image's [min, max] ("image")
    /// or [0, 255] ("dtype"); int32 counts, or float64 fractions with <paramref name="normalize"/>. nbins does not apply
    /// to integer images.</summary>
    private static HistogramResult Histogram(HostArray<byte> image, string sourceRange, bool normalize)
    {
        var counts = Count(image);
        var (min, max) = sourceRange == "dtype" ? (0, 255) : ByteHistogram.Range(counts);
        int bins = max - min + 1;
        var centers = new double[bins];
        for (int i = 0; i < bins; i++) centers[i] = min + i;
        if (normalize)
        {
            double total = image.Size;
            var fractions = new double[bins];
            for (int i = 0; i < bins; i++) fractions[i] = counts[min + i] / total;
            return new HistogramResult(HostArray.Create(fractions, bins), centers);
        }
        var ints = new int[bins];
        for (int i = 0; i < bins; i++) ints[i] = (int)counts[min + i];
        return new HistogramResult(HostArray.Create(ints, bins), centers);
    }

    /// <summary>Counts the values of a 2-D or 3-D array row by row, straight from its tensor; a view whose rows are
    /// not contiguous (a transposed one, say) is copied into C order first.</summary>
    private static long[] Count(HostArray<byte> image)
    {
        var tensor = image.Tensor;
        int rows = image.Shape[0];
        int rowLength = (int)(image.Size / rows);
        var start = new nint[image.Rank];
        var histogram = new ByteHistogram();
        for (int y = 0; y < rows; y++)
        {
            start[0] = y;
            if (!tensor.TryGetSpan(start, rowLength, out ReadOnlySpan<byte> row))
            {
                histogram = new ByteHistogram();
                histogram.Add(image.ToArray());
                break;
            }
            histogram.Add(row);
        }
        return histogram.Counts();
    }
}
