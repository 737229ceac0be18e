namespace Scoped.Image.Primitives;

/// <summary>The 1-D kernels every backend must compute exactly as the default does.</summary>
public static class Weights
{
    /// <summary>scipy.ndimage's Gaussian weights: radius round(truncate * sigma), exp((-0.5 / sigma²) * x²) over their
    /// pairwise sum (the weights filters.gaussian, resize's anti-aliasing and SSIM use).</summary>
    /// <param name="sigma">Standard deviation (≥ 0; 0 gives the identity [1]).</param>
    /// <param name="truncate">Radius in standard deviations.</param>
    public static double[] Gaussian(double sigma, double truncate) => Kernels.Separable.GaussianWeights(sigma, truncate);

    /// <summary>sobel's smoothing weights across the derivative axis, [1, 2, 1] / 4.</summary>
    public static ReadOnlySpan<double> SobelSmooth => [1 / 4.0, 2 / 4.0, 1 / 4.0];

    /// <summary>scharr's smoothing weights across the derivative axis, [3, 10, 3] / 16.</summary>
    public static ReadOnlySpan<double> ScharrSmooth => [3 / 16.0, 10 / 16.0, 3 / 16.0];

    /// <summary>prewitt's smoothing weights across the derivative axis, [1, 1, 1] / 3.</summary>
    public static ReadOnlySpan<double> PrewittSmooth => [1 / 3.0, 1 / 3.0, 1 / 3.0];

    /// <summary>The edge filters' central difference along the derivative axis, [-1, 0, 1] (correlated, so the
    /// response is f(x + 1) - f(x - 1)).</summary>
    public static ReadOnlySpan<double> EdgeDerivative => [-1, 0, 1];
}
