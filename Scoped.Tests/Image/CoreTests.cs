using System.Numerics.Tensors;
using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

[TestClass]
public sealed class ArrayTests
{
    [TestMethod]
    public void TensorConvertsWithoutCopying()
    {
        var tensor = Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        NDArray array = tensor;
        var host = (HostArray<float>)array;
        host[1, 2] = 42;
        Assert.AreEqual(42f, tensor[[1, 2]]);
        Assert.AreEqual(DType.Float32, array.DType);
        CollectionAssert.AreEqual(new[] { 2, 3 }, array.Shape.ToArray());
        Assert.AreEqual("host float32 array (2, 3)", array.ToString());
    }

    [TestMethod]
    public void CreateChecksTheShape()
    {
        ThrowsFor("shape", () => HostArray.Create(new byte[5], 2, 3));
        Assert.ThrowsExactly<ArgumentException>(() => HostArray.Zeros<int>(-1, 2));
    }

    [TestMethod]
    public void AsTypeFollowsNumPy()
    {
        var a = HostArray.Create(new[] { -1.7f, 0f, 2.9f, 300f }, 2, 2);
        CollectionAssert.AreEqual(new byte[] { 0, 0, 2, 255 }, ((HostArray<byte>)a.AsType(DType.UInt8)).ToArray());
        CollectionAssert.AreEqual(new[] { true, false, true, true }, ((HostArray<bool>)a.AsType(DType.Bool)).ToArray());
        CollectionAssert.AreEqual(new[] { -1, 0, 2, 300 }, ((HostArray<int>)a.AsType(DType.Int32)).ToArray());
    }

    [TestMethod]
    public void StridedCropGivesTheSameResultAsACopy()
    {
        var full = Load<float>("core", "rand_f32_37x53");
        // A crop is a view: rows 5..30, cols 7..48 of the larger tensor, not copied.
        var crop = new HostArray<float>(full.Tensor.Slice([new System.Buffers.NRange(5, 30), new System.Buffers.NRange(7, 48)]));
        Assert.IsFalse(crop.Tensor.IsDense);
        var copy = HostArray.Create(crop.ToArray(), 25, 41);
        AssertMatches(Filters.Gaussian(copy, 2), Filters.Gaussian(crop, 2), 0);
        AssertMatches(Util.ImgAsUbyte(copy), Util.ImgAsUbyte(crop));
    }

    [TestMethod]
    public void TransposedViewIsReadCorrectly()
    {
        var full = Load<float>("core", "rand_f32_37x53");
        var data = full.ToArray();
        var transposed = new HostArray<float>(Tensor.Create(data, 0, [53, 37], [1, 53]));
        var dense = new float[data.Length];
        for (int y = 0; y < 53; y++) for (int x = 0; x < 37; x++) dense[y * 37 + x] = data[x * 53 + y];
        AssertMatches(Filters.Gaussian(HostArray.Create(dense, 53, 37), 1.5), Filters.Gaussian(transposed, 1.5), 0);
    }
}

[TestClass]
public sealed class NpyTests
{
    [TestMethod]
    [DataRow("camera_u8", DType.UInt8)]
    [DataRow("rand_f32_37x53", DType.Float32)]
    [DataRow("rand_f64_31x29", DType.Float64)]
    [DataRow("rand_u16_23x19", DType.UInt16)]
    [DataRow("rand_i32_11x7", DType.Int32)]
    [DataRow("rand_bool_13x17", DType.Bool)]
    public void RoundTripsEveryElementType(string name, DType dtype)
    {
        var array = Load("core", name);
        Assert.AreEqual(dtype, array.DType);
        var stream = new MemoryStream();
        Npy.Write(stream, array);
        stream.Position = 0;
        AssertMatches(array, Npy.Read(stream), 0);
    }

    /// <summary>The data is read straight into the array in 1 MiB pieces and written from the array's own memory (a
    /// strided view through a C-order copy): a multi-piece array and a view both round-trip exactly.</summary>
    [TestMethod]
    public void RoundTripsArraysOfManyPiecesAndStridedViews()
    {
        var random = new Random(5);
        var big = HostArray.Create(Enumerable.Range(0, 1000 * 700).Select(_ => random.NextSingle()).ToArray(), 1000, 700);
        var stream = new MemoryStream();
        Npy.Write(stream, big);
        Assert.IsGreaterThan(2 * Npy.WriteChunkBytes, (int)stream.Length);
        stream.Position = 0;
        AssertMatches(big, Npy.Read(stream), 0);

        var view = (HostArray<float>)big.Window(100, 37, 50, 41);
        var viewStream = new MemoryStream();
        Npy.Write(viewStream, view);
        viewStream.Position = 0;
        var back = (HostArray<float>)Npy.Read(viewStream);
        CollectionAssert.AreEqual(new[] { 50, 41 }, back.Shape.ToArray());
        CollectionAssert.AreEqual(view.ToArray(), back.ToArray());
    }

