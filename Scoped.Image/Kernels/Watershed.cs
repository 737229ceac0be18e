using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// skimage.segmentation.watershed's flood (Soille's priority-queue watershed, as CellProfiler wrote it for
/// scikit-image) on arrays padded by one element per side and raveled in C order: markers are pushed in raster order,
/// then the lowest (value, age) element is popped and its unlabelled neighbours inside the mask are pushed with the
/// next age. Age settles ties between equal values in favour of the element queued first, so a plateau is split
/// between the markers around it. The binary heap is scikit-image's own (same sift rules), because markers all enter
/// with age 0 and the order among equal markers is the heap's.
/// </summary>
internal static class Watershed
{
    /// <summary>One queued element: its priority (value, then age), where it is, and the marker it floods from.</summary>
    private struct Item
    {
        public double Value;
        public int Age;
        public int Index;
        public int Source;
    }

    /// <summary>
    /// Floods <paramref name="output"/> (marker labels where markers are, 0 elsewhere; a border of 0 with mask 0) from its
    /// markers over <paramref name="image"/>. <paramref name="neighbours"/> are raveled offsets sorted by distance (the
    /// centre left out), <paramref name="strides"/> the padded array's strides in elements (for compactness).
    /// <paramref name="mask"/> is changed where watershed lines are drawn.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Flood(double[] image, int[] output, byte[] mask, int[] neighbours, int[] strides, double compactness, bool watershedLine)
    {
        var heap = new Heap(1000);
        for (int i = 0; i < output.Length; i++)
            if (output[i] != 0) heap.Push(new Item { Value = image[i], Age = 0, Index = i, Source = i });
        bool compact = compactness > 0;
        long age = 1;
        while (heap.Count > 0)
        {
            var item = heap.Pop();
            if (compact || watershedLine)
            {
                // Labelled as it leaves the queue: the same element may be queued twice (compactness can make the later
                // entry cheaper), and a line element can only be told once all its neighbours are known.
                if (output[item.Index] != 0 && item.Index != item.Source) continue;
                if (watershedLine && DifferentNeighbours(output, neighbours, mask, item.Index)) continue;
                output[item.Index] = output[item.Source];
            }
            foreach (int offset in neighbours)
            {
                int n = item.Index + offset;
                if (mask[n] == 0 || output[n] != 0) continue;
                age++;
                double value = image[n];
                if (compact) value += compactness * Distance(n, item.Source, strides);
                else if (!watershedLine) output[n] = output[item.Index]; // cannot be reached more cheaply later
                // scikit-image keeps the age in an int32: it wraps past 2^31 pushes, as this cast does.
                heap.Push(new Item { Value = value, Age = unchecked((int)age), Index = n, Source = item.Source });
            }
        }
    }

    /// <summary>Whether the neighbours of <paramref name="index"/> inside the mask carry two different labels (then it
    /// is a line element: taken out of the mask). An element already out of the mask counts as one.</summary>
    private static bool DifferentNeighbours(int[] output, int[] neighbours, byte[] mask, int index)
    {
        if (mask[index] == 0) return true;
        int first = 0;
        foreach (int offset in neighbours)
        {
            int n = index + offset;
            if (mask[n] == 0) continue;
            if (first == 0) first = output[n];
            else
            {
                int other = output[n];
                if (other != 0 && other != first)
                {
                    mask[index] = 0;
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Euclidean distance between two raveled positions, axis by axis through the strides.</summary>
    private static double Distance(int a, int b, int[] strides)
    {
        double sum = 0;
        foreach (int stride in strides)
        {
            double d = a / stride - b / stride;
            sum += d * d;
            a %= stride;
            b %= stride;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>scikit-image's heap (heap_general.pxi): smallest (value, age) first; push sifts up while strictly
    /// smaller than the parent; pop moves the last item to the root and sifts it down towards the smaller child. The
    /// sifts move a hole instead of swapping, which leaves every item where the swaps would.</summary>
    private struct Heap(int capacity)
    {
        private Item[] _items = new Item[capacity];

        public int Count { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Smaller(in Item a, in Item b) => a.Value != b.Value ? a.Value < b.Value : a.Age < b.Age;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Push(in Item item)
        {
            if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            ref Item root = ref MemoryMarshal.GetArrayDataReference(_items);
            int child = Count++;
            while (child > 0)
            {
                int parent = (child + 1) / 2 - 1;
                ref Item above = ref Unsafe.Add(ref root, parent);
                if (!Smaller(item, above)) break;
                Unsafe.Add(ref root, child) = above;
                child = parent;
            }
            Unsafe.Add(ref root, child) = item;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Item Pop()
        {
            ref Item root = ref MemoryMarshal.GetArrayDataReference(_items);
            var top = root;
            int count = --Count;
            if (count == 0) return top;
            var last = Unsafe.Add(ref root, count);
            int i = 0;
            while (true)
            {
                int l = 2 * i + 1, r = l + 1;
                if (l >= count) break;
                // The smaller child, then whether it is smaller than the item being placed (the swaps' rule).
                int smallest = Smaller(Unsafe.Add(ref root, l), last) ? l : i;
                if (r < count && Smaller(Unsafe.Add(ref root, r), smallest == i ? last : Unsafe.Add(ref root, smallest))) smallest = r;
                if (smallest == i) break;
                Unsafe.Add(ref root, i) = Unsafe.Add(ref root, smallest);
                i = smallest;
            }
            Unsafe.Add(ref root, i) = last;
            return top;
        }
    }
}
