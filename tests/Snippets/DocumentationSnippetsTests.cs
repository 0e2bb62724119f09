namespace KafkaPipeline.Snippets.Tests;

/// <summary>Every C# block in README.md and docs/ compiles against the library as a reader would use it.</summary>
public sealed class DocumentationSnippetsTests
{
    public static TheoryData<Snippet> Snippets() => [.. MarkdownSnippets.All()];

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_AsWritten_Compiles(Snippet snippet)
    {
        var errors = SnippetCompiler.Errors(snippet.Code);

        Assert.True(errors.Count == 0, $"{snippet} does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{Environment.NewLine}{snippet.Code}");
    }

    [Fact]
    public void All_ReadmeAndDocs_HaveSnippetsToCheck()
    {
        var snippets = MarkdownSnippets.All();

        Assert.Contains(snippets, s => s.File == "README.md");
        Assert.True(snippets.Count >= 10, $"only {snippets.Count} snippets found");
    }

    [Fact]
    public void Errors_SnippetUsingAMissingType_Reported()
    {
        var errors = SnippetCompiler.Errors("builder.Services.AddKafkaPipeline().ConfigurePipeline(p => p.UseMiddleware<TracingMiddleware>());");

        Assert.Contains(errors, e => e.Contains("TracingMiddleware", StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_SnippetWithoutTheLibrarysUsing_Reported()
    {
        var errors = SnippetCompiler.Errors("var backOff = new FixedBackOff(TimeSpan.Zero, 3);");

        Assert.Contains(errors, e => e.Contains("FixedBackOff", StringComparison.Ordinal));
    }

    [Fact]
    public void Extract_FencedBlocks_OnlyCSharpWithTheirLine()
    {
        var snippets = MarkdownSnippets.Extract("x.md", "# T\n\n```sh\nls\n```\n\n```csharp\nvar a = 1;\n```\n").ToList();

        var snippet = Assert.Single(snippets);
        Assert.Equal((8, "var a = 1;\n"), (snippet.Line, snippet.Code));
    }
}
