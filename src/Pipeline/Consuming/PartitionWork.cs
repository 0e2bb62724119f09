using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>
/// One assigned partition as the scheduler sees it: its lanes, what it buffers and runs, whether it is leaving, and the
/// cancellation of its records in flight (after the revoke or shutdown timeout). Changed under the scheduler's lock.
/// </summary>
internal sealed class PartitionWork(TopicPartition partition)
{
    private readonly CancellationTokenSource _abandon = new();

    public TopicPartition Partition { get; } = partition;

    /// <summary>The partition's dispatched offsets and watermark: the poll thread's alone (never touched by lanes).</summary>
    public PartitionOffsets Offsets { get; } = new();

    /// <summary>The partition's lane in Partition mode.</summary>
    public Lane? Single { get; set; }

    /// <summary>The partition's lanes by key in Key mode (created on demand, removed when empty).</summary>
    public Dictionary<LaneKey, Lane>? Keyed { get; set; }

    /// <summary>Records dispatched and not finished (waiting, running or queued).</summary>
    public int Buffered { get; set; }

    public long BufferedBytes { get; set; }

    /// <summary>Of <see cref="Buffered"/>, those in lanes that wait for a back-off or stopped: they cannot run now.</summary>
    public int HeldBack { get; set; }

    /// <summary>Records running now (holding a slot).</summary>
    public int Running { get; set; }

    /// <summary>The partition left (or is leaving) the consumer: nothing of it starts again.</summary>
    public bool Revoked { get; private set; }

    /// <summary>The token of the partition's records: cancelled when they must be abandoned.</summary>
    public CancellationToken RecordToken => _abandon.Token;

    /// <summary>Marks the partition gone: nothing of it starts again, and its lanes waiting for a back-off are dropped.</summary>
    public void Revoke() => Revoked = true;

    /// <summary>Cancels the token of the partition's records in flight (callbacks on the thread pool).</summary>
    public void Abandon() => _ = _abandon.CancelAsync();
}
