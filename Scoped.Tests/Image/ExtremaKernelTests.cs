using System.Numerics;
using System.Numerics.Tensors;
using Scoped.Image.Kernels;

namespace Scoped.Tests.Image;

/// <summary>
/// The one-pass min/max kernel that replaced TensorPrimitives on the cold paths, bit for bit against the reference:
/// NaN wins under NaNPropagates (NumPy's min/max; TensorPrimitives.Min/Max), is skipped under NaNSkipped (nanmin/nanmax;
/// the scalar T.MinNumber fold, since TensorPrimitives.MinNumber 10.0.14 returns NaN when one is present), and -0
/// orders below +0 under both — at every length around the vector width, with the special values anywhere.
/// </summary>
[TestClass]
public sealed class ExtremaKernelTests
{
    private static readonly float[] Specials = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon];

    [TestMethod]
    public void Float32_matches_TensorPrimitives_with_NaN_signed_zeros_and_infinities()
    {
        var random = new Random(42);
        for (int length = 1; length <= 70; length++)
            for (int trial = 0; trial < 40; trial++)
            {
                var values = new float[length];
                for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
                // Some trials are all one special value (all NaN: nanmin is NaN too); the others sprinkle them.
                if (trial % 10 == 9) Array.Fill(values, Specials[random.Next(Specials.Length)]);
                else for (int k = random.Next(4); k > 0; k--) values[random.Next(length)] = Specials[random.Next(Specials.Length)];

                AssertSame(TensorPrimitives.Min<float>(values), TensorPrimitives.Max<float>(values), Extrema.Of<float, NaNPropagates<float>>(values), values);
                AssertSame(values.Aggregate(float.MinNumber), values.Aggregate(float.MaxNumber), Extrema.Of<float, NaNSkipped<float>>(values), values);
            }
    }

    [TestMethod]
    public void Float64_and_integers_match_TensorPrimitives()
    {
        var random = new Random(7);
        for (int length = 1; length <= 40; length++)
        {
            var doubles = Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.1 ? double.NaN : random.NextDouble() - 0.5).ToArray();
            var d = Extrema.Of<double, NaNPropagates<double>>(doubles);
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(TensorPrimitives.Min<double>(doubles)), BitConverter.DoubleToInt64Bits(d.Min));
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(TensorPrimitives.Max<double>(doubles)), BitConverter.DoubleToInt64Bits(d.Max));
            var n = Extrema.Of<double, NaNSkipped<double>>(doubles);
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(doubles.Aggregate(double.MinNumber)), BitConverter.DoubleToInt64Bits(n.Min));
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(doubles.Aggregate(double.MaxNumber)), BitConverter.DoubleToInt64Bits(n.Max));

            var bytes = Enumerable.Range(0, length * 3).Select(_ => (byte)random.Next(256)).ToArray();
            Assert.AreEqual((bytes.Min(), bytes.Max()), Extrema.Of<byte, NaNPropagates<byte>>(bytes));
            var ints = Enumerable.Range(0, length).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
            Assert.AreEqual((ints.Min(), ints.Max()), Extrema.Of<int, NaNSkipped<int>>(ints));
        }
    }

    [TestMethod]
    public void An_empty_span_is_refused()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Extrema.Of<float, NaNPropagates<float>>(ReadOnlySpan<float>.Empty));
        Assert.AreEqual("values", ex.ParamName);
    }

    private static void AssertSame(float min, float max, (float Min, float Max) actual, float[] values)
    {
        string what = string.Join(", ", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.AreEqual(BitConverter.SingleToInt32Bits(min), BitConverter.SingleToInt32Bits(actual.Min), $"min of [{what}]");
        Assert.AreEqual(BitConverter.SingleToInt32Bits(max), BitConverter.SingleToInt32Bits(actual.Max), $"max of [{what}]");
    }
}
