using KafkaPipeline.DeadLetters.Replay;
using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary>Lists what a dry run would send: a table for people, audit-shaped JSON lines for scripts.</summary>
internal sealed class DryRunView(CliConsole console, bool json) : IReplayObserver
{
    private const int MaxRows = 500;

    private readonly Table _table = new Table().Border(TableBorder.Rounded)
        .AddColumn("DLT p@offset").AddColumn("Would go to").AddColumn("Exception").AddColumn(new TableColumn("Replays").RightAligned()).AddColumn("Note");

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
            ? "[yellow]refused[/]"
            : TerminalText.Markup($"{entry.TargetTopic}/{entry.TargetPartition?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(by key)"}");
        _table.AddRow($"{entry.SourcePartition}@{entry.SourceOffset}", target, TerminalText.Markup(TextFormat.ShortType(entry.ExceptionType)),
            Markup.Escape(TextFormat.Replays(entry.ReplayCount)), TerminalText.Markup(entry.Reason ?? string.Empty));
    }

    public void Flush()
    {
        if (json || _rows == 0)
        {
            return;
        }

        console.Out.Write(_table);
        if (_more > 0)
        {
            console.Out.MarkupLine($"… and {_more} more (--json lists every record).");
        }
    }
}
