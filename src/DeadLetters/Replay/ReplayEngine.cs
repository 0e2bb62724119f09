using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Carries out a <see cref="ReplayPlan"/>: reads the planned ranges from the progress group's committed offsets, sends
/// the selected records with an acks=all idempotent producer, and commits a partition's progress only up to the last
/// record before which everything is acknowledged. Cancellation stops sending, waits for the records in flight and
/// commits; a failed send stops the replay before that record. Either way a rerun continues without gaps.
/// </summary>
internal sealed partial class ReplayEngine
{
    private readonly KafkaClients _clients;
    private readonly ReplayPlan _plan;
    private readonly ReplayRequest _request;
    private readonly bool _dryRun;
    private readonly IReplayObserver? _observer;
    private readonly TimeProvider _time;
    private readonly List<InFlight> _inFlight = [];
    private readonly Dictionary<int, PartitionProgress> _progress = [];
    private readonly Dictionary<int, long> _committed = [];
    private long _replayed;
    private long _refused;
    private long _failed;
    private long _passedOver;
    private string? _error;

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

        var targets = new ReplayTargets(_request, metadata);
        using var consumer = _clients.CreateConsumer(_plan.GroupId);
        var ranges = StartRanges(consumer);
        using var producer = _dryRun ? null : _clients.CreateProducer();
        var pacer = new RatePacer(_request.RatePerSecond, _time);
        var status = ReplayStatus.Completed;
        try
        {
            await foreach (var record in DeadLetterReader.ReadAsync(_clients, consumer, _request.Topic, ranges, cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_error is not null)
                {
                    break;
                }

                if (!Handle(record, targets, out var destination))
                {
                    continue;
                }

                // Rate-limited: settle and commit what is in flight before pausing, so progress never lags behind a pause.
                if (pacer.MustWait && _inFlight.Count > 0 && !await DrainAndCommitAsync(consumer).ConfigureAwait(false))
                {
                    break;
                }

                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                Send(producer!, record, destination);
                if (_inFlight.Count >= _request.BatchSize && !await DrainAndCommitAsync(consumer).ConfigureAwait(false))
                {
                    break;
                }
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

        await DrainAndCommitAsync(consumer).ConfigureAwait(false);
        if (_error is not null)
        {
            status = ReplayStatus.Failed;
        }

        return new ReplayResult
        {
            Status = status,
            GroupId = _plan.GroupId,
            DryRun = _dryRun,
            Replayed = _replayed,
            Refused = _refused,
            Failed = _failed,
            PassedOver = _passedOver,
            CommittedOffsets = new Dictionary<int, long>(_committed),
            Error = _error,
        };
    }

    /// <summary>Decides about one record; true when it is to be sent.</summary>
    private bool Handle(DeadLetterRecord record, ReplayTargets targets, out TopicPartition destination)
    {
        destination = null!;
        var progress = _progress[record.Partition];
        if (!_request.Filter.Matches(record))
        {
            _passedOver++;
            progress.Done(record.Offset);
            return false;
        }

        if (targets.IsRefused(record))
        {
            _refused++;
            progress.Done(record.Offset);
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
            progress.Done(record.Offset);
            Audit(record, ReplayOutcome.WouldReplay, destination, null, null);
            return false;
        }

        return true;
    }

    private void Send(IProducer<byte[]?, byte[]?> producer, DeadLetterRecord record, TopicPartition destination)
    {
        _progress[record.Partition].Open(record.Offset);
        Task<DeliveryResult<byte[]?, byte[]?>> delivery;
        try
        {
            delivery = producer.ProduceAsync(destination, ReplayMessageFactory.Create(record, _request, _time.GetUtcNow()));
        }
        catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
        {
            delivery = Task.FromException<DeliveryResult<byte[]?, byte[]?>>(e);
        }

        _inFlight.Add(new InFlight(record, destination, delivery));
    }

    private List<PartitionRange> StartRanges(IConsumer<byte[]?, byte[]?> consumer)
    {
        // Never go back behind progress committed since planning (e.g. by an earlier run of the same plan).
        var now = _dryRun ? _plan.Committed : ReplayPlanner.Committed(_clients, consumer, _request.Topic, _plan.Ranges.Select(r => r.Partition));
        var ranges = new List<PartitionRange>();
        foreach (var range in _plan.Ranges)
        {
            var start = now.GetValueOrDefault(range.Partition) is { } committed && committed > range.Start ? Math.Min(committed, range.End) : range.Start;
            ranges.Add(range with { Start = start });
            _progress[range.Partition] = new PartitionProgress(start);
            if (!_dryRun && now.GetValueOrDefault(range.Partition) is { } at)
            {
                _committed[range.Partition] = at;
            }
        }

        return ranges;
    }

    private sealed record InFlight(DeadLetterRecord Record, TopicPartition Destination, Task<DeliveryResult<byte[]?, byte[]?>> Delivery);
}
