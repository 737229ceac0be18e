using System.Numerics;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// Grey-level reconstruction and the h-extrema built on it (skimage.morphology.reconstruction, h_maxima, h_minima), in
// any rank: values propagate over the whole image, so none of them runs in bands.
public static partial class Morphology
{
    /// <summary>
    /// skimage.morphology.reconstruction: the seed dilated (or eroded) by the footprint again and again, never past the
    /// mask, until it stops changing. Result: float64, the seed's shape.
    /// </summary>
    /// <param name="seed">The values that spread: &lt;= mask everywhere for "dilation", &gt;= mask for "erosion". Any numeric dtype or bool, any rank.</param>
    /// <param name="mask">The bound (above for dilation, below for erosion), the seed's shape.</param>
    /// <param name="method">"dilation" or "erosion".</param>
    /// <param name="footprint">The neighbourhood (any dtype, non-zero = in), as many axes as the seed; null for all ones, 3 per axis.</param>
    /// <param name="offset">The footprint's centre, one index per axis inside it; null for the middle (every axis odd).</param>
    /// <exception cref="ArgumentException">The seed is above the mask somewhere (dilation) or below it (erosion).</exception>
    public static NDArray Reconstruction(NDArray seed, NDArray mask, string method = "dilation", NDArray? footprint = null, int[]? offset = null)
    {
        Guard.Spatial(seed, nameof(seed), null, minRank: 1);
        Guard.SameShape(seed, nameof(seed), mask, nameof(mask));
        if (method is not ("dilation" or "erosion"))
            throw new ArgumentException($"method must be 'dilation' or 'erosion'; got '{method}'.", nameof(method));
        ReconstructionFootprint(footprint, offset, seed.Rank);
        return Methods.Reconstruction.Invoke(seed, mask, method, footprint, offset);
    }

    /// <summary>
    /// skimage.morphology.h_maxima: 1 (uint8) on the maxima whose height above their surroundings is at least
    /// <paramref name="h"/>: where the image minus its reconstruction from image - h is &gt;= h. Float images are
    /// lowered by h plus twice their type's resolution times |value| (scikit-image's guard against rounding); an integer
    /// image with a fractional h is taken as float64 first. An h above the image's range gives all zeros.
    /// </summary>
    /// <param name="image">uint8, uint16, int32, float32 or float64, any rank.</param>
    /// <param name="h">The least height, &gt; 0.</param>
    /// <param name="footprint">The neighbourhood (non-zero = in, odd on every axis); null for all ones, 3 per axis.</param>
    public static NDArray HMaxima(NDArray image, double h, NDArray? footprint = null)
    {
        CheckHExtrema(image, h, footprint);
        return Methods.HMaxima.Invoke(image, h, footprint);
    }

    /// <summary>skimage.morphology.h_minima: 1 (uint8) on the minima at least <paramref name="h"/> deep (see <see cref="HMaxima"/>).</summary>
    /// <inheritdoc cref="HMaxima"/>
    public static NDArray HMinima(NDArray image, double h, NDArray? footprint = null)
    {
        CheckHExtrema(image, h, footprint);
        return Methods.HMinima.Invoke(image, h, footprint);
    }

    private static void CheckHExtrema(NDArray image, double h, NDArray? footprint)
    {
        Guard.Spatial(image, nameof(image), null, minRank: 1);
        Guard.DTypeIn(image, nameof(image), Numeric.Types);
        if (!double.IsFinite(h) || h <= 0)
            throw new ArgumentException($"h must be a finite number > 0 (h = 0 is local_maxima / local_minima); got {h}.", nameof(h));
        ReconstructionFootprint(footprint, null, image.Rank);
    }

    /// <summary>The footprint and centre of a reconstruction (scikit-image's rules), checked.</summary>
    private static (FlatFootprint Footprint, int[] Centre) ReconstructionFootprint(NDArray? footprint, int[]? offset, int rank)
    {
        FlatFootprint fp;
        if (footprint is null) fp = FlatFootprint.Connectivity(rank, rank);
        else
        {
            if (footprint.Rank != rank)
                throw new ArgumentException($"footprint must have as many axes as the image ({rank}); got shape {footprint.ShapeText}.", nameof(footprint));
            if (footprint.Size == 0) throw new ArgumentException($"footprint must not be empty; got shape {footprint.ShapeText}.", nameof(footprint));
            var host = footprint as HostArray ?? throw new ArgumentException($"footprint must be a host array; got a {footprint.Kind} array.", nameof(footprint));
            Guard.Elements(footprint.Size, nameof(footprint), "a footprint");
            fp = new FlatFootprint(footprint.Shape.ToArray(), (bool[])host.AsType(DType.Bool).ToFlatArray());
        }
        if (offset is null)
        {
            if (Array.Exists(fp.Shape, n => n % 2 == 0))
                throw new ArgumentException($"footprint must be odd on every axis when no offset is given; got shape {footprint!.ShapeText}.", nameof(footprint));
            return (fp, Array.ConvertAll(fp.Shape, n => n / 2));
        }
        if (offset.Length != rank)
            throw new ArgumentException($"offset must have one index per axis ({rank}); got {offset.Length}.", nameof(offset));
        for (int a = 0; a < rank; a++)
            if (offset[a] < 0 || offset[a] >= fp.Shape[a])
                throw new ArgumentException($"offset must lie inside the footprint (0 <= offset[{a}] < {fp.Shape[a]}); got {offset[a]}.", nameof(offset));
        return (fp, (int[])offset.Clone());
    }

