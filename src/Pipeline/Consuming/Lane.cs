using Confluent.Kafka;
using KafkaPipeline.Errors;

namespace KafkaPipeline.Consuming;

/// <summary>Where a lane stands; changed under the scheduler's lock only.</summary>
internal enum LaneState
{
    /// <summary>No record, or its partition left the consumer.</summary>
    Idle,

    /// <summary>Has a record to run and waits for a free slot (<c>MaxConcurrency</c>).</summary>
    Ready,

    /// <summary>Holds a slot and runs its head record.</summary>
    Running,

    /// <summary>Its head record waits for a back-off (in memory, without a slot).</summary>
    Waiting,

    /// <summary>Its head record could not be recovered: nothing of the lane runs again in this assignment.</summary>
    Stopped,
}

/// <summary>
/// A sequence of records that must run one at a time, in order: a partition (Partition mode), a key within a partition
/// (Key mode), or a single record (Unordered). The lane owns its head record's fate: the delivery attempt and failure
/// state, the back-off wait, a stop. Its queue is changed under the scheduler's lock; the failure state only by the
/// runner that holds the lane.
/// </summary>
internal sealed class Lane(PartitionWork partition, LaneKey key) : IThreadPoolWorkItem
{
    private ConsumeResult<byte[]?, byte[]?>? _head;
    private Queue<ConsumeResult<byte[]?, byte[]?>>? _rest;

    public PartitionWork Partition { get; } = partition;

    /// <summary>The runner that starts this lane on the thread pool (set before it is queued).</summary>
    public LaneRunner? Runner { get; set; }

    public LaneKey Key { get; } = key;

    public LaneState State { get; set; }

    /// <summary>The head record's failure state; reset when the head changes.</summary>
    public RecordFailureState Failure { get; } = new();

    /// <summary>The record this lane runs next (or runs now, or waits with).</summary>
    public ConsumeResult<byte[]?, byte[]?>? Head => _head;

    public int Count => _head is null ? 0 : 1 + (_rest?.Count ?? 0);

    public void Enqueue(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (_head is null)
        {
            _head = record;
        }
        else
        {
            (_rest ??= new()).Enqueue(record);
        }
    }

    /// <summary>Removes the finished head; the next record starts with a fresh failure state.</summary>
    public ConsumeResult<byte[]?, byte[]?> Dequeue()
    {
        var head = _head ?? throw new InvalidOperationException("The lane has no record.");
        _head = _rest is { Count: > 0 } rest ? rest.Dequeue() : null;
        Failure.Reset();
        return head;
    }

    /// <summary>Runs on the thread pool: the runner takes the lane from here (no allocation per start).</summary>
    void IThreadPoolWorkItem.Execute() => Runner!.Run(this);
}
