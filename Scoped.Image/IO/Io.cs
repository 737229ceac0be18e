using System.Globalization;

namespace Scoped.Image.IO;

/// <summary>
/// skimage.io: <see cref="Imread"/>, <see cref="Imsave"/>, <see cref="ImreadCollection"/> and
/// <see cref="ConcatenateImages"/> over every format <see cref="ImageFile"/> reads and writes.
/// </summary>
public static class Io
{
    /// <summary>skimage.io.imread: the image at <paramref name="path"/> (format told by its first bytes); with
    /// <paramref name="asGray"/>, a colour image becomes rgb2gray of it (RGBA first blended onto white, as rgba2rgb
    /// does), float64; a grey image is returned as stored.</summary>
    /// <exception cref="ImageFileException">The file is not a readable image.</exception>
    public static HostArray Imread(string path, bool asGray = false)
    {
        var image = ImageFile.Read(path);
        if (!asGray || image.Rank < 3 || image.Shape[^1] is not (3 or 4)) return image;
        if (image.Shape[^1] == 4) image = Rgba2RgbOnWhite(image);
        return (HostArray)Color.Rgb2Gray(image);
    }

    /// <summary>skimage.io.imsave: writes <paramref name="image"/> in the format the extension names (atomically).</summary>
    public static void Imsave(string path, NDArray image) => ImageFile.Write(path, image);

    /// <summary>skimage.io.imread_collection: the files matching <paramref name="pattern"/> (a folder and a file
    /// pattern with * and ?, or several patterns separated by <see cref="Path.PathSeparator"/>), in natural order
    /// ("img2" before "img10"), read when first indexed.</summary>
    /// <exception cref="ArgumentException">The pattern's folder does not exist, or it has wildcards.</exception>
    public static ImageCollection ImreadCollection(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var files = new List<string>();
        foreach (var part in pattern.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string folder = Path.GetDirectoryName(part) is { Length: > 0 } d ? d : ".";
            if (folder.IndexOfAny(['*', '?']) >= 0)
                throw new ArgumentException($"pattern may have wildcards in the file name only, not in the folder: {part}.", nameof(pattern));
            if (!Directory.Exists(folder))
                throw new ArgumentException($"pattern names a folder that does not exist: {folder}.", nameof(pattern));
            files.AddRange(Directory.EnumerateFiles(folder, Path.GetFileName(part)).Order(NaturalOrder.Instance));
        }
        return new ImageCollection(files);
    }

    /// <summary>skimage.io.concatenate_images: the images stacked along a new first axis.</summary>
    /// <exception cref="ArgumentException">No images, or images of different shapes or dtypes.</exception>
    public static HostArray ConcatenateImages(IEnumerable<NDArray> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var list = images.Select((image, i) => Guard.Host(image, string.Create(CultureInfo.InvariantCulture, $"images[{i}]"))).ToList();
        if (list.Count == 0) throw new ArgumentException("images must hold at least one image; got none.", nameof(images));
        var first = list[0];
        for (int i = 1; i < list.Count; i++)
            if (list[i].DType != first.DType || !list[i].Shape.SequenceEqual(first.Shape))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"images must all have one shape and dtype to be stacked: images[0] is {first.DType.NumPyName()} {first.ShapeText}, images[{i}] is {list[i].DType.NumPyName()} {list[i].ShapeText}."), nameof(images));
        int[] shape = [list.Count, .. first.Shape];
        return first switch
        {
            HostArray<bool> => Stack<bool>(list, shape),
            HostArray<byte> => Stack<byte>(list, shape),
            HostArray<ushort> => Stack<ushort>(list, shape),
            HostArray<int> => Stack<int>(list, shape),
            HostArray<float> => Stack<float>(list, shape),
            _ => Stack<double>(list, shape),
        };
    }

    private static HostArray<T> Stack<T>(List<HostArray> images, int[] shape) where T : unmanaged
    {
        long total = Limits.Product(Array.ConvertAll(shape, n => (long)n));
        Guard.OutputShape(shape, "images", "the stack");
        var data = new T[total];
        long at = 0;
        foreach (var image in images)
        {
            var values = ((HostArray<T>)image).ToArray();
            values.CopyTo(data, at);
            at += values.Length;
        }
        return HostArray.Create(data, shape);
    }

    // skimage's rgba2rgb with a white background: img_as_float, then (1 - alpha) + alpha * colour, clipped to [0, 1].
    private static HostArray Rgba2RgbOnWhite(HostArray rgba)
    {
        var f = (HostArray<double>)((HostArray)Util.ImgAsFloat(rgba)).AsType(DType.Float64);
        var src = f.ToArray();
        int pixels = src.Length / 4;
        var rgb = new double[pixels * 3];
        for (int p = 0; p < pixels; p++)
        {
            double alpha = src[4 * p + 3];
            for (int c = 0; c < 3; c++) rgb[3 * p + c] = Math.Clamp((1 - alpha) * 1 + alpha * src[4 * p + c], 0, 1);
        }
        int[] shape = [.. rgba.Shape[..^1], 3];
        return HostArray.Create(rgb, shape);
    }

    // Digits compare by value, so "img2" sorts before "img10" (skimage sorts collections this way).
    private sealed class NaturalOrder : IComparer<string>
    {
        public static readonly NaturalOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null) return string.CompareOrdinal(x, y);
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    int si = i, sj = j;
                    while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                    while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                    var a = x.AsSpan(si, i - si).TrimStart('0');
                    var b = y.AsSpan(sj, j - sj).TrimStart('0');
                    int c = a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
                    if (c != 0) return c;
                }
                else
                {
                    int c = x[i].CompareTo(y[j]);
                    if (c != 0) return c;
                    i++; j++;
                }
            }
            return (x.Length - i).CompareTo(y.Length - j);
        }
    }
}

/// <summary>skimage.io.ImageCollection: files read when indexed (the last one kept), so a folder of thousands of
/// images costs one image of memory at a time.</summary>
public sealed class ImageCollection : IReadOnlyList<HostArray>
{
    private (int Index, HostArray Image)? _last;

    internal ImageCollection(IReadOnlyList<string> files) => Files = files;

    /// <summary>The files, in the collection's order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <inheritdoc />
    public int Count => Files.Count;

    /// <summary>The image of file <paramref name="index"/>, read now unless it was the last one read.</summary>
    public HostArray this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            if (_last is { } last && last.Index == index) return last.Image;
            var image = ImageFile.Read(Files[index]);
            _last = (index, image);
            return image;
        }
    }

    /// <summary>skimage's ImageCollection.concatenate: every image stacked along a new first axis.</summary>
    public HostArray Concatenate() => Io.ConcatenateImages(this);

    /// <inheritdoc />
    public IEnumerator<HostArray> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
