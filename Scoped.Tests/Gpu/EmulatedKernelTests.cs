using Scoped.Backends.Gpu;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Tests.Gpu.Emulation;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Gpu;

/// <summary>
/// Every function the GPU backend registers, run through its real host code and real CUDA C kernels on the emulated
/// device (<see cref="EmulatedGpuRuntime"/>: g++ and cooperative CPU threads), on random float32 images of odd sizes
/// (with channels where the function takes them) in every boundary mode, compared with the default CPU result
/// within float32 rounding; and every device allocation freed afterwards. This checks indexing, bounds, boundary
/// modes, tiling, barriers, reductions and the order of float operations; NVRTC compilation, the device's own math
/// library and speed are checked only on a GPU. Inconclusive where g++ is missing.
/// </summary>
[TestClass]
public sealed class EmulatedKernelTests
{
    private static readonly BoundaryMode[] Modes = Enum.GetValues<BoundaryMode>();

    private static HostArray<float> Random(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
        return shape.Length == 2 ? HostArray.Create(data, shape[0], shape[1]) : HostArray.Create(data, shape[0], shape[1], shape[2]);
    }

    private static HostArray<bool> RandomMask(int seed, int rows, int cols)
    {
        var random = new Random(seed);
        var data = new bool[rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextDouble() < 0.85;
        return HostArray.Create(data, rows, cols);
    }

    /// <summary>A device, its backend, and a check after the test that nothing is left allocated on it.</summary>
    private sealed class Emulated : IDisposable
    {
        public Emulated()
        {
            if (EmulatedGpuRuntime.UnavailableReason is { } reason) Assert.Inconclusive(reason);
            Runtime = new EmulatedGpuRuntime();
            Device = new GpuDevice(Runtime);
            Backend = new GpuBackend(Device);
        }

        public EmulatedGpuRuntime Runtime { get; }
        public GpuDevice Device { get; }
        public GpuBackend Backend { get; }

        /// <summary>The function on the host (the default backend), and on the device with the same arguments, compared.</summary>
        public void Matches(string what, Func<NDArray, NDArray> function, HostArray image, double? tolerance = null)
        {
            var expected = function(image);
            using var input = GpuArray.Upload(image, Device);
            long launches = Device.Statistics.Launches;
            NDArray result;
            using (Scoped.Dispatch.Backend.Use(Backend, only: true)) result = function(input);
            Assert.IsTrue(Device.Statistics.Launches > launches, $"{what}: no kernel ran");
            using var gpu = result as GpuArray ?? throw new AssertFailedException($"{what}: the result is a {result.Kind} array, not a GPU array");
            AssertMatches(expected, gpu.Download(), tolerance, what);
        }

        /// <summary>As <see cref="Matches"/> for two images and a number.</summary>
        public void MatchesScalar(string what, Func<NDArray, NDArray, double> function, HostArray a, HostArray b, double tolerance = 2e-6)
        {
            double expected = function(a, b);
            using var ga = GpuArray.Upload(a, Device);
            using var gb = GpuArray.Upload(b, Device);
            long launches = Device.Statistics.Launches;
            double actual;
            using (Scoped.Dispatch.Backend.Use(Backend, only: true)) actual = function(ga, gb);
            Assert.IsTrue(Device.Statistics.Launches > launches, $"{what}: no kernel ran");
            AssertClose(expected, actual, tolerance, what);
        }

        public void Dispose()
        {
            Assert.AreEqual(0, Device.Statistics.LiveAllocations, $"device allocations left: {Device.Statistics}");
            Assert.AreEqual(0, Runtime.LiveAllocations, "allocations the runtime still holds");
            Device.Dispose();
        }
    }

    /// <summary>The functions the tests below compare; a function the backend registers later must be added here.</summary>
    private static readonly string[] Compared =
    [
        "filters:gaussian", "filters:laplace", "filters:sobel", "filters:sobel_h", "filters:sobel_v", "filters:scharr",
        "filters:scharr_h", "filters:scharr_v", "filters:prewitt", "filters:prewitt_h", "filters:prewitt_v", "filters:median",
        "filters:threshold_otsu", "morphology:erosion", "morphology:dilation", "morphology:opening", "morphology:closing",
        "transform:resize", "transform:rotate", "transform:warp", "color:rgb2gray", "exposure:equalize_hist",
        "exposure:rescale_intensity", "metrics:mean_squared_error", "metrics:peak_signal_noise_ratio", "metrics:structural_similarity",
    ];

    [TestMethod]
    public void Every_registered_function_is_compared_here()
    {
        var registered = new GpuBackend(new GpuDevice(new FakeGpu().Runtime.Object)).Info.Functions.Select(f => f["scoped.image.".Length..]).ToArray();
        CollectionAssert.AreEquivalent(registered, Compared, "EmulatedKernelTests must compare every function the GPU backend registers");
    }

    [TestMethod]
    public void Gaussian_in_every_mode_gray_and_rgb()
    {
        using var gpu = new Emulated();
        var gray = Random(1, 37, 53);
        var rgb = Random(2, 29, 41, 3);
        foreach (var mode in Modes)
        {
            gpu.Matches($"gaussian {mode}", im => Filters.Gaussian(im, [1.5, 0.8], mode, cval: 0.3), gray);
            gpu.Matches($"gaussian rgb {mode}", im => Filters.Gaussian(im, [2.2, 1.0], mode, cval: 0.7, channelAxis: -1), rgb);
        }
    }

    [TestMethod]
    public void Gaussian_with_a_kernel_too_long_for_shared_memory()
    {
        using var gpu = new Emulated();
        var gray = Random(3, 23, 31);
        foreach (var mode in new[] { BoundaryMode.Reflect, BoundaryMode.Wrap, BoundaryMode.Constant })
            gpu.Matches($"gaussian sigma 45 {mode}", im => Filters.Gaussian(im, [45.0, 0.6], mode, cval: 0.2), gray);
        gpu.Matches("gaussian sigma 50 across rows", im => Filters.Gaussian(im, [0.7, 50.0], BoundaryMode.Mirror), gray);
        // the row pass of an RGB image falls back to the direct kernel once (256 + 2r) * 3 floats exceed 48 kB
        gpu.Matches("gaussian rgb sigma 490 along rows", im => Filters.Gaussian(im, [0.5, 490.0], BoundaryMode.Reflect, channelAxis: -1), Random(23, 11, 17, 3));
    }

    [TestMethod]
    public void Edge_filters_in_every_mode_and_with_a_mask()
    {
        using var gpu = new Emulated();
        var image = Random(4, 35, 67);
        var mask = RandomMask(5, 35, 67);
        foreach (var mode in Modes)
            foreach (int? axis in new int?[] { null, 0, 1 })
            {
                gpu.Matches($"sobel {mode} axis {axis}", im => Filters.Sobel(im, axis: axis, mode: mode), image);
                gpu.Matches($"scharr {mode} axis {axis}", im => Filters.Scharr(im, axis: axis, mode: mode), image);
                gpu.Matches($"prewitt {mode} axis {axis}", im => Filters.Prewitt(im, axis: axis, mode: mode), image);
            }
        gpu.Matches("sobel masked", im => Filters.Sobel(im, mask), image);
        gpu.Matches("sobel_h", im => Filters.SobelH(im), image);
        gpu.Matches("sobel_v masked", im => Filters.SobelV(im, mask), image);
        gpu.Matches("scharr_h masked", im => Filters.ScharrH(im, mask), image);
        gpu.Matches("scharr_v", im => Filters.ScharrV(im), image);
        gpu.Matches("prewitt_h", im => Filters.PrewittH(im), image);
        gpu.Matches("prewitt_v masked", im => Filters.PrewittV(im, mask), image);
        gpu.Matches("laplace", im => Filters.Laplace(im), image);
        gpu.Matches("laplace masked", im => Filters.Laplace(im, mask: mask), image);
    }

    [TestMethod]
    public void Median_3x3_and_5x5_in_every_mode()
    {
        using var gpu = new Emulated();
        var image = Random(6, 33, 45);
        foreach (var mode in Modes)
        {
            gpu.Matches($"median 3x3 {mode}", im => Filters.Median(im, mode: mode, cval: 0.4), image);
            gpu.Matches($"median 5x5 {mode}", im => Filters.Median(im, Morphology.Square(5), mode, cval: 0.6), image);
        }
    }

    [TestMethod]
    public void Grey_morphology_with_square_irregular_and_even_footprints()
    {
        using var gpu = new Emulated();
        var image = Random(7, 39, 47);
        var footprints = new (string Name, HostArray? Footprint)[]
        {
            ("default", null), ("square 5", Morphology.Square(5)), ("disk 3", Morphology.Disk(3)),
            ("rectangle 2x4", HostArray.Create(Enumerable.Repeat((byte)1, 8).ToArray(), 2, 4)),
            ("irregular 3x4", HostArray.Create(new byte[] { 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1 }, 3, 4)),
        };
        foreach (var (name, footprint) in footprints)
        {
            gpu.Matches($"erosion {name}", im => Morphology.Erosion(im, footprint), image);
            gpu.Matches($"dilation {name}", im => Morphology.Dilation(im, footprint), image);
            gpu.Matches($"opening {name}", im => Morphology.Opening(im, footprint), image);
            gpu.Matches($"closing {name}", im => Morphology.Closing(im, footprint), image);
        }
    }

    [TestMethod]
    public void Resize_down_and_up_in_every_mode_gray_and_rgb()
    {
        using var gpu = new Emulated();
        var gray = Random(8, 37, 53);
        var rgb = Random(9, 31, 27, 3);
        foreach (var mode in Modes)
        {
            gpu.Matches($"resize down {mode}", im => Transform.Resize(im, [19, 23], mode: mode, cval: 0.5), gray);
            gpu.Matches($"resize up {mode}", im => Transform.Resize(im, [50, 81], mode: mode, cval: 0.5), gray);
            gpu.Matches($"resize rgb mixed {mode}", im => Transform.Resize(im, [45, 14, 3], mode: mode, cval: 0.25), rgb);
            gpu.Matches($"resize no anti-aliasing {mode}", im => Transform.Resize(im, [13, 29], mode: mode, antiAliasing: false), gray);
        }
    }

    [TestMethod]
    public void Rotate_and_warp_in_every_mode_gray_and_rgb()
    {
        using var gpu = new Emulated();
        var gray = Random(10, 33, 47);
        var rgb = Random(11, 25, 31, 3);
        var affine = new double[,] { { 0.9, 0.2, -3.5 }, { -0.15, 1.1, 2.25 }, { 0, 0, 1 } };
        var projective = new double[,] { { 1.05, 0.1, -2 }, { 0.05, 0.95, 1.5 }, { 0.002, -0.001, 1 } };
        foreach (var mode in Modes)
        {
            gpu.Matches($"rotate {mode}", im => Transform.Rotate(im, 23, mode: mode, cval: 0.3), gray);
            gpu.Matches($"rotate resize rgb {mode}", im => Transform.Rotate(im, -67, resize: true, mode: mode, cval: 0.9), rgb);
            gpu.Matches($"warp affine {mode}", im => Transform.Warp(im, affine, mode: mode, cval: 0.1), gray);
            gpu.Matches($"warp projective {mode}", im => Transform.Warp(im, projective, [40, 29], mode: mode, cval: 1.5), gray);
            gpu.Matches($"warp rgb {mode} no clip", im => Transform.Warp(im, affine, mode: mode, cval: -2, clip: false), rgb);
        }
    }

    [TestMethod]
    public void Color_and_exposure()
    {
        using var gpu = new Emulated();
        var rgb = Random(12, 29, 43, 3);
        var gray = Random(13, 41, 37);
        var mask = RandomMask(14, 41, 37);
        gpu.Matches("rgb2gray", im => Color.Rgb2Gray(im), rgb);
        gpu.Matches("equalize_hist", im => Exposure.EqualizeHist(im), gray);
        gpu.Matches("equalize_hist 37 bins masked", im => Exposure.EqualizeHist(im, 37, mask), gray);
        gpu.Matches("rescale_intensity", im => Exposure.RescaleIntensity(im), gray);
        gpu.Matches("rescale_intensity to uint8", im => Exposure.RescaleIntensity(im, "image", "uint8"), gray);
        gpu.Matches("rescale_intensity range", im => Exposure.RescaleIntensity(im, "0.2,0.7", "-1,3"), gray);
        gpu.MatchesScalar("threshold_otsu", (a, _) => Filters.ThresholdOtsu(a), gray, gray);
        gpu.MatchesScalar("threshold_otsu 77 bins", (a, _) => Filters.ThresholdOtsu(a, 77), rgb, rgb);
    }

    [TestMethod]
    public void Images_larger_than_a_block_cross_every_tile_seam()
    {
        // 131 rows: three 64-row tiles of the column pass; 517 columns: three 256-pixel segments of the row pass, and
        // many 32 x 8 blocks; 67 x 263 x 3 for the channel-interleaved paths. The reductions get several blocks.
        using var gpu = new Emulated();
        var gray = Random(19, 131, 517);
        var other = Random(20, 131, 517);
        var rgb = Random(21, 67, 263, 3);
        foreach (var mode in new[] { BoundaryMode.Reflect, BoundaryMode.Constant, BoundaryMode.Wrap })
        {
            gpu.Matches($"gaussian {mode}", im => Filters.Gaussian(im, [3.0, 2.5], mode, cval: 0.3), gray);
            gpu.Matches($"gaussian rgb {mode}", im => Filters.Gaussian(im, [1.0, 4.0], mode, cval: 0.6, channelAxis: -1), rgb);
        }
        gpu.Matches("sobel", im => Filters.Sobel(im), gray);
        gpu.Matches("median 5x5", im => Filters.Median(im, Morphology.Square(5), BoundaryMode.Mirror), gray);
        gpu.Matches("dilation disk 4", im => Morphology.Dilation(im, Morphology.Disk(4)), gray);
        gpu.Matches("closing 3x8", im => Morphology.Closing(im, HostArray.Create(Enumerable.Repeat((byte)1, 24).ToArray(), 3, 8)), gray);
        gpu.Matches("resize", im => Transform.Resize(im, [57, 300]), gray);
        gpu.Matches("resize rgb", im => Transform.Resize(im, [100, 111, 3]), rgb);
        gpu.Matches("rotate rgb", im => Transform.Rotate(im, 11, resize: true), rgb);
        gpu.Matches("rgb2gray", im => Color.Rgb2Gray(im), rgb);
        gpu.Matches("equalize_hist", im => Exposure.EqualizeHist(im), gray);
        gpu.Matches("rescale_intensity", im => Exposure.RescaleIntensity(im, "image", "uint16"), gray);
        gpu.MatchesScalar("threshold_otsu", (a, _) => Filters.ThresholdOtsu(a), gray, gray);
        gpu.MatchesScalar("mean_squared_error", (x, y) => global::Scoped.Image.Metrics.MeanSquaredError(x, y), gray, other, 1e-12);
        gpu.MatchesScalar("peak_signal_noise_ratio", (x, y) => global::Scoped.Image.Metrics.PeakSignalNoiseRatio(x, y, 1), gray, other, 1e-12);
        gpu.MatchesScalar("structural_similarity", (x, y) => global::Scoped.Image.Metrics.StructuralSimilarity(x, y, dataRange: 1), gray, other);
    }

    [TestMethod]
    public void Other_element_types_through_the_typed_kernels()
    {
        // The rank, morphology and pointwise kernels take every element type; equalize and otsu bin integers exactly.
        using var gpu = new Emulated();
        var random = new Random(22);
        var bytes = HostArray.Create(Enumerable.Range(0, 37 * 45).Select(_ => (byte)random.Next(256)).ToArray(), 37, 45);
        var shorts = HostArray.Create(Enumerable.Range(0, 37 * 45).Select(_ => (ushort)random.Next(65536)).ToArray(), 37, 45);
        var ints = HostArray.Create(Enumerable.Range(0, 37 * 45).Select(_ => random.Next(-1000, 1000)).ToArray(), 37, 45);
        var doubles = HostArray.Create(Enumerable.Range(0, 37 * 45).Select(_ => random.NextDouble()).ToArray(), 37, 45);
        foreach (var image in new HostArray[] { bytes, shorts, ints, doubles })
        {
            string type = image.DType.NumPyName();
            foreach (var mode in Modes)
            {
                gpu.Matches($"median {type} {mode}", im => Filters.Median(im, mode: mode, cval: 3), image);
                gpu.Matches($"median 5x5 {type} {mode}", im => Filters.Median(im, Morphology.Square(5), mode, cval: 1), image);
            }
            gpu.Matches($"erosion {type}", im => Morphology.Erosion(im, Morphology.Disk(2)), image);
            gpu.Matches($"opening {type} even", im => Morphology.Opening(im, Morphology.Square(4)), image);
        }
        gpu.Matches("equalize_hist uint8", im => Exposure.EqualizeHist(im), bytes);
        gpu.Matches("equalize_hist uint16", im => Exposure.EqualizeHist(im), shorts);
        gpu.Matches("equalize_hist float64", im => Exposure.EqualizeHist(im, 100), doubles);
        gpu.Matches("rescale_intensity uint16", im => Exposure.RescaleIntensity(im), shorts);
        gpu.Matches("rescale_intensity int32 to float", im => Exposure.RescaleIntensity(im, "image", "float32"), ints);
        gpu.MatchesScalar("threshold_otsu uint8", (a, _) => Filters.ThresholdOtsu(a), bytes, bytes);
        gpu.MatchesScalar("threshold_otsu uint16", (a, _) => Filters.ThresholdOtsu(a), shorts, shorts);
        gpu.MatchesScalar("mean_squared_error uint8 / float64", (x, y) => global::Scoped.Image.Metrics.MeanSquaredError(x, y), bytes, doubles, 1e-12);
    }

    [TestMethod]
    public void Tiny_images_and_far_outside_coordinates()
    {
        // One-pixel axes (mirror of a length-1 axis), windows wider than the image, and a warp that reads far outside.
        using var gpu = new Emulated();
        foreach (var shape in new[] { new[] { 1, 1 }, [1, 7], [6, 1], [2, 3], [3, 2, 3] })
        {
            var image = Random(24 + shape[0] * 10 + shape[1], shape);
            string size = string.Join("x", shape);
            foreach (var mode in Modes)
            {
                gpu.Matches($"gaussian {size} {mode}", im => Filters.Gaussian(im, [2.0, 1.3], mode, cval: 0.3, channelAxis: shape.Length == 3 ? -1 : null), image);
                gpu.Matches($"resize {size} {mode}", im => Transform.Resize(im, shape.Length == 3 ? [5, 4, 3] : [5, 4], mode: mode, cval: 0.2), image);
                gpu.Matches($"rotate {size} {mode}", im => Transform.Rotate(im, 90, mode: mode, cval: 0.7), image);
                if (shape.Length == 2)
                {
                    gpu.Matches($"median {size} {mode}", im => Filters.Median(im, Morphology.Square(5), mode, cval: 0.5), image);
                    gpu.Matches($"sobel {size} {mode}", im => Filters.Sobel(im, mode: mode), image);
                }
            }
            if (shape.Length == 2)
            {
                gpu.Matches($"dilation {size}", im => Morphology.Dilation(im, Morphology.Disk(2)), image);
                gpu.Matches($"closing {size} even", im => Morphology.Closing(im, Morphology.Square(2)), image);
                gpu.Matches($"laplace {size}", im => Filters.Laplace(im), image);
            }
        }
        var far = new double[,] { { 1, 0, -1e6 }, { 0, 1, 3.5e5 }, { 0, 0, 1 } };
        foreach (var mode in Modes)
            gpu.Matches($"warp far outside {mode}", im => Transform.Warp(im, far, mode: mode, cval: 0.4), Random(40, 9, 13));
    }

    [TestMethod]
    public void Large_footprints_many_bins_and_more_elements_than_the_reduction_grid()
    {
        using var gpu = new Emulated();
        var doubles = HostArray.Create(Enumerable.Range(0, 45 * 61).Select(i => Math.Sin(i * 0.37)).ToArray(), 45, 61);
        var floats = Random(41, 45, 61);
        // tiles of (32 + 2r) x (8 + 2r) elements in shared memory (a 61 x 61 tile of doubles would not fit: declined)
        gpu.Matches("erosion disk 25 float64", im => Morphology.Erosion(im, Morphology.Disk(25)), doubles);
        gpu.Matches("dilation disk 30 float32", im => Morphology.Dilation(im, Morphology.Disk(30)), floats);
        gpu.Matches("opening square 40 float32", im => Morphology.Opening(im, Morphology.Square(40)), floats);
        // more bins than a block's shared histogram holds
        gpu.Matches("equalize_hist 10000 bins", im => Exposure.EqualizeHist(im, 10000), floats);
        gpu.MatchesScalar("threshold_otsu 9000 bins", (a, _) => Filters.ThresholdOtsu(a, 9000), floats, floats);
        // 700 x 411 elements: more than 1024 blocks of 256 threads, so the reductions' grid strides
        var large = Random(42, 700, 411);
        gpu.Matches("rescale_intensity large", im => Exposure.RescaleIntensity(im, "image", "uint8"), large);
        gpu.MatchesScalar("threshold_otsu large", (a, _) => Filters.ThresholdOtsu(a), large, large);
        gpu.Matches("rotate large (clip with many partial minima)", im => Transform.Rotate(im, 5), large);
    }

    [TestMethod]
    public void Non_finite_values_and_integer_inputs_of_the_float64_paths()
    {
        using var gpu = new Emulated();
        var image = Random(43, 29, 37);
        var values = image.ToArray();
        values[5] = float.NaN; values[100] = float.PositiveInfinity; values[200] = float.NegativeInfinity; values[300] = float.NaN;
        var special = HostArray.Create(values, 29, 37);
        var nanOnly = HostArray.Create(values.Select((v, i) => i == 5 ? float.NaN : v).ToArray(), 29, 37);
        gpu.Matches("gaussian with nan and inf", im => Filters.Gaussian(im, 1.2, BoundaryMode.Reflect), special);
        gpu.Matches("sobel with nan and inf", im => Filters.Sobel(im), special);
        gpu.Matches("resize with nan and inf", im => Transform.Resize(im, [13, 50]), special);
        gpu.Matches("rotate with nan (clip ignores it)", im => Transform.Rotate(im, 33), nanOnly);
        gpu.Matches("rescale_intensity with nan", im => Exposure.RescaleIntensity(im), nanOnly);
        gpu.Matches("rescale_intensity with nan to uint8", im => Exposure.RescaleIntensity(im, "0,1", "uint8"), nanOnly);
        // (grey morphology and median with NaN in a window are unspecified on both sides, as in ndimage: the result
        // depends on the order the window is scanned in, which the GPU's tiles and the CPU's SIMD rows do not share)
        var random = new Random(44);
        var rgbBytes = HostArray.Create(Enumerable.Range(0, 17 * 19 * 3).Select(_ => (byte)random.Next(256)).ToArray(), 17, 19, 3);
        var rgbShorts = HostArray.Create(Enumerable.Range(0, 17 * 19 * 3).Select(_ => (ushort)random.Next(65536)).ToArray(), 17, 19, 3);
        var rgbDoubles = HostArray.Create(Enumerable.Range(0, 17 * 19 * 3).Select(_ => random.NextDouble()).ToArray(), 17, 19, 3);
        gpu.Matches("rgb2gray uint8", im => Color.Rgb2Gray(im), rgbBytes);
        gpu.Matches("rgb2gray uint16", im => Color.Rgb2Gray(im), rgbShorts);
        gpu.Matches("rgb2gray float64", im => Color.Rgb2Gray(im), rgbDoubles);
        var bytes = HostArray.Create(Enumerable.Range(0, 23 * 31).Select(_ => (byte)random.Next(40, 200)).ToArray(), 23, 31);
        gpu.Matches("rescale_intensity uint8", im => Exposure.RescaleIntensity(im), bytes);
        gpu.Matches("rescale_intensity uint8 to float64 range", im => Exposure.RescaleIntensity(im, "dtype", "0,1"), bytes);
        gpu.Matches("erosion shifted", im => Morphology.Erosion(im, Morphology.Square(4), shiftX: true, shiftY: true), Random(45, 21, 27));
        gpu.MatchesScalar("psnr uint8 vs uint8", (x, y) => global::Scoped.Image.Metrics.PeakSignalNoiseRatio(x, y), bytes,
            HostArray.Create(Enumerable.Range(0, 23 * 31).Select(_ => (byte)random.Next(40, 200)).ToArray(), 23, 31), 1e-12);
    }

    [TestMethod]
    public void Metrics()
    {
        using var gpu = new Emulated();
        var a = Random(15, 43, 57);
        var b = Random(16, 43, 57);
        var rgbA = Random(17, 31, 35, 3);
        var rgbB = Random(18, 31, 35, 3);
        gpu.MatchesScalar("mean_squared_error", (x, y) => global::Scoped.Image.Metrics.MeanSquaredError(x, y), a, b, 1e-12);
        gpu.MatchesScalar("peak_signal_noise_ratio", (x, y) => global::Scoped.Image.Metrics.PeakSignalNoiseRatio(x, y), a, b, 1e-12);
        gpu.MatchesScalar("structural_similarity", (x, y) => global::Scoped.Image.Metrics.StructuralSimilarity(x, y, dataRange: 1), a, b);
        gpu.MatchesScalar("structural_similarity gaussian", (x, y) => global::Scoped.Image.Metrics.StructuralSimilarity(x, y, dataRange: 1, gaussianWeights: true), a, b);
        gpu.MatchesScalar("structural_similarity rgb", (x, y) => global::Scoped.Image.Metrics.StructuralSimilarity(x, y, winSize: 5, dataRange: 1, channelAxis: -1), rgbA, rgbB);
    }
}
