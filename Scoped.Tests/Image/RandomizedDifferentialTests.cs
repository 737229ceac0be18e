using System.Globalization;
using System.Text.Json;
using Scoped.Cli;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>
/// Seeded random cases (shapes, dtypes, modes, parameters) written with scikit-image 0.19.3 by
/// tools/fixtures/gen_random.py, each run through `scoped run` in process, so that the CLI's parameter reading is
/// checked with the numbers. With SCOPED_TEST_BACKEND the calls run in that backend's scope, like the rest of the suite.
/// </summary>
[TestClass]
public sealed class RandomizedDifferentialTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "random");

    private sealed record Case(string Name, string Function, string[] Args, string Compare);

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("name").GetString()!, c.GetProperty("function").GetString()!,
            c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray(),
            c.GetProperty("compare").GetString()!)).ToDictionary(c => c.Name);
    });

    /// <summary>Case names, one test row each.</summary>
    public static IEnumerable<object[]> Names => Cases.Value.Keys.Select(n => new object[] { n });

    [TestMethod]
    public void TheCaseListCoversEveryFamily()
    {
        // 13 families of 10 cases: a generator that silently wrote nothing would leave the suite green.
        Assert.IsGreaterThanOrEqualTo(130, Cases.Value.Count);
        Assert.AreEqual(13, Cases.Value.Values.Select(c => c.Name[..c.Name.LastIndexOf('_')]).Distinct().Count());
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void MatchesScikitImage(string name)
    {
        var c = Cases.Value[name];
        string input = Path.Combine(Folder, name + "_in.npy");
        var expected = Npy.Read(Path.Combine(Folder, name + "_out.npy"));
        string dir = Path.Combine(Path.GetTempPath(), "scoped-random-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string output = Path.Combine(dir, "out.npy");
            string[] args = c.Compare == "scalar" ? ["run", c.Function, input, .. c.Args] : ["run", c.Function, input, .. c.Args, "-o", output];
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = Call(() => new ScopedCli().Run(args, stdout, stderr));
            string what = $"{name}: scoped {string.Join(' ', args.Skip(1).Where(a => a != input))}";
            if (code != 0 && TestBackend is not null && stderr.ToString().Contains("no backend", StringComparison.OrdinalIgnoreCase))
                Assert.Inconclusive($"{TestBackend}: {stderr.ToString().Trim()}");
            Assert.AreEqual(0, code, $"{what}: {stderr}");
            if (c.Compare == "scalar")
            {
                double value = double.Parse(stdout.ToString().Trim(), CultureInfo.InvariantCulture);
                AssertClose(Convert.ToDouble(expected.ToFlatArray().GetValue(0)), value, 1e-6, what);
                return;
            }
            var actual = Npy.Read(output);
            if (c.Compare == "ties") AssertMatchesUpToTies(expected, actual, what);
            else AssertMatches(expected, actual, c.Compare == "exact" ? 0 : 1e-5, what);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>
    /// Equal except for at most 3% of the elements (and at least 3 allowed): the documented rounding ties of
    /// order-0 rotation and canny (docs/image.md). Dtype and shape must agree exactly.
    /// </summary>
    private static void AssertMatchesUpToTies(NDArray expected, NDArray actual, string what)
    {
        Assert.AreEqual(expected.DType, actual.DType, $"{what}: dtype");
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), $"{what}: shape");
        var e = (double[])((HostArray)expected).AsType(DType.Float64).ToFlatArray();
        var a = (double[])((HostArray)actual).AsType(DType.Float64).ToFlatArray();
        int bad = e.Where((v, i) => !(v == a[i] || Math.Abs(v - a[i]) <= 1e-5 * Math.Max(1, Math.Abs(v)))).Count();
        Assert.IsLessThanOrEqualTo(Math.Max(3, e.Length * 3 / 100), bad, $"{what}: {bad} of {e.Length} elements differ");
    }
}
