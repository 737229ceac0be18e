using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>Which values a flood enters.</summary>
internal interface IFloodTest<T>
{
    bool Enters(T value);
}

/// <summary>Values equal to the seed's.</summary>
internal readonly struct EqualTo<T>(T seed) : IFloodTest<T> where T : INumber<T>
{
    public bool Enters(T value) => value == seed;
}

/// <summary>Values in [low, high].</summary>
internal readonly struct Within<T>(T low, T high) : IFloodTest<T> where T : INumber<T>
{
    public bool Enters(T value) => low <= value && value <= high;
}

/// <summary>A flood fill from one element over the elements its test admits, neighbours as flat offsets on a padded
/// grid whose margin is flagged so the flood never leaves the image.</summary>
internal static class Flood
{
    /// <summary>Flag: not (yet) flooded.</summary>
    public const byte Unknown = 0;

    /// <summary>Flag: flooded.</summary>
    public const byte Filled = 1;

    /// <summary>Flag: the margin.</summary>
    public const byte Border = 2;

    /// <summary>Sets <paramref name="flags"/> to Filled on <paramref name="start"/> and every element its test admits
    /// that is connected to it through admitted elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill<T, TTest>(T[] image, byte[] flags, int[] offsets, int start, TTest test) where TTest : struct, IFloodTest<T>
    {
        var queue = new Queue<int>();
        queue.Enqueue(start);
        flags[start] = Filled;
        while (queue.TryDequeue(out int p))
            foreach (var o in offsets)
            {
                int q = p + o;
                if (flags[q] == Unknown && test.Enters(image[q]))
                {
                    flags[q] = Filled;
                    queue.Enqueue(q);
                }
            }
    }
}
