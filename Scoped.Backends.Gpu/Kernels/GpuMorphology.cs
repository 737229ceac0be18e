using Scoped.Image;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu;

/// <summary>
/// Host side of Kernels/morphology.cu: morphology.erosion / dilation / opening / closing with any flat footprint
/// (square, disk, ...), the placement and padding rules of Scoped.Image's Morphology.cs (ndi.grey_* in 'reflect'
/// mode; an even footprint axis centred at (n - 1) / 2, or n / 2 when shifted or in the second step of an opening /
/// closing, whose image is edge-padded by n - 1 first and cropped after).
/// </summary>
internal static class GpuMorphology
{
    private static readonly Lazy<KernelSource> s_source = new(() => KernelSource.Embedded("morphology"));

    /// <summary>Shared memory a block may use without opting in, on every CUDA GPU: the limit of the tiled kernel.</summary>
    public const int MaxTileBytes = 48 * 1024;

    /// <summary>The morphology kernel module.</summary>
    public static KernelSource Source => s_source.Value;

    /// <summary>The footprint as a grid (null: the 3x3 cross, scikit-image 0.19's default), read from a host or GPU array.</summary>
    public static bool[,] Grid(NDArray? footprint)
    {
        if (footprint is null) return new bool[,] { { false, true, false }, { true, true, true }, { false, true, false } };
        var host = footprint as HostArray ?? (footprint as GpuArray)?.Download()
                   ?? throw new ArgumentException($"footprint must be a host or GPU array; got a {footprint.Kind} array.", nameof(footprint));
        var values = (bool[])host.AsType(DType.Bool).ToFlatArray();
        int rows = host.Shape[0], cols = host.Shape[1];
        var grid = new bool[rows, cols];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++) grid[y, x] = values[y * cols + x];
        return grid;
    }

    /// <summary>Why the GPU does not take this call, or null.</summary>
    public static string? Decline(NDArray image, NDArray? footprint)
    {
        if (!GpuElementTypes.IsSupported(image.DType)) return $"the GPU morphology kernels do not take {image.DType.NumPyName()} images";
        var grid = Grid(footprint);
        if (IsFull(grid)) return null;
        int bytes = TileBytes(grid.GetLength(0), grid.GetLength(1), image.DType.ItemSize());
        return bytes > MaxTileBytes
            ? $"a {grid.GetLength(0)}x{grid.GetLength(1)} footprint that is not a full rectangle needs a {bytes}-byte shared-memory tile, over the GPU's {MaxTileBytes} bytes"
            : null;
    }

    /// <summary>erosion (max = false) or dilation (max = true), centred as scikit-image centres it.</summary>
    public static GpuArray ErodeOrDilate(GpuArray image, bool[,] footprint, bool shiftX, bool shiftY, bool max) =>
        Grey(image, footprint, Footprints.Centre(footprint.GetLength(0), shiftX), Footprints.Centre(footprint.GetLength(1), shiftY), max);

    /// <summary>opening (erosion then dilation) or closing (dilation first), as Morphology's Eccentric.</summary>
    public static GpuArray OpenOrClose(GpuArray image, bool[,] footprint, bool dilateFirst)
    {
        int fr = footprint.GetLength(0), fc = footprint.GetLength(1);
        int padY = fr % 2 == 0 ? fr - 1 : 0, padX = fc % 2 == 0 ? fc - 1 : 0;
        bool padded = padY + padX > 0;
        int h = image.Shape[0], w = image.Shape[1];
        GpuArray? work = null, first = null, second = null;
        try
        {
            work = padded ? Window(image, h + 2 * padY, w + 2 * padX, -padY, -padX) : image;
            first = Grey(work, footprint, Footprints.Centre(fr, false), Footprints.Centre(fc, false), max: dilateFirst);
            second = Grey(first, footprint, Footprints.Centre(fr, true), Footprints.Centre(fc, true), max: !dilateFirst);
            if (!padded)
            {
                var result = second;
                second = null;   // returned, not freed
                return result;
            }
            return Window(second, h, w, padY, padX);
        }
        finally
        {
            if (padded) work?.Dispose();
            first?.Dispose();
            second?.Dispose();
        }
    }

    /// <summary>The min/max over the footprint placed with element (centreRow, centreCol) on each pixel, into a new array.</summary>
    private static GpuArray Grey(GpuArray source, bool[,] footprint, int centreRow, int centreCol, bool max)
    {
        var result = GpuElementTypes.Allocate(source.Device, source.DType, source.Shape.ToArray());
        try
        {
            if (IsFull(footprint)) Separable(source, result, footprint.GetLength(0), footprint.GetLength(1), centreRow, centreCol, max);
            else Tiled(source, result, footprint, centreRow, centreCol, max);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>A full rows x cols rectangle: down the columns into a temporary, then along the rows.</summary>
    private static void Separable(GpuArray source, GpuArray result, int rows, int cols, int centreRow, int centreCol, bool max)
    {
        var device = source.Device;
        int h = source.Shape[0], w = source.Shape[1];
        string op = max ? "max" : "min", suffix = GpuElementTypes.Suffix(source.DType);
        // ndimage 'reflect' (scikit-image's grey morphology mode); cval is unused there.
        int mode = (int)BoundaryMode.Reflect;
        var shape = LaunchShape.Covering(w, h);
        if (rows == 1)
        {
            GpuLaunch.Run(device, Source, $"morph_cols_{op}_{suffix}", shape,
                new KernelArguments().Pointer(source.Pointer).Pointer(result.Pointer).Int(w).Int(h).Int(-centreCol).Int(cols).Int(mode).Double(0));
            return;
        }
        using var vertical = cols == 1 ? null : GpuElementTypes.Allocate(device, source.DType, source.Shape.ToArray());
        var target = vertical ?? result;
        GpuLaunch.Run(device, Source, $"morph_rows_{op}_{suffix}", shape,
            new KernelArguments().Pointer(source.Pointer).Pointer(target.Pointer).Int(w).Int(h).Int(-centreRow).Int(rows).Int(mode).Double(0));
        if (vertical is null) return;
        GpuLaunch.Run(device, Source, $"morph_cols_{op}_{suffix}", shape,
            new KernelArguments().Pointer(vertical.Pointer).Pointer(result.Pointer).Int(w).Int(h).Int(-centreCol).Int(cols).Int(mode).Double(0));
    }

    /// <summary>Any footprint: element offsets uploaded as (row, column) pairs relative to the block's tile.</summary>
    private static void Tiled(GpuArray source, GpuArray result, bool[,] footprint, int centreRow, int centreCol, bool max)
    {
        var device = source.Device;
        int h = source.Shape[0], w = source.Shape[1];
        int fr = footprint.GetLength(0), fc = footprint.GetLength(1);
        var elements = new List<(int Dy, int Dx)>();
        for (int k = 0; k < fr; k++)
            for (int l = 0; l < fc; l++)
                if (footprint[k, l]) elements.Add((k - centreRow, l - centreCol));
        int dyMin = elements.Min(e => e.Dy), dyMax = elements.Max(e => e.Dy);
        int dxMin = elements.Min(e => e.Dx), dxMax = elements.Max(e => e.Dx);
        var offsets = new int[2 * elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            offsets[2 * i] = elements[i].Dy - dyMin;
            offsets[2 * i + 1] = elements[i].Dx - dxMin;
        }
        int tileW = TileBlockX + dxMax - dxMin, tileH = TileBlockY + dyMax - dyMin;
        using var table = ScratchBuffer.Upload(device, offsets);
        GpuLaunch.Run(device, Source, $"morph_tile_{(max ? "max" : "min")}_{GpuElementTypes.Suffix(source.DType)}",
            LaunchShape.Covering(w, h, TileBlockX, TileBlockY, tileW * tileH * source.DType.ItemSize()),
            new KernelArguments().Pointer(source.Pointer).Pointer(result.Pointer).Int(w).Int(h).Pointer(table.Pointer).Int(elements.Count)
                .Int(dyMin).Int(dxMin).Int(tileW).Int(tileH).Int((int)BoundaryMode.Reflect).Double(0));
    }

    private const int TileBlockX = 32, TileBlockY = 8;

    /// <summary>Shared memory of the tile for a rows x cols footprint bounding box.</summary>
    private static int TileBytes(int rows, int cols, int itemSize) => (TileBlockX + cols - 1) * (TileBlockY + rows - 1) * itemSize;

    /// <summary>A rows x cols copy whose pixel (y, x) is the source's (y + oy, x + ox), clamped into the source.</summary>
    private static GpuArray Window(GpuArray source, int rows, int cols, int oy, int ox)
    {
        var result = GpuElementTypes.Allocate(source.Device, source.DType, [rows, cols]);
        try
        {
            GpuLaunch.Run(source.Device, Source, $"morph_window_{GpuElementTypes.Suffix(source.DType)}", LaunchShape.Covering(cols, rows),
                new KernelArguments().Pointer(source.Pointer).Int(source.Shape[1]).Int(source.Shape[0]).Pointer(result.Pointer)
                    .Int(cols).Int(rows).Int(oy).Int(ox));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static bool IsFull(bool[,] footprint)
    {
        foreach (var b in footprint) if (!b) return false;
        return true;
    }
}
