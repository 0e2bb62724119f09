using KafkaPipeline.DeadLetters.Reading;
using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary>The <c>inspect</c> table: one row per dead letter.</summary>
internal sealed class RecordTable
{
    private readonly Table _table = new Table()
        .Border(TableBorder.Rounded)
        .AddColumn("DLT p@offset")
        .AddColumn("Original (topic/p@offset)")
        .AddColumn("Key")
        .AddColumn("Exception")
        .AddColumn("Message")
        .AddColumn("Failed at (UTC)")
        .AddColumn("Group")
        .AddColumn(new TableColumn("Replays").RightAligned());

    public int Rows { get; private set; }

    public void Add(DeadLetterRecord record)
    {
        var info = record.DeadLetter;
        var original = info is null
            ? "[yellow](no dead-letter headers)[/]"
            : TerminalText.Markup($"{info.OriginalTopic}/{Number(info.OriginalPartition)}@{Number(info.OriginalOffset)}");
        var key = record.Key is null ? "-" : record.KeyText is { } text ? TextFormat.Shorten(text, 24) : "(binary)";
        _table.AddRow(
            $"{record.Partition}@{record.Offset}",
            original,
            TerminalText.Markup(key),
            TerminalText.Markup(TextFormat.ShortType(record.FailureType)),
            TerminalText.Markup(TextFormat.Shorten(info?.ExceptionMessage, 60)),
            TextFormat.Time(record.Timestamp),
            TerminalText.Markup(info?.OriginalConsumerGroup ?? "-"),
            record.ReplayCount == 0 ? "0" : $"[yellow]{Markup.Escape(TextFormat.Replays(record.ReplayCount))}[/]");
        Rows++;
    }

    public void Write(IAnsiConsole console) => console.Write(_table);

    private static string Number<T>(T? value)
        where T : struct => value?.ToString() ?? "?";
}
