using KafkaPipeline.Cli.Output;
using Spectre.Console;

namespace KafkaPipeline.Cli;

/// <summary>
/// Where kafka-dlt reads and writes: people's output (tables, progress) through Spectre consoles that drop colours and
/// animation when redirected, machine output (<c>--json</c>) as plain lines on stdout, and the environment. Tests
/// create one over string writers.
/// </summary>
public sealed class CliConsole
{
    public required IAnsiConsole Out { get; init; }

    /// <summary>Messages, warnings and errors (stderr), so stdout stays clean for data.</summary>
    public required IAnsiConsole Error { get; init; }

    /// <summary>Raw stdout for JSON lines and help.</summary>
    public required TextWriter Stdout { get; init; }

    /// <summary>Raw stderr.</summary>
    public required TextWriter Stderr { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public Func<IEnumerable<string>> EnvironmentNames { get; init; } = static () => System.Environment.GetEnvironmentVariables().Keys.Cast<string>();

    /// <summary>True when someone can answer a prompt (stdin is a terminal; the prompt also needs an interactive output console).</summary>
    public bool CanPrompt { get; init; }

    public static CliConsole FromSystem()
    {
        var noColor = !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"));
        static IAnsiConsole Create(TextWriter writer, bool redirected, bool noColor, int width)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected || noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
                Out = new AnsiConsoleOutput(writer),
            });
            if (redirected)
            {
                console.Profile.Width = width; // no terminal to fit: do not wrap rows and messages at 80 columns
            }

            return console;
        }

        var output = Create(Console.Out, Console.IsOutputRedirected, noColor, width: 200);
        var error = Create(Console.Error, Console.IsErrorRedirected, noColor, width: 2000);
        return new CliConsole
        {
            Out = output,
            Error = error,
            Stdout = Console.Out,
            Stderr = Console.Error,
            CanPrompt = !Console.IsInputRedirected,
        };
    }

    /// <summary>A console without colours, animation or prompts, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public static CliConsole Plain(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string>? environment = null)
    {
        static IAnsiConsole Create(TextWriter writer)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(writer),
            });
            console.Profile.Width = 240;
            return console;
        }

        return new CliConsole
        {
            Out = Create(stdout),
            Error = Create(stderr),
            Stdout = stdout,
            Stderr = stderr,
            Environment = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            EnvironmentNames = () => environment?.Keys ?? [],
            CanPrompt = false,
        };
    }

    // Messages may quote record data (e.g. a topic name from a header): escaped like every other output for people.
    public void WriteError(string message) => Error.MarkupLine($"[red]error:[/] {TerminalText.MarkupBlock(message)}");

    public void WriteWarning(string message) => Error.MarkupLine($"[yellow]warning:[/] {TerminalText.MarkupBlock(message)}");

    public void WriteInfo(string message) => Error.MarkupLine($"[grey]{TerminalText.MarkupBlock(message)}[/]");
}
