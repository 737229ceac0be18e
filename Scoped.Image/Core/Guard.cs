namespace Scoped.Image;

/// <summary>Argument checks shared by every function: each names the parameter and the rule it broke.</summary>
internal static class Guard
{
    /// <summary>A non-null, non-empty image of rank 2 (or 3 when <paramref name="allowChannels"/>).</summary>
    public static NDArray Image(NDArray? image, string name, bool allowChannels = true)
    {
        if (image is null) throw new ArgumentNullException(name);
        int maxRank = allowChannels ? 3 : 2;
        if (image.Rank < 2 || image.Rank > maxRank)
            throw new ArgumentException(allowChannels
                ? $"{name} must be 2-D (rows, cols) or 3-D (rows, cols, channels); got shape {image.ShapeText}."
                : $"{name} must be 2-D (rows, cols); got shape {image.ShapeText}.", name);
        if (image.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {image.ShapeText}.", name);
        return image;
    }

    /// <summary>A non-null, non-empty array of 1 to 32 axes, for the functions that treat every element alike whatever its
    /// place (exposure, the global thresholds, the metrics, dtype conversions): any image, volume or stack.</summary>
    public static NDArray AnyRank(NDArray? image, string name)
    {
        if (image is null) throw new ArgumentNullException(name);
        if (image.Rank < 1 || image.Rank > ImageAxes.MaxSpatialRank + 1)
            throw new ArgumentException($"{name} must have 1 to {ImageAxes.MaxSpatialRank + 1} axes; got shape {image.ShapeText}.", name);
        if (image.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {image.ShapeText}.", name);
        return image;
    }

    /// <summary>The host array behind <paramref name="image"/> (the default implementations take host arrays only).</summary>
    public static HostArray Host(NDArray image, string name) =>
        image as HostArray ?? throw new ArgumentException($"{name} is a {image.Kind} array; this implementation takes host arrays.", name);

    /// <summary>A finite, non-negative number (sigma, radius, ...).</summary>
    public static double NonNegative(double value, string name)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
            throw new ArgumentException($"{name} must be a finite number >= 0; got {value}.", name);
        return value;
    }

    /// <summary>A finite, strictly positive number.</summary>
    public static double Positive(double value, string name)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0)
            throw new ArgumentException($"{name} must be a finite number > 0; got {value}.", name);
        return value;
    }

    /// <summary>A finite number.</summary>
    public static double Finite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{name} must be finite; got {value}.", name);
        return value;
    }

    /// <summary>Two arrays of the same shape.</summary>
    public static void SameShape(NDArray a, string nameA, NDArray b, string nameB)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{nameA} and {nameB} must have the same shape; got {a.ShapeText} and {b.ShapeText}.", nameB);
    }

    /// <summary>An element type among <paramref name="allowed"/>.</summary>
    public static void DTypeIn(NDArray image, string name, params DType[] allowed)
    {
        if (Array.IndexOf(allowed, image.DType) < 0)
            throw new ArgumentException($"{name} has element type {image.DType.NumPyName()}; supported: {string.Join(", ", allowed.Select(d => d.NumPyName()))}.", name);
    }

    /// <summary>scikit-image's channel_axis: an axis of <paramref name="image"/> in -rank..rank-1, normalised to
    /// 0..rank-1; null stays null (no channel axis).</summary>
    public static int? ChannelAxisOf(NDArray image, int? channelAxis, string name)
    {
        if (channelAxis is not { } c) return null;
        int rank = image.Rank;
        if (rank < 2)
            throw new ArgumentException($"{name} was given but the image is {rank}-D; a channel axis needs an image of 2 or more axes.", name);
        if (c < -rank || c >= rank)
            throw new ArgumentException($"{name} must be an axis of the {rank}-D image ({-rank}..{rank - 1}); got {c}.", name);
        return c < 0 ? c + rank : c;
    }

    /// <summary>scikit-image 0.19's gaussian without channel_axis: a 3-D image whose last axis has length 3 is RGB
    /// (its RuntimeWarning: "Images with dimensions (M, N, 3) are interpreted as 2D+RGB by default").</summary>
    public static int? ChannelAxisOrRgbGuess(NDArray image, int? channelAxis, string name) =>
        ChannelAxisOf(image, channelAxis, name) ?? (image.Rank == 3 && image.Shape[2] == 3 ? 2 : null);

    /// <summary>A non-null, non-empty image with <paramref name="minRank"/>..<paramref name="maxRank"/> spatial axes
    /// once its channel axis (<paramref name="channelAxis"/>, normalised) is set aside; returns its axes.</summary>
    public static ImageAxes Spatial(NDArray? image, string name, int? channelAxis, int minRank = 1, int maxRank = ImageAxes.MaxSpatialRank)
    {
        if (image is null) throw new ArgumentNullException(name);
        var axes = ImageAxes.Of(image, channelAxis);
        if (axes.SpatialRank < minRank || axes.SpatialRank > maxRank)
        {
            string besides = channelAxis is null ? "" : $" besides its channel axis {channelAxis}";
            string range = minRank == maxRank ? $"{minRank}" : maxRank == ImageAxes.MaxSpatialRank ? $"{minRank} or more" : $"{minRank} to {maxRank}";
            throw new ArgumentException($"{name} must have {range} spatial axes{besides}; got shape {image.ShapeText}.", name);
        }
        if (image.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {image.ShapeText}.", name);
        return axes;
    }

    /// <summary>One finite value &gt;= 0 per spatial axis (sigma, ...): <paramref name="values"/> has
    /// <paramref name="rank"/> entries.</summary>
    public static double[] PerAxis(double[]? values, int rank, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != rank)
            throw new ArgumentException($"{name} must have one value per spatial axis ({rank}); got {values.Length}.", name);
        foreach (var v in values) NonNegative(v, name);
        return values;
    }

    /// <summary>An array of <paramref name="shape"/>, asked for by <paramref name="name"/>, within the work limit
    /// (<see cref="Limits"/>); a negative axis is refused too.</summary>
    public static void OutputShape(ReadOnlySpan<int> shape, string name, string what = "an output")
    {
        Span<long> lengths = stackalloc long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"{name} must not have a negative axis; got ({string.Join(", ", shape.ToArray())}).", name);
            lengths[i] = shape[i];
        }
        Limits.CheckElements(Limits.Product(lengths), name, $"{what} of shape ({string.Join(", ", shape.ToArray())})");
    }

    /// <summary>An array of <paramref name="elements"/> elements, asked for by <paramref name="name"/>, within the work limit.</summary>
    public static void Elements(long elements, string name, string what) => Limits.CheckElements(elements, name, what);

    /// <summary>A Gaussian kernel of radius (int)(truncate * sigma + 0.5), as scipy sizes it, within the work limit;
    /// <paramref name="name"/> is the parameter blamed (sigma, radius, lowSigma, truncate, ...).</summary>
    public static void GaussianKernel(double sigma, double truncate, string name)
    {
        if (sigma <= 1e-15) return;
        double length = 2 * Math.Floor(truncate * sigma + 0.5) + 1;
        Limits.CheckElements(length >= long.MaxValue ? long.MaxValue : (long)length, name,
            $"a Gaussian kernel (sigma {sigma}, truncate {truncate})");
    }

    /// <summary>As <see cref="GaussianKernel(double, double, string)"/> for a sigma and truncate both given by the
    /// caller: the blame goes to truncate when sigma alone (at scipy's default truncate of 4) would fit.</summary>
    public static void GaussianKernel(double sigma, string sigmaName, double truncate, string truncateName)
    {
        bool sigmaFits = 2 * Math.Floor(4 * sigma + 0.5) + 1 <= Math.Min(Limits.MaxElements, Array.MaxLength);
        GaussianKernel(sigma, truncate, truncate > 4 && sigmaFits ? truncateName : sigmaName);
    }
}
