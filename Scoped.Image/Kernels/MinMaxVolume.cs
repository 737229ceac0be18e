using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scoped.Image.Kernels;

/// <summary>An N-D flat footprint: its shape and, in C order, whether each element is in it.</summary>
internal sealed record FlatFootprint(int[] Shape, bool[] Values)
{
    /// <summary>scipy.ndimage.generate_binary_structure(rank, connectivity): the elements at most
    /// <paramref name="connectivity"/> unit steps from the centre of a 3 x ... x 3 cube.</summary>
    public static FlatFootprint Connectivity(int rank, int connectivity)
    {
        var shape = Enumerable.Repeat(3, rank).ToArray();
        var values = new bool[(int)Math.Pow(3, rank)];
        for (int i = 0; i < values.Length; i++)
        {
            int steps = 0;
            for (int a = 0, rest = i; a < rank; a++, rest /= 3) steps += rest % 3 == 1 ? 0 : 1;
            values[i] = steps <= connectivity;
        }
        return new FlatFootprint(shape, values);
    }

    /// <summary>Whether every element is in (a box, which runs as one line per axis).</summary>
    public bool IsBox => Array.TrueForAll(Values, v => v);

    /// <summary>The line of this box's length along <paramref name="axis"/> (1 on every other axis).</summary>
    public FlatFootprint Line(int axis)
    {
        var shape = Enumerable.Repeat(1, Shape.Length).ToArray();
        shape[axis] = Shape[axis];
        return new FlatFootprint(shape, Enumerable.Repeat(true, Shape[axis]).ToArray());
    }
}

