using System.Numerics;
using System.Runtime.CompilerServices;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// block_reduce: the image cut into blocks (padded at the end of each axis with cval), one value per block.
public static partial class Measure
{
    /// <summary>The reductions block_reduce offers, scikit-image's func (np.sum, np.mean, np.median, np.min, np.max).</summary>
    private static readonly string[] BlockFunctions = ["sum", "mean", "median", "min", "max"];

    /// <summary>
    /// skimage.measure.block_reduce: the image padded with <paramref name="cval"/> at the end of each axis to a
    /// multiple of the block, then one value per block. Element types as NumPy gives them: min and max keep the type;
    /// sum, mean and median keep a float type and give float64 for bool and integers (scikit-image's integer sums are
    /// int64/uint64, which Scoped's arrays do not have: float64 holds them exactly up to 2^53). NaN in a block makes
    /// every reduction NaN, as NumPy's do.
    /// </summary>
    /// <param name="image">Any rank, any element type.</param>
    /// <param name="blockSize">One block length per axis, or one for every axis; each &gt;= 1.</param>
    /// <param name="func">"sum", "mean", "median", "min" or "max".</param>
    /// <param name="cval">The padding value; for integer images it must lie in the type's range (it is truncated to
    /// it, as np.pad casts it).</param>
    public static NDArray BlockReduce(NDArray image, int[]? blockSize = null, string func = "sum", double cval = 0)
    {
        Guard.AnyRank(image, nameof(image));
        if (image.Size == 0) throw new ArgumentException($"image must not be empty; got shape {image.ShapeText}.", nameof(image));
        blockSize ??= [2];
        if (blockSize.Length != 1 && blockSize.Length != image.Rank)
            throw new ArgumentException($"blockSize must have one value or one per axis ({image.Rank}); got {blockSize.Length}.", nameof(blockSize));
        if (Array.Exists(blockSize, b => b < 1))
            throw new ArgumentException($"blockSize values must be >= 1 (down-sampling factors; use transform.resize to up-sample); got [{string.Join(", ", blockSize)}].", nameof(blockSize));
        if (Array.IndexOf(BlockFunctions, func) < 0)
            throw new ArgumentException($"func must be one of {string.Join(", ", BlockFunctions)}; got \"{func}\".", nameof(func));
        if (image.DType is not (DType.Float32 or DType.Float64))
        {
            var (min, max) = image.DType == DType.Bool ? (0.0, 1.0) : image.DType.Range();
            if (!(cval >= min && cval <= max))
                throw new ArgumentException($"cval must lie in the range of the image's type {image.DType} ([{min}, {max}]); got {cval}.", nameof(cval));
        }
        long block = 1;
        foreach (int b in PerAxis(blockSize, image.Rank)) block *= b;
        Guard.Elements(block, nameof(blockSize), "one block");
        return Methods.BlockReduce.Invoke(image, blockSize, func, cval);
    }

    private static int[] PerAxis(int[] blockSize, int rank) => blockSize.Length == 1 ? Enumerable.Repeat(blockSize[0], rank).ToArray() : blockSize;

