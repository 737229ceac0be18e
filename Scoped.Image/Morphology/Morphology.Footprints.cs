namespace Scoped.Image;

public static partial class Morphology
{
    /// <summary>skimage.morphology.square: a width x width uint8 array of ones.</summary>
    public static HostArray<byte> Square(int width)
    {
        if (width < 1) throw new ArgumentException($"width must be >= 1; got {width}.", nameof(width));
        Guard.OutputShape([width, width], nameof(width), "a footprint");
        return Rectangle(width, width);
    }

    /// <summary>skimage.morphology.rectangle: an nrows x ncols uint8 array of ones.</summary>
    public static HostArray<byte> Rectangle(int nrows, int ncols)
    {
        if (nrows < 1) throw new ArgumentException($"nrows must be >= 1; got {nrows}.", nameof(nrows));
        if (ncols < 1) throw new ArgumentException($"ncols must be >= 1; got {ncols}.", nameof(ncols));
        Guard.OutputShape([nrows, ncols], nrows >= ncols ? nameof(nrows) : nameof(ncols), "a footprint");
        var data = new byte[nrows * ncols];
        Array.Fill(data, (byte)1);
        return HostArray.Create(data, nrows, ncols);
    }

    /// <summary>skimage.morphology.disk: (2r+1)^2 uint8, 1 where x^2 + y^2 &lt;= r^2.</summary>
    public static HostArray<byte> Disk(int radius) =>
        Shape(radius, nameof(radius), (y, x) => (long)x * x + (long)y * y <= (long)radius * radius);

    /// <summary>skimage.morphology.diamond: (2r+1)^2 uint8, 1 where |x| + |y| &lt;= r.</summary>
    public static HostArray<byte> Diamond(int radius) =>
        Shape(radius, nameof(radius), (y, x) => Math.Abs(x) + Math.Abs(y) <= radius);

    /// <summary>skimage.morphology.ellipse: (2 height + 1) x (2 width + 1) uint8, 1 strictly inside the ellipse of
    /// semi-axes width + 1 (columns) and height + 1 (rows) about the centre, as skimage.draw.ellipse fills it.</summary>
    public static HostArray<byte> Ellipse(int width, int height)
    {
        if (width < 0) throw new ArgumentException($"width must be >= 0; got {width}.", nameof(width));
        if (height < 0) throw new ArgumentException($"height must be >= 0; got {height}.", nameof(height));
        long rows = 2L * height + 1, cols = 2L * width + 1;
        Guard.Elements(rows > int.MaxValue || cols > int.MaxValue ? long.MaxValue : rows * cols, width >= height ? nameof(width) : nameof(height), $"a footprint of {rows} x {cols}");
        var data = new byte[rows * cols];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
            {
                double r = (double)(y - height) / (height + 1), c = (double)(x - width) / (width + 1);
                data[y * cols + x] = r * r + c * c < 1 ? (byte)1 : (byte)0;
            }
        return HostArray.Create(data, (int)rows, (int)cols);
    }

    /// <summary>skimage.morphology.cube: a width x width x width uint8 array of ones.</summary>
    public static HostArray<byte> Cube(int width)
    {
        if (width < 1) throw new ArgumentException($"width must be >= 1; got {width}.", nameof(width));
        Guard.OutputShape([width, width, width], nameof(width), "a footprint");
        var data = new byte[width * width * width];
        Array.Fill(data, (byte)1);
        return HostArray.Create(data, width, width, width);
    }

    /// <summary>skimage.morphology.ball: (2r+1)^3 uint8, 1 where x^2 + y^2 + z^2 &lt;= r^2.</summary>
    public static HostArray<byte> Ball(int radius) =>
        Solid(radius, nameof(radius), (z, y, x) => (long)x * x + (long)y * y + (long)z * z <= (long)radius * radius);

    /// <summary>skimage.morphology.octahedron: (2r+1)^3 uint8, 1 where |x| + |y| + |z| &lt;= r.</summary>
    public static HostArray<byte> Octahedron(int radius) =>
        Solid(radius, nameof(radius), (z, y, x) => Math.Abs(x) + Math.Abs(y) + Math.Abs(z) <= radius);

    private static HostArray<byte> Solid(int radius, string name, Func<int, int, int, bool> inside)
    {
        if (radius < 0) throw new ArgumentException($"{name} must be >= 0; got {radius}.", name);
        long side = 2L * radius + 1;
        Guard.Elements(side > 2_000_000 ? long.MaxValue : side * side * side, name, $"a footprint of {side} x {side} x {side}");
        int n = (int)side;
        var data = new byte[n * n * n];
        for (int z = 0; z < n; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                    data[(z * n + y) * n + x] = inside(z - radius, y - radius, x - radius) ? (byte)1 : (byte)0;
        return HostArray.Create(data, n, n, n);
    }

    private static HostArray<byte> Shape(int radius, string name, Func<int, int, bool> inside)
    {
        if (radius < 0) throw new ArgumentException($"{name} must be >= 0; got {radius}.", name);
        long side = 2L * radius + 1;
        Guard.Elements(side > int.MaxValue ? long.MaxValue : side * side, name, $"a footprint of {side} x {side}");
        int n = (int)side;
        var data = new byte[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                data[y * n + x] = inside(y - radius, x - radius) ? (byte)1 : (byte)0;
        return HostArray.Create(data, n, n);
    }

    /// <summary>The default footprint of scikit-image 0.19 in 2-D: the 3x3 cross (ndi.generate_binary_structure(2, 1)).</summary>
    private static bool[,] Cross() => new bool[,] { { false, true, false }, { true, true, true }, { false, true, false } };

    /// <summary>A 2-D footprint (any dtype; non-zero = in) as a bool grid, or the cross for null.</summary>
    private static bool[,] FootprintGrid(NDArray? footprint, string name = "footprint")
    {
        if (footprint is null) return Cross();
        if (footprint.Rank != 2)
            throw new ArgumentException($"{name} must be 2-D; got shape {footprint.ShapeText}.", name);
        if (footprint.Size == 0) throw new ArgumentException($"{name} must not be empty; got shape {footprint.ShapeText}.", name);
        var host = footprint as HostArray ?? throw new ArgumentException($"{name} must be a host array; got a {footprint.Kind} array.", name);
        var values = (bool[])host.AsType(DType.Bool).ToFlatArray();
        int rows = footprint.Shape[0], cols = footprint.Shape[1];
        var grid = new bool[rows, cols];
        bool any = false;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
                any |= grid[y, x] = values[y * cols + x];
        if (!any) throw new ArgumentException($"{name} must contain at least one non-zero element.", name);
        return grid;
    }
}
