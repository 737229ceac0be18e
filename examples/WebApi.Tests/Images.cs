using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>Test images and their encodings.</summary>
internal static class Images
{
    /// <summary>A uint8 image with edges, blobs and a gradient, so that every filter has something to do.</summary>
    public static HostArray<byte> Sample(int rows = 72, int cols = 96)
    {
        var data = new byte[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int blob = ((r / 12) + (c / 16)) % 2 == 0 ? 120 : 0;
                data[r * cols + c] = (byte)((blob + r * 2 + (c * 7 % 13) * 5) % 256);
            }
        return HostArray.Create(data, rows, cols);
    }

    public static byte[] Png(NDArray image)
    {
        var stream = new MemoryStream();
        Scoped.Image.IO.Png.Write(stream, image);
        return stream.ToArray();
    }

    public static byte[] Npy(NDArray image)
    {
        var stream = new MemoryStream();
        Scoped.Image.IO.Npy.Write(stream, (HostArray)image);
        return stream.ToArray();
    }
}
