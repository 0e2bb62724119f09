using Confluent.Kafka;

namespace KafkaPipeline.Health;

/// <summary>Lifecycle of one consumer.</summary>
public enum KafkaConsumerState
{
    Starting,
    Running,
    Stopped,
    Faulted,
}

/// <summary>Live status of one consumer, updated by its poll thread; safe to read from any thread.</summary>
public sealed class KafkaConsumerStatus(string groupId)
{
    private readonly object _gate = new();
    private IReadOnlyList<TopicPartition> _assigned = [];
    private IReadOnlyList<TopicPartition> _stopped = [];
    private long _handled;
    private long _failedAttempts;
    private long _commitFailures;

    public string GroupId { get; } = groupId;

    public KafkaConsumerState State { get; internal set; } = KafkaConsumerState.Starting;

    public Exception? Fault { get; internal set; }

    /// <summary>Records whose offsets were committed (handled, duplicates skipped or recovered).</summary>
    public long RecordsCompleted => Interlocked.Read(ref _handled);

    /// <summary>Deliveries that failed and were sought back for a retry.</summary>
    public long FailedDeliveries => Interlocked.Read(ref _failedAttempts);

    /// <summary>Commits refused by the broker (e.g. during a rebalance); such records may be redelivered.</summary>
    public long CommitFailures => Interlocked.Read(ref _commitFailures);

    public IReadOnlyList<TopicPartition> AssignedPartitions
    {
        get
        {
            lock (_gate)
            {
                return _assigned;
            }
        }
    }

    /// <summary>Partitions held at a record that could not be recovered; non-empty means unhealthy.</summary>
    public IReadOnlyList<TopicPartition> StoppedPartitions
    {
        get
        {
            lock (_gate)
            {
                return _stopped;
            }
        }
    }

    internal void SetAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        lock (_gate)
        {
            _assigned = partitions;
        }
    }

    internal void SetStopped(IReadOnlyList<TopicPartition> partitions)
    {
        lock (_gate)
        {
            _stopped = partitions;
        }
    }

    internal void CountCompleted() => Interlocked.Increment(ref _handled);

    internal void CountFailedDelivery() => Interlocked.Increment(ref _failedAttempts);

    internal void CountCommitFailure() => Interlocked.Increment(ref _commitFailures);
}
