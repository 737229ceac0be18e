using Scoped.Image.Primitives;

namespace Scoped.Tests.Image;

/// <summary>Quantiles.PercentileOfUnsorted (selection) gives what Percentile gives on the sorted values, bit for bit,
/// on data with runs of equal values, NaN, and every percentile at the ends and in between.</summary>
[TestClass]
public sealed class QuantilesTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(7)]
    [DataRow(100)]
    [DataRow(4097)]
    public void SelectionAgreesWithSorting(int length)
    {
        var random = new Random(length);
        foreach (int distinct in new[] { 1, 3, 50, 1 << 30 })
        {
            var values = Enumerable.Range(0, length).Select(_ => (float)(random.Next(distinct) * 0.37)).ToArray();
            if (length > 10) values[random.Next(length)] = float.NaN;
            var sorted = (float[])values.Clone();
            Array.Sort(sorted);
            foreach (double percent in new[] { 0, 0.5, 1, 2.5, 33.3, 50, 99, 99.9, 100 })
            {
                var scratch = (float[])values.Clone();
                double expected = Quantiles.Percentile<float>(sorted, percent);
                double actual = Quantiles.PercentileOfUnsorted<float>(scratch, percent);
                Assert.AreEqual(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual),
                    $"length {length}, {distinct} distinct, {percent}%: expected {expected}, got {actual}");
            }
        }
        // Integers: the difference is taken in the element type, as NumPy takes it.
        var ints = Enumerable.Range(0, length).Select(_ => random.Next(-1000, 1000)).ToArray();
        var sortedInts = (int[])ints.Clone();
        Array.Sort(sortedInts);
        Assert.AreEqual(Quantiles.Percentile<int>(sortedInts, 12.5), Quantiles.PercentileOfUnsorted<int>(ints, 12.5));
    }

    [TestMethod]
    public void AnEmptySpanIsRejected() =>
        Assert.ThrowsExactly<ArgumentException>(() => Quantiles.PercentileOfUnsorted<float>(Span<float>.Empty, 50));
}
