namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// The offset a replay may commit on one dead-letter partition: just past the last record before which every record
/// is done (acknowledged, refused or passed over). A record still in flight or failed holds the commit back.
/// </summary>
internal sealed class PartitionProgress(long start)
{
    private readonly SortedSet<long> _open = [];
    private long _next = start;

    /// <summary>Where this replay started on the partition.</summary>
    public long Start { get; } = start;

    /// <summary>The offset to commit.</summary>
    public long CommitOffset => _open.Count > 0 ? _open.Min : _next;

    /// <summary>A record is being sent.</summary>
    public void Open(long offset)
    {
        _open.Add(offset);
        _next = Math.Max(_next, offset + 1);
    }

    /// <summary>A record needs nothing more (acknowledged, refused or not selected).</summary>
    public void Done(long offset)
    {
        _open.Remove(offset);
        _next = Math.Max(_next, offset + 1);
    }
}
