using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Image.Kernels;
using Scoped.Image.Primitives;

namespace Scoped.Image;

// Grey and binary morphology on images of 3 or more axes (volumes, stacks, time series): the same operators as the 2-D
// ones, where scikit-image 0.19 places footprints as ndimage does. Its 2-D-only footprint shifting (shift_x, shift_y,
// and the zero row or column it adds to even footprints) does nothing in N-D, so an even axis is centred at n / 2 by
// ndi.grey_erosion and at n / 2 - 1 by ndi.grey_dilation (which mirrors the footprint scikit-image mirrored first).
public static partial class Morphology
{
    /// <summary>The footprint of an N-D call as a flat footprint: the array given (any dtype, non-zero = in) with as many
    /// axes as the image, or ndimage's cross (generate_binary_structure(rank, 1)) for null.</summary>
    private static FlatFootprint FootprintOf(NDArray? footprint, int rank, string name = "footprint")
    {
        if (footprint is null) return FlatFootprint.Connectivity(rank, 1);
        if (footprint.Rank != rank)
            throw new ArgumentException($"{name} must have as many axes as the image ({rank}); got shape {footprint.ShapeText}.", name);
        if (footprint.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {footprint.ShapeText}.", name);
        var host = footprint as HostArray ?? throw new ArgumentException($"{name} must be a host array; got a {footprint.Kind} array.", name);
        Guard.Elements(footprint.Size, name, "a footprint");
        var values = (bool[])host.AsType(DType.Bool).ToFlatArray();
        if (Array.IndexOf(values, true) < 0) throw new ArgumentException($"{name} must have at least one non-zero element.", name);
        return new FlatFootprint(footprint.Shape.ToArray(), values);
    }

    /// <summary>ndi.grey_erosion's centre (n / 2 on every axis) or ndi.grey_dilation's as scikit-image calls it
    /// (n / 2 - 1 on even axes).</summary>
    private static int[] VolumeCentres(FlatFootprint footprint, bool dilation) =>
        Array.ConvertAll(footprint.Shape, n => Footprints.Centre(n, shift: !dilation));

    /// <summary>Erosion (min) or dilation (max) of an N-D image of any supported dtype over <paramref name="footprint"/>.</summary>
    private static HostArray GreyVolume(HostArray image, FlatFootprint footprint, int[] centre, bool mirror, BoundaryMode mode, double cval, bool max) => image switch
    {
        HostArray<float> a => GreyVolume(a, footprint, centre, mirror, mode, cval, max),
        HostArray<double> a => GreyVolume(a, footprint, centre, mirror, mode, cval, max),
        HostArray<byte> a => GreyVolume(a, footprint, centre, mirror, mode, cval, max),
        HostArray<ushort> a => GreyVolume(a, footprint, centre, mirror, mode, cval, max),
        HostArray<int> a => GreyVolume(a, footprint, centre, mirror, mode, cval, max),
        HostArray<bool> a => GreyVolumeBool(a, footprint, centre, mirror, mode, cval, max),
        _ => throw new ArgumentException($"Unsupported element type {image.DType.NumPyName()}.", "image"),
    };

    private static HostArray<T> GreyVolume<T>(HostArray<T> image, FlatFootprint footprint, int[] centre, bool mirror, BoundaryMode mode, double cval, bool max)
        where T : unmanaged, INumber<T>
    {
        var src = image.Dense();
        var shape = src.Shape.ToArray();
        var result = HostArray<T>.Allocate(shape);
        if (max) MinMaxVolume.Filter<T, MaxOp<T>>(src.Lines(), result.Lines(), shape, footprint, centre, mirror, mode, Elements.From<T>(cval));
        else MinMaxVolume.Filter<T, MinOp<T>>(src.Lines(), result.Lines(), shape, footprint, centre, mirror, mode, Elements.From<T>(cval));
        return result;
    }

    private static HostArray<bool> GreyVolumeBool(HostArray<bool> image, FlatFootprint footprint, int[] centre, bool mirror, BoundaryMode mode, double cval, bool max)
    {
        var src = image.Dense();
        var shape = src.Shape.ToArray();
        var result = HostArray<bool>.Allocate(shape);
        byte c = cval != 0 ? (byte)1 : (byte)0;
        if (max) MinMaxVolume.Filter<byte, MaxOp<byte>>(src.Lines().Reinterpret<byte>(), result.Lines().Reinterpret<byte>(), shape, footprint, centre, mirror, mode, c);
        else MinMaxVolume.Filter<byte, MinOp<byte>>(src.Lines().Reinterpret<byte>(), result.Lines().Reinterpret<byte>(), shape, footprint, centre, mirror, mode, c);
        return result;
    }

    /// <summary>skimage's erosion (max false) or dilation (max true) of an N-D image: mode reflect.</summary>
    private static HostArray ErodeOrDilateVolume(HostArray image, FlatFootprint footprint, bool max) =>
        GreyVolume(image, footprint, VolumeCentres(footprint, dilation: max), false, BoundaryMode.Reflect, 0, max);

    /// <summary>skimage's opening / closing in N-D: even axes padded by n - 1 edge elements, the two passes, the crop.</summary>
    private static HostArray EccentricVolume(HostArray image, FlatFootprint footprint, bool dilateFirst)
    {
        var pairs = footprint.Shape.SelectMany(n => n % 2 == 0 ? new[] { n - 1, n - 1 } : [0, 0]).ToArray();
        bool padded = Array.Exists(pairs, p => p > 0);
        var work = padded ? Util.PadHost(image, pairs, BoundaryMode.Nearest, 0) : image;
        var result = ErodeOrDilateVolume(ErodeOrDilateVolume(work, footprint, dilateFirst), footprint, !dilateFirst);
        return padded ? Util.CropHost(result, pairs, copy: true) : result;
    }

    /// <summary>ndi.white_tophat's opening in N-D: erosion, then dilation with the mirrored footprint, both centred at n / 2.</summary>
    private static HostArray NdimageOpeningVolume(HostArray image, FlatFootprint footprint)
    {
        var centre = VolumeCentres(footprint, dilation: false);
        return GreyVolume(GreyVolume(image, footprint, centre, false, BoundaryMode.Reflect, 0, max: false), footprint, centre, true, BoundaryMode.Reflect, 0, max: true);
    }

    /// <summary>ndi.binary_erosion (border 1) or ndi.binary_dilation (mirrored footprint, border 0) in N-D; centre n / 2.</summary>
    private static HostArray<bool> BinaryVolume(HostArray<bool> image, FlatFootprint footprint, bool dilate) =>
        (HostArray<bool>)GreyVolume(image, footprint, VolumeCentres(footprint, dilation: false), dilate, BoundaryMode.Constant, dilate ? 0 : 1, max: dilate);
}
