using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Sends the records a replay selected at the requested rate, settles their acknowledgements and commits the progress
/// group's offsets on the dead-letter topic, per partition only up to the first record not yet acknowledged (or failed).
/// The only owner of replay progress: the engine tells it which records need nothing sent (<see cref="Skip"/>).
/// </summary>
internal sealed class ReplaySender
{
    private const int CommitAttempts = 3;

    private readonly IReplayTransport _transport;
    private readonly ReplayRequest _request;
    private readonly TimeProvider _time;
    private readonly bool _dryRun;
    private readonly RatePacer _pacer;
    private readonly Action<DeadLetterRecord, DeliveryResult<byte[]?, byte[]?>> _acknowledged;
    private readonly Action<DeadLetterRecord, TopicPartition, string> _failed;
    private readonly List<InFlight> _inFlight = [];
    private readonly Dictionary<int, PartitionProgress> _progress = [];
    private readonly Dictionary<int, long> _committed = [];

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
    }

    /// <summary>Why sending or committing failed; the replay stops.</summary>
    public string? Error { get; private set; }

    /// <summary>The group's committed offset per partition (what it had at the start, then what this replay committed).</summary>
    public IReadOnlyDictionary<int, long> Committed => _committed;

    /// <summary>Starts tracking <paramref name="partition"/>: this replay reads it from <paramref name="start"/>; the group had <paramref name="committed"/>.</summary>
    public void Track(int partition, long start, long? committed)
    {
        _progress[partition] = new PartitionProgress(start);
        if (committed is { } at)
        {
            _committed[partition] = at;
        }
    }

    /// <summary>A record that needs nothing sent (not selected, refused, or only reported by a dry run).</summary>
    public void Skip(DeadLetterRecord record) => _progress[record.Partition].Done(record.Offset);

    /// <summary>Paces and sends one record; false once the replay must stop (a send or the commit failed).</summary>
    public async ValueTask<bool> SendAsync(DeadLetterRecord record, TopicPartition destination, CancellationToken cancellationToken)
    {
        // Rate-limited: settle and commit what is in flight before pausing, so progress never lags behind a pause.
        if (_pacer.MustWait && _inFlight.Count > 0 && !await SettleAsync().ConfigureAwait(false))
        {
            return false;
        }

        await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        _progress[record.Partition].Open(record.Offset);
        _inFlight.Add(new InFlight(record, destination, _transport.Send(record, destination)));
        return _inFlight.Count < _request.BatchSize || await SettleAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for every record in flight, then commits; false when a send or the commit failed.</summary>
    public async ValueTask<bool> SettleAsync()
    {
        foreach (var sent in _inFlight)
        {
            try
            {
                var result = await sent.Delivery.ConfigureAwait(false);
                _progress[sent.Record.Partition].Done(sent.Record.Offset);
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

        _inFlight.Clear();
        return await CommitAsync().ConfigureAwait(false) && Error is null;
    }

    private async Task<bool> CommitAsync()
    {
        if (_dryRun)
        {
            return true;
        }

        var offsets = _progress
            .Where(p => p.Value.CommitOffset > (_committed.TryGetValue(p.Key, out var done) ? done : p.Value.Start))
            .Select(p => new TopicPartitionOffset(_request.Topic, p.Key, p.Value.CommitOffset))
            .ToList();
        if (offsets.Count == 0)
        {
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
