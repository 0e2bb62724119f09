namespace KafkaPipeline.Health;

/// <summary>Progress per partition and broker reachability, for health, stall detection and the lag gauge.</summary>
public sealed partial class KafkaConsumerStatus
{
    private IReadOnlyList<PartitionProgress> _progress = [];
    private int _paused;
    private long _unreachableSinceTicks = long.MinValue;

    /// <summary>
    /// Progress of each assigned partition (commit position, lag, when the position last moved, stalled or not), refreshed
    /// by the poll thread about once a second.
    /// </summary>
    public IReadOnlyList<PartitionProgress> Partitions => Volatile.Read(ref _progress);

    /// <summary>Partitions the consumer paused (back-pressure or a stopped lane).</summary>
    public int PausedPartitionCount => Volatile.Read(ref _paused);

    /// <summary>
    /// Since when no broker is reachable (the client reported all brokers down, or its statistics show none up); null while
    /// a broker is reachable or nothing is known yet.
    /// </summary>
    public DateTimeOffset? BrokersUnreachableSince
    {
        get
        {
            var ticks = Interlocked.Read(ref _unreachableSinceTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    internal void SetProgress(IReadOnlyList<PartitionProgress> progress) => Volatile.Write(ref _progress, progress);

    internal void SetPaused(int paused) => Volatile.Write(ref _paused, paused);

    /// <summary>Marks the brokers unreachable from <paramref name="since"/> (kept when already unreachable).</summary>
    internal void MarkUnreachable(DateTimeOffset since) =>
        Interlocked.CompareExchange(ref _unreachableSinceTicks, since.UtcTicks, long.MinValue);

    internal void MarkReachable()
    {
        if (Interlocked.Read(ref _unreachableSinceTicks) != long.MinValue)
        {
            Interlocked.Exchange(ref _unreachableSinceTicks, long.MinValue);
        }
    }
}
