using System.CommandLine;
using KafkaPipeline.Cli.Demo;
using KafkaPipeline.Cli.Output;
using KafkaPipeline.DeadLetters;
using KafkaPipeline.DeadLetters.Connection;
using Spectre.Console;

namespace KafkaPipeline.Cli.Commands;

/// <summary>
/// <c>kafka-dlt demo</c>: a guided tour on the embedded cluster. A real pipeline fails on some orders, the dead-letter
/// topic fills, and the tour runs list, inspect, a dry run, "deploys a fix" and replays, printing each command first.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CommandRuntime runtime, Func<string[], CancellationToken, Task<int>> run)
    {
        var keepRunning = new Option<bool>("--keep-running") { Description = "After the tour, keep the cluster and pipeline running (Ctrl+C stops) so you can try commands yourself." };
        var command = new Command("demo", "Guided tour on an embedded Kafka cluster: a pipeline fails, its DLT fills, then list, inspect and replay.") { keepRunning };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = runtime.Console;
            await using var demo = await DemoEnvironment.StartAsync(console, cancellationToken).ConfigureAwait(false);

            // The tour's audit trail is a temporary file, removed when the demo ends (also on Ctrl+C or a failed step).
            var audit = Path.Combine(Path.GetTempPath(), $"kafka-dlt-demo-audit-{Guid.NewGuid():N}.jsonl");
            try
            {
                return await TourAsync(console, demo, audit, parse.GetValue(keepRunning), run, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(audit);
            }
        });
        return command;
    }

    private static async Task<int> TourAsync(
        CliConsole console, DemoEnvironment demo, string audit, bool keepRunning, Func<string[], CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var b = demo.BootstrapServers;
        var failures = 0;
        async Task Step(string title, int expected, params string[] args)
        {
            console.Out.WriteLine();
            console.Out.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
            console.Out.MarkupLine($"[grey]$ kafka-dlt {Markup.Escape(string.Join(' ', args.Select(Quote)))}[/]");
            var code = await run([.. args, "-b", b], cancellationToken).ConfigureAwait(false);
            if (code != expected)
            {
                failures++;
                console.WriteError($"step '{title}' exited with {code} (expected {expected}).");
            }
        }

        await Step("1. Which dead-letter topics exist, how full, since when, and why?", 0, "list");
        await Step("2. What exactly failed?", 0, "inspect", DemoEnvironment.DeadLetterTopic);
        var first = await FirstAsync(new DeadLetterClient(new KafkaConnectionSettings { BootstrapServers = b }), cancellationToken).ConfigureAwait(false);
        await Step("3. One record in full: headers decoded, payload pretty-printed.", 0, "inspect", DemoEnvironment.DeadLetterTopic, "--show", first);
        await Step("4. Only the business-rule failures.", 0, "inspect", DemoEnvironment.DeadLetterTopic, "--exception", "InvalidOrder");
        await Step("5. What would a replay send? (nothing is sent)", 0, "replay", DemoEnvironment.DeadLetterTopic, "--dry-run");
        demo.DeployFix();
        console.Out.WriteLine();
        console.Out.MarkupLine("[bold]6. The fix is deployed:[/] the billing handler now accepts refunds and the other currency.");
        await Step("7. Replay everything (progress is committed in group kafka-dlt-replay after acks=all).", 0,
            "replay", DemoEnvironment.DeadLetterTopic, "--yes", "--audit", audit);
        await demo.WaitUntilCaughtUpAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        console.Out.MarkupLine($"The pipeline processed [green]{demo.Billing.ProcessedAfterReplay}[/] replayed order(s); the 2 malformed records failed again and are back in the DLT with replay count 1.");
        await Step("8. A rerun sends nothing twice: only the records that failed again are new.", 0, "replay", DemoEnvironment.DeadLetterTopic, "--dry-run");
        console.Out.WriteLine();
        var lines = File.Exists(audit) ? await File.ReadAllLinesAsync(audit, cancellationToken).ConfigureAwait(false) : [];
        console.Out.MarkupLine($"Audit trail of step 7: {lines.Length} line(s), one per replayed record (a real replay appends them to kafka-dlt-audit.jsonl or --audit FILE), e.g.:");
        console.Out.WriteLine(TerminalText.Line(lines.FirstOrDefault() ?? "-"));
        if (keepRunning)
        {
            console.Out.MarkupLine($"The audit file stays until the demo stops: {TerminalText.Markup(audit)}");
            console.Out.MarkupLine($"The cluster keeps running. In another terminal: [bold]kafka-dlt -b {Markup.Escape(b)} list[/]. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Success;
            }
        }

        return failures == 0 ? ExitCodes.Success : ExitCodes.UnexpectedError;
    }

    private static async Task<string> FirstAsync(DeadLetterClient client, CancellationToken cancellationToken)
    {
        await foreach (var record in client.ReadAsync(DemoEnvironment.DeadLetterTopic, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return $"{record.Partition}@{record.Offset}";
        }

        return "0@0";
    }

    private static string Quote(string arg) => arg.Contains(' ', StringComparison.Ordinal) ? $"\"{arg}\"" : arg;
}
