using Scoped.Dispatch;
using Scoped.Image.Kernels;

namespace Scoped.Image;

// equalize_adapthist (CLAHE, Zuiderveld's algorithm as scikit-image 0.19 runs it): the image quantised to 14 bits and
// then to nbins grey bins; one clipped, equalised histogram per kernel-sized tile (tiles past the end of an axis read
// the image mirrored); each element mapped through the 2^ndim tiles around it and interpolated multilinearly.
public static partial class Exposure
{
    /// <summary>The grey levels CLAHE quantises to before binning (scikit-image's NR_OF_GRAY, 2^14).</summary>
    private const int ClaheLevels = 1 << 14;

    /// <summary>
    /// skimage.exposure.equalize_adapthist: contrast-limited adaptive histogram equalisation, in N dimensions. Each
    /// contextual region (a tile of <paramref name="kernelSize"/>) gets a histogram of <paramref name="nbins"/> grey
    /// bins, clipped at <paramref name="clipLimit"/> times the tile's size with the excess spread over the bins, and
    /// equalised; every element is interpolated between the mappings of the tiles around it. The result is rescaled to
    /// [0, 1]: float32 for float32 input, float64 otherwise. As in scikit-image, a 3-D image whose last axis has 3 or
    /// 4 entries is taken as RGB(A): CLAHE runs on its HSV value, alpha is dropped, and RGB comes back.
    /// </summary>
    /// <param name="image">Any rank up to 31; uint8, uint16, int32, bool, or float32/float64 in [-1, 1] (negative
    /// values become 0, as img_as_uint makes them).</param>
    /// <param name="kernelSize">The tile's length per axis, or one length for every axis, each &gt;= 1; null for
    /// an eighth of each axis (at least 1).</param>
    /// <param name="clipLimit">The clip limit as a fraction of a tile's elements (at least one element); 0 or less,
    /// or 1 and more, gives unclipped adaptive equalisation.</param>
    /// <param name="nbins">Grey bins of the histograms, &gt;= 1.</param>
    public static NDArray EqualizeAdapthist(NDArray image, int[]? kernelSize = null, double clipLimit = 0.01, int nbins = 256)
    {
        Guard.AnyRank(image, nameof(image));
        Guard.DTypeIn(image, nameof(image), DType.UInt8, DType.UInt16, DType.Int32, DType.Float32, DType.Float64, DType.Bool);
        if (image.Size == 0) throw new ArgumentException($"image must not be empty; got shape {image.ShapeText}.", nameof(image));
        if (!double.IsFinite(clipLimit)) throw new ArgumentException($"clipLimit must be finite; got {clipLimit}.", nameof(clipLimit));
        if (nbins < 1) throw new ArgumentException($"nbins must be >= 1; got {nbins}.", nameof(nbins));
        int[] greyShape = IsRgbLike(image) ? image.Shape[..2].ToArray() : image.Shape.ToArray();
        if (kernelSize is not null)
        {
            if (kernelSize.Length != 1 && kernelSize.Length != greyShape.Length)
                throw new ArgumentException($"kernelSize must have one length or one per axis of the grey image ({greyShape.Length}); got {kernelSize.Length}.", nameof(kernelSize));
            if (Array.Exists(kernelSize, k => k < 1))
                throw new ArgumentException($"kernelSize lengths must be >= 1; got [{string.Join(", ", kernelSize)}].", nameof(kernelSize));
        }
        // The tiles' histograms are the large allocation: one row of nbins counts per tile.
        var tiles = ClaheTiles(greyShape, ClaheKernel(greyShape, kernelSize));
        Guard.Elements(tiles.Aggregate(1L, (p, n) => p * n) * nbins, nameof(kernelSize), "the tiles' histograms");
        return Methods.EqualizeAdapthist.Invoke(image, kernelSize, clipLimit, nbins);
    }

    /// <summary>scikit-image's adapt_rgb test: three axes, the last of 3 or 4 (a volume shaped so is taken as colour too).</summary>
    private static bool IsRgbLike(NDArray image) => image.Rank == 3 && image.Shape[2] is 3 or 4;

