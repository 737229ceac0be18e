using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace Scoped.Image.IO;

/// <summary>How a TIFF sample is stored, and the element type Scoped returns it as.</summary>
internal enum TiffSample
{
    Bit,     // 1-bit bilevel -> bool
    UInt8,
    Int8,    // widened to int32: Scoped has no int8
    UInt16,
    Int16,   // widened to int32
    UInt32,  // float64 holds every value exactly; Scoped has no uint32
    Int32,
    Float32,
    Float64,
}

/// <summary>One TIFF directory (page), read from its tags and checked before any pixel is decoded.</summary>
internal sealed record TiffPage(
    int Width, int Height, int Samples, TiffSample Sample, bool Planar, bool Tiled, int BlockWidth, int BlockHeight,
    Compression Compression, Photometric Photometric, bool Reduced, string? Description)
{
    /// <summary>The element type a read returns.</summary>
    public DType DType => Sample switch
    {
        TiffSample.Bit => DType.Bool,
        TiffSample.UInt8 => DType.UInt8,
        TiffSample.UInt16 => DType.UInt16,
        TiffSample.Int8 or TiffSample.Int16 or TiffSample.Int32 => DType.Int32,
        TiffSample.Float32 => DType.Float32,
        _ => DType.Float64,
    };

    /// <summary>Bits per stored sample.</summary>
    public int Bits => Sample switch
    {
        TiffSample.Bit => 1,
        TiffSample.UInt8 or TiffSample.Int8 => 8,
        TiffSample.UInt16 or TiffSample.Int16 => 16,
        TiffSample.Float64 => 64,
        _ => 32,
    };

    /// <summary>Samples in one decoded block per pixel: all of them (contiguous) or one (planar separate).</summary>
    public int BlockSamples => Planar ? 1 : Samples;

    /// <summary>Bytes in one row of a decoded block (bits packed to whole bytes per row, as TIFF stores them).</summary>
    public long BlockRowBytes => ((long)BlockWidth * BlockSamples * Bits + 7) / 8;

    /// <summary>Bytes in one decoded block.</summary>
    public long BlockBytes => BlockRowBytes * BlockHeight;

    /// <summary>Whether this page holds the same kind of image as <paramref name="other"/> (so they stack).</summary>
    public bool Stacks(TiffPage other) => Width == other.Width && Height == other.Height && Samples == other.Samples && DType == other.DType;

    /// <summary>Reads and checks the current directory of <paramref name="tif"/>.</summary>
    /// <exception cref="ImageFileException">A tag is missing or out of range, or the sample kind is one Scoped cannot hold.</exception>
    public static TiffPage Read(Tiff tif, string name, int index)
    {
        string where = index == 0 ? "the first page" : string.Create(CultureInfo.InvariantCulture, $"page {index}");
        long width = Int(tif, TiffTag.IMAGEWIDTH, -1), height = Int(tif, TiffTag.IMAGELENGTH, -1);
        if (width < 1 || height < 1)
            throw new ImageFileException(name, $"{where} declares no pixels (width {width}, height {height}).");
        if (width > int.MaxValue || height > int.MaxValue)
            throw new ImageFileException(name, $"{where} declares {width}x{height} pixels; each axis must be below 2^31.");
        int samples = (int)Int(tif, TiffTag.SAMPLESPERPIXEL, 1);
        if (samples is < 1 or > 256)
            throw new ImageFileException(name, $"{where} declares {samples} samples per pixel (1 to 256 are read).");
        int bits = (int)Int(tif, TiffTag.BITSPERSAMPLE, 1);
        var format = (SampleFormat)Int(tif, TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
        var photometric = (Photometric)Int(tif, TiffTag.PHOTOMETRIC, samples >= 3 ? (int)Photometric.RGB : (int)Photometric.MINISBLACK);
        var compression = (Compression)Int(tif, TiffTag.COMPRESSION, (int)Compression.NONE);
        bool planar = samples > 1 && Int(tif, TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG) == (int)PlanarConfig.SEPARATE;
        if (compression is Compression.JPEG or Compression.OJPEG && photometric == Photometric.YCBCR)
        {
            // Decoded as RGB (TiffReader.Prepare asks libtiff to convert), as every viewer (and tifffile) shows such files.
            photometric = Photometric.RGB;
        }
        var sample = (format, bits) switch
        {
            (SampleFormat.UINT, 1) when samples == 1 => TiffSample.Bit,
            (SampleFormat.UINT, 8) => TiffSample.UInt8,
            (SampleFormat.INT, 8) => TiffSample.Int8,
            (SampleFormat.UINT, 16) => TiffSample.UInt16,
            (SampleFormat.INT, 16) => TiffSample.Int16,
            (SampleFormat.UINT, 32) => TiffSample.UInt32,
            (SampleFormat.INT, 32) => TiffSample.Int32,
            (SampleFormat.IEEEFP, 32) => TiffSample.Float32,
            (SampleFormat.IEEEFP, 64) => TiffSample.Float64,
            _ => throw new ImageFileException(name,
                $"{where} holds {bits}-bit {FormatName(format)} samples{(bits == 1 ? $" with {samples} per pixel" : "")}; Scoped reads 1-bit bilevel, 8/16/32-bit integer and 32/64-bit float samples."),
        };
        bool tiled = tif.IsTiled();
        long blockWidth, blockHeight;
        if (tiled)
        {
            blockWidth = Int(tif, TiffTag.TILEWIDTH, 0);
            blockHeight = Int(tif, TiffTag.TILELENGTH, 0);
            if (blockWidth < 1 || blockHeight < 1)
                throw new ImageFileException(name, $"{where} is tiled but declares {blockWidth}x{blockHeight} tiles.");
        }
        else
        {
            blockWidth = width;
            blockHeight = Math.Min(height, Math.Max(1, Int(tif, TiffTag.ROWSPERSTRIP, height)));
        }
        var page = new TiffPage((int)width, (int)height, samples, sample, planar, tiled, (int)blockWidth, (int)blockHeight,
            compression, photometric, (Int(tif, TiffTag.SUBFILETYPE, 0) & (int)FileType.REDUCEDIMAGE) != 0,
            tif.GetField(TiffTag.IMAGEDESCRIPTION) is { Length: > 0 } d ? d[0].ToString() : null);
        // A block is decoded into one buffer: its size must be one .NET can allocate and the work limit allows.
        DeclaredSize.Check(name, $"{where} declares {blockWidth}x{blockHeight} {(tiled ? "tiles" : "strips")}",
            blockWidth * blockHeight * page.BlockSamples, page.BlockBytes);
        return page;
    }

    private static string FormatName(SampleFormat format) => format switch
    {
        SampleFormat.UINT => "unsigned integer",
        SampleFormat.INT => "signed integer",
        SampleFormat.IEEEFP => "floating-point",
        _ => $"format-{(int)format}",
    };

    // A tag's first value as a non-negative number (uint32 tags come back as int from LibTiff.NET), or the default when absent.
    private static long Int(Tiff tif, TiffTag tag, long fallback)
    {
        var value = tif.GetField(tag);
        if (value is not { Length: > 0 }) return fallback;
        long v = value[0].ToLong();
        return v < 0 ? (uint)(int)v : v;
    }
}
