using Confluent.Kafka;

namespace KafkaPipeline.Health;

/// <summary>
/// Where one assigned partition stands. <see cref="Position"/> is the offset the consumer commits: every record below it
/// was handled, skipped as a duplicate or recovered (-1 before the first). <see cref="Lag"/> is the number of records
/// between the group's committed offset and the partition's high watermark, from the client's statistics (-1 when
/// unknown). A partition is <see cref="Stalled"/> when it has work (lag above zero, or records fetched and not done) and
/// its position has not moved for <c>Health:StallTimeout</c>.
/// </summary>
public sealed record PartitionProgress(
    TopicPartition Partition,
    long Position,
    long Lag,
    int Pending,
    DateTimeOffset PositionSince,
    bool Stalled)
{
    public override string ToString() =>
        $"{Partition.Topic} [{Partition.Partition.Value}] at offset {Position} (lag {Lag}, {Pending} fetched and not done, no progress since {PositionSince:O})";
}
