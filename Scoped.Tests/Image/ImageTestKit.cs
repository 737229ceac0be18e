using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Tests.Image;

/// <summary>
/// Fixtures written by tools/fixtures/gen_*.py with scikit-image 0.19.3, and the comparisons the image tests use.
/// With SCOPED_TEST_BACKEND=NAME, every <see cref="Call{T}"/> runs inside Backend.Use(NAME, only: true, coerce: true),
/// so the same suite checks any backend; a function the backend does not implement is reported as inconclusive with
/// the dispatcher's reason. The scope allows conversions (an interop scope) so that a backend working on its own array
/// type (the GPU's device arrays) is given the host fixtures converted, and its results converted back; a backend
/// without converters (parallel) is unaffected.
/// </summary>
internal static class ImageTestKit
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The backend the suite runs against, or null for the normal resolution ("default" means the built-in code).</summary>
    public static string? TestBackend { get; } =
        Environment.GetEnvironmentVariable("SCOPED_TEST_BACKEND") is { Length: > 0 } name && name != "default" ? name : null;

    static ImageTestKit()
    {
        // Fixtures are small: make the parallel backend take them, in bands of 3 rows so every seam is crossed.
        if (TestBackend == Scoped.Backends.Parallel.ParallelBackend.BackendName)
            Scoped.Backends.Parallel.ParallelBackend.Configure(o => { o.MinimumElements = 0; o.BandLength = 3; });
        // Likewise the GPU backend, which declines host images under its interop threshold (512 kB by default).
        if (TestBackend == Scoped.Backends.Gpu.GpuBackend.BackendName)
        {
            Scoped.Backends.Gpu.GpuBackend.Configure(o => o.MinimumInteropBytes = 0);
            // SCOPED_GPU_EMULATE=1: the real kernels and host wrappers on the CPU (Gpu/Emulation), in place of the
            // discovered backend on the CUDA device.
            if (EmulateGpu && Gpu.Emulation.EmulatedGpuRuntime.UnavailableReason is null)
            {
                Backend.Unregister(Scoped.Backends.Gpu.GpuBackend.BackendName);
                Backend.Register(new Scoped.Backends.Gpu.GpuBackend(new Scoped.Backends.Gpu.GpuDevice(new Gpu.Emulation.EmulatedGpuRuntime())));
            }
        }
    }

    /// <summary>SCOPED_GPU_EMULATE=1: the "gpu" backend runs on the emulated device.</summary>
    public static bool EmulateGpu { get; } = Environment.GetEnvironmentVariable("SCOPED_GPU_EMULATE") == "1";

    /// <summary>Loads Fixtures/<paramref name="module"/>/<paramref name="name"/>.npy.</summary>
    public static HostArray Load(string module, string name) => Npy.Read(Path.Combine(Root, module, name + ".npy"));

    /// <summary>Loads a fixture of a known element type.</summary>
    public static HostArray<T> Load<T>(string module, string name) where T : unmanaged =>
        Load(module, name) as HostArray<T> ?? throw new InvalidOperationException($"Fixture {module}/{name} is not {typeof(T).Name}.");

    /// <summary>Loads a 0-d or 1-element fixture as a number.</summary>
    public static double Scalar(string module, string name) => Convert.ToDouble(Load(module, name).ToFlatArray().GetValue(0));

    /// <summary>Runs a Scoped.Image call, inside the test backend's scope when SCOPED_TEST_BACKEND is set.</summary>
    public static T Call<T>(Func<T> call)
    {
        if (TestBackend is null) return call();
        if (EmulateGpu && TestBackend == Scoped.Backends.Gpu.GpuBackend.BackendName && Gpu.Emulation.EmulatedGpuRuntime.UnavailableReason is { } missing)
            Assert.Inconclusive($"SCOPED_GPU_EMULATE=1: {missing}");
        using (Backend.Use(TestBackend, only: true, coerce: true))
        {
            try { return call(); }
            catch (BackendNotImplementedException ex)
            {
                Assert.Inconclusive($"Backend '{TestBackend}' does not implement {ex.Multimethod}: {ex.Message}");
                throw;
            }
        }
    }

    /// <summary>
    /// Same dtype, same shape, and values equal: exactly for integer and bool arrays; within float32 rounding
    /// (|d| &lt;= 2e-6 * max(1, |expected|)) for float32, and 1e-12 relative for float64 unless loosened.
    /// </summary>
    public static void AssertMatches(NDArray expected, NDArray actual, double? tolerance = null, string? what = null)
    {
        string label = what is null ? "" : what + ": ";
        Assert.IsNotNull(actual, label + "result is null");
        Assert.AreEqual(expected.DType, actual.DType, $"{label}dtype");
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), $"{label}shape {expected.ShapeText} vs {actual.ShapeText}");
        var e = ((HostArray)expected).AsType(DType.Float64).ToFlatArray() as double[];
        var a = ((HostArray)actual).AsType(DType.Float64).ToFlatArray() as double[];
        double tol = tolerance ?? expected.DType switch { DType.Float32 => 2e-6, DType.Float64 => 1e-12, _ => 0 };
        int bad = 0, first = -1;
        double worst = 0;
        for (int i = 0; i < e!.Length; i++)
        {
            double d = Math.Abs(e[i] - a![i]);
            bool ok = e[i] == a[i] || d <= tol * Math.Max(1, Math.Abs(e[i])) || (double.IsNaN(e[i]) && double.IsNaN(a[i]));   // == for equal infinities
            if (!ok) { bad++; if (first < 0) first = i; worst = Math.Max(worst, d); }
        }
        if (bad > 0)
            Assert.Fail($"{label}{bad} of {e.Length} elements differ (tolerance {tol}); first at flat index {first} " +
                        $"({Index(first, expected.Shape.ToArray())}): expected {e[first]}, got {a![first]}; largest difference {worst}.");
    }

    /// <summary>Scalars compared within a relative tolerance.</summary>
    public static void AssertClose(double expected, double actual, double tolerance = 1e-6, string? what = null) =>
        Assert.IsTrue(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what ?? "value"}: expected {expected}, got {actual}");

    /// <summary>regionprops' shape properties (area_bbox, extent, equivalent_diameter_area, the inertia tensor and its
    /// eigenvalues, the axis lengths, and in 2-D eccentricity and orientation) against the module's rp_* fixtures.</summary>
    public static void AssertShapeProperties(string module, RegionProperties[] props)
    {
        double[] Column(string name) => (double[])Load(module, "rp_" + name).AsType(DType.Float64).ToFlatArray();
        var tensors = Column("inertia_tensor");
        var eigvals = Column("inertia_tensor_eigvals");
        bool twoD = props.Length > 0 && props[0].Centroid.Length == 2;
        for (int i = 0; i < props.Length; i++)
        {
            var p = props[i];
            int n = p.Centroid.Length;
            string at = $"region {p.Label}";
            Assert.AreEqual(Column("area_bbox")[i], p.AreaBbox, $"{at}: area_bbox");
            AssertClose(Column("extent")[i], p.Extent, 1e-12, $"{at}: extent");
            AssertClose(Column("equivalent_diameter_area")[i], p.EquivalentDiameterArea, 1e-12, $"{at}: equivalent_diameter_area");
            for (int a = 0; a < n; a++)
            {
                for (int b = 0; b < n; b++) AssertClose(tensors[(i * n + a) * n + b], p.InertiaTensor[a][b], 1e-9, $"{at}: inertia_tensor[{a}, {b}]");
                AssertClose(eigvals[i * n + a], p.InertiaTensorEigvals[a], 1e-9, $"{at}: inertia_tensor_eigvals[{a}]");
            }
            AssertCloseOrNaN(Column("axis_major_length")[i], p.AxisMajorLength!.Value, $"{at}: axis_major_length");
            AssertCloseOrNaN(Column("axis_minor_length")[i], p.AxisMinorLength!.Value, $"{at}: axis_minor_length");
            if (!twoD) { Assert.IsNull(p.Eccentricity, at); Assert.IsNull(p.Orientation, at); continue; }
            AssertClose(Column("eccentricity")[i], p.Eccentricity!.Value, 1e-7, $"{at}: eccentricity");
            AssertClose(Column("orientation")[i], p.Orientation!.Value, 1e-9, $"{at}: orientation");
        }
    }

    // The axis lengths are square roots of eigenvalue sums: a region whose sum is zero in one and a rounding-negative
    // in the other (NaN) is compared as both near zero.
    private static void AssertCloseOrNaN(double expected, double actual, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual)) Assert.IsTrue(double.IsNaN(expected) ? actual < 1e-6 || double.IsNaN(actual) : expected < 1e-6, $"{what}: expected {expected}, got {actual}");
        else AssertClose(expected, actual, 1e-7, what);
    }

    /// <summary>Asserts that the call leaves <paramref name="input"/> unchanged.</summary>
    public static T Unmodified<T>(HostArray input, Func<T> call)
    {
        var before = input.ToFlatArray();
        var result = call();
        CollectionAssert.AreEqual(before, input.ToFlatArray(), "the input was modified");
        return result;
    }

    /// <summary>The ArgumentException thrown for bad input, checked to name <paramref name="parameter"/>.</summary>
    public static ArgumentException ThrowsFor(string parameter, Action call)
    {
        try { call(); }
        catch (ArgumentException ex)
        {
            Assert.AreEqual(parameter, ex.ParamName, $"the exception names the wrong parameter: {ex.Message}");
            return ex;
        }
        Assert.Fail($"expected an ArgumentException for {parameter}");
        return null!;
    }

    private static string Index(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--) { index[axis] = flat % shape[axis]; flat /= shape[axis]; }
        return string.Join(", ", index);
    }
}
