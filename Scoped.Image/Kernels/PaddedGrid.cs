namespace Scoped.Image.Kernels;

/// <summary>
/// An N-D C-order grid with a margin on every axis, so that a neighbour of an inside element is always one flat offset
/// away and never wraps to another line: the propagation kernels (reconstruction, flooding, plateaus, the max-tree)
/// work on the flat padded array and mark the margin instead of testing bounds per neighbour.
/// </summary>
internal sealed class PaddedGrid
{
    /// <summary>A grid around <paramref name="shape"/> with <paramref name="before"/> and <paramref name="after"/>
    /// elements of margin per axis.</summary>
    public PaddedGrid(int[] shape, int[] before, int[] after)
    {
        Shape = shape;
        Before = before;
        Padded = new int[shape.Length];
        for (int a = 0; a < shape.Length; a++) Padded[a] = shape[a] + before[a] + after[a];
        Strides = new int[shape.Length];
        long length = 1;
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            Strides[a] = (int)length;
            length *= Padded[a];
        }
        Length = checked((int)length);
        Width = shape.Length == 0 ? 1 : shape[^1];
        int lines = 1;
        for (int a = 0; a < shape.Length - 1; a++) lines *= shape[a];
        if (Width == 0) lines = 0;
        LineStarts = new int[lines];
        var index = new int[Math.Max(0, shape.Length - 1)];
        for (int l = 0; l < lines; l++)
        {
            int flat = shape.Length == 0 ? 0 : before[^1];
            for (int a = 0; a < index.Length; a++) flat += (index[a] + before[a]) * Strides[a];
            LineStarts[l] = flat;
            for (int a = index.Length - 1; a >= 0 && ++index[a] == shape[a]; a--) index[a] = 0;
        }
    }

    /// <summary>A grid with one element of margin on every axis.</summary>
    public static PaddedGrid ByOne(int[] shape)
    {
        var one = Enumerable.Repeat(1, shape.Length).ToArray();
        return new PaddedGrid(shape, one, one);
    }

    /// <summary>The inside shape.</summary>
    public int[] Shape { get; }

    /// <summary>The margin before the inside, per axis.</summary>
    public int[] Before { get; }

    /// <summary>The padded shape.</summary>
    public int[] Padded { get; }

    /// <summary>Flat strides of the padded array, per axis.</summary>
    public int[] Strides { get; }

    /// <summary>Elements in the padded array.</summary>
    public int Length { get; }

    /// <summary>Inside elements per line along the last axis.</summary>
    public int Width { get; }

    /// <summary>The flat padded index of the first inside element of each inside line, in raster order.</summary>
    public int[] LineStarts { get; }

    /// <summary>The flat offsets of the true elements of <paramref name="footprint"/> around <paramref name="centre"/>,
    /// the centre itself left out, in C order of the footprint.</summary>
    public int[] Offsets(FlatFootprint footprint, int[] centre)
    {
        var offsets = new List<int>();
        int rank = footprint.Shape.Length;
        var at = new int[rank];
        for (int i = 0; i < footprint.Values.Length; i++)
        {
            int flat = 0;
            for (int a = 0; a < rank; a++) flat += (at[a] - centre[a]) * Strides[a];
            if (footprint.Values[i] && flat != 0) offsets.Add(flat);
            for (int a = rank - 1; a >= 0 && ++at[a] == footprint.Shape[a]; a--) at[a] = 0;
        }
        return offsets.ToArray();
    }

    /// <summary>The padded copy of a dense C-order array, the margin filled with <paramref name="fill"/>.</summary>
    public T[] Pad<T>(ReadOnlySpan<T> inside, T fill)
    {
        var padded = new T[Length];
        if (!EqualityComparer<T>.Default.Equals(fill, default)) Array.Fill(padded, fill);
        for (int l = 0; l < LineStarts.Length; l++) inside.Slice(l * Width, Width).CopyTo(padded.AsSpan(LineStarts[l], Width));
        return padded;
    }

    /// <summary>A margin of <paramref name="value"/> around an inside left as it is.</summary>
    public T[] Margin<T>(T inside, T value)
    {
        var padded = new T[Length];
        Array.Fill(padded, value);
        foreach (var start in LineStarts) padded.AsSpan(start, Width).Fill(inside);
        return padded;
    }

    /// <summary>The inside of a padded array, dense in C order.</summary>
    public T[] Crop<T>(T[] padded)
    {
        var inside = new T[LineStarts.Length * Width];
        for (int l = 0; l < LineStarts.Length; l++) padded.AsSpan(LineStarts[l], Width).CopyTo(inside.AsSpan(l * Width, Width));
        return inside;
    }
}
