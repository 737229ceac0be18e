using Scoped.Image.Primitives;
using System.Numerics;
using Scoped.Image;

namespace Scoped.Backends.Gpu;

/// <summary>
/// Host side of Kernels/histogram.cu: skimage.exposure.histogram's bins counted on the device and returned as
/// Scoped.Image's <see cref="HistogramBins"/>, so equalize_hist and threshold_otsu finish with the CPU's own code.
/// uint8 and uint16 images get one bin per value (the device counts every value of the dtype, the host keeps
/// [min, max]); float32 / float64 images get np.histogram's uniform bins over their (masked) range, edges and bounds
/// from Scoped.Image's helpers. Counts are exact 64-bit integers: the same as the CPU's.
/// </summary>
internal static class GpuHistogram
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("histogram"));

    /// <summary>Most bins counted in a block's shared memory (32 kB of it); more go straight to global atomics.</summary>
    public const int MaxSharedBins = 8192;

    /// <summary>The histogram kernel module.</summary>
    public static KernelSource Source => s_source.Value;

    /// <summary>Whether the device histograms take this element type (uint8, uint16, float32, float64).</summary>
    public static bool IsSupported(DType dtype) => dtype is DType.UInt8 or DType.UInt16 or DType.Float32 or DType.Float64;

    /// <summary>The histogram over the (masked) image's own range; <paramref name="nbins"/> is used for float images only.</summary>
    public static HistogramBins ImageRange(GpuArray image, int nbins, DevicePointer mask = default) => image.DType switch
    {
        DType.UInt8 or DType.UInt16 => Integers(ValueCounts(image, mask)),
        DType.Float32 => Floats<float>(image, nbins, mask),
        DType.Float64 => Floats<double>(image, nbins, mask),
        _ => throw new ArgumentException($"The GPU histogram does not take {image.DType.NumPyName()} images.", "image"),
    };

    /// <summary>The count of every value of the dtype (256 or 65536 bins).</summary>
    public static long[] ValueCounts(GpuArray image, DevicePointer mask = default)
    {
        var device = image.Device;
        bool bytes = image.DType == DType.UInt8;
        int bins = bytes ? 256 : 65536;
        using var counts = ScratchBuffer.Zeros(device, bins * (long)sizeof(ulong));
        GpuLaunch.Run(device, Source, bytes ? "hist_u8" : "hist_u16", GpuLaunch.Striding(image.Size, bytes ? 256 * sizeof(uint) : 0),
            new KernelArguments().Pointer(image.Pointer).Pointer(mask).Long(image.Size).Pointer(counts.Pointer));
        return Array.ConvertAll(counts.Download<ulong>(bins), c => checked((long)c));
    }

    /// <summary>One bin per value from the smallest to the largest value present, as Histogram.Integers.</summary>
    internal static HistogramBins Integers(long[] valueCounts)
    {
        int lo = Array.FindIndex(valueCounts, c => c > 0), hi = Array.FindLastIndex(valueCounts, c => c > 0);
        if (lo < 0) throw HistogramBins.EmptyMask();
        var counts = valueCounts[lo..(hi + 1)];
        var centers = new double[counts.Length];
        for (int v = 0; v < centers.Length; v++) centers[v] = lo + v;
        return new HistogramBins(counts, centers, counts.Sum(), lo, true, lo == hi ? lo : null);
    }

    /// <summary>np.histogram's nbins uniform bins over the (masked) image's [min, max], as Histogram.Floats.</summary>
    private static HistogramBins Floats<T>(GpuArray image, int nbins, DevicePointer mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var device = image.Device;
        var range = GpuReduce.Range(image, mask);
        if (!range.Any) throw HistogramBins.EmptyMask();
        var (min, max) = range.Propagating;
        T first = T.CreateTruncating(min), last = T.CreateTruncating(max);
        if (!T.IsFinite(first) || !T.IsFinite(last))
            throw new ArgumentException($"image must hold only finite values for a histogram; its range is [{first}, {last}].", "image");
        double? constant = first == last ? double.CreateTruncating(first) : null;
        var (edges, centers) = HistogramBins.UniformEdges(first, last, nbins);
        var (norm, lower, upper) = HistogramBins.CountingBounds(edges);
        bool shared = nbins <= MaxSharedBins;
        using var lowerTable = ScratchBuffer.Upload(device, lower);
        using var upperTable = ScratchBuffer.Upload(device, upper);
        using var counts = ScratchBuffer.Zeros(device, nbins * (long)sizeof(ulong));
        var arguments = new KernelArguments().Pointer(image.Pointer).Pointer(mask).Long(image.Size).Int(nbins);
        Scalar(arguments, edges[0]);
        Scalar(arguments, edges[nbins]);
        Scalar(arguments, norm);
        arguments.Pointer(lowerTable.Pointer).Pointer(upperTable.Pointer).Pointer(counts.Pointer).Int(shared ? 1 : 0);
        GpuLaunch.Run(device, Source, $"hist_uniform_{GpuElementTypes.Suffix(image.DType)}",
            GpuLaunch.Striding(image.Size, shared ? nbins * sizeof(uint) : 0), arguments);
        var binCounts = Array.ConvertAll(counts.Download<ulong>(nbins), c => checked((long)c));
        return new HistogramBins(binCounts, centers, binCounts.Sum(), 0, false, constant);
    }

    /// <summary>A float or double kernel parameter, as the kernel for T declares it.</summary>
    internal static KernelArguments Scalar<T>(KernelArguments arguments, T value) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? arguments.Float(float.CreateTruncating(value)) : arguments.Double(double.CreateTruncating(value));
}
