using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Compares partitions by topic and number, and lets a dictionary keyed by <see cref="TopicPartition"/> be searched with
/// a record's (topic, partition) without building a <see cref="TopicPartition"/> per record.
/// </summary>
internal sealed class PartitionComparer : IEqualityComparer<TopicPartition>, IAlternateEqualityComparer<(string Topic, int Partition), TopicPartition>
{
    public static readonly PartitionComparer Instance = new();

    public bool Equals(TopicPartition? x, TopicPartition? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.Partition.Value == y.Partition.Value && string.Equals(x.Topic, y.Topic, StringComparison.Ordinal));

    public int GetHashCode(TopicPartition obj) => HashCode.Combine(obj.Topic, obj.Partition.Value);

    public bool Equals((string Topic, int Partition) alternate, TopicPartition other) =>
        alternate.Partition == other.Partition.Value && string.Equals(alternate.Topic, other.Topic, StringComparison.Ordinal);

    public int GetHashCode((string Topic, int Partition) alternate) => HashCode.Combine(alternate.Topic, alternate.Partition);

    public TopicPartition Create((string Topic, int Partition) alternate) => new(alternate.Topic, alternate.Partition);
}
