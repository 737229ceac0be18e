using System.Globalization;
using Scoped.Image;

namespace Scoped.Cli;

/// <summary>Text on the command line to parameter values, and values back to text.</summary>
internal static class Values
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Parses <paramref name="text"/> as a value of <paramref name="type"/>. <paramref name="cost"/> ranks how natural
    /// the reading is, so overloads can be chosen (2 → the double overload rather than double[]).
    /// Returns false when the text is not such a value, or the type is not one the command line can fill.
    /// </summary>
    public static bool TryParse(string text, Type type, out object? value, out double cost)
    {
        value = null;
        cost = 0;
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            if (IsNone(text)) return true;
            return TryParse(text, inner, out value, out cost);
        }
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            if (!IsScalar(element)) return false;
            var body = Strip(text);
            if (type.GetArrayRank() == 1)
            {
                var items = body.Length == 0 ? [] : body.Split(',', StringSplitOptions.TrimEntries);
                var array = Array.CreateInstance(element, items.Length);
                for (int i = 0; i < items.Length; i++)
                {
                    if (!TryParse(items[i], element, out var item, out var c)) return false;
                    array.SetValue(item, i);
                    cost += c;
                }
                // A single value where a tuple is accepted is a less natural reading than a scalar overload.
                cost = (items.Length == 1 ? 1 : 0) + cost / Math.Max(1, items.Length);
                value = array;
                return true;
            }
            if (type.GetArrayRank() == 2)
            {
                var rows = body.Split(';', StringSplitOptions.TrimEntries).Select(r => Strip(r).Split(',', StringSplitOptions.TrimEntries)).ToArray();
                int cols = rows.Length == 0 ? 0 : rows[0].Length;
                if (rows.Any(r => r.Length != cols)) return false;
                var array = Array.CreateInstance(element, rows.Length, cols);
                for (int r = 0; r < rows.Length; r++)
                    for (int c = 0; c < cols; c++)
                    {
                        if (!TryParse(rows[r][c], element, out var item, out _)) return false;
                        array.SetValue(item, r, c);
                    }
                value = array;
                return true;
            }
            return false;
        }
        if (type.IsEnum) return TryParseEnum(text, type, out value);
        if (type == typeof(string)) { value = text; return true; }
        if (type == typeof(bool))
        {
            switch (Names.Normalize(text))
            {
                case "true" or "1" or "yes" or "on": value = true; return true;
                case "false" or "0" or "no" or "off": value = false; return true;
                default: return false;
            }
        }
        if (type == typeof(double) || type == typeof(float))
        {
            if (!TryDouble(text, out var d)) return false;
            // An integer literal reads slightly more naturally as an int overload, when there is one.
            cost = IsIntegerLiteral(text) ? 0.25 : 0;
            value = type == typeof(float) ? (object)(float)d : d;
            return true;
        }
        if (IsInteger(type))
        {
            if (!long.TryParse(text.Trim(), NumberStyles.Integer, Inv, out var l)) return false;
            try { value = Convert.ChangeType(l, type, Inv); }
            catch (OverflowException) { return false; }
            return true;
        }
        if (ParsableTryParse(type) is { } tryParse)
        {
            // A library type that reads itself from text (IParsable<T>), such as BorderExclusion.
            object?[] args = [text, Inv, null];
            if (!(bool)tryParse.Invoke(null, args)!) return false;
            value = args[2];
            return true;
        }
        return false;
    }

    /// <summary>The static TryParse(string, IFormatProvider, out T) of a type implementing IParsable&lt;T&gt;, or null.</summary>
    private static System.Reflection.MethodInfo? ParsableTryParse(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>) && i.GetGenericArguments()[0] == type)
            ? type.GetMethod("TryParse", [typeof(string), typeof(IFormatProvider), type.MakeByRefType()])
            : null;

    /// <summary>Whether the command line can fill a parameter of this type (NDArray aside).</summary>
    public static bool CanParse(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return type.GetArrayRank() <= 2 && IsScalar(type.GetElementType()!);
        return IsScalar(type) || ParsableTryParse(type) is not null;
    }

    /// <summary>What a value of the type looks like, for error messages.</summary>
    public static string Expected(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Expected(inner) + " or none";
        if (type.IsArray)
        {
            var e = type.GetElementType()!;
            string what = e == typeof(double) || e == typeof(float) ? "numbers" : IsInteger(e) ? "integers" : e == typeof(bool) ? "true/false values" : "values";
            return type.GetArrayRank() == 2 ? $"rows of comma-separated {what} separated by ';' (e.g. 1,0;0,1)" : $"comma-separated {what} (e.g. 1,3)";
        }
        if (type.IsEnum) return "one of: " + string.Join(", ", EnumNames(type));
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(double) || type == typeof(float)) return "a number";
        if (IsInteger(type)) return "an integer";
        if (type == typeof(string)) return "text";
        if (type == typeof(BorderExclusion)) return "true, false, a width or comma-separated widths (e.g. 2 or 2,3)";
        return $"a {type.Name}, which the command line cannot give";
    }

    /// <summary>The type as listings show it: float, int, bool, str, float[], reflect|nearest|..., int?, array.</summary>
    public static string TypeText(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return TypeText(inner) + "?";
        if (typeof(NDArray).IsAssignableFrom(type)) return "array";
        if (type.IsArray) return TypeText(type.GetElementType()!) + (type.GetArrayRank() == 2 ? "[,]" : "[]");
        if (type.IsEnum) return string.Join('|', EnumNames(type));
        if (type == typeof(double) || type == typeof(float)) return "float";
        if (IsInteger(type)) return "int";
        if (type == typeof(bool)) return "bool";
        if (type == typeof(string)) return "str";
        if (type == typeof(BorderExclusion)) return "bool|int|int[]";
        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true)
            return "(" + string.Join(", ", type.GetGenericArguments().Select(TypeText)) + ")";
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g && (g == typeof(IReadOnlyList<>) || g == typeof(IList<>) || g == typeof(List<>)))
            return TypeText(type.GetGenericArguments()[0]) + "[]";
        return type.Name;
    }

    /// <summary>A value as the command line would write it: none, true, 1.5, reflect, 1,3.</summary>
    public static string Format(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", Inv),
        float f => f.ToString("R", Inv),
        Enum e => Names.Snake(e.ToString()),
        string s => s.Length == 0 ? "''" : s,
        Array a => string.Join(',', a.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };

    /// <summary>scikit-image's transform mode names (NumPy's), in BoundaryMode's order of meaning below.</summary>
    public static readonly string[] NumPyModeNames = ["constant", "edge", "symmetric", "reflect", "wrap"];

    /// <summary>A mode by NumPy's name: Mirror is 'reflect', Reflect is 'symmetric', Nearest is 'edge'.</summary>
    public static string NumPyModeName(BoundaryMode mode) => mode switch
    {
        BoundaryMode.Mirror => "reflect",
        BoundaryMode.Reflect => "symmetric",
        BoundaryMode.Nearest => "edge",
        _ => Names.Snake(mode.ToString()),
    };

    public static IEnumerable<string> EnumNames(Type type) => Enum.GetNames(type).Select(Names.Snake);

    private static bool TryParseEnum(string text, Type type, out object? value)
    {
        var key = Names.Normalize(text);
        foreach (var name in Enum.GetNames(type))
        {
            if (Names.Snake(name) == key || name.Equals(key, StringComparison.OrdinalIgnoreCase) || name.Equals(key.Replace("_", ""), StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse(type, name);
                return true;
            }
        }
        value = null;
        return false;
    }

    private static bool TryDouble(string text, out double d)
    {
        switch (Names.Normalize(text))
        {
            case "nan": d = double.NaN; return true;
            case "inf" or "+inf" or "infinity": d = double.PositiveInfinity; return true;
            case "_inf" or "_infinity": d = double.NegativeInfinity; return true;
        }
        return double.TryParse(text.Trim(), NumberStyles.Float, Inv, out d);
    }

    private static bool IsNone(string text) => Names.Normalize(text) is "none" or "null";

    private static bool IsIntegerLiteral(string text) => long.TryParse(text.Trim(), NumberStyles.Integer, Inv, out _);

    private static string Strip(string text)
    {
        var t = text.Trim();
        if (t.Length >= 2 && (t[0], t[^1]) is ('(', ')') or ('[', ']')) t = t[1..^1].Trim();
        return t;
    }

    private static bool IsInteger(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(sbyte) || t == typeof(uint) || t == typeof(ushort) || t == typeof(ulong);

    private static bool IsScalar(Type t) =>
        t == typeof(double) || t == typeof(float) || t == typeof(bool) || t == typeof(string) || t.IsEnum || IsInteger(t);
}
