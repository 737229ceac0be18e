using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Cli;

/// <summary>Results to files and JSON.</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>
    /// The arrays of a result that must go to files: the result itself when it is an array, or each item of a tuple or
    /// list made only of arrays. Null when the result is something else (printed as JSON).
    /// </summary>
    public static IReadOnlyList<NDArray>? ArrayResults(object? result) => result switch
    {
        NDArray a => [a],
        ITuple t when t.Length > 0 && Enumerable.Range(0, t.Length).All(i => t[i] is NDArray) => [.. Enumerable.Range(0, t.Length).Select(i => (NDArray)t[i]!)],
        IEnumerable<NDArray> list when list.Any() => [.. list],
        _ => null,
    };

    /// <summary>The file name for the <paramref name="index"/>-th of <paramref name="count"/> arrays: out.npy, or out_0.npy, out_1.npy, ...</summary>
    public static string NumberedPath(string path, int index, int count)
    {
        if (count == 1) return path;
        var dir = Path.GetDirectoryName(path);
        var name = $"{Path.GetFileNameWithoutExtension(path)}_{index}{Path.GetExtension(path)}";
        return string.IsNullOrEmpty(dir) ? name : Path.Combine(dir, name);
    }

    /// <summary>Writes an array to a file chosen by extension; .json writes it as nested lists.</summary>
    public static void WriteArray(string path, NDArray array)
    {
        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
            WriteText(path, ToJson(array));
        else
            ImageFile.Write(path, array);
    }

    /// <summary>Writes text (JSON) to a file atomically, like the image writers: a failed or killed write leaves the old file.</summary>
    public static void WriteText(string path, string text) => AtomicFile.WriteAllText(path, text + Environment.NewLine);

    /// <summary>The value as JSON: numbers and booleans plain, arrays as nested lists, tuples and lists as JSON
    /// arrays, records as objects with snake_case keys, enums by their snake_case name, NaN/∞ as "NaN"/"Infinity".</summary>
    public static string ToJson(object? value)
    {
        var node = ToNode(value, 0);
        // Records are indented for people; numbers, tuples and arrays stay on one line.
        return node is null ? "null" : node.ToJsonString(HasObject(node) ? Indented : Compact);

        static bool HasObject(JsonNode? n) => n switch
        {
            JsonObject => true,
            JsonArray a => a.Any(HasObject),
            _ => false,
        };
    }

    internal static JsonNode? ToNode(object? value, int depth)
    {
        if (depth > 64) return JsonValue.Create("...");
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case char ch: return JsonValue.Create(ch.ToString());
            case bool b: return JsonValue.Create(b);
            case Enum e: return JsonValue.Create(Names.Snake(e.ToString()));
            case double d: return Number(d);
            case float f: return float.IsFinite(f) ? JsonValue.Create(f) : Number(f);
            case Half h: return Number((double)h);
            case decimal m: return JsonValue.Create(m);
            case sbyte or byte or short or ushort or int or uint or long: return JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
            case ulong ul: return JsonValue.Create(ul);
            case HostArray host: return Nested(host.ToFlatArray(), host.Shape.ToArray(), depth);
            case NDArray other: return JsonValue.Create(other.ToString());
            case RegionTable table:
            {
                // As scikit-image's dict: column name to its values.
                var columns = new JsonObject();
                foreach (var (name, values) in table.Columns) columns[name] = ToNode(values, depth + 1);
                return columns;
            }
            case ITuple tuple:
            {
                var array = new JsonArray();
                for (int i = 0; i < tuple.Length; i++) array.Add(ToNode(tuple[i], depth + 1));
                return array;
            }
            case Array { Rank: > 1 } multi:
            {
                var shape = Enumerable.Range(0, multi.Rank).Select(multi.GetLength).ToArray();
                var flat = new object?[multi.Length];
                int k = 0;
                foreach (var item in multi) flat[k++] = item;
                return Nested(flat, shape, depth);
            }
            case IDictionary dictionary:
            {
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary) obj[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? ""] = ToNode(entry.Value, depth + 1);
                return obj;
            }
            case IEnumerable sequence:
            {
                var array = new JsonArray();
                foreach (var item in sequence) array.Add(ToNode(item, depth + 1));
                return array;
            }
            default: return Record(value, depth);
        }
    }

    private static JsonNode Number(double d) =>
        double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");

    private static JsonNode? Nested(Array flat, int[] shape, int depth)
    {
        if (shape.Length == 0) return ToNode(flat.GetValue(0), depth + 1);
        int offset = 0;
        return Build(0);

        JsonNode Build(int axis)
        {
            var array = new JsonArray();
            for (int i = 0; i < shape[axis]; i++)
                array.Add(axis == shape.Length - 1 ? ToNode(flat.GetValue(offset++), depth + 1) : Build(axis + 1));
            return array;
        }
    }

    // A record or class: its public readable properties (and public fields), snake_case keys. A property that throws
    // (say, one not defined for this region) is left out.
    private static JsonNode Record(object value, int depth)
    {
        var obj = new JsonObject();
        var type = value.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0) continue;
            // [Browsable(false)]: an array per record (a region's image) that a listing leaves out.
            if (property.GetCustomAttribute<System.ComponentModel.BrowsableAttribute>() is { Browsable: false }) continue;
            object? v;
            try { v = property.GetValue(value); }
            catch (TargetInvocationException) { continue; }
            obj[Names.Snake(property.Name)] = ToNode(v, depth + 1);
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            obj[Names.Snake(field.Name)] = ToNode(field.GetValue(value), depth + 1);
        if (obj.Count == 0) return JsonValue.Create(value.ToString() ?? type.Name);
        return obj;
    }
}
