using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary>
/// A table sized to the console so that no word is broken across lines. Every column is at least as wide as its
/// longest word (a column that does not wrap: its longest line). When that does not fit, the longest words are
/// shortened with an ellipsis, in the columns that matter least first (<c>shrinkFirst</c>), never below a floor; the
/// width left over goes to the columns that can use it. Cell text is terminal-safe already (<see cref="TerminalText"/>).
/// </summary>
internal sealed class FittedTable
{
    private const int Floor = 8;
    private readonly List<Column> _columns = [];
    private readonly List<Cell[]> _rows = [];

    public int Rows => _rows.Count;

    /// <summary>Adds a column; <paramref name="wrap"/> lets its text wrap between words; lower <paramref name="shrinkFirst"/> is shortened earlier.</summary>
    public FittedTable AddColumn(string header, bool wrap = false, int shrinkFirst = 5, Justify align = Justify.Left)
    {
        _columns.Add(new Column(header, wrap, shrinkFirst, align));
        return this;
    }

    public void AddRow(params Cell[] cells) => _rows.Add(cells);

    public void Write(IAnsiConsole console)
    {
        var usable = console.Profile.Width - (_columns.Count + 1) - (2 * _columns.Count);
        var caps = _columns.Select(_ => int.MaxValue).ToArray();
        var mins = _columns.Select((_, i) => MinWidth(i, caps[i])).ToArray();
        while (mins.Sum() > usable
            && Enumerable.Range(0, _columns.Count).Where(i => mins[i] > Floor).OrderBy(i => _columns[i].ShrinkFirst).ThenByDescending(i => mins[i]).FirstOrDefault(-1) is var shrink and >= 0)
        {
            caps[shrink] = mins[shrink] - 1;
            mins[shrink] = MinWidth(shrink, caps[shrink]);
        }

        var widths = Distribute(mins, _columns.Select((_, i) => MaxWidth(i, caps[i])).ToArray(), usable);
        var table = new Table().Border(TableBorder.Rounded);
        for (var i = 0; i < _columns.Count; i++)
        {
            table.AddColumn(new TableColumn(_columns[i].Header) { Width = widths[i], NoWrap = !_columns[i].Wrap, Alignment = _columns[i].Align });
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select((cell, i) => (Spectre.Console.Rendering.IRenderable)new Text(Cap(cell.Text, caps[i]), cell.Style ?? Style.Plain)));
        }

        console.Write(table);
    }

    /// <summary>Each column gets its minimum; what is left goes to the columns that want more, in proportion to how much.</summary>
    private static int[] Distribute(int[] mins, int[] maxes, int usable)
    {
        var widths = (int[])mins.Clone();
        var wanted = maxes.Select((max, i) => Math.Max(0, max - mins[i])).ToArray();
        var spare = Math.Max(0, usable - mins.Sum());
        var total = wanted.Sum();
        for (var i = 0; i < widths.Length && total > 0; i++)
        {
            widths[i] += (int)Math.Min(wanted[i], (long)spare * wanted[i] / total);
        }

        return widths;
    }

    private int MinWidth(int column, int cap) =>
        Math.Max(Units(_columns[column].Header, wrap: true, cap).Max(u => u.Length), _rows.SelectMany(r => Units(r[column].Text, _columns[column].Wrap, cap)).DefaultIfEmpty(string.Empty).Max(u => u.Length));

    private int MaxWidth(int column, int cap) =>
        Math.Max(_columns[column].Header.Length, _rows.SelectMany(r => Cap(r[column].Text, cap).Split('\n')).DefaultIfEmpty(string.Empty).Max(l => l.Length));

    /// <summary>What must stay on one line: the words of a wrapping cell, the lines of another.</summary>
    private static IEnumerable<string> Units(string text, bool wrap, int cap) =>
        Cap(text, cap).Split('\n').SelectMany(line => wrap ? line.Split(' ') : [line]);

    /// <summary>Every word (every line, for lines without spaces) longer than <paramref name="cap"/> is cut with an ellipsis.</summary>
    private static string Cap(string text, int cap) => cap == int.MaxValue
        ? text
        : string.Join('\n', text.Split('\n').Select(line => string.Join(' ', line.Split(' ').Select(word => word.Length <= cap ? word : word[..Math.Max(1, cap - 1)] + "…"))));

    public readonly record struct Cell(string Text, Style? Style = null)
    {
        public static implicit operator Cell(string text) => new(text);
    }

    private sealed record Column(string Header, bool Wrap, int ShrinkFirst, Justify Align);
}
