using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Scoped.Image.IO;

/// <summary>
/// How a multi-page TIFF's pages map to dimensions, from the description of its first page: OME-TIFF's OME-XML
/// (DimensionOrder, SizeZ/C/T) or ImageJ's hyperstack header (channels, slices, frames). Axes of size 1 are left out,
/// as tifffile leaves them out; the sizes and physical pixel sizes go into the reader's metadata.
/// </summary>
internal static class SeriesAxes
{
    /// <summary>Adds what the description declares to <paramref name="metadata"/> ("ome.*" or "imagej.*" keys).</summary>
    public static void Describe(string description, Dictionary<string, string> metadata)
    {
        var text = description.TrimStart();
        if (text.StartsWith("<?xml", StringComparison.Ordinal) || text.StartsWith("<OME", StringComparison.Ordinal)) Ome(text, metadata);
        else if (text.StartsWith("ImageJ=", StringComparison.Ordinal)) ImageJ(text, metadata);
    }

    /// <summary>The page axes (slowest first, sizes above 1) the metadata declares for <paramref name="pages"/> pages of
    /// <paramref name="samples"/> samples, or null when it declares none or they do not multiply to the page count.</summary>
    public static List<(char Axis, int Size)>? Planes(Dictionary<string, string> metadata, int samples, int pages)
    {
        List<(char Axis, int Size)> axes;
        if (metadata.TryGetValue("ome.dimension_order", out var order) && order.Length == 5 && order.StartsWith("XY", StringComparison.Ordinal))
        {
            axes = [];
            for (int i = 4; i >= 2; i--)
            {
                char axis = order[i];
                int size = Size(metadata, "ome.size_" + char.ToLowerInvariant(axis));
                if (axis == 'C' && samples > 1 && size % samples == 0) size /= samples; // the samples of a pixel are channels too
                axes.Add((axis, size));
            }
        }
        else if (metadata.ContainsKey("imagej.images"))
            axes = [('T', Size(metadata, "imagej.frames")), ('Z', Size(metadata, "imagej.slices")), ('C', samples > 1 ? 1 : Size(metadata, "imagej.channels"))];
        else return null;
        if (axes.Any(a => a.Size < 1) || axes.Aggregate(1L, (n, a) => n * a.Size) != pages) return null;
        axes.RemoveAll(a => a.Size == 1);
        return pages > 1 ? axes : [];
    }

    private static int Size(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;

    private static void Ome(string xml, Dictionary<string, string> metadata)
    {
        XDocument document;
        try
        {
            // No DTDs and no external entities: the XML comes from the file.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64 << 20 };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException) { return; } // not OME after all: the description stays as text
        var pixels = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Pixels");
        if (pixels is null) return;
        void Copy(string attribute, string key)
        {
            if (pixels.Attribute(attribute)?.Value is { Length: > 0 } v) metadata[key] = v;
        }
        Copy("DimensionOrder", "ome.dimension_order");
        Copy("Type", "ome.type");
        foreach (var axis in "XYZCT") Copy("Size" + axis, "ome.size_" + char.ToLowerInvariant(axis));
        foreach (var axis in "XYZ")
        {
            Copy("PhysicalSize" + axis, "ome.physical_size_" + char.ToLowerInvariant(axis));
            Copy("PhysicalSize" + axis + "Unit", "ome.physical_size_" + char.ToLowerInvariant(axis) + "_unit");
        }
        Copy("TimeIncrement", "ome.time_increment");
        var channels = pixels.Elements().Where(e => e.Name.LocalName == "Channel").Select(e => e.Attribute("Name")?.Value ?? "").ToList();
        if (channels.Any(n => n.Length > 0)) metadata["ome.channel_names"] = string.Join(",", channels);
    }

    private static void ImageJ(string text, Dictionary<string, string> metadata)
    {
        foreach (var line in text.Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            string key = line[..eq].Trim(), value = line[(eq + 1)..].Trim();
            if (key.Length > 0 && key.Length < 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                metadata["imagej." + key.ToLowerInvariant()] = value;
        }
    }
}
