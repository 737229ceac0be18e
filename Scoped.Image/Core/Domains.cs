namespace Scoped.Image;

/// <summary>The dispatch domains of Scoped.Image: a backend for <see cref="Root"/> serves every module.</summary>
public static class Domains
{
    /// <summary>scoped.image: every function.</summary>
    public const string Root = "scoped.image";
    /// <summary>scoped.image.filters.</summary>
    public const string Filters = "scoped.image.filters";
    /// <summary>scoped.image.feature.</summary>
    public const string Feature = "scoped.image.feature";
    /// <summary>scoped.image.morphology.</summary>
    public const string Morphology = "scoped.image.morphology";
    /// <summary>scoped.image.transform.</summary>
    public const string Transform = "scoped.image.transform";
    /// <summary>scoped.image.exposure.</summary>
    public const string Exposure = "scoped.image.exposure";
    /// <summary>scoped.image.color.</summary>
    public const string Color = "scoped.image.color";
    /// <summary>scoped.image.metrics.</summary>
    public const string Metrics = "scoped.image.metrics";
    /// <summary>scoped.image.measure.</summary>
    public const string Measure = "scoped.image.measure";
    /// <summary>scoped.image.segmentation.</summary>
    public const string Segmentation = "scoped.image.segmentation";
    /// <summary>scoped.image.util.</summary>
    public const string Util = "scoped.image.util";
}
