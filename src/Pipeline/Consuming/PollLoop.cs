using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Errors;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>
/// The only code that touches the consumer. Polls one record at a time, runs it through the error handler
/// and pipeline, and carries out the disposition: commit, seek back and pause the partition, or stop it.
/// </summary>
internal sealed class PollLoop(
    ConsumerDescriptor consumer,
    KafkaPipelineOptions options,
    ConsumeDelegate pipeline,
    IConsumeErrorHandler errorHandler,
    IServiceScopeFactory scopes,
    TimeProvider time,
    KafkaConsumerStatus status,
    ILogger logger)
{
    private static readonly TimeSpan ErrorHandlerFailureDelay = TimeSpan.FromSeconds(1);
    private readonly PartitionLanes _lanes = new();
    private readonly RebalanceHold _rebalanceHold = new();
    private readonly HashSet<TopicPartition> _assigned = [];
    private IConsumer<byte[]?, byte[]?> _consumer = null!;
    private OffsetCommitter _committer = null!;
    private KafkaException? _fatal;
    private bool _assignmentChanged;

    public void Run(CancellationToken stopping)
    {
        using var abandon = new CancellationTokenSource();
        using var abandonTimer = time.CreateTimer(_ => abandon.Cancel(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var onStop = stopping.Register(() => abandonTimer.Change(consumer.Options.ShutdownTimeout, Timeout.InfiniteTimeSpan));

        var config = ConsumerClientFactory.CreateConfig(options, consumer, logger);
        _consumer = ConsumerClientFactory.Create(config, OnAssigned, OnRevoked, OnLost, OnError);
        _committer = new OffsetCommitter(_consumer, consumer.Options.CommitMode, status, logger);
        try
        {
            Log.ConsumerStarting(logger, consumer.GroupId, string.Join(", ", consumer.Topics));
            _consumer.Subscribe(consumer.Topics);
            status.State = KafkaConsumerState.Running;
            while (!stopping.IsCancellationRequested && _fatal is null)
            {
                ResumeDue();
                var record = Poll();
                if (record is null || record.IsPartitionEOF || _lanes.ShouldDrop(record) || _rebalanceHold.ShouldDrop(_consumer, record))
                {
                    continue;
                }

                Process(record, abandon.Token);
            }

            if (_fatal is not null)
            {
                throw _fatal;
            }
        }
        finally
        {
            Shutdown();
        }
    }

    private ConsumeResult<byte[]?, byte[]?>? Poll()
    {
        var timeout = consumer.Options.PollTimeout;
        if (!_lanes.IsEmpty && _lanes.UntilNextDue(time.GetUtcNow()) is { } due && due < timeout)
        {
            timeout = due;
        }

        try
        {
            return _consumer.Consume(timeout);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            Log.ConsumeError(logger, consumer.GroupId, ex.Error.Reason);
            return null;
        }
    }

    private void Process(ConsumeResult<byte[]?, byte[]?> record, CancellationToken abandon)
    {
        ErrorDisposition disposition;
        var scope = scopes.CreateAsyncScope();
        try
        {
            var attempt = _lanes.DeliveryAttempt(record);
            if (consumer.Options.DeliveryAttemptHeader)
            {
                DeliveryAttemptHeader.Set(record, attempt);
            }

            var context = new ConsumeContext(record, scope.ServiceProvider, abandon)
            {
                GroupId = consumer.GroupId,
                DeliveryAttempt = attempt,
            };
            disposition = Sync.Wait(errorHandler.HandleAsync(context, pipeline));
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            Log.RecordAbandoned(logger, record.Topic, record.Partition.Value, record.Offset.Value);
            return;
        }
        catch (Exception ex)
        {
            Log.ErrorHandlerFailed(logger, consumer.GroupId, record.Topic, record.Partition.Value, record.Offset.Value, ex);
            disposition = ErrorDisposition.SeekBack(ErrorHandlerFailureDelay);
        }
        finally
        {
            Sync.Wait(scope.DisposeAsync());
        }

        Apply(record, disposition);
    }

    private void Apply(ConsumeResult<byte[]?, byte[]?> record, ErrorDisposition disposition)
    {
        if (disposition.Kind is DispositionKind.Completed or DispositionKind.Recovered)
        {
            // The per-record path: no TopicPartition objects beyond the one offset the consumer stores.
            if (_committer.MarkProcessed(record))
            {
                _rebalanceHold.Hold(_consumer, time.GetUtcNow());
            }

            _lanes.OnSettled(record);
            status.CountCompleted();
            return;
        }

        var partition = record.TopicPartition;
        switch (disposition.Kind)
        {
            case DispositionKind.SeekBack:
                _consumer.Seek(record.TopicPartitionOffset);
                DateTimeOffset? resumeAt = null;
                if (disposition.Delay > TimeSpan.Zero)
                {
                    _consumer.Pause([partition]);
                    resumeAt = time.GetUtcNow() + disposition.Delay;
                }

                _lanes.OnSeekBack(partition, record.Offset.Value, resumeAt);
                status.CountFailedDelivery();
                break;
            case DispositionKind.Stop:
                _consumer.Seek(record.TopicPartitionOffset);
                _consumer.Pause([partition]);
                _lanes.OnStopped(partition, record.Offset.Value);
                status.SetStopped(_lanes.StoppedPartitions);
                Log.PartitionStopped(logger, consumer.GroupId, record.Topic, partition.Partition.Value, record.Offset.Value);
                break;
        }
    }

    private void ResumeDue()
    {
        if (_assignmentChanged || _rebalanceHold.IsHeld)
        {
            ResumeAssignment();
        }

        if (!_lanes.IsEmpty && _lanes.TakeDue(time.GetUtcNow()) is { } due)
        {
            _consumer.Resume(due);
        }
    }

    /// <summary>
    /// librdkafka keeps a partition's pause across revoke and re-assignment, so after an assignment every
    /// assigned partition this loop does not hold itself (back-off, stop, rebalance hold) is resumed.
    /// </summary>
    private void ResumeAssignment()
    {
        var assignment = _consumer.Assignment;
        var released = _rebalanceHold.TryRelease(assignment, _lanes, time.GetUtcNow());
        if (released || (_assignmentChanged && !_rebalanceHold.IsHeld))
        {
            _consumer.Resume(assignment.Where(p => !_lanes.IsPaused(p)).ToList());
        }

        _assignmentChanged = false;
    }

    private void OnAssigned(IConsumer<byte[]?, byte[]?> c, List<TopicPartition> partitions)
    {
        _assignmentChanged = true;
        _rebalanceHold.OnAssigned();
        _assigned.UnionWith(partitions);
        status.SetAssigned([.. _assigned]);
        Log.PartitionsAssigned(logger, consumer.GroupId, string.Join(", ", partitions));
    }

    private void OnRevoked(IConsumer<byte[]?, byte[]?> c, List<TopicPartitionOffset> partitions)
    {
        _committer.CommitStored();
        Forget(partitions);
        Log.PartitionsRevoked(logger, consumer.GroupId, string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    private void OnLost(IConsumer<byte[]?, byte[]?> c, List<TopicPartitionOffset> partitions)
    {
        Forget(partitions);
        Log.PartitionsLost(logger, consumer.GroupId, string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    private void Forget(List<TopicPartitionOffset> partitions)
    {
        var gone = partitions.Select(p => p.TopicPartition).ToList();
        _lanes.Remove(gone);
        _assigned.ExceptWith(gone);
        errorHandler.OnPartitionsRevoked(gone);
        status.SetAssigned([.. _assigned]);
        status.SetStopped(_lanes.StoppedPartitions);
    }

    private void OnError(IConsumer<byte[]?, byte[]?> c, Error error)
    {
        Log.ClientError(logger, consumer.GroupId, error.Reason, error.Code.ToString(), error.IsFatal);
        if (error.IsFatal)
        {
            _fatal = new KafkaException(error);
        }
    }

    private void Shutdown()
    {
        try
        {
            _committer.CommitStored();
            _consumer.Close();
        }
        catch (KafkaException ex)
        {
            Log.ConsumeError(logger, consumer.GroupId, "closing: " + ex.Error.Reason);
        }
        finally
        {
            _consumer.Dispose();
        }
    }
}
