using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scoped.Dispatch;
using Scoped.Image.Kernels;
using Scoped.Image.Primitives;

namespace Scoped.Image;

/// <summary>skimage.morphology (domain scoped.image.morphology): grey and binary morphology on images of 2 or more
/// axes (2-D images on the fused 2-D kernels, volumes and higher on the N-D ones: Morphology.Volumes.cs).</summary>
public static partial class Morphology
{
    public static partial class Methods
    {
        // Reach: half the footprint per pass (3x3 by default); the openings, closings and tophats make two passes.
        internal static int[] OnePassReach(DispatchCall call) => Reaches.Footprint(call.Argument<NDArray>(0).Rank, call.Argument<NDArray?>("footprint"), 1);

        internal static int[] TwoPassReach(DispatchCall call) => Reaches.Footprint(call.Argument<NDArray>(0).Rank, call.Argument<NDArray?>("footprint"), 2);
    }

    // ---------------------------------------------------------------- public API

    /// <summary>
    /// skimage.morphology.erosion: the minimum over the footprint (ndi.grey_erosion, mode 'reflect'). The dtype is
    /// kept. The default footprint is the 3x3 cross. An even footprint axis is centred at (n - 1) / 2, or n / 2 with
    /// <paramref name="shiftX"/> (rows) / <paramref name="shiftY"/> (columns), as scikit-image pads it.
    /// </summary>
    /// <param name="image">2-D image: float32, float64, uint8, uint16, int32 or bool.</param>
    /// <param name="footprint">2-D array, non-zero = in the neighbourhood (uint8 or bool); null for the cross.</param>
    /// <param name="shiftX">Centre an even number of footprint rows one row lower.</param>
    /// <param name="shiftY">Centre an even number of footprint columns one column further right.</param>
    public static NDArray Erosion(NDArray image, NDArray? footprint = null, bool shiftX = false, bool shiftY = false)
    {
        CheckGrey(image, footprint);
        return Methods.Erosion.Invoke(image, footprint, shiftX, shiftY);
    }

    /// <summary>
    /// skimage.morphology.dilation: the maximum over the footprint (ndi.grey_dilation of the footprint scikit-image
    /// mirrors first, so the footprint is applied as given; mode 'reflect'). The dtype is kept; default footprint: cross.
    /// </summary>
    /// <inheritdoc cref="Erosion"/>
    public static NDArray Dilation(NDArray image, NDArray? footprint = null, bool shiftX = false, bool shiftY = false)
    {
        CheckGrey(image, footprint);
        return Methods.Dilation.Invoke(image, footprint, shiftX, shiftY);
    }

    /// <summary>skimage.morphology.opening: erosion then dilation (even footprints padded at the edge as scikit-image does).</summary>
    /// <param name="image">2-D image: float32, float64, uint8, uint16, int32 or bool.</param>
    /// <param name="footprint">2-D array, non-zero = in the neighbourhood; null for the 3x3 cross.</param>
    public static NDArray Opening(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.Opening.Invoke(image, footprint);
    }

    /// <summary>skimage.morphology.closing: dilation then erosion.</summary>
    /// <inheritdoc cref="Opening"/>
    public static NDArray Closing(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.Closing.Invoke(image, footprint);
    }

    /// <summary>skimage.morphology.white_tophat: image minus its opening (ndi.white_tophat); integer types wrap as NumPy does.</summary>
    /// <inheritdoc cref="Opening"/>
    public static NDArray WhiteTophat(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.WhiteTophat.Invoke(image, footprint);
    }

    /// <summary>skimage.morphology.black_tophat: closing minus the image.</summary>
    /// <inheritdoc cref="Opening"/>
    public static NDArray BlackTophat(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.BlackTophat.Invoke(image, footprint);
    }

    /// <summary>
    /// skimage.morphology.binary_erosion: true where the whole footprint lies on true pixels; outside the image counts
    /// as true (border_value=1). Any dtype is read as non-zero = true; the result is bool.
    /// </summary>
    /// <param name="image">2-D image (bool, or any dtype read as non-zero = true).</param>
    /// <param name="footprint">2-D array, non-zero = in the neighbourhood; null for the 3x3 cross.</param>
    public static NDArray BinaryErosion(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.BinaryErosion.Invoke(image, footprint);
    }

