using KafkaPipeline.DeadLetters.Replay;
using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary>Lists what a dry run would send: a table for people, audit-shaped JSON lines for scripts.</summary>
internal sealed class DryRunView(CliConsole console, bool json) : IReplayObserver
{
    private const int MaxRows = 500;

    private readonly FittedTable _table = new FittedTable()
        .AddColumn("DLT p@offset", shrinkFirst: 9).AddColumn("Would go to", shrinkFirst: 3).AddColumn("Exception", shrinkFirst: 8)
        .AddColumn("Replays", shrinkFirst: 9, align: Justify.Right).AddColumn("Note", wrap: true, shrinkFirst: 1);

    private int _rows;
    private int _more;

    public void OnRecord(ReplayAuditEntry entry)
    {
        if (json)
        {
            console.Stdout.WriteLine(RecordJson.Line(RecordJson.Audit(entry)));
            return;
        }

        if (_rows >= MaxRows)
        {
            _more++;
            return;
        }

        _rows++;
        var target = entry.Outcome == ReplayOutcome.Refused
            ? new FittedTable.Cell("refused", new Style(Color.Yellow))
            : TerminalText.Line($"{entry.TargetTopic}/{entry.TargetPartition?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(by key)"}");
        _table.AddRow($"{entry.SourcePartition}@{entry.SourceOffset}", target, TerminalText.Line(TextFormat.ShortType(entry.ExceptionType)),
            TextFormat.Replays(entry.ReplayCount), TerminalText.Line(entry.Reason ?? string.Empty));
    }

    public void Flush()
    {
        if (json || _rows == 0)
        {
            return;
        }

        _table.Write(console.Out);
        if (_more > 0)
        {
            console.Out.MarkupLine($"… and {_more} more (--json lists every record).");
        }
    }
}
