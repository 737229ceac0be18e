using System.Runtime.InteropServices;
using Scoped.Backends.Gpu;

namespace Scoped.Tests.Gpu;

/// <summary>
/// C# stand-ins for the histogram, reduction and pointwise kernels, installed as <see cref="FakeGpu.OnLaunch"/>: they
/// read their arguments exactly as the CUDA kernels declare them and write what those kernels are meant to write
/// (straightforward reference code, not a port of the CUDA). With them, a call on the fake device exercises the whole
/// host side (arguments, tables, partials, the host's combining code) and can be compared with the CPU's result. They
/// say nothing about the CUDA code itself, which is checked only on a GPU.
/// </summary>
internal static class GpuKernelStandIns
{
    public static void Install(FakeGpu gpu, Action<string>? onEntry = null) => gpu.OnLaunch = (function, shape, a) =>
    {
        onEntry?.Invoke(function.EntryPoint);
        switch (function.EntryPoint)
        {
            case "minmax_partials": MinMax(gpu, shape, a); break;
            case "hist_u8": Values(gpu, a, 0, 256); break;
            case "hist_u16": Values(gpu, a, 1, 65536); break;
            case "hist_uniform_f32": Uniform(gpu, a, 3); break;
            case "hist_uniform_f64": Uniform(gpu, a, 4); break;
            case "mse_rows": MseRows(gpu, shape, a); break;
            case "lookup_u8": Lookup(gpu, a, 0); break;
            case "lookup_u16": Lookup(gpu, a, 1); break;
            case "interp_f32": Interp(gpu, a, 3); break;
            case "interp_f64": Interp(gpu, a, 4); break;
            case "rgb2gray_f32": Rgb2GrayF32(gpu, a); break;
            case "rgb2gray_f64": Rgb2GrayF64(gpu, a); break;
            case "rescale_f32": Rescale(gpu, a, single: true); break;
            case "rescale_f64": Rescale(gpu, a, single: false); break;
        }
    };

    private static int Size(int code) => code switch { 0 => 1, 1 => 2, 2 => 4, 3 => 4, _ => 8 };

    public static double Load(FakeGpu gpu, DevicePointer p, long i, int code)
    {
        var bytes = gpu.Bytes(p.Offset(i * Size(code)), Size(code));
        return code switch
        {
            0 => bytes[0],
            1 => BitConverter.ToUInt16(bytes),
            2 => BitConverter.ToInt32(bytes),
            3 => BitConverter.ToSingle(bytes),
            _ => BitConverter.ToDouble(bytes),
        };
    }

    private static void Store(FakeGpu gpu, DevicePointer p, long i, int code, double v)
    {
        var bytes = gpu.Bytes(p.Offset(i * Size(code)), Size(code));
        double t = double.IsNaN(v) ? 0 : Math.Truncate(v);
        switch (code)
        {
            case 0: bytes[0] = (byte)Math.Clamp(t, 0, 255); break;
            case 1: BitConverter.TryWriteBytes(bytes, (ushort)Math.Clamp(t, 0, 65535)); break;
            case 2: BitConverter.TryWriteBytes(bytes, (int)Math.Clamp(t, int.MinValue, int.MaxValue)); break;
            case 3: BitConverter.TryWriteBytes(bytes, (float)v); break;
            default: BitConverter.TryWriteBytes(bytes, v); break;
        }
    }

    private static bool Selected(FakeGpu gpu, DevicePointer mask, long i) => mask.IsNull || gpu.Bytes(mask.Offset(i), 1)[0] != 0;

    private static Span<double> Doubles(FakeGpu gpu, DevicePointer p, long count) => MemoryMarshal.Cast<byte, double>(gpu.Bytes(p, count * 8));
    private static Span<ulong> Counts(FakeGpu gpu, DevicePointer p, long count) => MemoryMarshal.Cast<byte, ulong>(gpu.Bytes(p, count * 8));

    // (src, type, mask, n, partials): everything in block 0, the other blocks empty.
    private static void MinMax(FakeGpu gpu, LaunchShape shape, KernelArguments a)
    {
        var (src, type, mask, n) = (a.PointerAt(0), a.IntAt(1), a.PointerAt(2), (long)a.Slots[3]);
        double min = 0, max = 0;
        bool nan = false, any = false;
        for (long i = 0; i < n; i++)
        {
            if (!Selected(gpu, mask, i)) continue;
            double v = Load(gpu, src, i, type);
            if (double.IsNaN(v)) { nan = true; continue; }
            (min, max) = any ? (Math.Min(min, v), Math.Max(max, v)) : (v, v);
            any = true;
        }
        var partials = Doubles(gpu, a.PointerAt(4), 4 * shape.Grid.X);
        partials.Clear();
        partials[0] = min; partials[1] = max; partials[2] = nan ? 1 : 0; partials[3] = any ? 1 : 0;
    }

    // (src, mask, n, counts)
    private static void Values(FakeGpu gpu, KernelArguments a, int type, int bins)
    {
        var counts = Counts(gpu, a.PointerAt(3), bins);
        long n = (long)a.Slots[2];
        for (long i = 0; i < n; i++)
            if (Selected(gpu, a.PointerAt(1), i)) counts[(int)Load(gpu, a.PointerAt(0), i, type)]++;
    }

