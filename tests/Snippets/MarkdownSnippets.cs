using System.Text.RegularExpressions;

namespace KafkaPipeline.Snippets.Tests;

/// <summary>One <c>```csharp</c> block of a Markdown file, with where it starts (for the test name and failures).</summary>
public sealed record Snippet(string File, int Line, string Code)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Finds the repository's README.md, PACKAGE.md (the packages' readme) and docs/**/*.md and the C# blocks in them.</summary>
public static partial class MarkdownSnippets
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyList<Snippet> All() =>
        [.. Files().SelectMany(file => Extract(Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/'), File.ReadAllText(file)))];

    public static IEnumerable<Snippet> Extract(string file, string markdown)
    {
        foreach (Match match in CSharpBlock().Matches(markdown))
        {
            var line = markdown[..match.Index].Count(c => c == '\n') + 2;
            yield return new Snippet(file, line, match.Groups["code"].Value);
        }
    }

    private static IEnumerable<string> Files() =>
        new[] { Path.Combine(RepositoryRoot, "README.md"), Path.Combine(RepositoryRoot, "PACKAGE.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^```csharp[^\n]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
