using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Carries out a <see cref="ReplayPlan"/>: reads the planned ranges from the progress group's committed offsets, decides
/// per record (passed over, refused by the loop guard, or sent), and hands the records to send to a
/// <see cref="ReplaySender"/>, which owns pacing, acknowledgements and progress commits. Cancellation stops sending,
/// waits for the records in flight and commits; a failed send stops the replay before that record. Either way a rerun
/// continues without gaps.
/// </summary>
internal sealed class ReplayEngine
{
    private readonly KafkaClients _clients;
    private readonly ReplayPlan _plan;
    private readonly ReplayRequest _request;
    private readonly bool _dryRun;
    private readonly IReplayObserver? _observer;
    private readonly TimeProvider _time;
    private long _replayed;
    private long _refused;
    private long _failed;
    private long _passedOver;
    private string? _error;
    private ReplayTargets? _targets;

    private ReplayEngine(KafkaClients clients, ReplayPlan plan, bool dryRun, IReplayObserver? observer, TimeProvider time)
    {
        _clients = clients;
        _plan = plan;
        _request = plan.Request;
        _dryRun = dryRun;
        _observer = observer;
        _time = time;
    }

    public static Task<ReplayResult> RunAsync(
        KafkaClients clients, ReplayPlan plan, bool dryRun, IReplayObserver? observer, TimeProvider time, CancellationToken cancellationToken) =>
        new ReplayEngine(clients, plan, dryRun, observer, time).RunAsync(cancellationToken);

    private async Task<ReplayResult> RunAsync(CancellationToken cancellationToken)
    {
        Metadata metadata;
        using (var admin = _clients.CreateAdmin())
        {
            metadata = _clients.GetMetadata(admin);
        }

        var targets = _targets = new ReplayTargets(_request, metadata);
        using var consumer = _clients.CreateConsumer(_plan.GroupId);
        using var producer = _dryRun ? null : _clients.CreateProducer();
        var sender = new ReplaySender(
            _dryRun ? NoTransport.Instance : new KafkaReplayTransport(producer!, consumer, _request, _time), _request, _time, _dryRun, Acknowledged, Failed);
        var ranges = StartRanges(consumer, sender);
        var status = ReplayStatus.Completed;
        try
        {
            // Store the start of an age window (--since 1d) with the progress before anything is sent.
            if (_plan.StoredStarts.Count == 0 || await sender.SettleAsync().ConfigureAwait(false))
            {
                await SendAllAsync(consumer, ranges, targets, sender, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = ReplayStatus.Interrupted;
        }
        catch (DeadLetterOperationException e)
        {
            _error ??= e.Message;
        }

        await sender.SettleAsync().ConfigureAwait(false);
        _error ??= sender.Error;
        return new ReplayResult
        {
            Status = _error is not null ? ReplayStatus.Failed : status,
            GroupId = _plan.GroupId,
            DryRun = _dryRun,
            Replayed = _replayed,
            Refused = _refused,
            Failed = _failed,
            PassedOver = _passedOver,
            CommittedOffsets = _dryRun ? new Dictionary<int, long>() : new Dictionary<int, long>(sender.Committed),
            Error = _error,
        };
    }

    private async Task SendAllAsync(
        IConsumer<byte[]?, byte[]?> consumer, List<PartitionRange> ranges, ReplayTargets targets, ReplaySender sender, CancellationToken cancellationToken)
    {
        await foreach (var record in DeadLetterReader.ReadAsync(_clients, consumer, _request.Topic, ranges, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_error is not null
                || (Handle(record, targets, sender, out var destination) && !await sender.SendAsync(record, destination, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }
        }
    }

    /// <summary>Decides about one record; true when it is to be sent.</summary>
    private bool Handle(DeadLetterRecord record, ReplayTargets targets, ReplaySender sender, out TopicPartition destination)
    {
        destination = null!;
        if (!_request.Filter.MatchesExceptAges(record))
        {
            _passedOver++;
            sender.Skip(record);
            return false;
        }

        if (targets.IsRefused(record))
        {
            _refused++;
            sender.Skip(record);
            Audit(record, ReplayOutcome.Refused, null, null, targets.RefusalReason(record));
            return false;
        }

        if (targets.TopicOf(record) is null)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.MissingDeadLetterHeaders,
                $"{record.Coordinates} has no dead-letter headers. Fix: pass --to <topic>.");
        }

        destination = targets.Resolve(record);
        if (_dryRun)
        {
            _replayed++;
            sender.Skip(record);
            Audit(record, ReplayOutcome.WouldReplay, destination, null, targets.ByKeyReason(record)?.Reason);
            return false;
        }

        return true;
    }

    private void Acknowledged(DeadLetterRecord record, DeliveryResult<byte[]?, byte[]?> result)
    {
        _replayed++;
        Audit(record, ReplayOutcome.Replayed, result.TopicPartition, result.Offset.Value, _targets?.ByKeyReason(record)?.Reason);
    }

    private void Failed(DeadLetterRecord record, TopicPartition destination, string reason)
    {
        _failed++;
        Audit(record, ReplayOutcome.Failed, destination, null, reason);
    }

    private List<PartitionRange> StartRanges(IConsumer<byte[]?, byte[]?> consumer, ReplaySender sender)
    {
        // Never go back behind progress committed since planning (e.g. by an earlier run of the same plan).
        var now = _dryRun ? _plan.Committed : ReplayPlanner.Committed(_clients, consumer, _request.Topic, _plan.Ranges.Select(r => r.Partition));
        var ranges = new List<PartitionRange>();
        foreach (var range in _plan.Ranges)
        {
            var committed = now.GetValueOrDefault(range.Partition);
            var start = committed is { } at && at > range.Start ? Math.Min(at, range.End) : range.Start;
            ranges.Add(range with { Start = start });
            sender.Track(range.Partition, start, committed, storeStart: committed is null && _plan.StoredStarts.ContainsKey(range.Partition));
        }

        return ranges;
    }

    private void Audit(DeadLetterRecord record, ReplayOutcome outcome, TopicPartition? destination, long? targetOffset, string? reason)
    {
        if (_observer is null)
        {
            return;
        }

        var partition = destination is null || destination.Partition == Partition.Any ? (int?)null : destination.Partition.Value;
        var entry = new ReplayAuditEntry(_time.GetUtcNow(), outcome, _plan.GroupId, record.Topic, record.Partition, record.Offset,
            destination?.Topic, partition, targetOffset, record.ReplayCount, record.FailureType, reason);
        try
        {
            _observer.OnRecord(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _error ??= $"Writing the audit entry of {record.Coordinates} failed: {e.Message}. The replay stopped; progress is committed.";
        }
    }

    /// <summary>The transport of a dry run, which sends and commits nothing.</summary>
    private sealed class NoTransport : IReplayTransport
    {
        public static readonly NoTransport Instance = new();

        public Task<DeliveryResult<byte[]?, byte[]?>> Send(DeadLetterRecord record, TopicPartition destination) =>
            throw new InvalidOperationException("A dry run sends nothing.");

        public void Commit(IReadOnlyList<TopicPartitionOffset> offsets) => throw new InvalidOperationException("A dry run commits nothing.");
    }
}