    private static int[] ClaheKernel(int[] shape, int[]? kernelSize) => kernelSize is null
        ? shape.Select(s => Math.Max(s / 8, 1)).ToArray()
        : kernelSize.Length == 1 ? Enumerable.Repeat(kernelSize[0], shape.Length).ToArray() : kernelSize;

    /// <summary>Tiles per axis: the axis padded by half a kernel before and to a multiple of the kernel after, less one.</summary>
    private static int[] ClaheTiles(int[] shape, int[] kernel) => shape.Select((s, a) => (s + kernel[a] - 1) / kernel[a]).ToArray();

    [Function(Domains.Exposure + ":equalize_adapthist", FunctionKind.Reduction, RunsInBands = true, MinRank = 1, MaxRank = ImageAxes.MaxSpatialRank)]
    private static NDArray EqualizeAdapthistCpu(NDArray image, int[]? kernelSize, double clipLimit, int nbins)
    {
        var host = Guard.Host(image, nameof(image));
        if (!IsRgbLike(host)) return Clahe(host, kernelSize, clipLimit, nbins);
        // hsv_value: the first three channels to HSV, CLAHE on V (a float image), back to RGB.
        var rgb = FloatImages.ToFloat(host);
        if (rgb.Shape[2] == 4) rgb = FirstThreeChannels(rgb);
        var hsv = (HostArray)Color.Rgb2HsvCpu(rgb, -1);
        return hsv switch
        {
            HostArray<float> f => Color.Hsv2RgbCpu(WithValue(f, (HostArray<float>)Clahe(ValueOf(f), kernelSize, clipLimit, nbins)), -1),
            HostArray<double> d => Color.Hsv2RgbCpu(WithValue(d, (HostArray<double>)Clahe(ValueOf(d), kernelSize, clipLimit, nbins)), -1),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static HostArray FirstThreeChannels(HostArray rgba) => rgba switch
    {
        HostArray<float> f => Channels(f, 0, 3),
        HostArray<double> d => Channels(d, 0, 3),
        _ => throw new InvalidOperationException("unreachable"),
    };

    private static HostArray<T> ValueOf<T>(HostArray<T> hsv) where T : unmanaged =>
        HostArray.Create(Channels(hsv, 2, 1).ToArray(), hsv.Shape[0], hsv.Shape[1]);

    /// <summary>Channels [first, first + count) of an (rows, cols, channels) image, copied.</summary>
    private static HostArray<T> Channels<T>(HostArray<T> image, int first, int count) where T : unmanaged
    {
        var src = image.ToArray();
        int channels = image.Shape[2], pixels = src.Length / channels;
        var dst = new T[pixels * count];
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < count; c++) dst[p * count + c] = src[p * channels + first + c];
        return HostArray.Create(dst, image.Shape[0], image.Shape[1], count);
    }

    private static HostArray<T> WithValue<T>(HostArray<T> hsv, HostArray<T> value) where T : unmanaged
    {
        var data = hsv.ToArray();
        var v = value.ToArray();
        for (int p = 0; p < v.Length; p++) data[3 * p + 2] = v[p];
        return HostArray.Create(data, hsv.Shape.ToArray());
    }

    /// <summary>CLAHE of a grey image, the steps and roundings of scikit-image's equalize_adapthist and _clahe.</summary>
    private static NDArray Clahe(HostArray image, int[]? kernelSize, double clipLimit, int nbins)
    {
        int[] shape = image.Shape.ToArray();
        int rank = shape.Length;
        int[] kernel = ClaheKernel(shape, kernelSize);
        int[] tiles = ClaheTiles(shape, kernel);
        // uint8 is binned straight from its 256 values (img_as_uint would scale each by 257); the rest through uint16.
        var bins = image is HostArray<byte> bytes
            ? ClaheBins(bytes.ToArray(), shape[0], nbins, v => v * 257)
            : ClaheBins((ushort[])((HostArray)Util.ImgAsUintCpu(image)).ToFlatArray(), shape[0], nbins, v => v);

        long tileSize = kernel.Aggregate(1L, (p, k) => p * k);
        int tileCount = (int)tiles.Aggregate(1L, (p, n) => p * n);
        var histograms = TileHistograms(bins, shape, kernel, tiles, nbins);
        // The clip limit in elements: at least one; unclipped (the tile's size) for a limit of 0 or less.
        long clip = clipLimit > 0 ? Math.Max((long)Math.Min(clipLimit * tileSize, long.MaxValue), 1) : tileSize;
        var maps = new int[histograms.Length];
        double scale = (ClaheLevels - 1) / (double)tileSize;
        Bands.For(tileCount, (_, start, end) =>
        {
            for (int t = start; t < end; t++)
            {
                var histogram = histograms.AsSpan(t * nbins, nbins);
                ClipHistogram(histogram, clip);
                long cumulative = 0;
                for (int b = 0; b < nbins; b++)
                {
                    cumulative += histogram[b];
                    maps[t * nbins + b] = (int)Math.Min(cumulative * scale, ClaheLevels - 1);
                }
            }
        });
        var equalised = Interpolate(bins, maps, shape, kernel, tiles, nbins);

        // rescale_intensity to [0, 1] in the result's float type (float32 for float32 input).
        ushort low = ushort.MaxValue, high = 0;
        foreach (var v in equalised) { low = Math.Min(low, v); high = Math.Max(high, v); }
        // Through a table of the 2^14 levels, straight into the result's type.
        var scaled = new double[high + 1];
        for (int v = low; v <= high; v++) scaled[v] = low != high ? (v - (double)low) / (high - (double)low) : Math.Min(v, 1);
        return image.DType == DType.Float32
            ? HostArray.Create(Rescaled(equalised, Array.ConvertAll(scaled, v => (float)v), shape[0]), shape)
            : HostArray.Create(Rescaled(equalised, scaled, shape[0]), shape);
    }

    private static T[] Rescaled<T>(ushort[] levels, T[] table, int rows)
    {
        var result = new T[levels.Length];
        int rowLength = levels.Length / rows;
        Bands.For(rows, (_, start, end) =>
        {
            for (int i = start * rowLength; i < end * rowLength; i++) result[i] = table[levels[i]];
        });
        return result;
    }

    /// <summary>Each element's grey bin: its uint16 value stretched over [0, 2^14 - 1] (rounded half to even, as
    /// np.round does; a constant image is clipped instead), then divided by the bin width 1 + 2^14 / nbins.</summary>
    private static ushort[] ClaheBins<T>(T[] values, int rows, int nbins, Func<T, int> asUint16) where T : unmanaged, System.Numerics.INumber<T>
    {
        T lowest = values[0], highest = values[0];
        foreach (var v in values) { lowest = T.Min(lowest, v); highest = T.Max(highest, v); }
        int low = asUint16(lowest), high = asUint16(highest);
        int binWidth = 1 + ClaheLevels / nbins;
        int levels = int.CreateTruncating(highest) + 1;
        var binOf = new ushort[levels];
        for (int i = int.CreateTruncating(lowest); i < levels; i++)
        {
            int v = asUint16(T.CreateTruncating(i));
            double level = low != high ? Math.Round((v - (double)low) / (high - (double)low) * (ClaheLevels - 1)) : Math.Min(v, ClaheLevels - 1);
            binOf[i] = (ushort)((int)level / binWidth);
        }
        var bins = new ushort[values.Length];
        int rowLength = values.Length / rows;
        Bands.For(rows, (_, start, end) =>
        {
            for (int i = start * rowLength; i < end * rowLength; i++) bins[i] = binOf[int.CreateTruncating(values[i])];
        });
        return bins;
    }

    /// <summary>np.pad's reflect (no edge repeat), periodic when the pad is longer than the axis.</summary>
    private static int Reflect(int index, int length)
    {
        if (length == 1) return 0;
        int period = 2 * (length - 1);
        index %= period;
        return index < length ? index : period - index;
    }

    /// <summary>One histogram per tile, tiles in C order, each nbins counts. Tile h along an axis covers the
    /// elements [h k, (h + 1) k), read mirrored past the end of the axis.</summary>
    private static int[] TileHistograms(ushort[] bins, int[] shape, int[] kernel, int[] tiles, int nbins)
    {
        int rank = shape.Length, last = rank - 1;
        var strides = new long[rank];
        var tileStrides = new int[rank];
        long stride = 1;
        int tileStride = 1;
        for (int a = last; a >= 0; a--)
        {
            strides[a] = stride; stride *= shape[a];
            tileStrides[a] = tileStride; tileStride *= tiles[a];
        }
        // Per axis: the source index of each covered position.
        var source = new int[rank][];
        for (int a = 0; a < rank; a++)
        {
            source[a] = new int[tiles[a] * kernel[a]];
            for (int j = 0; j < source[a].Length; j++) source[a][j] = Reflect(j, shape[a]);
        }
        var histograms = new int[tileStride * nbins];
        int kLast = kernel[last], tilesLast = tiles[last], width = shape[last];
        var lastSource = source[last];
        if (rank == 1)
        {
            Accumulate(0, histograms);
            return histograms;
        }
        // Bands of tiles along axis 0: each band fills its own tiles' histograms.
        Bands.For(tiles[0], (_, start, end) =>
        {
            var position = new int[last];
            for (position[0] = start * kernel[0]; position[0] < end * kernel[0]; )
            {
                long offset = 0;
                int tileBase = 0;
                for (int a = 0; a < last; a++)
                {
                    offset += source[a][position[a]] * strides[a];
                    tileBase += position[a] / kernel[a] * tileStrides[a];
                }
                Accumulate(offset, histograms.AsSpan(tileBase * nbins, tilesLast * nbins));
                // The next position over the leading axes, last of them fastest.
                int axis = last - 1;
                while (axis > 0 && ++position[axis] == source[axis].Length) position[axis--] = 0;
                if (axis == 0) position[0]++;
            }
        });
        return histograms;

        // One line along the last axis, starting at offset, into the histograms of its tiles.
        void Accumulate(long offset, Span<int> lineTiles)
        {
            for (int h = 0; h < tilesLast; h++)
            {
                var histogram = lineTiles.Slice(h * nbins, nbins);
                int start = h * kLast;
                if (start + kLast <= width)
                {
                    foreach (var b in bins.AsSpan((int)(offset + start), kLast)) histogram[b]++;
                }
                else
                {
                    for (int j = start; j < start + kLast; j++) histogram[bins[offset + lastSource[j]]]++;
                }
            }
        }
    }

    /// <summary>scikit-image's clip_histogram, step for step: clip at the limit, add the excess's whole share to every
    /// bin that has room for it (filling to the limit those that are close), then hand out what is left one element
    /// at a time in strides over the bins that are still under the limit.</summary>
    private static void ClipHistogram(Span<int> histogram, long clip)
    {
        long excess = 0;
        foreach (ref int count in histogram)
        {
            if (count > clip) { excess += count - clip; count = (int)clip; }
        }
        long increment = excess / histogram.Length;
        long upper = clip - increment;
        foreach (ref int count in histogram)
        {
            if (count < upper) { count += (int)increment; excess -= increment; }
        }
        int under = 0;
        foreach (ref int count in histogram)
        {
            if (count >= upper && count < clip) { excess += count - clip; count = (int)clip; }
            if (count < clip) under++;
        }
        while (excess > 0)
        {
            long before = excess;
            for (int index = 0; index < histogram.Length; index++)
            {
                long step = Math.Max(1, under / excess);
                for (long i = index; i < histogram.Length; i += step)
                {
                    if (histogram[(int)i] < clip)
                    {
                        if (++histogram[(int)i] == clip) under--;
                        excess--;
                    }
                }
                if (excess <= 0) break;
            }
            if (before == excess) break;
        }
    }

    /// <summary>Each element through the mappings of the 2^rank tiles around it, weighted multilinearly as scikit-image
    /// weights them (each corner's weight a float64 product over the axes, last axis first; the corners summed in
    /// float32, the first axis slowest), truncated to an integer level.</summary>
    private static ushort[] Interpolate(ushort[] bins, int[] maps, int[] shape, int[] kernel, int[] tiles, int nbins)
    {
        int rank = shape.Length;
        int corners = 1 << rank;
        // Per axis and position: the two tiles (clamped) and their weights.
        var lowTile = new int[rank][];
        var highTile = new int[rank][];
        var lowWeight = new double[rank][];
        var highWeight = new double[rank][];
        var tileStrides = new int[rank];
        int tileStride = 1;
        for (int a = rank - 1; a >= 0; a--) { tileStrides[a] = tileStride; tileStride *= tiles[a]; }
        for (int a = 0; a < rank; a++)
        {
            int k = kernel[a], n = shape[a];
            lowTile[a] = new int[n]; highTile[a] = new int[n]; lowWeight[a] = new double[n]; highWeight[a] = new double[n];
            for (int p = 0; p < n; p++)
            {
                int padded = p + k / 2, block = padded / k;
                double c = padded % k / (double)k;
                lowTile[a][p] = Math.Clamp(block - 1, 0, tiles[a] - 1) * tileStrides[a];
                highTile[a][p] = Math.Clamp(block, 0, tiles[a] - 1) * tileStrides[a];
                lowWeight[a][p] = 1 - c;
                highWeight[a][p] = c;
            }
        }
        var result = new ushort[bins.Length];
        if (rank == 2)
        {
            Interpolate2D(bins, maps, shape, nbins, lowTile, highTile, lowWeight, highWeight, result);
            return result;
        }
        // Bands along axis 0; within one, the elements in C order.
        int slab = bins.Length / shape[0];
        Bands.For(shape[0], (_, start, end) =>
        {
            var position = new int[rank];
            position[0] = start;
            var cornerTile = new int[corners];
            var cornerWeight = new double[corners];
            for (long i = (long)start * slab; i < (long)end * slab; i++)
            {
                for (int e = 0; e < corners; e++)
                {
                    int tile = 0;
                    double weight = 1;
                    bool first = true;
                    for (int a = rank - 1; a >= 0; a--)
                    {
                        bool high = (e >> (rank - 1 - a) & 1) != 0;
                        tile += high ? highTile[a][position[a]] : lowTile[a][position[a]];
                        double w = high ? highWeight[a][position[a]] : lowWeight[a][position[a]];
                        weight = first ? w : weight * w;
                        first = false;
                    }
                    cornerTile[e] = tile;
                    cornerWeight[e] = weight;
                }
                int bin = bins[i];
                float sum = 0;
                for (int e = 0; e < corners; e++) sum += (float)(maps[cornerTile[e] * nbins + bin] * cornerWeight[e]);
                result[i] = (ushort)sum;
                for (int a = rank - 1; a >= 0 && ++position[a] == shape[a]; a--) position[a] = 0;
            }
        });
        return result;
    }

    private static void Interpolate2D(ushort[] bins, int[] maps, int[] shape, int nbins, int[][] lowTile, int[][] highTile,
        double[][] lowWeight, double[][] highWeight, ushort[] result)
    {
        int cols = shape[1];
        Bands.For(shape[0], (_, start, end) =>
        {
            for (int y = start; y < end; y++)
            {
                int top = lowTile[0][y] * nbins, bottom = highTile[0][y] * nbins;
                double wTop = lowWeight[0][y], wBottom = highWeight[0][y];
                int row = y * cols;
                for (int x = 0; x < cols; x++)
                {
                    int left = lowTile[1][x] * nbins, right = highTile[1][x] * nbins, bin = bins[row + x];
                    double wLeft = lowWeight[1][x], wRight = highWeight[1][x];
                    // Corners in np.ndindex order (axis 0 slowest); each weight is the column's times the row's.
                    float sum = (float)(maps[top + left + bin] * (wLeft * wTop));
                    sum += (float)(maps[top + right + bin] * (wRight * wTop));
                    sum += (float)(maps[bottom + left + bin] * (wLeft * wBottom));
                    sum += (float)(maps[bottom + right + bin] * (wRight * wBottom));
                    result[row + x] = (ushort)sum;
                }
            }
        });
    }
}
