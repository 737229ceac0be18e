using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>skimage.measure's image moments, euler_number, perimeters and shannon_entropy against scikit-image 0.19.3
/// (tools/fixtures/gen_measure.py). NumPy forms the moments with BLAS, so they agree to rounding; the counts-based
/// values agree exactly (Euler numbers) or to the last bits of a weighted sum.</summary>
[TestClass]
public sealed class MeasureMomentsTests
{
    private const string M = "measure";

    private static HostArray In(string name) => Load(M, name);

    /// <summary>Equal to within <paramref name="tolerance"/> of the largest magnitude in the expected array (the
    /// moments of one array span many orders, and those that cancel keep the rounding of the large ones).</summary>
    private static void AssertNear(HostArray expected, NDArray actual, string what, double tolerance = 1e-12)
    {
        Assert.AreEqual(expected.DType, actual.DType, $"{what}: dtype");
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), $"{what}: shape");
        var e = (double[])expected.AsType(DType.Float64).ToFlatArray();
        var a = (double[])((HostArray)actual).AsType(DType.Float64).ToFlatArray();
        double scale = e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(1).Max();
        for (int i = 0; i < e.Length; i++)
            Assert.IsTrue(e[i] == a[i] || (double.IsNaN(e[i]) && double.IsNaN(a[i])) || Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, scale),
                $"{what}[{i}]: expected {e[i]}, got {a[i]}");
    }

    // scikit-image sums a float32 image's moments in float32 (off the exact values by up to 1e-5 of the largest);
    // Scoped sums them in float64.
    private static double Tolerance(string input) => input == "r32" ? 2e-5 : 1e-12;

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("holes")]
    [DataRow("vol")]
    [DataRow("line")]
    public void MomentsMatchScikitImage(string input)
    {
        var image = In(input);
        double tol = Tolerance(input);
        AssertNear(Load(M, $"moments__{input}"), Unmodified(image, () => Call(() => Measure.Moments(image))), $"moments of {input}", tol);
        AssertNear(Load(M, $"moments_central__{input}"), Call(() => Measure.MomentsCentral(image)), $"moments_central of {input}", tol);
        AssertNear(Load(M, $"centroid__{input}"), HostArray.Create(Call(() => Measure.Centroid(image)), image.Rank), $"centroid of {input}", tol);
        AssertNear(Load(M, $"inertia_tensor__{input}"), Call(() => Measure.InertiaTensor(image)), $"inertia_tensor of {input}", tol);
        var eig = Call(() => Measure.InertiaTensorEigvals(image));
        AssertNear(Load(M, $"inertia_tensor_eigvals__{input}"), HostArray.Create(eig, eig.Length), $"inertia_tensor_eigvals of {input}", 1e-6);
    }

    [TestMethod]
    public void MomentsTakeOrderAndCenter()
    {
        AssertNear(Load(M, "moments__cam_o1"), Call(() => Measure.Moments(In("cam"), 1)), "order 1");
        AssertNear(Load(M, "moments_central__cam_c_o2"), Call(() => Measure.MomentsCentral(In("cam"), [10.5, 20.25], 2)), "centre given, order 2");
        AssertNear(Load(M, "moments_central__vol_o4"), Call(() => Measure.MomentsCentral(In("vol"), order: 4)), "3-D, order 4");
    }

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("holes")]
    public void NormalizedAndHuMomentsMatchScikitImage(string input)
    {
        var mu = In($"mu__{input}");
        double tol = Tolerance(input);
        AssertNear(Load(M, $"nu__{input}"), Unmodified(mu, () => Call(() => Measure.MomentsNormalized(mu))), $"moments_normalized of {input}", tol);
        var nu = In($"nu__{input}");
        AssertNear(Load(M, $"hu__{input}"), Unmodified(nu, () => Call(() => Measure.MomentsHu(nu))), $"moments_hu of {input}", tol);
    }

    [TestMethod]
    public void NormalizedMomentsOfAVolumeBelowTheirOrder()
    {
        var mu = (HostArray)Measure.MomentsCentral(In("vol"), order: 4);
        AssertNear(Load(M, "nu__vol_o2"), Call(() => Measure.MomentsNormalized(mu, 2)), "order 2 of order-4 moments");
    }

    [TestMethod]
    [DataRow("blobs")]
    [DataRow("holes")]
    [DataRow("labels")]
    [DataRow("cam")]
    public void EulerNumberAndCroftonPerimeterMatchScikitImage(string input)
    {
        var image = In(input);
        Assert.AreEqual((int)Scalar(M, $"scalar_euler__{input}"), Unmodified(image, () => Call(() => Measure.EulerNumber(image))), $"euler_number of {input}");
        Assert.AreEqual((int)Scalar(M, $"scalar_euler__{input}_c1"), Call(() => Measure.EulerNumber(image, 1)), $"euler_number of {input}, connectivity 1");
        AssertClose(Scalar(M, $"scalar_crofton__{input}"), Call(() => Measure.PerimeterCrofton(image)), 1e-14, $"perimeter_crofton of {input}");
        AssertClose(Scalar(M, $"scalar_crofton__{input}_d2"), Call(() => Measure.PerimeterCrofton(image, 2)), 1e-14, $"perimeter_crofton of {input}, 2 directions");
    }

    [TestMethod]
    [DataRow("blobs3")]
    [DataRow("vol_mask")]
    public void EulerNumberOfVolumesMatchesScikitImage(string input)
    {
        var image = In(input);
        Assert.AreEqual((int)Scalar(M, $"scalar_euler__{(input == "vol_mask" ? "vol" : input)}"), Call(() => Measure.EulerNumber(image)), $"euler_number of {input}");
        Assert.AreEqual((int)Scalar(M, $"scalar_euler__{(input == "vol_mask" ? "vol" : input)}_c1"), Call(() => Measure.EulerNumber(image, 1)), $"euler_number of {input}, connectivity 1");
    }

    [TestMethod]
    [DataRow("blobs")]
    [DataRow("holes")]
    [DataRow("labels")]
    public void PerimeterMatchesScikitImage(string input)
    {
        var image = In(input);
        foreach (var (neighbourhood, suffix) in new[] { (4, ""), (8, "_n8") })
        {
            double expected = Scalar(M, $"scalar_perimeter__{input}{suffix}");
            if (double.IsNaN(expected)) ThrowsFor("image", () => Call(() => Measure.Perimeter(image, neighbourhood)));
            else AssertClose(expected, Unmodified(image, () => Call(() => Measure.Perimeter(image, neighbourhood))), 1e-14, $"perimeter of {input}, {neighbourhood}");
        }
    }

    [TestMethod]
    [DataRow("cam")]
    [DataRow("r32")]
    [DataRow("blobs")]
    [DataRow("holes")]
    [DataRow("vol")]
    [DataRow("blobs3")]
    [DataRow("line")]
    [DataRow("labels")]
    [DataRow("levels")]
    [DataRow("nan32")]
    public void ShannonEntropyMatchesScikitImage(string input)
    {
        var image = In(input);
        AssertClose(Scalar(M, $"scalar_entropy__{input}"), Unmodified(image, () => Call(() => Measure.ShannonEntropy(image))), 1e-14, $"shannon_entropy of {input}");
    }

    [TestMethod]
    public void ShannonEntropyTakesABase()
    {
        AssertClose(Scalar(M, "scalar_entropy__cam_e"), Call(() => Measure.ShannonEntropy(In("cam"), Math.E)), 1e-14, "base e");
        AssertClose(Scalar(M, "scalar_entropy__levels_10"), Call(() => Measure.ShannonEntropy(In("levels"), 10)), 1e-14, "base 10");
    }

    [TestMethod]
    public void MeasureFunctionsRefuseBadArguments()
    {
        var cam = In("cam");
        ThrowsFor("order", () => Measure.Moments(cam, -1));
        ThrowsFor("order", () => Measure.Moments(cam, 17));
        ThrowsFor("center", () => Measure.MomentsCentral(cam, [1.0]));
        ThrowsFor("center", () => Measure.MomentsCentral(cam, [1.0, double.NaN]));
        ThrowsFor("mu", () => Measure.MomentsNormalized(cam));
        ThrowsFor("mu", () => Measure.MomentsNormalized(In("mu__cam"), 4));
        ThrowsFor("nu", () => Measure.MomentsHu(HostArray.Create(new double[9], 3, 3)));
        ThrowsFor("image", () => Measure.EulerNumber(In("line")));
        ThrowsFor("connectivity", () => Measure.EulerNumber(In("blobs3"), 2));
        ThrowsFor("connectivity", () => Measure.EulerNumber(cam, 3));
        ThrowsFor("image", () => Measure.Perimeter(In("vol")));
        ThrowsFor("base", () => Measure.ShannonEntropy(cam, 0));
        ThrowsFor("base", () => Measure.ShannonEntropy(cam, double.PositiveInfinity));
    }
}