    /// <summary>skimage.morphology.binary_dilation: true where the mirrored footprint touches a true pixel; outside is false.</summary>
    /// <inheritdoc cref="BinaryErosion"/>
    public static NDArray BinaryDilation(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.BinaryDilation.Invoke(image, footprint);
    }

    /// <summary>skimage.morphology.binary_opening: binary erosion then binary dilation.</summary>
    /// <inheritdoc cref="BinaryErosion"/>
    public static NDArray BinaryOpening(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.BinaryOpening.Invoke(image, footprint);
    }

    /// <summary>skimage.morphology.binary_closing: binary dilation then binary erosion.</summary>
    /// <inheritdoc cref="BinaryErosion"/>
    public static NDArray BinaryClosing(NDArray image, NDArray? footprint = null)
    {
        CheckGrey(image, footprint);
        return Methods.BinaryClosing.Invoke(image, footprint);
    }

    /// <summary>
    /// skimage.morphology.remove_small_objects: zeroes connected components with fewer than
    /// <paramref name="minSize"/> pixels. A bool image is labelled first with <paramref name="connectivity"/>
    /// (1 = 4-neighbours, 2 = 8-neighbours); an integer image is taken as labels already (0 = background).
    /// Returns a new array of the input's dtype.
    /// </summary>
    /// <param name="ar">2-D bool mask, or uint8/uint16/int32 labels (no negative values).</param>
    /// <param name="minSize">Smallest component size kept.</param>
    /// <param name="connectivity">1 or 2; used only for bool input.</param>
    public static NDArray RemoveSmallObjects(NDArray ar, int minSize = 64, int connectivity = 1)
    {
        Guard.Spatial(ar, nameof(ar), null, minRank: 2);
        Guard.DTypeIn(ar, nameof(ar), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32);
        if (connectivity < 1 || connectivity > ar.Rank)
            throw new ArgumentException($"connectivity must be in [1, {ar.Rank}] for a {ar.Rank}-D image; got {connectivity}.", nameof(connectivity));
        return Methods.RemoveSmallObjects.Invoke(ar, minSize, connectivity);
    }

    /// <summary>
    /// skimage.morphology.remove_small_holes: fills the holes (connected regions of false, <paramref name="connectivity"/>
    /// as in <see cref="RemoveSmallObjects"/>) with fewer than <paramref name="areaThreshold"/> elements; a hole that
    /// touches the border is a region like any other. Integer input is read as a mask (non-zero = true), as scikit-image
    /// does with its warning; the result is bool.
    /// </summary>
    /// <param name="ar">bool mask, or uint8/uint16/int32 read as one, of 2 or more axes.</param>
    /// <param name="areaThreshold">Holes smaller than this are filled (&gt;= 0).</param>
    /// <param name="connectivity">1..rank.</param>
    public static NDArray RemoveSmallHoles(NDArray ar, int areaThreshold = 64, int connectivity = 1)
    {
        Guard.Spatial(ar, nameof(ar), null, minRank: 2);
        Guard.DTypeIn(ar, nameof(ar), DType.Bool, DType.UInt8, DType.UInt16, DType.Int32);
        if (areaThreshold < 0) throw new ArgumentException($"areaThreshold must be >= 0; got {areaThreshold}.", nameof(areaThreshold));
        if (connectivity < 1 || connectivity > ar.Rank)
            throw new ArgumentException($"connectivity must be in [1, {ar.Rank}] for a {ar.Rank}-D image; got {connectivity}.", nameof(connectivity));
        return Methods.RemoveSmallHoles.Invoke(ar, areaThreshold, connectivity);
    }

