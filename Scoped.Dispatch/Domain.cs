namespace Scoped.Dispatch;

/// <summary>
/// Dotted domain names ("scoped.image.filters"). A backend for a domain also serves every
/// sub-domain beneath it, never the reverse (the rule of uarray).
/// </summary>
public static class Domain
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="domain"/> is a well-formed dotted name.</summary>
    /// <param name="domain">The name to check.</param>
    /// <param name="parameterName">The parameter named in the exception.</param>
    public static void Validate(string? domain, string parameterName = "domain")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain, parameterName);
        foreach (var part in domain.Split('.'))
        {
            if (part.Length == 0)
                throw new ArgumentException($"Domain '{MessageText.Escape(domain)}' has an empty segment; a domain is dot-separated identifiers such as 'scoped.image.filters'.", parameterName);
            if (!(char.IsLetter(part[0]) || part[0] == '_') || !part.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-'))
                throw new ArgumentException($"Domain '{MessageText.Escape(domain)}' has the segment '{MessageText.Escape(part)}'; each segment starts with a letter or '_' and holds only letters, digits, '_' or '-'.", parameterName);
        }
    }

    /// <summary>True when a backend serving <paramref name="backendDomain"/> serves <paramref name="domain"/>: equal, or <paramref name="domain"/> lies beneath it.</summary>
    public static bool Serves(string backendDomain, string domain) =>
        domain.Length == backendDomain.Length
            ? string.Equals(domain, backendDomain, StringComparison.Ordinal)
            : domain.Length > backendDomain.Length && domain[backendDomain.Length] == '.' && domain.StartsWith(backendDomain, StringComparison.Ordinal);

    /// <summary>The domain and its ancestors, innermost first: "a.b.c", "a.b", "a".</summary>
    public static IEnumerable<string> SelfAndAncestors(string domain)
    {
        for (var d = domain; ; )
        {
            yield return d;
            var dot = d.LastIndexOf('.');
            if (dot < 0) yield break;
            d = d[..dot];
        }
    }
}