    // (src, mask, n, nbins, lo, hi, norm, lower, upper, counts, shared): the bin whose [lower, upper) holds v.
    private static void Uniform(FakeGpu gpu, KernelArguments a, int type)
    {
        long n = (long)a.Slots[2];
        int nbins = a.IntAt(3);
        double lo = type == 3 ? a.FloatAt(4) : a.DoubleAt(4), hi = type == 3 ? a.FloatAt(5) : a.DoubleAt(5);
        var counts = Counts(gpu, a.PointerAt(9), nbins);
        for (long i = 0; i < n; i++)
        {
            double v = Load(gpu, a.PointerAt(0), i, type);
            if (!(v >= lo && v <= hi) || !Selected(gpu, a.PointerAt(1), i)) continue;
            for (int k = 0; k < nbins; k++)
                if (Load(gpu, a.PointerAt(7), k, type) <= v && v < Load(gpu, a.PointerAt(8), k, type)) { counts[k]++; break; }
        }
    }

    // (a, typeA, b, typeB, rowLength, single, rowSums): one row per block, summed left to right.
    private static void MseRows(FakeGpu gpu, LaunchShape shape, KernelArguments a)
    {
        int rowLength = a.IntAt(4);
        bool single = a.IntAt(5) != 0;
        var sums = Doubles(gpu, a.PointerAt(6), shape.Grid.X);
        for (int y = 0; y < shape.Grid.X; y++)
        {
            double sum = 0;
            for (long x = (long)y * rowLength; x < (long)(y + 1) * rowLength; x++)
            {
                double u = Load(gpu, a.PointerAt(0), x, a.IntAt(1)), v = Load(gpu, a.PointerAt(2), x, a.IntAt(3));
                if (single) { float d = (float)u - (float)v; sum += d * d; }
                else { double d = u - v; sum += d * d; }
            }
            sums[y] = sum;
        }
    }

    // (src, lut, dst, n)
    private static void Lookup(FakeGpu gpu, KernelArguments a, int type)
    {
        long n = (long)a.Slots[3];
        var dst = Doubles(gpu, a.PointerAt(2), n);
        for (long i = 0; i < n; i++) dst[(int)i] = Load(gpu, a.PointerAt(1), (long)Load(gpu, a.PointerAt(0), i, type), 4);
    }

    // (src, dst, n, xp, fp, slopes, count, inverseStep): np.interp by a linear search.
    private static void Interp(FakeGpu gpu, KernelArguments a, int type)
    {
        long n = (long)a.Slots[2];
        int count = a.IntAt(6);
        var xp = Doubles(gpu, a.PointerAt(3), count).ToArray();
        var fp = Doubles(gpu, a.PointerAt(4), count).ToArray();
        var slopes = Doubles(gpu, a.PointerAt(5), Math.Max(count - 1, 1)).ToArray();
        for (long i = 0; i < n; i++)
        {
            double x = Load(gpu, a.PointerAt(0), i, type), value;
            if (double.IsNaN(x)) value = x;
            else if (x < xp[0]) value = fp[0];
            else if (x >= xp[^1]) value = fp[^1];
            else
            {
                int j = 0;
                while (xp[j + 1] <= x) j++;
                value = xp[j] == x ? fp[j] : slopes[j] * (x - xp[j]) + fp[j];
            }
            Store(gpu, a.PointerAt(1), i, type, value);
        }
    }

    // (rgb, dst, n, wr, wg, wb)
    private static void Rgb2GrayF32(FakeGpu gpu, KernelArguments a)
    {
        long n = (long)a.Slots[2];
        var rgb = gpu.Floats(a.PointerAt(0), 3 * n);
        var dst = gpu.Floats(a.PointerAt(1), n);
        for (int i = 0; i < n; i++) dst[i] = rgb[3 * i] * a.FloatAt(3) + rgb[3 * i + 1] * a.FloatAt(4) + rgb[3 * i + 2] * a.FloatAt(5);
    }

    // (rgb, type, scaled, scale, floor, dst, n, wr, wg, wb)
    private static void Rgb2GrayF64(FakeGpu gpu, KernelArguments a)
    {
        long n = (long)a.Slots[6];
        var dst = Doubles(gpu, a.PointerAt(5), n);
        for (int i = 0; i < n; i++)
        {
            var c = new double[3];
            for (int k = 0; k < 3; k++)
            {
                double v = Load(gpu, a.PointerAt(0), 3L * i + k, a.IntAt(1));
                c[k] = a.IntAt(2) != 0 ? Math.Max(v * a.DoubleAt(3), a.DoubleAt(4)) : v;
            }
            dst[i] = c[0] * a.DoubleAt(7) + c[1] * a.DoubleAt(8) + c[2] * a.DoubleAt(9);
        }
    }

    // f32: (src, dst, outType, n, lo, hi, olo, ohi, inSpan, outSpan, flat); f64: (src, inType, dst, outType, n, ...).
    private static void Rescale(FakeGpu gpu, KernelArguments a, bool single)
    {
        int shift = single ? 0 : 1;
        var src = a.PointerAt(0);
        int inType = single ? 3 : a.IntAt(1);
        var dst = a.PointerAt(1 + shift);
        int outType = a.IntAt(2 + shift);
        long n = (long)a.Slots[3 + shift];
        double P(int k) => single ? a.FloatAt(4 + shift + k) : a.DoubleAt(4 + shift + k);
        double lo = P(0), hi = P(1), olo = P(2), ohi = P(3), inSpan = P(4), outSpan = P(5);
        bool flat = a.IntAt(10 + shift) != 0;
        for (long i = 0; i < n; i++)
        {
            double x = Math.Min(Math.Max(Load(gpu, src, i, inType), lo), hi);
            double y;
            if (single)
            {
                float xf = (float)x;
                y = flat ? Math.Min(Math.Max(xf, (float)olo), (float)ohi) : (xf - (float)lo) / (float)inSpan * (float)outSpan + (float)olo;
            }
            else y = flat ? Math.Min(Math.Max(x, olo), ohi) : (x - lo) / inSpan * outSpan + olo;
            Store(gpu, dst, i, outType, y);
        }
    }
}
