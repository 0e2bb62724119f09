using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Per-partition state of the poll loop: a record being retried (its offset and failure count), when a
/// paused partition is due, and which already-fetched records to drop after a seek back.
/// </summary>
internal sealed class PartitionLanes
{
    private readonly Dictionary<TopicPartition, Lane> _lanes = [];

    /// <summary>True when the record must be dropped: its partition is paused/stopped or it precedes the sought-back record.</summary>
    public bool ShouldDrop(ConsumeResult<byte[]?, byte[]?> record)
    {
        // Fast path (no partition retrying or paused): no TopicPartition is allocated for the lookup.
        if (_lanes.Count == 0 || !_lanes.TryGetValue(record.TopicPartition, out var lane))
        {
            return false;
        }

        if (lane.Stopped || lane.ResumeAt is not null)
        {
            return true;
        }

        if (lane.SeekTarget is long target)
        {
            if (record.Offset.Value != target)
            {
                return true;
            }

            lane.SeekTarget = null;
        }

        return false;
    }

    /// <summary>1 for a first delivery; n+1 when the record failed n times in a row.</summary>
    public int DeliveryAttempt(ConsumeResult<byte[]?, byte[]?> record) =>
        _lanes.Count != 0 && _lanes.TryGetValue(record.TopicPartition, out var lane) && lane.FailedOffset == record.Offset.Value ? lane.Failures + 1 : 1;

    /// <summary>True when no partition is being retried, paused or stopped (the common case).</summary>
    public bool IsEmpty => _lanes.Count == 0;

    public void OnSettled(TopicPartition partition) => _lanes.Remove(partition);

    /// <summary>The record was handled or recovered: its partition's retry state ends.</summary>
    public void OnSettled(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (_lanes.Count != 0)
        {
            _lanes.Remove(record.TopicPartition);
        }
    }

    public void OnSeekBack(TopicPartition partition, long offset, DateTimeOffset? resumeAt)
    {
        var lane = Get(partition);
        lane.Failures = lane.FailedOffset == offset ? lane.Failures + 1 : 1;
        lane.FailedOffset = offset;
        lane.SeekTarget = offset;
        lane.ResumeAt = resumeAt;
    }

    /// <summary>After a seek that is not a retry: drop other offsets of the partition until this one arrives.</summary>
    public void ExpectOffset(TopicPartition partition, long offset) => Get(partition).SeekTarget = offset;

    /// <summary>True while the partition waits for a back-off or is stopped.</summary>
    public bool IsPaused(TopicPartition partition) =>
        _lanes.TryGetValue(partition, out var lane) && (lane.Stopped || lane.ResumeAt is not null);

    public void OnStopped(TopicPartition partition, long offset)
    {
        var lane = Get(partition);
        lane.Stopped = true;
        lane.SeekTarget = offset;
    }

    public bool IsStopped(TopicPartition partition) => _lanes.TryGetValue(partition, out var lane) && lane.Stopped;

    public IReadOnlyList<TopicPartition> StoppedPartitions => [.. _lanes.Where(l => l.Value.Stopped).Select(l => l.Key)];

    /// <summary>Paused partitions whose backoff is over; they are marked resumed.</summary>
    public List<TopicPartition>? TakeDue(DateTimeOffset now)
    {
        List<TopicPartition>? due = null;
        foreach (var (partition, lane) in _lanes)
        {
            if (lane.ResumeAt is { } at && at <= now)
            {
                lane.ResumeAt = null;
                (due ??= []).Add(partition);
            }
        }

        return due;
    }

    /// <summary>Time until the next paused partition is due, or null when none is paused.</summary>
    public TimeSpan? UntilNextDue(DateTimeOffset now)
    {
        TimeSpan? next = null;
        foreach (var lane in _lanes.Values)
        {
            if (lane.ResumeAt is { } at)
            {
                var wait = at - now;
                next = next is null || wait < next ? wait : next;
            }
        }

        return next is { } n && n < TimeSpan.Zero ? TimeSpan.Zero : next;
    }

    public void Remove(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _lanes.Remove(partition);
        }
    }

    private Lane Get(TopicPartition partition)
    {
        if (!_lanes.TryGetValue(partition, out var lane))
        {
            _lanes[partition] = lane = new Lane();
        }

        return lane;
    }

    private sealed class Lane
    {
        public long FailedOffset { get; set; } = -1;

        public int Failures { get; set; }

        public long? SeekTarget { get; set; }

        public DateTimeOffset? ResumeAt { get; set; }

        public bool Stopped { get; set; }
    }
}
