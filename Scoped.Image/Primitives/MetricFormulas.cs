namespace Scoped.Image.Primitives;

/// <summary>The metrics' closing formulas, for backends that compute the sums themselves.</summary>
public static class MetricFormulas
{
    /// <summary>peak_signal_noise_ratio from the data range and the mean squared error: 10 log10(range² / mse).</summary>
    /// <param name="range">The data range.</param>
    /// <param name="mse">The mean squared error.</param>
    public static double PeakSignalNoiseRatio(double range, double mse) => Metrics.Psnr(range, mse);

    /// <summary>peak_signal_noise_ratio's data range when none is given, from imageTrue's minimum (NaN when any value
    /// is NaN) and maximum (of the non-NaN values): the dtype's maximum without negative values, else its full range.</summary>
    /// <param name="dtype">imageTrue's dtype.</param>
    /// <param name="min">imageTrue's minimum.</param>
    /// <param name="max">imageTrue's maximum.</param>
    /// <exception cref="ArgumentException">Values outside the dtype's range (the caller must pass data_range).</exception>
    public static double DefaultDataRange(DType dtype, double min, double max) => Metrics.DefaultDataRange(dtype, min, max);
}