    private static void CheckGrey(NDArray image, NDArray? footprint)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 2);
        if (image.Rank == 2) FootprintGrid(footprint);
        else FootprintOf(footprint, image.Rank);
    }

    // ---------------------------------------------------------------- implementations

    [Function(Domains.Morphology + ":erosion", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.OnePassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ErosionCpu(NDArray image, NDArray? footprint, bool shiftX, bool shiftY)
    {
        if (image.Rank != 2) return ErodeOrDilateVolume(Guard.Host(image, nameof(image)), FootprintOf(footprint, image.Rank), max: false);
        var fp = FootprintGrid(footprint);
        var place = new MinMaxPlacement(Footprints.Centre(fp.GetLength(0), shiftX), Footprints.Centre(fp.GetLength(1), shiftY), false, BoundaryMode.Reflect, 0);
        return Grey(Guard.Host(image, nameof(image)), fp, place, max: false);
    }

    [Function(Domains.Morphology + ":dilation", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.OnePassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray DilationCpu(NDArray image, NDArray? footprint, bool shiftX, bool shiftY)
    {
        if (image.Rank != 2) return ErodeOrDilateVolume(Guard.Host(image, nameof(image)), FootprintOf(footprint, image.Rank), max: true);
        var fp = FootprintGrid(footprint);
        var place = new MinMaxPlacement(Footprints.Centre(fp.GetLength(0), shiftX), Footprints.Centre(fp.GetLength(1), shiftY), false, BoundaryMode.Reflect, 0);
        return Grey(Guard.Host(image, nameof(image)), fp, place, max: true);
    }

    /// <summary>Grey erosion or dilation (skimage's: mode reflect, centred footprint) of any rank, for the functions
    /// built on them (segmentation.find_boundaries); runs in bands like the two it calls.</summary>
    internal static HostArray ErodeOrDilate(HostArray image, NDArray footprint, bool max) =>
        (HostArray)(max ? DilationCpu(image, footprint, false, false) : ErosionCpu(image, footprint, false, false));

    [Function(Domains.Morphology + ":opening", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.TwoPassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray OpeningCpu(NDArray image, NDArray? footprint) => image.Rank != 2
        ? EccentricVolume(Guard.Host(image, nameof(image)), FootprintOf(footprint, image.Rank), dilateFirst: false)
        : Eccentric(Guard.Host(image, nameof(image)), FootprintGrid(footprint), dilateFirst: false);

    [Function(Domains.Morphology + ":closing", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.TwoPassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ClosingCpu(NDArray image, NDArray? footprint) => image.Rank != 2
        ? EccentricVolume(Guard.Host(image, nameof(image)), FootprintOf(footprint, image.Rank), dilateFirst: true)
        : Eccentric(Guard.Host(image, nameof(image)), FootprintGrid(footprint), dilateFirst: true);

    /// <summary>
    /// scikit-image's opening/closing: the first operation centres even axes at (n - 1) / 2, the second at n / 2;
    /// with an even footprint axis, the image is first padded by n - 1 edge pixels on that axis and cropped after.
    /// </summary>
    private static HostArray Eccentric(HostArray image, bool[,] fp, bool dilateFirst)
    {
        int fr = fp.GetLength(0), fc = fp.GetLength(1);
        int padY = fr % 2 == 0 ? fr - 1 : 0, padX = fc % 2 == 0 ? fc - 1 : 0;
        var first = new MinMaxPlacement(Footprints.Centre(fr, false), Footprints.Centre(fc, false), false, BoundaryMode.Reflect, 0);
        var second = new MinMaxPlacement(Footprints.Centre(fr, true), Footprints.Centre(fc, true), false, BoundaryMode.Reflect, 0);
        int[] pairs = [padY, padY, padX, padX];
        var work = padY + padX > 0 ? Util.PadHost(image, pairs, BoundaryMode.Nearest, 0) : image;
        var result = Grey(Grey(work, fp, first, max: dilateFirst), fp, second, max: !dilateFirst);
        return padY + padX > 0 ? Util.CropHost(result, pairs, copy: true) : result;
    }

    [Function(Domains.Morphology + ":white_tophat", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.TwoPassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray WhiteTophatCpu(NDArray image, NDArray? footprint)
    {
        var host = Guard.Host(image, nameof(image));
        if (image.Rank != 2) return Subtract(host, NdimageOpeningVolume(host, FootprintOf(footprint, image.Rank)));
        var fp = FootprintGrid(footprint);
        // ndi.white_tophat: ndimage's own opening, whose dilation mirrors the footprint (centre n / 2 on every axis).
        var centre = new MinMaxPlacement(fp.GetLength(0) / 2, fp.GetLength(1) / 2, false, BoundaryMode.Reflect, 0);
        var opened = Grey(Grey(host, fp, centre, max: false), fp, centre with { Mirror = true }, max: true);
        return Subtract(host, opened);
    }

    [Function(Domains.Morphology + ":black_tophat", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.TwoPassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray BlackTophatCpu(NDArray image, NDArray? footprint)
    {
        var host = Guard.Host(image, nameof(image));
        return image.Rank != 2
            ? Subtract(EccentricVolume(host, FootprintOf(footprint, image.Rank), dilateFirst: true), host)
            : Subtract(Eccentric(host, FootprintGrid(footprint), dilateFirst: true), host);
    }

    [Function(Domains.Morphology + ":binary_erosion", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.OnePassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray BinaryErosionCpu(NDArray image, NDArray? footprint) => image.Rank != 2
        ? BinaryVolume(ToBool(Guard.Host(image, nameof(image))), FootprintOf(footprint, image.Rank), dilate: false)
        : BinaryOp(ToBool(Guard.Host(image, nameof(image))), FootprintGrid(footprint), dilate: false);

    [Function(Domains.Morphology + ":binary_dilation", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.OnePassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray BinaryDilationCpu(NDArray image, NDArray? footprint) => image.Rank != 2
        ? BinaryVolume(ToBool(Guard.Host(image, nameof(image))), FootprintOf(footprint, image.Rank), dilate: true)
        : BinaryOp(ToBool(Guard.Host(image, nameof(image))), FootprintGrid(footprint), dilate: true);

    [Function(Domains.Morphology + ":binary_opening", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.TwoPassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray BinaryOpeningCpu(NDArray image, NDArray? footprint)
    {
        if (image.Rank != 2)
        {
            var volumeFootprint = FootprintOf(footprint, image.Rank);
            return BinaryVolume(BinaryVolume(ToBool(Guard.Host(image, nameof(image))), volumeFootprint, dilate: false), volumeFootprint, dilate: true);
        }
        var fp = FootprintGrid(footprint);
        return BinaryOp(BinaryOp(ToBool(Guard.Host(image, nameof(image))), fp, dilate: false), fp, dilate: true);
    }

    [Function(Domains.Morphology + ":binary_closing", FunctionKind.Neighbourhood, RunsInBands = true, Reach = nameof(Methods.TwoPassReach), MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray BinaryClosingCpu(NDArray image, NDArray? footprint)
    {
        if (image.Rank != 2)
        {
            var volumeFootprint = FootprintOf(footprint, image.Rank);
            return BinaryVolume(BinaryVolume(ToBool(Guard.Host(image, nameof(image))), volumeFootprint, dilate: true), volumeFootprint, dilate: false);
        }
        var fp = FootprintGrid(footprint);
        return BinaryOp(BinaryOp(ToBool(Guard.Host(image, nameof(image))), fp, dilate: true), fp, dilate: false);
    }

    /// <summary>ndi.binary_erosion (border 1) or ndi.binary_dilation (mirrored footprint, border 0); centre n / 2.</summary>
    internal static HostArray<bool> BinaryOp(HostArray<bool> image, bool[,] fp, bool dilate)
    {
        var place = new MinMaxPlacement(fp.GetLength(0) / 2, fp.GetLength(1) / 2, dilate, BoundaryMode.Constant, dilate ? 0 : 1);
        return (HostArray<bool>)Grey(image, fp, place, max: dilate);
    }

    private static HostArray<bool> ToBool(HostArray image) => image switch
    {
        HostArray<bool> b => b,
        HostArray<float> a => NonZero(a),
        HostArray<double> a => NonZero(a),
        HostArray<byte> a => NonZero(a),
        HostArray<ushort> a => NonZero(a),
        HostArray<int> a => NonZero(a),
        _ => (HostArray<bool>)image.AsType(DType.Bool),
    };

    /// <summary>image != 0 (astype(bool): NaN is true), in row bands.</summary>
    private static HostArray<bool> NonZero<T>(HostArray<T> image) where T : unmanaged, INumber<T>
    {
        var result = HostArray<bool>.Allocate(image.Shape.ToArray());
        var rs = image.Flat(); var rd = result.Flat();
        Bands.For(rs.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = rs.Row(y); var d = rd.Row(y);
                for (int x = 0; x < d.Length; x++) d[x] = s[x] != T.Zero;
            }
        });
        return result;
    }

    internal static HostArray Grey(HostArray image, bool[,] fp, MinMaxPlacement place, bool max) => image switch
    {
        HostArray<float> a => Grey(a, fp, place, max),
        HostArray<double> a => Grey(a, fp, place, max),
        HostArray<byte> a => Grey(a, fp, place, max),
        HostArray<ushort> a => Grey(a, fp, place, max),
        HostArray<int> a => Grey(a, fp, place, max),
        HostArray<bool> a => GreyBool(a, fp, place, max),
        _ => throw new ArgumentException($"Unsupported element type {image.DType.NumPyName()}.", "image"),
    };

    internal static HostArray<T> Grey<T>(HostArray<T> image, bool[,] fp, MinMaxPlacement place, bool max) where T : unmanaged, INumber<T>
    {
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        if (max) MinMax.Filter<T, MaxOp<T>>(image.Rows(), result.Rows(), fp, place);
        else MinMax.Filter<T, MinOp<T>>(image.Rows(), result.Rows(), fp, place);
        return result;
    }

    private static HostArray<bool> GreyBool(HostArray<bool> image, bool[,] fp, MinMaxPlacement place, bool max)
    {
        var result = HostArray<bool>.Allocate(image.Shape.ToArray());
        var src = AsBytes(image.Rows());
        var dst = AsBytes(result.Rows());
        if (max) MinMax.Filter<byte, MaxOp<byte>>(src, dst, fp, place);
        else MinMax.Filter<byte, MinOp<byte>>(src, dst, fp, place);
        return result;
    }

    /// <summary>The rows of a bool image as bytes (0 or 1), without copying.</summary>
    internal static ImageRows<byte> AsBytes(ImageRows<bool> rows) =>
        rows.Reinterpret<byte>();

    private static HostArray Subtract(HostArray a, HostArray b) => (a, b) switch
    {
        (HostArray<float> x, HostArray<float> y) => Subtract(x, y),
        (HostArray<double> x, HostArray<double> y) => Subtract(x, y),
        (HostArray<byte> x, HostArray<byte> y) => Subtract(x, y),
        (HostArray<ushort> x, HostArray<ushort> y) => Subtract(x, y),
        (HostArray<int> x, HostArray<int> y) => Subtract(x, y),
        (HostArray<bool> x, HostArray<bool> y) => Xor(x, y),
        _ => throw new ArgumentException("Unsupported element type.", "image"),
    };

    private static HostArray<T> Subtract<T>(HostArray<T> a, HostArray<T> b) where T : unmanaged, INumber<T>
    {
        var result = HostArray<T>.Allocate(a.Shape.ToArray());
        var ra = a.Flat(); var rb = b.Flat(); var rd = result.Flat();
        Bands.For(ra.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var sa = ra.Row(y); var sb = rb.Row(y); var d = rd.Row(y);
                for (int x = 0; x < d.Length; x++) d[x] = unchecked(sa[x] - sb[x]);
            }
        });
        return result;
    }

    private static HostArray<bool> Xor(HostArray<bool> a, HostArray<bool> b)
    {
        var result = HostArray<bool>.Allocate(a.Shape.ToArray());
        var ra = a.Flat(); var rb = b.Flat(); var rd = result.Flat();
        Bands.For(ra.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var sa = ra.Row(y); var sb = rb.Row(y); var d = rd.Row(y);
                for (int x = 0; x < d.Length; x++) d[x] = sa[x] ^ sb[x];
            }
        });
        return result;
    }

    [Function(Domains.Morphology + ":remove_small_objects", FunctionKind.Labelling, RunsInBands = true, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray RemoveSmallObjectsCpu(NDArray ar, int minSize, int connectivity) => Guard.Host(ar, nameof(ar)) switch
    {
        // minSize 0 keeps everything: a copy, without labelling.
        HostArray<bool> mask when minSize == 0 => KeepLargeObjects(mask, mask.Flat().Reinterpret<byte>(), minSize),
        HostArray<bool> mask when mask.Rank != 2 => KeepLargeObjects(mask, Measure.LabelVolume(mask, 0, connectivity).Flat(), minSize),
        HostArray<bool> mask => KeepLargeObjects(mask, Labeling.Label(mask, background: 0, connectivity == 2, out _).Rows(), minSize),
        HostArray<byte> a => KeepLargeObjects(a, a.Flat(), minSize),
        HostArray<ushort> a => KeepLargeObjects(a, a.Flat(), minSize),
        HostArray<int> a => KeepLargeObjects(a, a.Flat(), minSize),
        var other => throw new ArgumentException($"ar has unsupported element type {other.DType}.", nameof(ar)),
    };

    [Function(Domains.Morphology + ":remove_small_holes", FunctionKind.Labelling, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray RemoveSmallHolesCpu(NDArray ar, int areaThreshold, int connectivity)
    {
        var host = Guard.Host(ar, nameof(ar));
        var mask = host as HostArray<bool> ?? (HostArray<bool>)host.AsType(DType.Bool);
        var shape = mask.Shape.ToArray();
        // The holes are the objects of the inverted mask; the small ones go, and the mask is inverted back.
        var holes = HostArray.Create(Array.ConvertAll(mask.ToArray(), v => !v), shape);
        var kept = ((HostArray<bool>)RemoveSmallObjectsCpu(holes, areaThreshold, connectivity)).ToArray();
        return HostArray.Create(Array.ConvertAll(kept, v => !v), shape);
    }

    /// <summary>
    /// A copy of <paramref name="image"/> with the pixels whose label (in <paramref name="labels"/>) covers fewer than
    /// <paramref name="minSize"/> pixels set to zero. The largest label and the pixel count per label are exact
    /// integers kept per band and merged; the output rows are written in bands.
    /// </summary>
    private static HostArray<T> KeepLargeObjects<T, TLabel>(HostArray<T> image, ImageRows<TLabel> labels, int minSize)
        where T : unmanaged where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        var src = image.Flat();
        var result = HostArray<T>.Allocate(image.Shape.ToArray());
        var dst = result.Flat();
        int h = src.Height;
        if (minSize == 0)
        {
            Bands.For(h, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) => { for (int y = start; y < end; y++) src.Row(y).CopyTo(dst.Row(y)); });
            return result;
        }
        long largest = Labeling.LargestLabel(labels);
        if (largest < 0) throw new ArgumentException("ar has negative labels; remove_small_objects needs labels >= 0.", "ar");
        // Pixel counts per label, one array per band (fewer bands when the labels go high).
        int count = Math.Max(1, Math.Min(Bands.Count(h), (int)Math.Min(int.MaxValue, (1L << 24) / (largest + 1))));
        var partial = new long[count][];
        Bands.For(h, count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (band, start, end) =>
        {
            var counts = partial[band] = new long[largest + 1];
            for (int y = start; y < end; y++)
                foreach (var v in labels.Row(y)) counts[long.CreateTruncating(v)]++;
        });
        var sizes = partial[0];
        for (int b = 1; b < count; b++)
            for (long l = 0; l <= largest; l++) sizes[l] += partial[b][l];
        Bands.For(h, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                var s = src.Row(y);
                var l = labels.Row(y);
                var d = dst.Row(y);
                for (int x = 0; x < d.Length; x++) d[x] = sizes[long.CreateTruncating(l[x])] < minSize ? default : s[x];
            }
        });
        return result;
    }
}