    [TestMethod]
    public void ReadsFortranOrderAndBigEndian()
    {
        var c = Load("core", "layout_c_f32");
        AssertMatches(c, Load("core", "layout_fortran_f32"), 0);
        AssertMatches(c, Load("core", "layout_bigendian_f32"), 0);
        AssertMatches(Load("core", "layout_bigendian_u16_expected"), Load("core", "layout_bigendian_u16"), 0);
    }

    [TestMethod]
    public void TruncatedFileNamesTheFileAndTheProblem()
    {
        var stream = new MemoryStream();
        Npy.Write(stream, Load("core", "rand_f32_37x53"));
        var cut = new MemoryStream(stream.ToArray()[..(int)(stream.Length - 10)]);
        var ex = Assert.ThrowsExactly<ImageFileException>(() => Npy.Read(cut, "cut.npy"));
        StringAssert.Contains(ex.Message, "cut.npy");
        StringAssert.Contains(ex.Message, "truncated");
    }

    [TestMethod]
    public void GarbageAndUnsupportedTypesAreRefused()
    {
        var ex = Assert.ThrowsExactly<ImageFileException>(() => Npy.Read(new MemoryStream("hello world, not numpy"u8.ToArray()), "x.npy"));
        StringAssert.Contains(ex.Message, "not a .npy file");
        var header = "{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length + 1), 0 };
        // (magic, version 1.0, header length) 
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header + "\n"));
        bytes.AddRange(new byte[32]);
        ex = Assert.ThrowsExactly<ImageFileException>(() => Npy.Read(new MemoryStream(bytes.ToArray()), "c.npy"));
        StringAssert.Contains(ex.Message, "<c16");
    }

    [TestMethod]
    public void ZeroDimensionalScalarReadsAsOneElement()
    {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length + 1), 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header + "\n"));
        bytes.AddRange(BitConverter.GetBytes(2.5));
        var scalar = (HostArray<double>)Npy.Read(new MemoryStream(bytes.ToArray()), "s.npy");
        CollectionAssert.AreEqual(new[] { 2.5 }, scalar.ToArray());
        CollectionAssert.AreEqual(new[] { 1 }, scalar.Shape.ToArray());
    }

    [TestMethod]
    public void WriteReplacesTheFileWhole()
    {
        string dir = Directory.CreateTempSubdirectory("scoped-npy").FullName;
        try
        {
            string path = Path.Combine(dir, "a.npy");
            Npy.Write(path, Load("core", "camera_u8"));
            AssertMatches(Load("core", "camera_u8"), Npy.Read(path), 0);
            Npy.Write(path, Load("core", "rand_f32_37x53"));
            AssertMatches(Load("core", "rand_f32_37x53"), Npy.Read(path), 0);
            CollectionAssert.AreEqual(new[] { "a.npy" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray(), "no temporary file is left behind");
            Assert.ThrowsExactly<DirectoryNotFoundException>(() => Npy.Write(Path.Combine(dir, "missing", "b.npy"), Load("core", "camera_u8")));
        }
        finally { Directory.Delete(dir, true); }
    }
}

[TestClass]
public sealed class UtilConversionTests
{
    [TestMethod]
    [DataRow("camera_u8")]
    [DataRow("rand_f32_37x53")]
    [DataRow("rand_f64_31x29")]
    [DataRow("rand_u16_23x19")]
    [DataRow("rand_i32_11x7")]
    [DataRow("rand_bool_13x17")]
    public void ImgAsFloatMatchesScikitImage(string name)
    {
        var input = Load("core", name);
        AssertMatches(Load("core", "img_as_float__" + name), Unmodified(input, () => Call(() => Util.ImgAsFloat(input))));
    }

    [TestMethod]
    [DataRow("camera_u8")]
    [DataRow("rand_f32_37x53")]
    [DataRow("rand_f64_31x29")]
    [DataRow("rand_u16_23x19")]
    [DataRow("rand_i32_11x7")]
    [DataRow("rand_bool_13x17")]
    [DataRow("rand_f32_signed")]
    public void ImgAsUbyteMatchesScikitImage(string name)
    {
        var input = Load("core", name);
        AssertMatches(Load("core", "img_as_ubyte__" + name), Unmodified(input, () => Call(() => Util.ImgAsUbyte(input))));
    }

