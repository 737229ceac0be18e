using Scoped.Image;

namespace Scoped.Tests.Backends;

/// <summary>
/// scoped.image.morphology and filters:median on the parallel backend: the same bytes as the default for every shape,
/// band, dtype and footprint (each kernel path: the fused 3x3, the separable rectangle, the runs of any other shape;
/// the 3x3, AVX-512 pair, 5x5 and any-footprint medians).
/// </summary>
[TestClass]
[DoNotParallelize] // the backend's options are process-wide
public sealed class ParallelMorphologyTests
{
    private static readonly DType[] All = [DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32, DType.Bool];
    private static readonly DType[] Numeric = [DType.Float32, DType.Float64, DType.UInt8, DType.UInt16, DType.Int32];

    private static HostArray<byte> Grid(string rows)
    {
        var lines = rows.Split('/');
        var data = lines.SelectMany(l => l.Select(c => c == '1' ? (byte)1 : (byte)0)).ToArray();
        return HostArray.Create(data, lines.Length, lines[0].Length);
    }

    /// <summary>Footprints reaching every kernel path: null (the cross), inside 3x3 (fused), full rectangles
    /// (separable, odd and even), other shapes (runs), non-centred and even-sized ones.</summary>
    public static IEnumerable<object?[]> Footprints =>
    [
        ["cross", null],
        ["square3", Morphology.Square(3)],
        ["square5", Morphology.Square(5)],
        ["rect2x4", Morphology.Rectangle(2, 4)],
        ["rect1x6", Morphology.Rectangle(1, 6)],
        ["rect7x1", Morphology.Rectangle(7, 1)],
        ["disk2", Morphology.Disk(2)],
        ["disk3", Morphology.Disk(3)],
        ["diamond1", Morphology.Diamond(1)],
        ["diamond2", Morphology.Diamond(2)],
        ["corner2x3", Grid("101/011")],
        ["offcentre4x5", Grid("11000/00001/01110/00011")],
        ["one", Grid("1")],
    ];

    private static NDArray? Fp(object? fp) => (NDArray?)fp;

    [TestMethod]
    [DynamicData(nameof(Footprints))]
    public void Erosion_Dilation(string name, object? fp)
    {
        ParallelTestKit.AssertBitIdentical($"erosion {name}", i => Morphology.Erosion(i, Fp(fp)), All, seed: 3);
        ParallelTestKit.AssertBitIdentical($"dilation {name}", i => Morphology.Dilation(i, Fp(fp)), All, seed: 5);
        ParallelTestKit.AssertBitIdentical($"erosion shifted {name}", i => Morphology.Erosion(i, Fp(fp), shiftX: true, shiftY: true), [DType.Float32, DType.UInt8], seed: 7);
        ParallelTestKit.AssertBitIdentical($"dilation shifted {name}", i => Morphology.Dilation(i, Fp(fp), shiftX: true), [DType.Int32, DType.Bool], seed: 9);
    }

    [TestMethod]
    [DynamicData(nameof(Footprints))]
    public void Opening_Closing_Tophats(string name, object? fp)
    {
        ParallelTestKit.AssertBitIdentical($"opening {name}", i => Morphology.Opening(i, Fp(fp)), All, seed: 11);
        ParallelTestKit.AssertBitIdentical($"closing {name}", i => Morphology.Closing(i, Fp(fp)), All, seed: 13);
        ParallelTestKit.AssertBitIdentical($"white_tophat {name}", i => Morphology.WhiteTophat(i, Fp(fp)), All, seed: 15);
        ParallelTestKit.AssertBitIdentical($"black_tophat {name}", i => Morphology.BlackTophat(i, Fp(fp)), All, seed: 17);
    }

    [TestMethod]
    [DynamicData(nameof(Footprints))]
    public void Binary(string name, object? fp)
    {
        // Bool images, and other dtypes read as != 0 (bands of the conversion too).
        DType[] dtypes = [DType.Bool, DType.UInt8, DType.Float32];
        ParallelTestKit.AssertBitIdentical($"binary_erosion {name}", i => Morphology.BinaryErosion(i, Fp(fp)), dtypes, seed: 19);
        ParallelTestKit.AssertBitIdentical($"binary_dilation {name}", i => Morphology.BinaryDilation(i, Fp(fp)), dtypes, seed: 21);
        ParallelTestKit.AssertBitIdentical($"binary_opening {name}", i => Morphology.BinaryOpening(i, Fp(fp)), dtypes, seed: 23);
        ParallelTestKit.AssertBitIdentical($"binary_closing {name}", i => Morphology.BinaryClosing(i, Fp(fp)), dtypes, seed: 25);
    }

