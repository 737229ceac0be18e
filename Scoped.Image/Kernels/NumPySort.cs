using System.Runtime.CompilerServices;
namespace Scoped.Image.Kernels;

/// <summary>
/// NumPy's default (unstable) argsort, reproduced so that ties come out in NumPy's order: an introsort (median-of-3
/// quicksort, insertion sort for 16 elements or fewer, heapsort past 2 * log2(n) levels) over an index array. NaN sorts last.
/// </summary>
internal static class NumPySort
{
    private const int SmallQuicksort = 15;

    private static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    /// <summary>Sorts <paramref name="order"/> (indices into <paramref name="v"/>) by v ascending, NumPy's way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ArgQuickSort(double[] v, int[] order)
    {
        int num = order.Length;
        if (num < 2) return;
        var stack = new int[128];
        var depthStack = new int[64];
        int sp = 0, dp = 0;
        int pl = 0, pr = num - 1;
        int cdepth = 0;
        for (int m = num; (m >>= 1) != 0;) cdepth++;
        cdepth *= 2;
        for (;;)
        {
            if (cdepth < 0)
            {
                HeapSort(v, order, pl, pr - pl + 1);
                goto pop;
            }
            while (pr - pl > SmallQuicksort)
            {
                int pm = pl + ((pr - pl) >> 1);
                if (Less(v[order[pm]], v[order[pl]])) Swap(order, pm, pl);
                if (Less(v[order[pr]], v[order[pm]])) Swap(order, pr, pm);
                if (Less(v[order[pm]], v[order[pl]])) Swap(order, pm, pl);
                double vp = v[order[pm]];
                int pi = pl, pj = pr - 1;
                Swap(order, pm, pj);
                for (;;)
                {
                    do ++pi; while (Less(v[order[pi]], vp));
                    do --pj; while (Less(vp, v[order[pj]]));
                    if (pi >= pj) break;
                    Swap(order, pi, pj);
                }
                Swap(order, pi, pr - 1);
                // The larger part waits on the stack; the smaller one is sorted next.
                if (pi - pl < pr - pi)
                {
                    stack[sp++] = pi + 1;
                    stack[sp++] = pr;
                    pr = pi - 1;
                }
                else
                {
                    stack[sp++] = pl;
                    stack[sp++] = pi - 1;
                    pl = pi + 1;
                }
                depthStack[dp++] = --cdepth;
            }
            for (int pi = pl + 1; pi <= pr; pi++)
            {
                int vi = order[pi];
                double key = v[vi];
                int pj = pi;
                while (pj > pl && Less(key, v[order[pj - 1]]))
                {
                    order[pj] = order[pj - 1];
                    pj--;
                }
                order[pj] = vi;
            }
        pop:
            if (sp == 0) break;
            pr = stack[--sp];
            pl = stack[--sp];
            cdepth = depthStack[--dp];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HeapSort(double[] v, int[] order, int start, int n)
    {
        // 1-based heap over order[start .. start + n - 1].
        int A(int i) => order[start + i - 1];
        void Set(int i, int value) => order[start + i - 1] = value;
        for (int l = n >> 1; l > 0; --l)
        {
            int tmp = A(l);
            int i = l, j = l << 1;
            while (j <= n)
            {
                if (j < n && Less(v[A(j)], v[A(j + 1)])) j++;
                if (Less(v[tmp], v[A(j)])) { Set(i, A(j)); i = j; j += j; }
                else break;
            }
            Set(i, tmp);
        }
        for (; n > 1;)
        {
            int tmp = A(n);
            Set(n, A(1));
            n--;
            int i = 1, j = 2;
            while (j <= n)
            {
                if (j < n && Less(v[A(j)], v[A(j + 1)])) j++;
                if (Less(v[tmp], v[A(j)])) { Set(i, A(j)); i = j; j += j; }
                else break;
            }
            Set(i, tmp);
        }
    }

    private static void Swap(int[] a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);
}
