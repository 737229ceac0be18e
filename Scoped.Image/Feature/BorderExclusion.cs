using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Scoped.Image;

/// <summary>
/// scikit-image's <c>exclude_border</c>, which Python lets be a bool or an int or a tuple: <c>true</c> excludes
/// min_distance pixels at every edge, <c>false</c> none, an int that many pixels, an int[] one width per axis. C#
/// code passes any of the three (implicit conversions); the command line parses <c>true</c>/<c>false</c>, an integer
/// (a width, as in Python, where 1 is not True) or a comma-separated list. The default value means <c>true</c>.
/// </summary>
public readonly struct BorderExclusion : IEquatable<BorderExclusion>, IParsable<BorderExclusion>
{
    private readonly int[]? _widths;   // explicit widths (one, or one per axis); null for the bool forms
    private readonly bool _none;       // false given; default(BorderExclusion) is true

    private BorderExclusion(int[]? widths, bool none)
    {
        _widths = widths;
        _none = none;
    }

    /// <summary><c>exclude_border=True</c>: min_distance pixels at each edge (the default).</summary>
    public static BorderExclusion MinDistance => default;

    /// <summary><c>exclude_border=False</c>: peaks may lie on the edge.</summary>
    public static BorderExclusion None => new(null, none: true);

    /// <summary>true: <see cref="MinDistance"/>; false: <see cref="None"/>.</summary>
    public static implicit operator BorderExclusion(bool exclude) => exclude ? MinDistance : None;

    /// <summary>A border of <paramref name="width"/> pixels on every axis.</summary>
    public static implicit operator BorderExclusion(int width) => new([width], none: false);

    /// <summary>One width for every axis, or one per axis (copied).</summary>
    public static implicit operator BorderExclusion(int[] widths) => new((int[])(widths ?? throw new ArgumentNullException(nameof(widths))).Clone(), none: false);

    /// <summary>
    /// The width per axis for an image of <paramref name="rank"/> axes; an ArgumentException naming
    /// <paramref name="name"/> for a negative width or a list whose length is neither 1 nor the rank.
    /// </summary>
    public int[] Widths(int minDistance, int rank, string name)
    {
        if (_widths is null) return Enumerable.Repeat(_none ? 0 : minDistance, rank).ToArray();
        if (_widths.Length != 1 && _widths.Length != rank)
            throw new ArgumentException($"{name} must have one value or one per axis ({rank}); got {_widths.Length}.", name);
        foreach (var w in _widths)
            if (w < 0) throw new ArgumentException($"{name} cannot be negative; got {w}.", name);
        return _widths.Length == rank ? (int[])_widths.Clone() : Enumerable.Repeat(_widths[0], rank).ToArray();
    }

    /// <summary>Parses <c>true</c>, <c>false</c>, an integer width, or comma-separated widths (invariant culture).</summary>
    public static BorderExclusion Parse(string s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result
            : throw new FormatException($"'{s}' is not an exclude_border value: true, false, a width or comma-separated widths.");

    /// <inheritdoc cref="Parse"/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out BorderExclusion result)
    {
        result = default;
        if (s is null) return false;
        var text = s.Trim().Trim('(', ')', '[', ']');
        if (bool.TryParse(text, out var b)) { result = b; return true; }
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return false;
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[i])) return false;
        result = new BorderExclusion(widths, none: false);
        return true;
    }

    /// <summary>true, false, or the widths comma-separated.</summary>
    public override string ToString() => _widths is null ? (_none ? "false" : "true") : string.Join(",", _widths);

    /// <inheritdoc />
    public bool Equals(BorderExclusion other) =>
        _none == other._none && (_widths is null ? other._widths is null : other._widths is not null && _widths.AsSpan().SequenceEqual(other._widths));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BorderExclusion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>Equal when both mean the same border.</summary>
    public static bool operator ==(BorderExclusion left, BorderExclusion right) => left.Equals(right);

    /// <summary>Not equal.</summary>
    public static bool operator !=(BorderExclusion left, BorderExclusion right) => !left.Equals(right);
}