    // ---------------------------------------------------------------- implementations

    [Function(Domains.Morphology + ":reconstruction", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray ReconstructionCpu(NDArray seed, NDArray mask, string method, NDArray? footprint, int[]? offset)
    {
        var (fp, centre) = ReconstructionFootprint(footprint, offset, seed.Rank);
        var s = (double[])Guard.Host(seed, nameof(seed)).AsType(DType.Float64).ToFlatArray();
        var m = (double[])Guard.Host(mask, nameof(mask)).AsType(DType.Float64).ToFlatArray();
        return HostArray.Create(Reconstruct(s, m, seed.Shape.ToArray(), fp, centre, erosion: method == "erosion"), seed.Shape.ToArray());
    }

    /// <summary>Reconstruction of float64 images (the inputs are the callers' own copies): erosion is dilation of the
    /// negated images, negated back.</summary>
    private static double[] Reconstruct(double[] seed, double[] mask, int[] shape, FlatFootprint footprint, int[] centre, bool erosion)
    {
        for (int i = 0; i < seed.Length; i++)
            if (erosion ? seed[i] < mask[i] : seed[i] > mask[i])
                throw new ArgumentException(erosion
                    ? $"seed must be >= mask everywhere for reconstruction by erosion; element {i} has seed {seed[i]} < mask {mask[i]}."
                    : $"seed must be <= mask everywhere for reconstruction by dilation; element {i} has seed {seed[i]} > mask {mask[i]}.", nameof(seed));
        if (erosion) { Negate(seed); Negate(mask); }
        var result = Kernels.Reconstruct.ByDilation(seed, mask, shape, footprint, centre);
        if (erosion) Negate(result);
        return result;
    }

    private static void Negate(double[] values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = -values[i];
    }

    [Function(Domains.Morphology + ":h_maxima", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray HMaximaCpu(NDArray image, double h, NDArray? footprint) =>
        Numeric.Apply<NDArray, HExtrema>(Guard.Host(image, nameof(image)), new HExtrema(h, footprint, Maxima: true), nameof(image));

    [Function(Domains.Morphology + ":h_minima", FunctionKind.Labelling, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray HMinimaCpu(NDArray image, double h, NDArray? footprint) =>
        Numeric.Apply<NDArray, HExtrema>(Guard.Host(image, nameof(image)), new HExtrema(h, footprint, Maxima: false), nameof(image));

    /// <summary>scikit-image's h_maxima / h_minima for one element type.</summary>
    private readonly record struct HExtrema(double H, NDArray? Footprint, bool Maxima) : INumericFunc<NDArray>
    {
        public NDArray Invoke<T>(HostArray<T> image) where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var shape = image.Shape.ToArray();
            var values = image.ToArray();
            T min = values[0], max = values[0];
            foreach (var v in values) { if (v < min) min = v; if (v > max) max = v; }
            double range = Numeric.IsFloat<T>() ? double.CreateTruncating(max - min) : double.CreateTruncating(max) - double.CreateTruncating(min);
            if (H > range) return HostArray<byte>.Allocate(shape);
            // An integer image with a fractional h is compared in float64, as scikit-image converts it.
            if (!Numeric.IsFloat<T>() && H != Math.Floor(H))
                return Marked(Array.ConvertAll(values, double.CreateTruncating), shape);
            return Marked(values, shape);
        }

        private NDArray Marked<T>(T[] values, int[] shape) where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var shifted = new double[values.Length];
            if (Numeric.IsFloat<T>())
            {
                // In the image's own float type: x - h - 2 * resolution * |x| (resolution 1e-6 for float32, 1e-15 for float64).
                T h = T.CreateTruncating(H), twice = T.CreateTruncating(2) * T.CreateTruncating(typeof(T) == typeof(float) ? 1e-6f : 1e-15);
                for (int i = 0; i < values.Length; i++)
                {
                    T guard = twice * T.Abs(values[i]);
                    shifted[i] = double.CreateTruncating(Maxima ? values[i] - h - guard : values[i] + h + guard);
                }
            }
            else
            {
                // Integers saturate at the type's limits.
                double lowest = double.CreateTruncating(T.MinValue), highest = double.CreateTruncating(T.MaxValue);
                for (int i = 0; i < values.Length; i++)
                {
                    double v = double.CreateTruncating(values[i]);
                    shifted[i] = Maxima ? Math.Max(v - H, lowest) : Math.Min(v + H, highest);
                }
            }
            var original = Array.ConvertAll(values, double.CreateTruncating);
            var (fp, centre) = ReconstructionFootprint(Footprint, null, shape.Length);
            var rebuilt = Reconstruct(shifted, (double[])original.Clone(), shape, fp, centre, erosion: !Maxima);
            var marks = new byte[values.Length];
            for (int i = 0; i < marks.Length; i++)
                marks[i] = (Maxima ? original[i] - rebuilt[i] : rebuilt[i] - original[i]) >= H ? (byte)1 : (byte)0;
            return HostArray.Create(marks, shape);
        }
    }
}
