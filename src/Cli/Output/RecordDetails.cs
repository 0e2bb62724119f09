using KafkaPipeline.DeadLetters.Preview;
using KafkaPipeline.DeadLetters.Reading;
using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary><c>inspect --show</c>: one dead letter in full, headers decoded and a payload preview.</summary>
internal static class RecordDetails
{
    private const int StackTraceLines = 30;

    public static void Write(IAnsiConsole console, DeadLetterRecord record, PayloadPreview keyPreview, PayloadPreview valuePreview)
    {
        var info = record.DeadLetter;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string? value) => grid.AddRow($"[bold]{name}[/]", TerminalText.Markup(value ?? "-"));
        Row("Dead letter", record.Coordinates);
        Row("Failed at", TextFormat.Time(record.Timestamp));
        Row("Replayed before", record.ReplayCountMalformed
            ? $"? (malformed {DeadLetters.Replay.ReplayHeaders.Count} header: counts as replayed; replay refuses it unless --force)"
            : TextFormat.Replays(record.ReplayCount));
        if (info is null)
        {
            grid.AddRow("[bold]Original[/]", "[yellow]no dead-letter headers: replay needs --to <topic>[/]");
        }
        else
        {
            Row("Original", $"{info.OriginalTopic}/{info.OriginalPartition?.ToString() ?? "?"}@{info.OriginalOffset?.ToString() ?? "?"}");
            Row("Original time", $"{TextFormat.Time(record.OriginalTimestamp)} ({info.OriginalTimestampType?.ToString() ?? "?"})");
            Row("Consumer group", info.OriginalConsumerGroup);
            Row("Exception", info.ExceptionType);
            Row("Cause", info.ExceptionCauseType);
            Row("Message", info.ExceptionMessage);
            if (info.KeyExceptionType is not null)
            {
                Row("Key exception", $"{info.KeyExceptionType}: {info.KeyExceptionMessage}");
            }
        }

        if (record.Retry is { } retry)
        {
            Row("Attempts", $"{retry.Attempts} (retry_topic-attempts: deliveries so far, the first included)");
            Row("Due", retry.Due is { } due ? $"{TextFormat.Time(due)} ({(due > DateTimeOffset.UtcNow ? "in " + (due - DateTimeOffset.UtcNow).ToString(@"d\.hh\:mm\:ss") : "due")})" : "-");
        }

        console.Write(new Panel(grid).Header("Dead letter"));
        if (info?.ExceptionStackTrace is { } trace)
        {
            var lines = trace.ReplaceLineEndings("\n").Split('\n');
            var shown = string.Join('\n', lines.Take(StackTraceLines)) + (lines.Length > StackTraceLines ? $"\n… {lines.Length - StackTraceLines} more lines (--json prints all)" : string.Empty);
            console.Write(new Panel(new Text(TerminalText.Block(shown))).Header("Stack trace"));
        }

        console.MarkupLine($"[bold]Headers[/] [grey]({record.Headers.Count})[/]");
        var headers = new FittedTable().AddColumn("Header", shrinkFirst: 5).AddColumn("Value (decoded)", wrap: true, shrinkFirst: 1);
        foreach (var header in record.Headers)
        {
            var decoded = DecodedHeader.Decode(header);
            headers.AddRow(TerminalText.Line(decoded.Name), TerminalText.Line(TextFormat.Shorten(decoded.Value, 160)));
        }

        headers.Write(console);
        WritePayload(console, "Key", keyPreview);
        WritePayload(console, "Value", valuePreview);
    }

    private static void WritePayload(IAnsiConsole console, string title, PayloadPreview preview)
    {
        console.MarkupLine($"[bold]{title}[/] [grey]({Markup.Escape(Describe(preview))})[/]");
        foreach (var line in TerminalText.Block(preview.Text).Split('\n'))
        {
            console.WriteLine("  " + line);
        }

        console.WriteLine();
    }

    private static string Describe(PayloadPreview preview) =>
        $"{preview.Format.ToString().ToLowerInvariant()}, {preview.Length} bytes{(preview.Truncated ? ", truncated: raise --max-bytes" : string.Empty)}";
}
