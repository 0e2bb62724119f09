using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>
/// After a commit is refused because the group is rebalancing, holds the whole assignment (paused) until the
/// rebalance has been served, so records handled meanwhile cannot pile up uncommitted and be redelivered to
/// the new owner. Records fetched before the pause are sought back, not skipped.
/// </summary>
internal sealed class RebalanceHold
{
    /// <summary>Longest hold when no rebalance follows (e.g. the commit failed for another reason).</summary>
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(30);
    private readonly Dictionary<TopicPartition, long> _soughtBack = [];
    private DateTimeOffset _since;
    private bool _assigned;

    public bool IsHeld { get; private set; }

    public void Hold(IConsumer<byte[]?, byte[]?> consumer, DateTimeOffset now)
    {
        if (IsHeld)
        {
            return;
        }

        consumer.Pause(consumer.Assignment);
        IsHeld = true;
        _since = now;
        _assigned = false;
    }

    public void OnAssigned() => _assigned = true;

    /// <summary>While held, a fetched record is dropped; its partition is sought back to the first one dropped.</summary>
    public bool ShouldDrop(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> record)
    {
        if (!IsHeld)
        {
            return false;
        }

        if (_soughtBack.TryAdd(record.TopicPartition, record.Offset.Value))
        {
            consumer.Seek(record.TopicPartitionOffset);
        }

        return true;
    }

    /// <summary>
    /// Ends the hold once partitions were assigned again (or the hold timed out); the caller resumes the
    /// assignment. Sought-back partitions still assigned drop stale records until the sought offset arrives.
    /// </summary>
    public bool TryRelease(List<TopicPartition> assignment, PartitionLanes lanes, DateTimeOffset now)
    {
        if (!IsHeld || (!_assigned && now - _since < MaxHold))
        {
            return false;
        }

        foreach (var (partition, offset) in _soughtBack)
        {
            if (assignment.Contains(partition))
            {
                lanes.ExpectOffset(partition, offset);
            }
        }

        _soughtBack.Clear();
        IsHeld = false;
        return true;
    }
}
