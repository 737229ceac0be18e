using Scoped.Image;
using Scoped.Image.Primitives;

namespace Scoped.Backends.Gpu.Kernels;

/// <summary>
/// structural_similarity on the device, float32, the steps of Scoped.Image's SsimPlane: the three products, the five
/// local moments through the separable passes with ndimage's float64 sums (as scipy gives skimage for float32), the
/// formula per element, and the float64 mean over the interior per channel (the only download: one double per channel).
/// </summary>
internal static class SsimKernels
{
    /// <summary>The mean SSIM and, with <paramref name="full"/>, the map (a new array the caller owns).</summary>
    public static (double Mean, GpuArray<float>? Map) Run(GpuArray<float> x, GpuArray<float> y, int win, bool gaussian, double sigma,
        double dataRange, double k1, double k2, bool sampleCovariance, bool full)
    {
        var device = x.Device;
        int height = x.Shape[0], width = x.Shape[1], channels = x.Rank == 3 ? x.Shape[2] : 1;
        long n = x.Size;
        double[] weights;
        if (gaussian) weights = Weights.Gaussian(sigma, 3.5);
        else { weights = new double[win]; Array.Fill(weights, 1.0 / win); }

        var temporaries = new List<GpuArray>();
        GpuArray<float> Buffer() { var b = GpuArray<float>.Allocate(device, x.Shape.ToArray()); temporaries.Add(b); return b; }
        GpuArray<float>? map = null;
        try
        {
            GpuArray<float> xx = Buffer(), yy = Buffer(), xy = Buffer(), between = Buffer();
            GpuArray<float> ux = Buffer(), uy = Buffer(), uxx = Buffer(), uyy = Buffer(), uxy = Buffer();
            var w = FilterKernels.UploadWeights(device, weights, float64: true);
            temporaries.Add(w);

            device.Launch(device.Function(FilterKernels.Source, "scoped_ssim_products"), LaunchShape.Linear(n), new KernelArguments()
                .Pointer(x.Pointer).Pointer(y.Pointer).Pointer(xx.Pointer).Pointer(yy.Pointer).Pointer(xy.Pointer).Long(n));
            foreach (var (source, target) in new[] { (x, ux), (y, uy), (xx, uxx), (yy, uyy), (xy, uxy) })
            {
                FilterKernels.Pass(device, 0, source.Pointer, between.Pointer, height, width, channels, w, weights, BoundaryMode.Reflect, 0f, float64Sums: true);
                FilterKernels.Pass(device, 1, between.Pointer, target.Pointer, height, width, channels, w, weights, BoundaryMode.Reflect, 0f, float64Sums: true);
            }

            double np = (double)win * win;
            float covNorm = (float)(sampleCovariance ? np / (np - 1) : 1.0);
            float c1 = (float)Math.Pow(k1 * dataRange, 2), c2 = (float)Math.Pow(k2 * dataRange, 2);
            // The products are no longer needed: S goes into xx unless the caller keeps the map.
            if (full) map = GpuArray<float>.Allocate(device, x.Shape.ToArray());
            var s = map ?? xx;
            device.Launch(device.Function(FilterKernels.Source, "scoped_ssim_map"), LaunchShape.Linear(n), new KernelArguments()
                .Pointer(ux.Pointer).Pointer(uy.Pointer).Pointer(uxx.Pointer).Pointer(uyy.Pointer).Pointer(uxy.Pointer).Pointer(s.Pointer)
                .Long(n).Float(covNorm).Float(c1).Float(c2));

            int pad = (win - 1) / 2;
            var partials = GpuArray<double>.Allocate(device, FilterKernels.SsimBlocks * channels);
            temporaries.Add(partials);
            var sums = GpuArray<double>.Allocate(device, channels);
            temporaries.Add(sums);
            device.Launch(device.Function(FilterKernels.Source, "scoped_ssim_sum_partial"),
                new LaunchShape(new Dim3(FilterKernels.SsimBlocks, (uint)channels), new Dim3(256)), new KernelArguments()
                .Pointer(s.Pointer).Int(height).Int(width).Int(channels).Int(pad).Pointer(partials.Pointer));
            device.Launch(device.Function(FilterKernels.Source, "scoped_ssim_sum_final"), new LaunchShape(new Dim3((uint)channels), new Dim3(256)),
                new KernelArguments().Pointer(partials.Pointer).Int(FilterKernels.SsimBlocks).Pointer(sums.Pointer));
            var totals = sums.Download().ToArray();

            long count = (long)(height - 2 * pad) * (width - 2 * pad);
            double mean;
            if (x.Rank == 2) mean = totals[0] / count;
            else
            {
                // Per-channel means stored in float32 and averaged there, as the CPU (and NumPy) do.
                float total = 0;
                foreach (var t in totals) total += (float)(t / count);
                mean = total / channels;
            }
            return (mean, map);
        }
        catch
        {
            map?.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in temporaries) t.Dispose();
        }
    }
}
