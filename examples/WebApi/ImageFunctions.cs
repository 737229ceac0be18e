using Scoped.Image;

namespace Scoped.Examples.WebApi;

/// <summary>A function the API serves: its scikit-image name and how its parameters are read from the query.</summary>
/// <param name="Name">module.function, as in scikit-image (filters.gaussian).</param>
/// <param name="Summary">One line for the listing.</param>
/// <param name="Bind">Reads the parameters (throwing <see cref="BadParameterException"/>) and returns the call to
/// make on the uploaded image. Reading happens before the call so that every parameter error is found first.</param>
public sealed record ImageFunction(string Name, string Summary, Func<QueryArgs, Func<NDArray, object>> Bind)
{
    /// <summary>The parameters, found by binding against a describing <see cref="QueryArgs"/>.</summary>
    public IReadOnlyList<FunctionParameter> Parameters { get; } = Describe(Bind);

    private static List<FunctionParameter> Describe(Func<QueryArgs, Func<NDArray, object>> bind)
    {
        bind(QueryArgs.Describer(out var parameters));
        return parameters;
    }
}

/// <summary>
/// The functions served, written out by hand: a compact table is easier to read and audit in an example than the
/// reflection-driven binder of the scoped CLI (which is internal to that tool). Each entry calls the public
/// Scoped.Image function, so the dispatcher (and the request's backend scope) decides who runs it.
/// </summary>
public static class ImageFunctions
{
    /// <summary>Every function, by name.</summary>
    public static IReadOnlyDictionary<string, ImageFunction> All { get; } = new ImageFunction[]
    {
        new("filters.gaussian", "Gaussian blur", q =>
        {
            var sigma = q.Double("sigma", 1, min: 0);
            var mode = q.Mode("mode", BoundaryMode.Nearest);
            var cval = q.Double("cval", 0);
            var preserveRange = q.Bool("preserve_range", false);
            var truncate = q.Double("truncate", 4, min: 0);
            return image => Filters.Gaussian(image, sigma, mode, cval, preserveRange, truncate);
        }),
        new("filters.sobel", "Sobel edge magnitude (or one axis)", q =>
        {
            var axis = q.OptionalInt("axis");
            var mode = q.Mode("mode", BoundaryMode.Reflect);
            return image => Filters.Sobel(image, axis: axis, mode: mode);
        }),
        new("filters.median", "Median filter", q =>
        {
            var footprint = q.Footprint("footprint");
            var mode = q.Mode("mode", BoundaryMode.Nearest);
            return image => Filters.Median(image, footprint, mode);
        }),
        new("filters.unsharp_mask", "Sharpen by unsharp masking", q =>
        {
            var radius = q.Double("radius", 1, min: 0);
            var amount = q.Double("amount", 1);
            var preserveRange = q.Bool("preserve_range", false);
            return image => Filters.UnsharpMask(image, radius, amount, preserveRange);
        }),
        new("filters.threshold_otsu", "Otsu's threshold (a number)", q =>
        {
            var nbins = q.Int("nbins", 256, min: 1);
            return image => Filters.ThresholdOtsu(image, nbins);
        }),
        new("filters.threshold_yen", "Yen's threshold (a number)", q =>
        {
            var nbins = q.Int("nbins", 256, min: 1);
            return image => Filters.ThresholdYen(image, nbins);
        }),
        Morphological("morphology.erosion", "Grey erosion", (image, footprint) => Morphology.Erosion(image, footprint)),
        Morphological("morphology.dilation", "Grey dilation", (image, footprint) => Morphology.Dilation(image, footprint)),
        Morphological("morphology.opening", "Grey opening", (image, footprint) => Morphology.Opening(image, footprint)),
        Morphological("morphology.closing", "Grey closing", (image, footprint) => Morphology.Closing(image, footprint)),
        new("transform.resize", "Resize to output_shape (rows,cols)", q =>
        {
            var shape = q.RequiredInts("output_shape");
            var order = q.OptionalInt("order", min: 0);
            var preserveRange = q.Bool("preserve_range", false);
            return image => Transform.Resize(image, shape, order, preserveRange: preserveRange);
        }),
        new("transform.rescale", "Scale both axes by a factor", q =>
        {
            var scale = q.RequiredDouble("scale");
            var order = q.OptionalInt("order", min: 0);
            var preserveRange = q.Bool("preserve_range", false);
            return image => Transform.Rescale(image, scale, order, preserveRange: preserveRange);
        }),
        new("transform.rotate", "Rotate by angle degrees counter-clockwise", q =>
        {
            var angle = q.RequiredDouble("angle");
            var resize = q.Bool("resize", false);
            var order = q.OptionalInt("order", min: 0);
            var mode = q.Mode("mode", BoundaryMode.Constant);
            var preserveRange = q.Bool("preserve_range", false);
            return image => Transform.Rotate(image, angle, resize, order: order, mode: mode, preserveRange: preserveRange);
        }),
        new("exposure.equalize_hist", "Histogram equalization", q =>
        {
            var nbins = q.Int("nbins", 256, min: 1);
            return image => Exposure.EqualizeHist(image, nbins);
        }),
        new("exposure.adjust_gamma", "Gamma correction", q =>
        {
            var gamma = q.Double("gamma", 1, min: 0);
            var gain = q.Double("gain", 1);
            return image => Exposure.AdjustGamma(image, gamma, gain);
        }),
        new("exposure.histogram", "Histogram (counts and bin centers)", q =>
        {
            var nbins = q.Int("nbins", 256, min: 1);
            var normalize = q.Bool("normalize", false);
            return image => Exposure.Histogram(image, nbins, normalize: normalize);
        }),
        new("measure.label", "Connected-component labels", q =>
        {
            var background = q.OptionalInt("background");
            var connectivity = q.OptionalInt("connectivity", min: 1);
            return image => Measure.Label(image, background, connectivity);
        }),
        new("measure.regionprops", "Every property of each labelled region that needs no intensity image, under scikit-image's names",
            _ => image => Measure.Regionprops(image).Select(region => region.ToDictionary()).ToArray()),
        new("feature.canny", "Canny edges", q =>
        {
            var sigma = q.Double("sigma", 1, min: 0);
            var low = q.OptionalDouble("low_threshold");
            var high = q.OptionalDouble("high_threshold");
            return image => Feature.Canny(image, sigma, low, high);
        }),
        new("feature.peak_local_max", "Coordinates of local maxima", q =>
        {
            var minDistance = q.Int("min_distance", 1, min: 1);
            var thresholdAbs = q.OptionalDouble("threshold_abs");
            var thresholdRel = q.OptionalDouble("threshold_rel");
            return image => Feature.PeakLocalMax(image, minDistance, thresholdAbs, thresholdRel);
        }),
        new("color.rgb2gray", "RGB to grey", _ => image => Color.Rgb2Gray(image)),
        new("util.img_as_float", "Convert to float in [0, 1]", _ => image => Util.ImgAsFloat(image)),
        new("util.img_as_ubyte", "Convert to uint8", _ => image => Util.ImgAsUbyte(image)),
    }.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    private static ImageFunction Morphological(string name, string summary, Func<NDArray, NDArray?, NDArray> apply) =>
        new(name, summary, q =>
        {
            var footprint = q.Footprint("footprint");
            return image => apply(image, footprint);
        });
}
