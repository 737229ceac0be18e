namespace Scoped.Image.Primitives;

/// <summary>The transform module's plans (what maps each output pixel to the input), for backends that resample with
/// their own kernels and must land on the default's coordinates and weights.</summary>
public static class GeometryPlans
{
    /// <summary>transform.rotate's inverse map as a row-major 3×3 matrix over (col, row, 1), and the output shape
    /// (rows, cols) when <paramref name="resize"/> enlarges it, else null for the input's.</summary>
    /// <param name="rows">Input rows.</param>
    /// <param name="cols">Input columns.</param>
    /// <param name="angle">Degrees, counter-clockwise.</param>
    /// <param name="resize">Enlarge the output to hold the rotated image.</param>
    /// <param name="center">(col, row), or null for the image centre.</param>
    public static (double[] Matrix, int[]? Shape) Rotation(int rows, int cols, double angle, bool resize, double[]? center) =>
        Transform.RotateMatrix(rows, cols, angle, resize, center);

    /// <summary>transform.resize's per-axis tables (rows, then columns) with the anti-aliasing Gaussian folded in.</summary>
    /// <param name="image">The input (its shape and dtype decide the defaults).</param>
    /// <param name="outputShape">The full output shape.</param>
    /// <param name="order">0 or 1, already defaulted.</param>
    /// <param name="mode">The boundary mode.</param>
    /// <param name="antiAliasing">As passed to resize (null: on when any axis shrinks, off for bool images).</param>
    /// <param name="antiAliasingSigma">As passed to resize.</param>
    /// <param name="floatWork">Whether the resampled values are floats (order 0 keeps integer types).</param>
    public static (AxisPlan Rows, AxisPlan Cols) Resize(NDArray image, int[] outputShape, int order, BoundaryMode mode,
        bool? antiAliasing, double[]? antiAliasingSigma, bool floatWork) =>
        Transform.ResizePlan(image, outputShape, order, mode, antiAliasing, antiAliasingSigma, floatWork);
}
