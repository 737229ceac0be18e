using System.Text.Json;
using System.Text.Json.Serialization;
using Scoped.Image;

namespace Scoped.Examples.WebApi;

/// <summary>Writes a host array inside a JSON result as nested lists in C order (numbers, or true/false for bool),
/// as NumPy's tolist() gives it. Arrays are results here, never read from JSON.</summary>
public sealed class NDArrayJsonConverter : JsonConverter<NDArray>
{
    // The declared type of a result is often object or a derived HostArray<T>: convert all of them.
    public override bool CanConvert(Type typeToConvert) => typeof(NDArray).IsAssignableFrom(typeToConvert);

    public override NDArray Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Arrays are sent as .npy, PNG or TIFF uploads, not as JSON.");

    public override void Write(Utf8JsonWriter writer, NDArray value, JsonSerializerOptions options)
    {
        var host = value as HostArray ?? throw new JsonException($"The result holds a {value.Kind} array, not a host array.");
        bool isBool = host.DType == DType.Bool;
        var flat = isBool ? (Array)host.ToFlatArray() : host.AsType(DType.Float64).ToFlatArray();
        int[] shape = host.Shape.ToArray();
        long next = 0;
        Nest(0);

        void Nest(int axis)
        {
            if (axis == shape.Length)
            {
                object element = flat.GetValue(next++)!;
                if (isBool) writer.WriteBooleanValue((bool)element);
                else JsonSerializer.Serialize(writer, (double)element, options);   // NaN as "NaN", as the options allow
                return;
            }
            writer.WriteStartArray();
            for (int i = 0; i < shape[axis]; i++) Nest(axis + 1);
            writer.WriteEndArray();
        }
    }
}
