namespace Scoped.Image;

/// <summary>skimage.feature: edges, corners and peaks (domain scoped.image.feature).</summary>
public static partial class Feature
{
}
