using System.Text.RegularExpressions;

namespace Scoped.Tests.Docs;

/// <summary>
/// Every C# snippet of the guides is code that runs in a test: a block under <c>&lt;!-- snippet: NAME --&gt;</c> in a
/// doc must be the text of <c>#region snippet:NAME</c> in the test file named for that doc, so the guide cannot drift
/// from code that compiles and passes.
/// </summary>
[TestClass]
public sealed partial class SnippetSyncTests
{
    [TestMethod]
    [DataRow("docs/user-guide.md", "Scoped.Tests/Docs/UserGuideSnippets.cs")]
    public void EverySnippetInTheGuideIsTheTestedCode(string docPath, string codePath)
    {
        var root = CoverageDocTests.RepositoryRoot();
        var regions = Regions(File.ReadAllText(Path.Combine(root, codePath)));
        var snippets = Snippets(File.ReadAllText(Path.Combine(root, docPath)));

        Assert.IsTrue(snippets.Count > 0, $"{docPath} has no <!-- snippet: NAME --> blocks.");
        foreach (var (name, text) in snippets)
        {
            Assert.IsTrue(regions.TryGetValue(name, out var code), $"{docPath} shows snippet '{name}', which {codePath} does not have.");
            Assert.AreEqual(code, text, $"Snippet '{name}' in {docPath} differs from #region snippet:{name} in {codePath}; paste the region's text.");
        }
        var unused = regions.Keys.Except(snippets.Select(s => s.Name)).ToList();
        Assert.AreEqual(0, unused.Count, $"{codePath} has regions the guide does not show: {string.Join(", ", unused)}");
    }

    /// <summary>#region snippet:NAME ... #endregion, dedented by the region line's indentation.</summary>
    private static Dictionary<string, string> Regions(string code)
    {
        var result = new Dictionary<string, string>();
        foreach (Match m in RegionPattern().Matches(code.ReplaceLineEndings("\n")))
        {
            int indent = m.Groups["indent"].Value.Length;
            var lines = m.Groups["body"].Value.TrimEnd('\n').Split('\n')
                .Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart());
            result.Add(m.Groups["name"].Value, string.Join("\n", lines).TrimEnd());
        }
        return result;
    }

    /// <summary>Each <c>&lt;!-- snippet: NAME --&gt;</c> followed by a ```csharp block.</summary>
    private static List<(string Name, string Text)> Snippets(string doc) =>
        [.. SnippetPattern().Matches(doc.ReplaceLineEndings("\n")).Select(m => (m.Groups["name"].Value, m.Groups["body"].Value.TrimEnd()))];

    [GeneratedRegex(@"^(?<indent>[ \t]*)#region snippet:(?<name>[\w-]+)[ \t]*\n(?<body>.*?)^[ \t]*#endregion", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+) -->\s*\n```csharp\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SnippetPattern();
}
