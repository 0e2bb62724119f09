using KafkaPipeline.DeadLetters.Reading;
using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary>
/// The <c>inspect</c> table: one row per dead letter, fitted to the console (<see cref="FittedTable"/>): only the
/// message and the time wrap, between words; when space runs short the message's long words are shortened first and
/// the exception type last.
/// </summary>
internal sealed class RecordTable
{
    private static readonly string[] DeadLetterSuffixes = ["-dlt", ".DLT", ".dlt", "-DLT", "_dlt", "_DLT", ".DLQ", "-dlq"];

    private readonly FittedTable _table = new FittedTable()
        .AddColumn("DLT p@offset", shrinkFirst: 9)
        .AddColumn("Original", shrinkFirst: 2)
        .AddColumn("Key", shrinkFirst: 3)
        .AddColumn("Exception", shrinkFirst: 8)
        .AddColumn("Message", wrap: true, shrinkFirst: 1)
        .AddColumn("Failed at (UTC)", wrap: true, shrinkFirst: 9)
        .AddColumn("Group", shrinkFirst: 4)
        .AddColumn("Replays", shrinkFirst: 9, align: Justify.Right);

    public int Rows => _table.Rows;

    public void Add(DeadLetterRecord record)
    {
        var info = record.DeadLetter;
        FittedTable.Cell original = info is null
            ? new FittedTable.Cell("(no dead-letter headers)", new Style(Color.Yellow))
            : TerminalText.Line($"{OriginalTopic(record.Topic, info.OriginalTopic)}{Number(info.OriginalPartition)}@{Number(info.OriginalOffset)}");
        var key = record.Key is null ? "-" : record.KeyText is { } text ? TextFormat.Shorten(text, 24) : "(binary)";
        _table.AddRow(
            $"{record.Partition}@{record.Offset}",
            original,
            TerminalText.Line(key),
            TerminalText.Line(TextFormat.ShortType(record.FailureType)),
            TerminalText.Line(TextFormat.Shorten(info?.ExceptionMessage, 80)),
            TextFormat.Time(record.Timestamp),
            TerminalText.Line(info?.OriginalConsumerGroup ?? "-"),
            record.ReplayCount == 0 ? "0" : new FittedTable.Cell(TextFormat.Replays(record.ReplayCount), new Style(Color.Yellow)));
    }

    public void Write(IAnsiConsole console) => _table.Write(console);

    /// <summary>The original topic followed by '/', or nothing when it is the dead-letter topic's name without its suffix (the usual case).</summary>
    private static string OriginalTopic(string deadLetterTopic, string originalTopic) =>
        DeadLetterSuffixes.Any(s => deadLetterTopic.Length == originalTopic.Length + s.Length
            && deadLetterTopic.EndsWith(s, StringComparison.Ordinal) && deadLetterTopic.StartsWith(originalTopic, StringComparison.Ordinal))
            ? string.Empty
            : originalTopic + "/";

    private static string Number<T>(T? value)
        where T : struct => value?.ToString() ?? "?";
}
