using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Finds, while the planner reads, where a <see cref="ReplayWindow"/> starts and stops on each partition, then cuts the
/// planned ranges to it. The start is looked for only where the progress group has no committed offset yet.
/// </summary>
internal sealed class WindowCuts(ReplayWindow window, IReadOnlyDictionary<int, long?> committed)
{
    private readonly Dictionary<int, long> _starts = [];
    private readonly Dictionary<int, long> _stops = [];

    /// <summary>True when <paramref name="record"/> lies inside the window; records before its start or from its stop on are not.</summary>
    public bool Admit(DeadLetterRecord record)
    {
        var partition = record.Partition;
        if (_stops.ContainsKey(partition))
        {
            return false;
        }

        if (LooksForStart(partition) && !_starts.ContainsKey(partition))
        {
            if (window.IsBeforeStart(record))
            {
                return false;
            }

            _starts[partition] = record.Offset;
        }

        if (window.IsAtOrAfterEnd(record))
        {
            _stops[partition] = record.Offset;
            return false;
        }

        return true;
    }

    /// <summary>The ranges cut to the window, and per partition without progress the window start to commit before sending.</summary>
    public (List<PartitionRange> Ranges, Dictionary<int, long> StoredStarts) Cut(IEnumerable<PartitionRange> ranges)
    {
        var cut = new List<PartitionRange>();
        var stored = new Dictionary<int, long>();
        foreach (var range in ranges)
        {
            var start = range.Start;
            if (LooksForStart(range.Partition))
            {
                start = _starts.TryGetValue(range.Partition, out var found) ? found : range.End;
                stored[range.Partition] = start;
            }

            var end = _stops.TryGetValue(range.Partition, out var stop) ? stop : range.End;
            cut.Add(range with { Start = start, End = Math.Max(start, end) });
        }

        return (cut, stored);
    }

    private bool LooksForStart(int partition) => window.Start is not null && committed.GetValueOrDefault(partition) is null;
}
