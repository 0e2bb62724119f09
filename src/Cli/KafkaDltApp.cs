using System.CommandLine;
using KafkaPipeline.Cli.Commands;
using KafkaPipeline.Cli.Options;

namespace KafkaPipeline.Cli;

/// <summary>The <c>kafka-dlt</c> command line: parses, runs the command, returns an exit code from <see cref="ExitCodes"/>.</summary>
public static class KafkaDltApp
{
    /// <summary>Runs kafka-dlt with <paramref name="args"/>; never throws for the operator's mistakes, it reports them and returns their exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default) =>
        RunAsync(args, console, TimeProvider.System, cancellationToken);

    internal static async Task<int> RunAsync(string[] args, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = CreateRoot(console, time);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.WriteError(error.Message);
            }

            console.WriteInfo($"Run 'kafka-dlt {string.Join(' ', CommandPath(parse))} --help' for usage.");
            return ExitCodes.Usage;
        }

        if (parse.Action is System.CommandLine.Help.HelpAction)
        {
            // Help names the executable (KafkaPipeline.Cli); people type the tool command.
            using var help = new StringWriter();
            var code = await parse.InvokeAsync(new InvocationConfiguration { Output = help }, cancellationToken).ConfigureAwait(false);
            await console.Stdout.WriteAsync(help.ToString().Replace(RootCommand.ExecutableName + " ", "kafka-dlt ", StringComparison.Ordinal)).ConfigureAwait(false);
            return code;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Stdout,
            Error = console.Stderr,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C cancels the command's token; a replay then waits for records in flight and commits (up to the delivery timeout).
            ProcessTerminationTimeout = TimeSpan.FromSeconds(45),
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteWarning("Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.WriteError($"Unexpected {e.GetType().Name}: {e.Message}");
            console.Stderr.WriteLine(Output.TerminalText.Block(e.ToString()));
            return ExitCodes.UnexpectedError;
        }
    }

    internal static RootCommand CreateRoot(CliConsole console, TimeProvider time)
    {
        var connection = new ConnectionOptions();
        var runtime = new CommandRuntime(console, connection, time);
        var root = new RootCommand(
            "kafka-dlt: list, inspect, filter and safely replay Kafka dead-letter topics (KafkaPipeline and Spring kafka_dlt-* headers). "
            + "Exit codes: 0 ok, 1 unexpected, 2 usage, 3 not found, 4 connection, 5 replay failed (rerun continues), "
            + "6 records refused by the loop guard, 7 --to needed, 8 declined, 130 interrupted.");
        connection.AddTo(root);
        root.Subcommands.Add(ListCommand.Create(runtime));
        root.Subcommands.Add(InspectCommand.Create(runtime));
        root.Subcommands.Add(ReplayCommand.Create(runtime));
        root.Subcommands.Add(ConfigCommand.Create(runtime));
        root.Subcommands.Add(DemoCommand.Create(runtime, (args, token) => RunAsync(args, console, time, token)));
        return root;
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        return names;
    }
}
