using Confluent.Kafka;

namespace KafkaPipeline.Health;

/// <summary>
/// Where one assigned partition stands. <see cref="Position"/> is the offset the consumer commits: every record below it
/// was handled, skipped as a duplicate or recovered (-1 before the first). <see cref="Lag"/> is the number of records
/// between the group's committed offset and the partition's high watermark, from the client's statistics, else from its
/// cached high watermark and <see cref="Position"/> (-1 when unknown). A partition is <see cref="Stalled"/> when it has work (lag above zero, or records fetched and not done) and
/// its position has not moved for <c>Health:StallTimeout</c>.
/// </summary>
/// <param name="Partition">The topic and partition.</param>
/// <param name="Position">The offset the consumer commits; -1 before the first record is done.</param>
/// <param name="Lag">Records between the committed offset and the high watermark; -1 when unknown.</param>
/// <param name="Pending">Records fetched and not done (running, waiting for a back-off or queued).</param>
/// <param name="PositionSince">When <paramref name="Position"/> last moved (or the partition was assigned).</param>
/// <param name="Stalled">Work waiting and no progress for <c>Health:StallTimeout</c>.</param>
public sealed record PartitionProgress(
    TopicPartition Partition,
    long Position,
    long Lag,
    int Pending,
    DateTimeOffset PositionSince,
    bool Stalled)
{
    /// <summary>The coordinates and progress, as health reports them.</summary>
    public override string ToString() =>
        $"{Partition.Topic} [{Partition.Partition.Value}] at offset {Position} (lag {Lag}, {Pending} fetched and not done, no progress since {PositionSince:O})";
}
