using Scoped.Dispatch;
using Scoped.Image;
using TestKit = Scoped.Tests.Dispatch.TestKit;

namespace Scoped.Tests.Image;

/// <summary>
/// The reach a declaration gives (the halo a tiled or distributed backend adds to each tile) is checked against the
/// function itself: changing the input just outside an output pixel's reach, on every side, leaves that pixel as it was.
/// A reach that is too small fails here; every declared reach has a case.
/// </summary>
[TestClass]
public sealed class ReachTests
{
    private static readonly (string Function, Func<HostArray, NDArray> Call, bool Binary)[] Cases =
    [
        ("filters:gaussian", im => Filters.Gaussian(im, 1.5), false),
        ("filters:gaussian", im => Filters.Gaussian(im, [2.0, 0.7], truncate: 3), false),
        ("filters:sobel", im => Filters.Sobel(im), false),
        ("filters:sobel_h", im => Filters.SobelH(im), false),
        ("filters:sobel_v", im => Filters.SobelV(im), false),
        ("filters:scharr", im => Filters.Scharr(im), false),
        ("filters:scharr_h", im => Filters.ScharrH(im), false),
        ("filters:scharr_v", im => Filters.ScharrV(im), false),
        ("filters:prewitt", im => Filters.Prewitt(im), false),
        ("filters:prewitt_h", im => Filters.PrewittH(im), false),
        ("filters:prewitt_v", im => Filters.PrewittV(im), false),
        ("filters:laplace", im => Filters.Laplace(im, 5), false),
        ("filters:median", im => Filters.Median(im), false),
        ("filters:median", im => Filters.Median(im, Morphology.Rectangle(3, 6)), false),
        ("filters:unsharp_mask", im => Filters.UnsharpMask(im, radius: 1.5, amount: 2), false),
        ("filters:difference_of_gaussians", im => Filters.DifferenceOfGaussians(im, 1, 2.5), false),
        ("filters:threshold_local", im => Filters.ThresholdLocal(im, 7), false),
        ("filters:threshold_local", im => Filters.ThresholdLocal(im, 5, method: "mean"), false),
        ("filters:threshold_local", im => Filters.ThresholdLocal(im, 5, method: "median"), false),
        ("feature:corner_harris", im => Feature.CornerHarris(im, sigma: 1.5), false),
        ("morphology:erosion", im => Morphology.Erosion(im, Morphology.Rectangle(3, 5)), false),
        ("morphology:dilation", im => Morphology.Dilation(im, Morphology.Disk(2)), false),
        ("morphology:dilation", im => Morphology.Dilation(im), false),
        ("morphology:opening", im => Morphology.Opening(im, Morphology.Square(3)), false),
        ("morphology:closing", im => Morphology.Closing(im, Morphology.Rectangle(5, 3)), false),
        ("morphology:white_tophat", im => Morphology.WhiteTophat(im, Morphology.Disk(1)), false),
        ("morphology:black_tophat", im => Morphology.BlackTophat(im), false),
        ("morphology:binary_erosion", im => Morphology.BinaryErosion(im, Morphology.Square(3)), true),
        ("morphology:binary_dilation", im => Morphology.BinaryDilation(im, Morphology.Disk(2)), true),
        ("morphology:binary_opening", im => Morphology.BinaryOpening(im, Morphology.Rectangle(3, 5)), true),
        ("morphology:binary_closing", im => Morphology.BinaryClosing(im), true),
    ];

    public static IEnumerable<object[]> CaseIndices => Cases.Select((c, i) => new object[] { i, c.Function });

    [TestMethod]
    [DynamicData(nameof(CaseIndices))]
    public void ChangingTheInputOutsideTheReachLeavesThePixelAlone(int index, string function)
    {
        var (_, call, binary) = Cases[index];
        var declaration = Declarations.All.Single(d => d.Method.Name == "scoped.image." + function);
        var reach = declaration.ReachOf(Capture(declaration, () => call(RandomImage(9, 9, binary, 1))));
        Assert.IsNotNull(reach, $"{function} declares no reach");

        // The pixel in the middle of an image large enough that its window and one more pixel lie inside on every side.
        int height = 2 * reach[0] + 9, width = 2 * reach[1] + 11, py = height / 2, px = width / 2;
        var image = RandomImage(height, width, binary, index + 7);
        var before = At(call(image), py * width + px);
        foreach (var (dy, dx) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1) })
        {
            int qy = py + dy * (reach[0] + 1), qx = px + dx * (reach[1] + 1);
            if (dy == 0) qy = py;
            if (dx == 0) qx = px;
            var changed = Changed(image, qy * width + qx, binary);
            Assert.AreEqual(before, At(call(changed), py * width + px),
                $"{function} with reach ({reach[0]}, {reach[1]}): changing ({qy}, {qx}) changed the output at ({py}, {px})");
        }
    }

    [TestMethod]
    public void EveryDeclaredReachHasACase()
    {
        var declared = Declarations.All.Where(d => d.Reach is not null).Select(d => d.Method.Name).Order(StringComparer.Ordinal).ToArray();
        var covered = Cases.Select(c => "scoped.image." + c.Function).Distinct().Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(declared, covered);
        Assert.IsTrue(Declarations.All.Where(d => d.Kind is FunctionKind.Neighbourhood or FunctionKind.Separable && d.Reach is null)
            .All(d => d.Method.Name is "scoped.image.feature:canny" or "scoped.image.feature:peak_local_max"
                or "scoped.image.filters:threshold_niblack" or "scoped.image.filters:threshold_sauvola"),
            "every local function declares its reach (canny's hysteresis and peak_local_max's sort are global; niblack's " +
            "and sauvola's window sums come from integral images of the whole image, whose rounding a tile would change)");
    }

    /// <summary>The call as the dispatcher shows it to a backend: a backend that only watches declines every call.</summary>
    private static DispatchCall Capture(FunctionDeclaration declaration, Action run)
    {
        DispatchCall? seen = null;
        var watcher = new DispatchBackend(TestKit.NewName("watch"), Domains.Root)
            .Implement(declaration.Method, declaration.Method.AroundDefault(() => null), call => { seen = call; return "watching only"; });
        using (Backend.Use(watcher)) run();
        Assert.IsNotNull(seen, "the call did not reach the dispatcher");
        return seen.Value;
    }

    private static HostArray RandomImage(int height, int width, bool binary, int seed)
    {
        var random = new Random(seed);
        return binary
            ? HostArray.Create(Enumerable.Range(0, height * width).Select(_ => random.Next(3) > 0).ToArray(), height, width)
            : HostArray.Create(Enumerable.Range(0, height * width).Select(_ => random.NextDouble()).ToArray(), height, width);
    }

    private static HostArray Changed(HostArray image, int at, bool binary)
    {
        if (binary)
        {
            var values = (bool[])image.ToFlatArray();
            values[at] = !values[at];
            return HostArray.Create(values, image.Shape.ToArray());
        }
        var doubles = (double[])image.ToFlatArray();
        doubles[at] = doubles[at] > 0.5 ? doubles[at] - 0.45 : doubles[at] + 0.45;
        return HostArray.Create(doubles, image.Shape.ToArray());
    }

    private static object? At(NDArray result, int index) => ((HostArray)result).ToFlatArray().GetValue(index);
}
