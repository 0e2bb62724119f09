using System.CommandLine;
using KafkaPipeline.Cli.Output;
using KafkaPipeline.DeadLetters.Listing;
using Spectre.Console;

namespace KafkaPipeline.Cli.Commands;

/// <summary><c>kafka-dlt list</c>: the dead-letter topics with counts, age and top exception types.</summary>
internal static class ListCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var suffix = new Option<string[]>("--suffix", "-s")
        {
            Description = "Dead-letter topics end with this; repeat it or separate with commas for several schemes (e.g. -s -dlt -s .DLT).",
            DefaultValueFactory = _ => ["-dlt"],
        };
        var scanLimit = new Option<int>("--scan-limit") { Description = "Most records read per topic (the newest) to count exception types; 0 for counts only.", DefaultValueFactory = _ => 10_000 };
        var top = new Option<int>("--top") { Description = "How many exception types to show per topic.", DefaultValueFactory = _ => 3 };
        var json = JsonOption.Create("one object per topic");
        var deadLettersOnly = new Option<bool>("--dead-letters-only") { Description = "Leave out retry topics (-retry, -retry-<n>): list dead-letter topics only." };
        scanLimit.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--scan-limit must be 0 or more."); } });
        top.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--top must be 0 or more."); } });
        suffix.Validators.Add(r => { if (Split(r.GetValueOrDefault<string[]>()).Count == 0) { r.AddError("--suffix must not be empty."); } });

        var command = new Command("list", "List dead-letter topics: records per partition, oldest/newest, top exception types.") { suffix, scanLimit, top, json, deadLettersOnly };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, cancellationToken, async (client, _) =>
        {
            var options = new DeadLetterListOptions
            {
                Suffixes = Split(parse.GetValue(suffix)),
                ScanLimit = parse.GetValue(scanLimit),
                TopExceptions = parse.GetValue(top),
                RetryTopics = !parse.GetValue(deadLettersOnly),
            };
            var topics = await client.ListTopicsAsync(options, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                foreach (var topic in topics)
                {
                    runtime.Console.Stdout.WriteLine(RecordJson.Line(RecordJson.Topic(topic)));
                }

                return ExitCodes.Success;
            }

            Write(runtime.Console.Out, topics, options);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    private static void Write(IAnsiConsole console, IReadOnlyList<DeadLetterTopicSummary> topics, DeadLetterListOptions options)
    {
        if (topics.Count == 0)
        {
            console.MarkupLine($"No dead-letter topics (names ending with {TerminalText.Markup(string.Join(" or ", options.Suffixes.Select(s => $"'{s}'")))}). Use --suffix for other naming schemes (e.g. -s -dlt -s .DLT).");
            return;
        }

        var table = new FittedTable()
            .AddColumn("Topic", shrinkFirst: 3).AddColumn("Records", shrinkFirst: 9, align: Justify.Right).AddColumn("Per partition", wrap: true, shrinkFirst: 2)
            .AddColumn("Oldest (UTC)", wrap: true, shrinkFirst: 9).AddColumn("Newest (UTC)", wrap: true, shrinkFirst: 9).AddColumn("Top exception types", shrinkFirst: 4);
        foreach (var topic in topics)
        {
            var partitions = string.Join(" ", topic.Partitions.Select(p => $"{p.Partition}:{(p.Records is { } records ? TextFormat.Count(records) : "≤" + TextFormat.Count(p.OffsetSpan))}"));
            var exceptions = topic.TopExceptions.Count == 0
                ? "-"
                : string.Join("\n", topic.TopExceptions.Select(e => $"{TerminalText.Line(TextFormat.ShortType(e.Name))} ×{e.Count}"));
            if (topic.IsSampled && topic.Scanned > 0)
            {
                exceptions += $"\n(of the newest {TextFormat.Count(topic.Scanned)})";
            }

            if (topic.FirstDue is { } firstDue)
            {
                exceptions += $"\ndue {TextFormat.Time(firstDue)} … {TextFormat.Time(topic.LastDue)}, attempts ≤ {topic.MaxAttempts}";
            }

            table.AddRow(TerminalText.Line(topic.Topic) + (topic.IsRetryTopic ? "\n(retry topic)" : string.Empty), (topic.IsExact ? string.Empty : "≤") + TextFormat.Count(topic.Count), partitions,
                TextFormat.Time(topic.Oldest), TextFormat.Time(topic.Newest), exceptions);
        }

        table.Write(console);
        if (topics.Any(t => !t.IsExact))
        {
            console.MarkupLine("[grey]≤N: an offset span, for partitions not read in full; transaction markers take offsets too, so it can exceed the records. A larger --scan-limit reads them in full.[/]");
        }
    }
}
