using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaPipeline.Consuming;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>
/// A hand-written <see cref="IConsumer{TKey,TValue}"/> for the engine's unit tests: records are queued by the test and
/// handed out by <see cref="Consume(TimeSpan)"/> (a paused partition hands out nothing); rebalances scripted by the test
/// run inside the next poll, on the poll thread, as librdkafka runs them; pauses, resumes, seeks, stores and commits
/// are recorded. Scripted commit failures are thrown by the next commits.
/// </summary>
internal sealed class ScriptedConsumer(ConsumerCallbacks callbacks, IReadOnlyList<TopicPartition> initialAssignment, bool autoCommit = false)
    : IConsumer<byte[]?, byte[]?>
{
    private readonly Lock _gate = new();
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _queued = [];
    private readonly ConcurrentQueue<Action> _rebalances = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<TopicPartition> _assignment = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly Dictionary<TopicPartition, long> _stored = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private readonly Queue<KafkaException> _commitFailures = new();
    private bool _subscribed;

    public List<string> Calls { get; } = [];

    public int Polls { get; private set; }

    public void Enqueue(params ConsumeResult<byte[]?, byte[]?>[] records)
    {
        lock (_gate)
        {
            _queued.AddRange(records);
        }

        _wake.Release();
    }

    /// <summary>The next commits throw these, in order.</summary>
    public void FailNextCommits(params KafkaException[] failures)
    {
        lock (_gate)
        {
            foreach (var failure in failures)
            {
                _commitFailures.Enqueue(failure);
            }
        }
    }

    public void RevokeOnNextPoll(params TopicPartition[] partitions) => Schedule(() =>
    {
        callbacks.Revoked([.. partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset))]);
        lock (_gate)
        {
            _assignment.RemoveAll(partitions.Contains);
            _queued.RemoveAll(r => partitions.Contains(r.TopicPartition));
        }
    });

    public void AssignOnNextPoll(params TopicPartition[] partitions) => Schedule(() =>
    {
        callbacks.Assigned([.. partitions]);
        lock (_gate)
        {
            _assignment.AddRange(partitions);
        }
    });

    public void LoseOnNextPoll(params TopicPartition[] partitions) => Schedule(() =>
    {
        callbacks.Lost([.. partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset))]);
        lock (_gate)
        {
            _assignment.RemoveAll(partitions.Contains);
        }
    });

    public void FailFatally(ErrorCode code) => Schedule(() => callbacks.Error(new Error(code, "scripted fatal error", isFatal: true)));

    public long? Stored(TopicPartition partition)
    {
        lock (_gate)
        {
            return _stored.TryGetValue(partition, out var offset) ? offset : null;
        }
    }

    public long? CommittedOffset(TopicPartition partition)
    {
        lock (_gate)
        {
            return _committed.TryGetValue(partition, out var offset) ? offset : null;
        }
    }

    public bool IsPaused(TopicPartition partition)
    {
        lock (_gate)
        {
            return _paused.Contains(partition);
        }
    }

    public ConsumeResult<byte[]?, byte[]?>? Consume(TimeSpan timeout)
    {
        Polls++;
        if (!_subscribed)
        {
            throw new InvalidOperationException("Consume before Subscribe");
        }

        while (_rebalances.TryDequeue(out var rebalance))
        {
            rebalance();
        }

        if (Take() is { } record)
        {
            return record;
        }

        _wake.Wait(timeout < TimeSpan.FromMilliseconds(5) ? timeout : TimeSpan.FromMilliseconds(5));
        return Take();
    }

    public void Subscribe(IEnumerable<string> topics)
    {
        Log($"subscribe {string.Join(",", topics)}");
        _subscribed = true;
        AssignOnNextPoll([.. initialAssignment]);
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _paused.Add(partition);
                Calls.Add($"pause {partition}");
            }
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _paused.Remove(partition);
                Calls.Add($"resume {partition}");
            }
        }

        _wake.Release();
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
        lock (_gate)
        {
            _stored[offset.TopicPartition] = offset.Offset.Value;
        }
    }

    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        var list = offsets.ToList();
        lock (_gate)
        {
            Calls.Add($"commit {string.Join(",", list)}");
            if (_commitFailures.TryDequeue(out var failure))
            {
                throw failure;
            }

            foreach (var offset in list)
            {
                _committed[offset.TopicPartition] = offset.Offset.Value;
            }
        }
    }

    public void Seek(TopicPartitionOffset tpo) => Log($"seek {tpo}");

    public void Close()
    {
        Log("close");
        List<TopicPartition> assigned;
        lock (_gate)
        {
            assigned = [.. _assignment];
        }

        callbacks.Revoked([.. assigned.Select(p => new TopicPartitionOffset(p, Offset.Unset))]);
        if (autoCommit)
        {
            // As librdkafka with enable.auto.commit: the stored offsets are committed when the partitions are unassigned.
            lock (_gate)
            {
                foreach (var (partition, offset) in _stored)
                {
                    _committed[partition] = offset;
                }
            }
        }
    }

    public List<TopicPartition> Assignment
    {
        get
        {
            lock (_gate)
            {
                return [.. _assignment];
            }
        }
    }

    public void Dispose() => Log("dispose");

    private ConsumeResult<byte[]?, byte[]?>? Take()
    {
        lock (_gate)
        {
            var index = _queued.FindIndex(r => !_paused.Contains(r.TopicPartition) && _assignment.Contains(r.TopicPartition));
            if (index < 0)
            {
                return null;
            }

            var record = _queued[index];
            _queued.RemoveAt(index);
            return record;
        }
    }

    private void Schedule(Action rebalance)
    {
        _rebalances.Enqueue(rebalance);
        _wake.Release();
    }

    private void Log(string call)
    {
        lock (_gate)
        {
            Calls.Add(call);
        }
    }

    // Not used by the engine.
    public Handle Handle => throw new NotSupportedException();

    public string Name => "scripted";

    public string MemberId => "scripted-member";

    public List<string> Subscription => throw new NotSupportedException();

    public IConsumerGroupMetadata ConsumerGroupMetadata => throw new NotSupportedException();

    public int AddBrokers(string brokers) => throw new NotSupportedException();

    public void SetSaslCredentials(string username, string password) => throw new NotSupportedException();

    public ConsumeResult<byte[]?, byte[]?> Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout))!;

    public ConsumeResult<byte[]?, byte[]?> Consume(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Subscribe(string topic) => Subscribe([topic]);

    public void Unsubscribe() => throw new NotSupportedException();

    public void Assign(TopicPartition partition) => throw new NotSupportedException();

    public void Assign(TopicPartitionOffset partition) => throw new NotSupportedException();

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public void Assign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void Unassign() => throw new NotSupportedException();

    public void StoreOffset(ConsumeResult<byte[]?, byte[]?> result) => StoreOffset(new TopicPartitionOffset(result.TopicPartition, result.Offset + 1));

    public List<TopicPartitionOffset> Commit() => throw new NotSupportedException();

    public void Commit(ConsumeResult<byte[]?, byte[]?> result) => throw new NotSupportedException();

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => throw new NotSupportedException();

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => throw new NotSupportedException();

    public Offset Position(TopicPartition partition) => throw new NotSupportedException();

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) => throw new NotSupportedException();

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => new(Offset.Unset, Offset.Unset);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => throw new NotSupportedException();
}
