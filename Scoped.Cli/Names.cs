using System.Text;

namespace Scoped.Cli;

/// <summary>The mapping between C# names and scikit-image's snake_case names.</summary>
internal static class Names
{
    /// <summary>
    /// PascalCase or camelCase to snake_case: an underscore goes before an upper-case letter that follows a lower-case
    /// letter, or that starts a word after an acronym (HTMLParser → html_parser); digits never get one
    /// (Rgb2Gray → rgb2gray, image0 → image0).
    /// </summary>
    public static string Snake(string name)
    {
        // scikit-image's one-letter weights with a capital (deltaE's kL, kC, kH) keep their spelling.
        if (name.Length == 2 && char.IsLower(name[0]) && char.IsUpper(name[1])) return name;
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                char prev = name[i - 1];
                bool nextLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(prev) || (char.IsUpper(prev) && nextLower)) sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>What the user typed, normalised for comparison: lower case, '-' read as '_'.</summary>
    public static string Normalize(string text) => text.Trim().Replace('-', '_').ToLowerInvariant();
}
