using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

public static partial class Filters
{
    public static partial class Methods
    {
        // Reach: half the footprint (3x3 by default).
        internal static int[] MedianReach(DispatchCall call) => Reaches.Footprint(call.Argument<NDArray>(0).Rank, call.Argument<NDArray?>("footprint"), 1);
    }

    /// <summary>
    /// skimage.filters.median (behavior='ndimage', i.e. scipy.ndimage.median_filter): the local median over
    /// <paramref name="footprint"/> (default 3x3 ones). The element type is kept. For a footprint of n elements the
    /// result is the element of rank n // 2 (the upper median when n is even).
    /// </summary>
    /// <param name="image">2-D image of any supported element type.</param>
    /// <param name="footprint">2-D bool/uint8 neighbourhood (non-zero = included, at least one), centred at shape // 2; null for 3x3 ones.</param>
    /// <param name="mode">Edge handling (scikit-image's default: nearest).</param>
    /// <param name="cval">Value beyond the edge for <see cref="BoundaryMode.Constant"/>, converted to the image type.</param>
    /// <param name="behavior">"ndimage" (the only one supported; scikit-image's "rank" is not implemented).</param>
    public static NDArray Median(NDArray image, NDArray? footprint = null, BoundaryMode mode = BoundaryMode.Nearest, double cval = 0, string behavior = "ndimage")
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        if (footprint is not null) CheckFootprint(footprint, image.Rank, nameof(footprint));
        Guard.Finite(cval, nameof(cval));
        ArgumentNullException.ThrowIfNull(behavior);
        if (behavior != "ndimage")
            throw new ArgumentException(behavior == "rank"
                ? "behavior 'rank' (skimage.filters.rank.median) is not supported; use 'ndimage'."
                : $"behavior must be 'ndimage'; got '{behavior}'.", nameof(behavior));
        return Methods.Median.Invoke(image, footprint, mode, cval, behavior);
    }

    private static void CheckFootprint(NDArray footprint, int rank, string name)
    {
        if (footprint.Rank != rank) throw new ArgumentException($"{name} must have as many axes as the image ({rank}); got shape {footprint.ShapeText}.", name);
        if (footprint.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {footprint.ShapeText}.", name);
        Guard.DTypeIn(footprint, name, DType.Bool, DType.UInt8);
        Guard.Elements(footprint.Size, name, "a footprint");
        if (footprint is HostArray host && Array.IndexOf((bool[])host.AsType(DType.Bool).ToFlatArray(), true) < 0)
            throw new ArgumentException($"{name} must have at least one non-zero element.", name);
    }

    private static bool[,] ToMask(HostArray footprint)
    {
        var values = ((HostArray<byte>)footprint.AsType(DType.UInt8)).ToArray();
        int h = footprint.Shape[0], w = footprint.Shape[1];
        var mask = new bool[h, w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) mask[i, j] = values[i * w + j] != 0;
        return mask;
    }

    [Function(Domains.Filters + ":median", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.MedianReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray MedianCpu(NDArray image, NDArray? footprint, BoundaryMode mode, double cval, string behavior) =>
        Guard.Host(image, nameof(image)) switch
        {
            HostArray<float> f => MedianOf(f, footprint, mode, cval),
            HostArray<double> d => MedianOf(d, footprint, mode, cval),
            HostArray<byte> b => MedianOf(b, footprint, mode, cval),
            HostArray<ushort> u => MedianOf(u, footprint, mode, cval),
            HostArray<int> i => MedianOf(i, footprint, mode, cval),
            HostArray<bool> b => MedianOfBool(b, footprint, mode, cval),
            _ => throw new ArgumentException($"image has unsupported element type {image.DType}.", nameof(image)),
        };

    private static HostArray<T> MedianOf<T>(HostArray<T> image, NDArray? footprint, BoundaryMode mode, double cval) where T : unmanaged, INumber<T>
    {
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        var (src, dst) = RowsOf(image, result);
        Median(src, dst, image.Shape.ToArray(), footprint, mode, Elements.From<T>(cval));
        return result;
    }

    private static HostArray<bool> MedianOfBool(HostArray<bool> image, NDArray? footprint, BoundaryMode mode, double cval)
    {
        var result = HostArray<bool>.Allocate(image.Shape.ToArray());
        var (src, dst) = RowsOf(image, result);
        Median(src.Reinterpret<byte>(), dst.Reinterpret<byte>(), image.Shape.ToArray(), footprint, mode, (byte)(cval != 0 ? 1 : 0));
        return result;
    }

    /// <summary>The rows the kernels read: a 2-D image's own (a crop stays a view), other ranks' dense lines.</summary>
    private static (ImageRows<T> Src, ImageRows<T> Dst) RowsOf<T>(HostArray<T> image, HostArray<T> result) where T : unmanaged =>
        image.Rank == 2 ? (image.Rows(), result.Rows()) : (image.Dense().Lines(), result.Lines());

    /// <summary>The 2-D kernels for images; <see cref="MedianVolume"/> for other ranks, whose default footprint in
    /// scikit-image is the full 3 x ... x 3 cube (generate_binary_structure(ndim, ndim)).</summary>
    private static void Median<T>(ImageRows<T> src, ImageRows<T> dst, int[] shape, NDArray? footprint, BoundaryMode mode, T cval) where T : unmanaged, INumber<T>
    {
        if (shape.Length == 2)
        {
            MedianRows(src, dst, footprint is null ? null : ToMask(Guard.Host(footprint, nameof(footprint))), mode, cval);
            return;
        }
        var fp = footprint is null
            ? FlatFootprint.Connectivity(shape.Length, shape.Length)
            : new FlatFootprint(footprint.Shape.ToArray(), (bool[])Guard.Host(footprint, nameof(footprint)).AsType(DType.Bool).ToFlatArray());
        MedianVolume.Filter(src, dst, shape, fp, mode, cval);
    }

    private static void MedianRows<T>(ImageRows<T> src, ImageRows<T> dst, bool[,]? footprint, BoundaryMode mode, T cval) where T : unmanaged, INumber<T>
    {
        if (footprint is null || IsFullSquare(footprint, 3)) Kernels.Median.Filter3x3(src, dst, mode, cval);
        else if (IsFullSquare(footprint, 5)) Kernels.Median.Filter5x5(src, dst, mode, cval);
        else Kernels.Median.FilterFootprint(src, dst, footprint, mode, cval);
    }

    private static bool IsFullSquare(bool[,] footprint, int size)
    {
        if (footprint.GetLength(0) != size || footprint.GetLength(1) != size) return false;
        foreach (var b in footprint) if (!b) return false;
        return true;
    }
}
