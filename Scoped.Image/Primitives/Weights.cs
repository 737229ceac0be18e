namespace Scoped.Image.Primitives;

/// <summary>The 1-D kernels every backend must compute exactly as the default does.</summary>
public static class Weights
{
    /// <summary>scipy.ndimage's Gaussian weights: radius round(truncate * sigma), exp((-0.5 / sigma²) * x²) over their
    /// pairwise sum (the weights filters.gaussian, resize's anti-aliasing and SSIM use).</summary>
    /// <param name="sigma">Standard deviation (≥ 0; 0 gives the identity [1]).</param>
    /// <param name="truncate">Radius in standard deviations.</param>
    public static double[] Gaussian(double sigma, double truncate) => Kernels.Separable.GaussianWeights(sigma, truncate);
}
