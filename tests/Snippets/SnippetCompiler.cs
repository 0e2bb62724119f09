using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaPipeline.Snippets.Tests;

/// <summary>
/// Compiles one snippet as the Program.cs of a new <c>dotnet new worker</c> application that references the
/// KafkaPipeline packages: that template's implicit usings only (so the snippet must name the library's namespaces
/// itself), top-level statements allowed, and <c>builder</c> (a <c>HostApplicationBuilder</c>) declared when the snippet
/// uses it without declaring it. <see cref="Stubs"/> stands for the reader's own types (messages, services).
/// </summary>
public static class SnippetCompiler
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>The compiler's errors for <paramref name="code"/>; empty when it compiles.</summary>
    public static IReadOnlyList<string> Errors(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var program = CSharpSyntaxTree.ParseText(WithBuilder(code, parse), parse, "Program.cs");

        // Only declarations (a handler class, say): a file of a library or application, not its Program.cs.
        var statements = program.GetRoot().ChildNodes().Any(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "Usings.cs"), CSharpSyntaxTree.ParseText(Stubs.Code, parse, "Stubs.cs"), program],
            References.Value,
            new CSharpCompilationOptions(
                statements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Location.GetLineSpan().Path}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.Id} {d.GetMessage()}")];
    }

    /// <summary>Declares <c>builder</c> after the snippet's using lines when it uses one without declaring it.</summary>
    private static string WithBuilder(string code, CSharpParseOptions parse)
    {
        if (!code.Contains("builder.", StringComparison.Ordinal) || code.Contains("var builder", StringComparison.Ordinal))
        {
            return code;
        }

        var root = (Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, parse).GetRoot();
        var at = root.Usings.Count == 0 ? 0 : root.Usings[^1].FullSpan.End;
        return code[..at] + "var builder = Host.CreateApplicationBuilder(args);\n" + code[at..];
    }

    private static MetadataReference[] LoadReferences()
    {
        // The platform and every package the test application has (the trusted platform assemblies), plus the output folder.
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        return [.. platform.Concat(local)
            .Where(IsManaged)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => MetadataReference.CreateFromFile(g.First()))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return !Path.GetFileName(path).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
                && !Path.GetFileName(path).StartsWith("xunit", StringComparison.Ordinal);
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
