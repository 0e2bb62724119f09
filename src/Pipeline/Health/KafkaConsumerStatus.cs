using Confluent.Kafka;

namespace KafkaPipeline.Health;

/// <summary>Lifecycle of one consumer.</summary>
public enum KafkaConsumerState
{
    /// <summary>Built and validated; the client is joining its group.</summary>
    Starting,
    /// <summary>Polling and handling records.</summary>
    Running,
    /// <summary>Stopped after the host stopped it, its offsets committed.</summary>
    Stopped,
    /// <summary>Stopped by an error (see <see cref="KafkaConsumerStatus.Fault"/>); the application stops with exit code 70.</summary>
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
    private int _inFlight;
    private int _buffered;

    /// <summary>The consumer group id.</summary>
    public string GroupId { get; } = groupId;

    /// <summary>Where the consumer is in its lifecycle.</summary>
    public KafkaConsumerState State { get; internal set; } = KafkaConsumerState.Starting;

    /// <summary>The error that stopped the consumer, when <see cref="State"/> is <see cref="KafkaConsumerState.Faulted"/>.</summary>
    public Exception? Fault { get; internal set; }

    /// <summary>Records whose offsets were committed (handled, duplicates skipped or recovered).</summary>
    public long RecordsCompleted => Interlocked.Read(ref _handled);

    /// <summary>Deliveries that failed and were scheduled for a retry.</summary>
    public long FailedDeliveries => Interlocked.Read(ref _failedAttempts);

    /// <summary>Partition commits refused by the broker (e.g. during a rebalance), one per partition and attempt; such records may be redelivered.</summary>
    public long CommitFailures => Interlocked.Read(ref _commitFailures);

    /// <summary>Records running now (pipeline, error handler or recoverer).</summary>
    public int RecordsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Records fetched and not yet finished (running, waiting for a back-off or queued behind one).</summary>
    public int RecordsBuffered => Volatile.Read(ref _buffered);

    /// <summary>The partitions assigned to this consumer now.</summary>
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

    /// <summary>
    /// Partitions with a record that could not be recovered (its lane stopped); non-empty means unhealthy. A stop stays
    /// listed after the partition is revoked, until this consumer handles past it or restarts.
    /// </summary>
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

    internal void SetLoad(int inFlight, int buffered)
    {
        Volatile.Write(ref _inFlight, inFlight);
        Volatile.Write(ref _buffered, buffered);
    }

    internal void CountCompleted() => Interlocked.Increment(ref _handled);

    internal void CountFailedDelivery() => Interlocked.Increment(ref _failedAttempts);

    internal void CountCommitFailure() => Interlocked.Increment(ref _commitFailures);
}