    [TestMethod]
    [DataRow("camera_u8", false)]
    [DataRow("rand_f32_37x53", false)]
    [DataRow("rand_f32_37x53", true)]
    [DataRow("rand_f64_31x29", false)]
    [DataRow("rand_f64_31x29", true)]
    [DataRow("rand_u16_23x19", false)]
    [DataRow("rand_i32_11x7", false)]
    [DataRow("rand_bool_13x17", false)]
    [DataRow("rand_f32_signed", false)]
    [DataRow("rand_f32_signed", true)]
    public void InvertMatchesScikitImage(string name, bool signedFloat)
    {
        var input = Load("core", name);
        var expected = Load("core", $"invert__{name}{(signedFloat ? "_signed" : "")}");
        var result = Unmodified(input, () => Call(() => Util.Invert(input, signedFloat)));
        Assert.AreEqual(input.DType, result.DType, "invert keeps the element type");
        AssertMatches(expected, result);
    }

    [TestMethod]
    public void InvertMapsEachIntegerRangeOntoItself()
    {
        var u8 = (HostArray<byte>)Util.Invert(HostArray.Create(new byte[] { 0, 1, 254, 255 }, 1, 4));
        CollectionAssert.AreEqual(new byte[] { 255, 254, 1, 0 }, u8.Tensor.ToArray());
        var i32 = (HostArray<int>)Util.Invert(HostArray.Create(new[] { int.MinValue, -1, 0, int.MaxValue }, 1, 4));
        CollectionAssert.AreEqual(new[] { int.MaxValue, 0, -1, int.MinValue }, i32.Tensor.ToArray());
        ThrowsFor("image", () => Util.Invert(null!));
    }

    [TestMethod]
    public void ImgAsUbyteRefusesFloatsOutOfRange()
    {
        var ex = ThrowsFor("image", () => Util.ImgAsUbyte(HostArray.Create(new[] { 0f, 1.5f }, 1, 2)));
        StringAssert.Contains(ex.Message, "[-1, 1]");
    }
}

[TestClass]
public sealed class GaussianTests
{
    private static HostArray Rand => Load("core", "rand_f32_37x53");

    [TestMethod]
    public void CameraSigma2GivesFloat64() =>
        AssertMatches(Load("core", "gaussian__camera_s2"), Call(() => Filters.Gaussian(Load("core", "camera_u8"), 2)));

    [TestMethod]
    public void PreserveRangeKeepsIntegerValues() =>
        AssertMatches(Load("core", "gaussian__camera_s1_5_preserve"), Call(() => Filters.Gaussian(Load("core", "camera_u8"), 1.5, preserveRange: true)), 1e-12);

    [TestMethod]
    [DataRow("nearest", BoundaryMode.Nearest)]
    [DataRow("reflect", BoundaryMode.Reflect)]
    [DataRow("mirror", BoundaryMode.Mirror)]
    [DataRow("wrap", BoundaryMode.Wrap)]
    [DataRow("constant", BoundaryMode.Constant)]
    public void EveryBoundaryMode(string name, BoundaryMode mode)
    {
        var input = Rand;
        AssertMatches(Load("core", "gaussian__rand_f32_s2_" + name), Unmodified(input, () => Call(() => Filters.Gaussian(input, 2, mode, cval: 0.25))));
    }

    [TestMethod]
    public void TruncateZeroSigmaAnisotropicAndWide()
    {
        AssertMatches(Load("core", "gaussian__rand_f32_s3_t2"), Call(() => Filters.Gaussian(Rand, 3, truncate: 2)));
        AssertMatches(Load("core", "gaussian__rand_f32_s0"), Call(() => Filters.Gaussian(Rand, 0)));
        AssertMatches(Load("core", "gaussian__rand_f32_s_1_4"), Call(() => Filters.Gaussian(Rand, [1.0, 4.0])));
        AssertMatches(Load("core", "gaussian__rand_f32_s10"), Call(() => Filters.Gaussian(Rand, 10)));
        AssertMatches(Load("core", "gaussian__rand_f64_s1"), Call(() => Filters.Gaussian(Load("core", "rand_f64_31x29"), 1)));
    }

    [TestMethod]
    public void RgbChannelsAreNotMixed() =>
        AssertMatches(Load("core", "gaussian__astronaut_s2_rgb"), Call(() => Filters.Gaussian(Load("core", "astronaut_u8"), 2, channelAxis: -1)));

    [TestMethod]
    public void BadArgumentsNameTheParameter()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => Filters.Gaussian(null!, 1));
        ThrowsFor("sigma", () => Filters.Gaussian(Rand, double.NaN));
        ThrowsFor("sigma", () => Filters.Gaussian(Rand, -1));
        ThrowsFor("sigma", () => Filters.Gaussian(Rand, [1.0, 2.0, 3.0]));
        ThrowsFor("image", () => Filters.Gaussian(HostArray.Zeros<float>(0, 5), 1));
        ThrowsFor("image", () => Filters.Gaussian(HostArray.Zeros<float>(), 1));
        ThrowsFor("channelAxis", () => Filters.Gaussian(HostArray.Zeros<float>(4, 4, 3), 1, channelAxis: 3));
        ThrowsFor("truncate", () => Filters.Gaussian(Rand, 1, truncate: 0));
    }
}