/// <summary>
/// Grey-level min/max over an N-D flat footprint (ndimage's minimum_filter / maximum_filter in any rank) on a dense
/// C-order array seen as rows along its last axis. Each output row is the op over the footprint's lines: for every
/// offset on the outer axes, the source row it lands on (through the boundary mode; a row outside the array in
/// constant mode is cval), padded along the last axis, combined at each of the line's offsets with SIMD. A full box
/// footprint runs as one line per axis. Every output row depends only on the input, so any cut into bands gives
/// the same bytes; the 2-D <see cref="MinMax"/> is the fast case for 2-D images.
/// </summary>
internal static class MinMaxVolume
{
    /// <summary>dst = op over <paramref name="footprint"/> of src; element k of the footprint on axis a is offset
    /// k - centre[a] (negated when <paramref name="mirror"/>).</summary>
    public static void Filter<T, TOp>(ImageRows<T> src, ImageRows<T> dst, int[] shape, FlatFootprint footprint, int[] centre, bool mirror,
        BoundaryMode mode, T cval) where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        if (!footprint.IsBox || footprint.Values.Length == 1)
        {
            Bands.For(src.Height, (_, start, end) => FilterRows<T, TOp>(src, dst, shape, Lines(footprint, centre, mirror), mode, cval, start, end));
            return;
        }
        // A box: one line per axis of length > 1, through a scratch array when there is more than one.
        var axes = Enumerable.Range(0, shape.Length).Where(a => footprint.Shape[a] > 1).ToArray();
        T[]? scratch = axes.Length > 1 ? new T[(long)src.Height * src.Width] : null;
        var current = src;
        for (int i = 0; i < axes.Length; i++)
        {
            // Ping-pong so that the last pass lands in dst: with an even number of passes the first goes to scratch.
            bool toDst = (axes.Length - 1 - i) % 2 == 0;
            var target = toDst ? dst : HostArray<T>.RowsOver(scratch!, src.Height, src.Width);
            var lineCentre = new int[shape.Length];
            lineCentre[axes[i]] = centre[axes[i]];
            var lines = Lines(footprint.Line(axes[i]), lineCentre, mirror);
            var from = current;
            Bands.For(src.Height, (_, start, end) => FilterRows<T, TOp>(from, target, shape, lines, mode, cval, start, end));
            current = target;
        }
    }

    /// <summary>A footprint line: its offsets on the outer axes and its offsets along the last axis.</summary>
    private sealed record Line(int[] Outer, int[] Along);

    private static Line[] Lines(FlatFootprint footprint, int[] centre, bool mirror)
    {
        int rank = footprint.Shape.Length, length = footprint.Shape[^1], sign = mirror ? -1 : 1;
        var lines = new List<Line>();
        for (int start = 0; start < footprint.Values.Length; start += length)
        {
            var along = new List<int>();
            for (int k = 0; k < length; k++)
                if (footprint.Values[start + k]) along.Add(sign * (k - centre[rank - 1]));
            if (along.Count == 0) continue;
            var outer = new int[rank - 1];
            for (int a = rank - 2, rest = start / length; a >= 0; a--)
            {
                outer[a] = sign * (rest % footprint.Shape[a] - centre[a]);
                rest /= footprint.Shape[a];
            }
            lines.Add(new Line(outer, along.ToArray()));
        }
        return lines.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterRows<T, TOp>(ImageRows<T> src, ImageRows<T> dst, int[] shape, Line[] lines, BoundaryMode mode, T cval, int start, int end)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        int rank = shape.Length, width = shape[^1];
        int left = 0, right = 0, sources = 0, paddedLines = 0;
        foreach (var line in lines)
        {
            foreach (var dx in line.Along) { left = Math.Max(left, -dx); right = Math.Max(right, dx); }
            sources += line.Along.Length;
            if (line.Along is not [0]) paddedLines++;
        }
        // Scratch: one padded copy per line that shifts along the last axis, then a row of cval (lines outside the array).
        int span = left + width + right, cvalRegion = paddedLines * span;
        T[] scratch = ArrayPool<T>.Shared.Rent(cvalRegion + width);
        scratch.AsSpan(cvalRegion, width).Fill(cval);
        // Every source of the current row, as an offset into the input (a centre-column line) or into the scratch.
        var fromInput = new nint[sources];
        var fromScratch = new int[sources];
        var index = new int[Math.Max(rank - 1, 0)];
        ref T input = ref MemoryMarshal.GetReference(src.Row(0));
        try
        {
            for (int y = start; y < end; y++)
            {
                // The row's index on the outer axes.
                Raster.Unravel(y, shape.AsSpan(0, rank - 1), index);
                int inputCount = 0, scratchCount = 0, region = 0;
                foreach (var fpLine in lines)
                {
                    int row = 0;
                    for (int a = 0; a < rank - 1 && row >= 0; a++)
                    {
                        int m = Border.Map(index[a] + fpLine.Outer[a], shape[a], mode);
                        row = m < 0 ? -1 : row * shape[a] + m;
                    }
                    bool centreColumn = fpLine.Along is [0];
                    int at = region;
                    if (!centreColumn) region += span;
                    if (row < 0) { fromScratch[scratchCount++] = cvalRegion; continue; }
                    if (centreColumn) { fromInput[inputCount++] = row * src.RowStride; continue; }
                    Span<T> padRow = scratch.AsSpan(at, span);
                    src.Row(row).CopyTo(padRow.Slice(left));
                    for (int p = 1; p <= left; p++) { int m = Border.Map(-p, width, mode); padRow[left - p] = m < 0 ? cval : padRow[left + m]; }
                    for (int p = 0; p < right; p++) { int m = Border.Map(width + p, width, mode); padRow[left + width + p] = m < 0 ? cval : padRow[left + m]; }
                    foreach (var dx in fpLine.Along) fromScratch[scratchCount++] = at + left + dx;
                }
                CombineAll<T, TOp>(ref input, fromInput.AsSpan(0, inputCount), scratch, fromScratch.AsSpan(0, scratchCount), dst.Row(y));
            }
        }
        finally { ArrayPool<T>.Shared.Return(scratch); }
    }

    /// <summary>output[x] = op over every source at x, in one pass: each source element is loaded once and the output
    /// stored once (min and max are exact, so the order of the sources does not matter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineAll<T, TOp>(ref T input, ReadOnlySpan<nint> fromInput, T[] scratch, ReadOnlySpan<int> fromScratch, Span<T> output)
        where T : unmanaged, INumber<T> where TOp : struct, IMinMaxOp<T>
    {
        int n = output.Length, x = 0, vc = Vector<T>.Count;
        ref T pad = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref T o = ref MemoryMarshal.GetReference(output);
        bool firstFromInput = fromInput.Length > 0;
        if (Vector.IsHardwareAccelerated)
            for (; x <= n - vc; x += vc)
            {
                var v = firstFromInput ? Vector.LoadUnsafe(ref input, (nuint)(fromInput[0] + x)) : Vector.LoadUnsafe(ref pad, (nuint)(fromScratch[0] + x));
                for (int i = firstFromInput ? 1 : 0; i < fromInput.Length; i++) v = TOp.Invoke(v, Vector.LoadUnsafe(ref input, (nuint)(fromInput[i] + x)));
                for (int i = firstFromInput ? 0 : 1; i < fromScratch.Length; i++) v = TOp.Invoke(v, Vector.LoadUnsafe(ref pad, (nuint)(fromScratch[i] + x)));
                v.StoreUnsafe(ref o, (nuint)x);
            }
        for (; x < n; x++)
        {
            T v = firstFromInput ? Unsafe.Add(ref input, fromInput[0] + x) : Unsafe.Add(ref pad, fromScratch[0] + x);
            for (int i = firstFromInput ? 1 : 0; i < fromInput.Length; i++) v = TOp.Invoke(v, Unsafe.Add(ref input, fromInput[i] + x));
            for (int i = firstFromInput ? 0 : 1; i < fromScratch.Length; i++) v = TOp.Invoke(v, Unsafe.Add(ref pad, fromScratch[i] + x));
            Unsafe.Add(ref o, x) = v;
        }
    }
}
