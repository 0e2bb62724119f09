using System.CommandLine;

namespace KafkaPipeline.Cli.Commands;

/// <summary>The <c>--json</c> switch of each command.</summary>
internal static class JsonOption
{
    public static Option<bool> Create(string what) => new("--json") { Description = $"Print {what} as JSON lines on stdout (for scripts); messages go to stderr." };
}