    /// <summary>NaN in a float image: min/max of NaN depend on operand order, so every row must go through the same
    /// network for any cut (the fused 3x3 min/max, and the AVX-512 median's pairs, which start at even rows).</summary>
    [TestMethod]
    public void NaN_SameNetworkForAnyCut()
    {
        static HostArray WithNaN(HostArray image)
        {
            var flat = image.ToFlatArray();
            var shape = image.Shape.ToArray();
            if (flat is float[] f) { for (int k = 0; k < f.Length; k += 7) f[k] = float.NaN; return HostArray.Create(f, shape); }
            var d = (double[])flat;
            for (int k = 0; k < d.Length; k += 5) d[k] = double.NaN;
            return HostArray.Create(d, shape);
        }
        DType[] floats = [DType.Float32, DType.Float64];
        ParallelTestKit.AssertBitIdentical("median NaN", i => Filters.Median(WithNaN(i)), floats, seed: 27);
        ParallelTestKit.AssertBitIdentical("median 5x5 NaN", i => Filters.Median(WithNaN(i), Morphology.Square(5), BoundaryMode.Reflect), floats, seed: 29);
        ParallelTestKit.AssertBitIdentical("erosion NaN", i => Morphology.Erosion(WithNaN(i), Morphology.Square(3)), floats, seed: 31);
        ParallelTestKit.AssertBitIdentical("dilation disk NaN", i => Morphology.Dilation(WithNaN(i), Morphology.Disk(2)), floats, seed: 33);
    }

    /// <summary>Median footprints: null and 3x3 (the 3x3 kernels, AVX-512 pairs on wide float/int32 rows), 5x5 (forgetful
    /// selection), and any other (quickselect), including even-sized and non-centred ones.</summary>
    public static IEnumerable<object?[]> MedianFootprints =>
    [
        ["default", null],
        ["square3", Morphology.Square(3)],
        ["square5", Morphology.Square(5)],
        ["disk1", Morphology.Disk(1)],
        ["disk2", Morphology.Disk(2)],
        ["rect2x4", Morphology.Rectangle(2, 4)],
        ["rect4x1", Morphology.Rectangle(4, 1)],
        ["offcentre4x5", Grid("11000/00001/01110/00011")],
    ];

    [TestMethod]
    [DynamicData(nameof(MedianFootprints))]
    public void Median_Footprints(string name, object? fp) =>
        ParallelTestKit.AssertBitIdentical($"median {name}", i => Filters.Median(i, Fp(fp)), [.. Numeric, DType.Bool], seed: 35);

    [TestMethod]
    [DataRow(BoundaryMode.Reflect)]
    [DataRow(BoundaryMode.Constant)]
    [DataRow(BoundaryMode.Nearest)]
    [DataRow(BoundaryMode.Mirror)]
    [DataRow(BoundaryMode.Wrap)]
    public void Median_Modes(BoundaryMode mode)
    {
        ParallelTestKit.AssertBitIdentical($"median 3x3 {mode}", i => Filters.Median(i, null, mode, cval: 0.5), Numeric, seed: 40 + (int)mode);
        ParallelTestKit.AssertBitIdentical($"median 5x5 {mode}", i => Filters.Median(i, Morphology.Square(5), mode, cval: 7), Numeric, seed: 50 + (int)mode);
        ParallelTestKit.AssertBitIdentical($"median disk2 {mode}", i => Filters.Median(i, Morphology.Disk(2), mode, cval: 1), [DType.Float32, DType.UInt8, DType.Bool], seed: 60 + (int)mode);
        ParallelTestKit.AssertBitIdentical($"median rect2x4 {mode}", i => Filters.Median(i, Morphology.Rectangle(2, 4), mode), [DType.Float64, DType.Int32], seed: 70 + (int)mode);
    }
}
