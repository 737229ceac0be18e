namespace Scoped.Image.IO;

/// <summary>
/// A reader over a format stored in one piece (PNG, PGM/PPM, .npy): shape and dtype come from the header; the first
/// region read decodes the whole file once, and regions are cut from it.
/// </summary>
internal sealed class WholeImageReader : ImageReader
{
    private readonly ImageHeader _header;
    private readonly int[] _shape;
    private HostArray? _image;

    /// <summary>A reader over an image already decoded (formats whose header does not settle the shape).</summary>
    public WholeImageReader(string path, HostArray image) : base(path)
    {
        _image = image;
        _shape = image.Shape.ToArray();
        _header = new ImageHeader(".jpg", image.DType, Array.ConvertAll(image.Shape.ToArray(), n => (long)n));
        _keep = true;
    }

    private readonly bool _keep;

    public WholeImageReader(string path, string format) : base(path)
    {
        var head = new byte[1 << 16];
        int got;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
            got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        _header = ImageFile.ReadHeader(head.AsSpan(0, got))
            ?? throw new ImageFileException(path, $"the {format} header is malformed or longer than {head.Length} bytes.");
        if (_header.Shape.Any(n => n > int.MaxValue))
            throw new ImageFileException(path, $"the header declares shape {_header.ShapeText}; each axis must be below 2^31.");
        _shape = _header.Shape.Select(n => (int)n).ToArray();
        if (_shape.Length is < 2 or > 3)
            throw new ImageFileException(path, $"the file holds an array of shape {_header.ShapeText}; region reads take images (rows, cols) or (rows, cols, channels); use ImageFile.Read.");
    }

    public override string Format => _header.Format;
    public override DType DType => _header.DType;
    public override IReadOnlyList<int> Shape => _shape;
    public override string Axes => _shape.Length == 2 ? "YX" : "YXS";
    public override int PageCount => 1;
    public override int Samples => _shape.Length == 3 ? _shape[2] : 1;
    public override int Height => _shape[0];
    public override int Width => _shape[1];
    public override ImageLayout Layout => new("whole", Height, Width);
    public override IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();

    private protected override HostArray ReadCore(int row, int col, int height, int width, int firstPage, int pageCount, int[] shape)
    {
        _image ??= ImageFile.Read(Name);
        if (_keep && row == 0 && col == 0 && height == Height && width == Width) return _image.AsType(DType); // a copy: the kept image stays as decoded
        if (!_image.Shape.SequenceEqual(_shape))
            throw new ImageFileException(Name, $"decodes to shape {_image.ShapeText}, not the {_header.ShapeText} its header declares (a tRNS chunk adds alpha to a palette PNG).");
        if (row == 0 && col == 0 && height == Height && width == Width && !_keep)
        {
            // Handed over, not kept: the caller may change it, and a later read must not see that.
            var whole = _image;
            _image = null;
            return whole;
        }
        var region = HostArray.Zeros(DType, shape);
        _image.CopyWindowTo(region, row, col, height, width, 0, 0);
        return region;
    }

    private protected override void DisposeCore() => _image = null;
}
