using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Sends the records a replay selected at the requested rate without waiting for each acknowledgement, settles the
/// acknowledgements as they arrive and commits the progress group's offsets on the dead-letter topic, per partition
/// only up to the first record not yet acknowledged (or failed). At most <see cref="ReplayRequest.BatchSize"/> records
/// are unacknowledged at a time (the oldest is waited for); progress is committed after every
/// <see cref="ReplayRequest.BatchSize"/> acknowledgements, at least every <see cref="CommitInterval"/>, before a wait
/// for the next rate slot of <see cref="SettleBeforeWait"/> or longer, and at the end. The only owner of replay
/// progress: the engine tells it which records need nothing sent (<see cref="Skip"/>).
/// </summary>
internal sealed class ReplaySender
{
    /// <summary>Acknowledged progress is committed at least this often.</summary>
    internal static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);

    /// <summary>Before a wait for the next rate slot this long or longer, everything in flight is settled and committed, so progress never lags behind a pause.</summary>
    internal static readonly TimeSpan SettleBeforeWait = TimeSpan.FromMilliseconds(250);

    private const int CommitAttempts = 3;

    private readonly IReplayTransport _transport;
    private readonly ReplayRequest _request;
    private readonly TimeProvider _time;
    private readonly bool _dryRun;
    private readonly RatePacer _pacer;
    private readonly Action<DeadLetterRecord, DeliveryResult<byte[]?, byte[]?>> _acknowledged;
    private readonly Action<DeadLetterRecord, TopicPartition, string> _failed;
    private readonly Queue<InFlight> _inFlight = new();
    private readonly Dictionary<int, PartitionProgress> _progress = [];
    private readonly Dictionary<int, long> _committed = [];
    private readonly HashSet<int> _storeStart = [];
    private long _acknowledgedSinceCommit;
    private DateTimeOffset _lastCommit;

    public ReplaySender(
        IReplayTransport transport,
        ReplayRequest request,
        TimeProvider time,
        bool dryRun,
        Action<DeadLetterRecord, DeliveryResult<byte[]?, byte[]?>> acknowledged,
        Action<DeadLetterRecord, TopicPartition, string> failed)
    {
        _transport = transport;
        _request = request;
        _time = time;
        _dryRun = dryRun;
        _pacer = new RatePacer(request.RatePerSecond, time);
        _acknowledged = acknowledged;
        _failed = failed;
        _lastCommit = time.GetUtcNow();
    }

    /// <summary>Why sending or committing failed; the replay stops.</summary>
    public string? Error { get; private set; }

    /// <summary>The group's committed offset per partition (what it had at the start, then what this replay committed).</summary>
    public IReadOnlyDictionary<int, long> Committed => _committed;

    /// <summary>
    /// Starts tracking <paramref name="partition"/>: this replay reads it from <paramref name="start"/>; the group had
    /// <paramref name="committed"/>. With <paramref name="storeStart"/> the next commit includes the start itself (the
    /// start of an age window, kept as the group's progress).
    /// </summary>
    public void Track(int partition, long start, long? committed, bool storeStart = false)
    {
        _progress[partition] = new PartitionProgress(start);
        if (committed is { } at)
        {
            _committed[partition] = at;
        }

        if (storeStart)
        {
            _storeStart.Add(partition);
        }
    }

    /// <summary>A record that needs nothing sent (not selected, refused, or only reported by a dry run).</summary>
    public void Skip(DeadLetterRecord record) => _progress[record.Partition].Done(record.Offset);

    /// <summary>Paces and sends one record, settling what has been acknowledged meanwhile; false once the replay must stop (a send or the commit failed).</summary>
    public async ValueTask<bool> SendAsync(DeadLetterRecord record, TopicPartition destination, CancellationToken cancellationToken)
    {
        if (_pacer.Delay >= SettleBeforeWait && (_inFlight.Count > 0 || _acknowledgedSinceCommit > 0) && !await SettleAsync().ConfigureAwait(false))
        {
            return false;
        }

        await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        _progress[record.Partition].Open(record.Offset);
        _inFlight.Enqueue(new InFlight(record, destination, _transport.Send(record, destination)));
        while (_inFlight.Count >= _request.BatchSize)
        {
            await CompleteAsync(_inFlight.Dequeue()).ConfigureAwait(false);
        }

        while (_inFlight.TryPeek(out var head) && head.Delivery.IsCompleted)
        {
            Complete(_inFlight.Dequeue());
        }

        if (Error is not null)
        {
            return false;
        }

        var due = _acknowledgedSinceCommit >= _request.BatchSize
            || (_acknowledgedSinceCommit > 0 && _time.GetUtcNow() - _lastCommit >= CommitInterval);
        return !due || await CommitAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for every record in flight, then commits; false when a send or the commit failed.</summary>
    public async ValueTask<bool> SettleAsync()
    {
        while (_inFlight.TryDequeue(out var sent))
        {
            await CompleteAsync(sent).ConfigureAwait(false);
        }

        return await CommitAsync().ConfigureAwait(false) && Error is null;
    }

    private async Task CompleteAsync(InFlight sent)
    {
        await ((Task)sent.Delivery).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Complete(sent);
    }

    /// <summary>Books the outcome of a delivery that has completed: done (progress may pass it) or failed (progress stays before it).</summary>
    private void Complete(InFlight sent)
    {
        try
        {
            var result = sent.Delivery.GetAwaiter().GetResult();
            _progress[sent.Record.Partition].Done(sent.Record.Offset);
            _acknowledgedSinceCommit++;
            _acknowledged(sent.Record, result);
        }
        catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
        {
            var reason = e is KafkaException kafka ? $"{kafka.Error.Reason} ({kafka.Error.Code})" : e.Message;
            Error ??= $"Sending {sent.Record.Coordinates} to {sent.Destination.Topic} failed: {reason}. "
                + "Progress was committed up to the record before it; fix the cause and run the same replay again to continue.";
            _failed(sent.Record, sent.Destination, reason);
        }
    }

    private async Task<bool> CommitAsync()
    {
        if (_dryRun)
        {
            return true;
        }

        var offsets = _progress
            .Where(p => _committed.TryGetValue(p.Key, out var done) ? p.Value.CommitOffset > done : p.Value.CommitOffset > p.Value.Start || _storeStart.Contains(p.Key))
            .Select(p => new TopicPartitionOffset(_request.Topic, p.Key, p.Value.CommitOffset))
            .ToList();
        if (offsets.Count == 0)
        {
            _acknowledgedSinceCommit = 0;
            _lastCommit = _time.GetUtcNow();
            return true;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _transport.Commit(offsets);
                foreach (var offset in offsets)
                {
                    _committed[offset.Partition.Value] = offset.Offset.Value;
                }

                _acknowledgedSinceCommit = 0;
                _lastCommit = _time.GetUtcNow();
                return true;
            }
            catch (KafkaException) when (attempt < CommitAttempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), _time).ConfigureAwait(false);
            }
            catch (KafkaException e)
            {
                Error ??= $"Records were sent, but committing the progress of group '{_request.EffectiveGroupId}' failed: {e.Error.Reason} ({e.Error.Code}). "
                    + "A rerun would send the records since the last commit again; check the group's ACLs and the brokers.";
                return false;
            }
        }
    }

    private sealed record InFlight(DeadLetterRecord Record, TopicPartition Destination, Task<DeliveryResult<byte[]?, byte[]?>> Delivery);
}