    [Function(Domains.Measure + ":block_reduce", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray BlockReduceCpu(NDArray image, int[]? blockSize, string func, double cval)
    {
        var host = Guard.Host(image, nameof(image));
        var blocks = PerAxis(blockSize ?? [2], host.Rank);
        if (host is HostArray<bool> flags)
        {
            var counts = (HostArray<byte>)flags.AsType(DType.UInt8);
            var reduced = BlockReduceOf(counts, blocks, func, cval);
            return func is "min" or "max" ? reduced.AsType(DType.Bool) : reduced;
        }
        return host switch
        {
            HostArray<float> a => BlockReduceOf(a, blocks, func, cval),
            HostArray<double> a => BlockReduceOf(a, blocks, func, cval),
            HostArray<byte> a => BlockReduceOf(a, blocks, func, cval),
            HostArray<ushort> a => BlockReduceOf(a, blocks, func, cval),
            HostArray<int> a => BlockReduceOf(a, blocks, func, cval),
            _ => throw new ArgumentException($"Unsupported element type {host.DType}.", nameof(image)),
        };
    }

    /// <summary>The reduction in T's float type: float32 for float32, float64 for the rest.</summary>
    private static HostArray BlockReduceOf<T>(HostArray<T> image, int[] blocks, string func, double cval) where T : unmanaged, INumber<T>
    {
        T pad = Elements.From<T>(cval);
        if (typeof(T) == typeof(float))
        {
            var f = (HostArray<float>)(object)image;
            float p = (float)(object)pad;
            return func switch
            {
                "sum" => Blocks<float, float, BlockSum<float, float>>(f, blocks, p),
                "mean" => Blocks<float, float, BlockMean<float, float>>(f, blocks, p),
                "median" => Blocks<float, float, BlockMedian<float, float>>(f, blocks, p),
                "min" => Blocks<float, float, BlockExtreme<float>>(f, blocks, p, new(false)),
                _ => Blocks<float, float, BlockExtreme<float>>(f, blocks, p, new(true)),
            };
        }
        return func switch
        {
            "sum" => Blocks<T, double, BlockSum<T, double>>(image, blocks, pad),
            "mean" => Blocks<T, double, BlockMean<T, double>>(image, blocks, pad),
            "median" => Blocks<T, double, BlockMedian<T, double>>(image, blocks, pad),
            "min" => Blocks<T, T, BlockExtreme<T>>(image, blocks, pad, new(false)),
            _ => Blocks<T, T, BlockExtreme<T>>(image, blocks, pad, new(true)),
        };
    }

    /// <summary>One value from the values of a block, in C order.</summary>
    private interface IBlockReducer<T, TOut>
    {
        TOut Reduce(Span<T> values);
    }

    /// <summary>Each output element from its block's values gathered in C order (padding where the block passes the
    /// image's end), output elements in bands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static HostArray<TOut> Blocks<T, TOut, TReducer>(HostArray<T> image, int[] blocks, T cval, TReducer reducer = default)
        where T : unmanaged where TOut : unmanaged where TReducer : struct, IBlockReducer<T, TOut>
    {
        int rank = image.Rank;
        var shape = image.Shape.ToArray();
        var outShape = new int[rank];
        for (int a = 0; a < rank; a++) outShape[a] = (shape[a] + blocks[a] - 1) / blocks[a];
        var source = image.Dense().ToArray();
        var strides = new long[rank];
        for (int a = rank - 1, s = 1; a >= 0; a--) { strides[a] = s; s *= shape[a]; }
        // Each block element's offset along every axis and its flat offset from the block's origin.
        int count = 1;
        foreach (int b in blocks) count *= b;
        var along = new int[count * rank];
        var offsets = new long[count];
        for (int k = 0; k < count; k++)
            for (int a = rank - 1, rest = k; a >= 0; a--)
            {
                along[k * rank + a] = rest % blocks[a];
                offsets[k] += rest % blocks[a] * strides[a];
                rest /= blocks[a];
            }
        var dst = new TOut[outShape.Aggregate(1L, (p, n) => p * n)];
        Bands.For(dst.Length, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            var values = new T[count];
            var origin = new int[rank];
            for (int o = start; o < end; o++)
            {
                long baseIndex = 0;
                bool whole = true;
                for (int a = rank - 1, rest = o; a >= 0; a--)
                {
                    origin[a] = rest % outShape[a] * blocks[a];
                    rest /= outShape[a];
                    baseIndex += origin[a] * strides[a];
                    whole &= origin[a] + blocks[a] <= shape[a];
                }
                for (int k = 0; k < count; k++)
                {
                    bool inside = whole;
                    if (!inside)
                    {
                        inside = true;
                        for (int a = 0; a < rank && inside; a++) inside = origin[a] + along[k * rank + a] < shape[a];
                    }
                    values[k] = inside ? source[baseIndex + offsets[k]] : cval;
                }
                dst[o] = reducer.Reduce(values);
            }
        });
        return HostArray.Create(dst, outShape);
    }

    /// <summary>A running sum in TAcc, element after element.</summary>
    private readonly struct BlockSum<T, TAcc> : IBlockReducer<T, TAcc> where T : unmanaged, INumberBase<T> where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        public TAcc Reduce(Span<T> values)
        {
            TAcc sum = TAcc.Zero;
            foreach (T v in values) sum += TAcc.CreateTruncating(v);
            return sum;
        }
    }

    private readonly struct BlockMean<T, TAcc> : IBlockReducer<T, TAcc> where T : unmanaged, INumberBase<T> where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        public TAcc Reduce(Span<T> values) => default(BlockSum<T, TAcc>).Reduce(values) / TAcc.CreateTruncating(values.Length);
    }

    /// <summary>np.median: the middle value, or the mean of the two middle values, in TAcc; NaN if any value is NaN.</summary>
    private readonly struct BlockMedian<T, TAcc> : IBlockReducer<T, TAcc> where T : unmanaged, INumber<T> where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        public TAcc Reduce(Span<T> values)
        {
            foreach (T v in values) if (T.IsNaN(v)) return TAcc.NaN;
            values.Sort();
            int n = values.Length;
            TAcc upper = TAcc.CreateTruncating(values[n / 2]);
            return n % 2 == 1 ? upper : (TAcc.CreateTruncating(values[n / 2 - 1]) + upper) / TAcc.CreateTruncating(2);
        }
    }

    /// <summary>np.min or np.max, NaN propagating.</summary>
    private readonly struct BlockExtreme<T>(bool max) : IBlockReducer<T, T> where T : unmanaged, INumber<T>
    {
        public T Reduce(Span<T> values)
        {
            T best = values[0];
            foreach (T v in values)
            {
                if (T.IsNaN(v)) return v;
                if (max ? v > best : v < best) best = v;
            }
            return best;
        }
    }
}
