using Confluent.Kafka;
using KafkaPipeline.Diagnostics;

namespace KafkaPipeline.Consuming;

/// <summary>Assignment, revoke, loss and shutdown: the only times the poll thread waits for records in flight.</summary>
internal sealed partial class ConsumerEngine
{
    /// <summary>How long abandoned records get to notice their cancelled token before the partitions are let go.</summary>
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long an assignment waits for the committed offsets' metadata (finished offsets to skip).</summary>
    private static readonly TimeSpan CommittedMetadataTimeout = TimeSpan.FromSeconds(5);

    private void OnAssigned(List<TopicPartition> partitions)
    {
        StartLanes();
        var added = new List<TopicPartition>();
        foreach (var partition in partitions)
        {
            if (!_partitions.ContainsKey(partition))
            {
                _partitions[partition] = _scheduler.Assign(partition);
                added.Add(partition);
            }
        }

        if (_metadata is not null && added.Count > 0)
        {
            ReadFinishedOffsets(added);
        }

        // librdkafka keeps a partition's pause across revoke and re-assignment: resume what is assigned now (after the
        // assignment took effect, on the next loop turn).
        _toResume.AddRange(partitions);
        if (_heldSince is not null)
        {
            ReleaseHold(); // the rebalance that refused a commit has been served
        }

        _status.SetAssigned([.. _partitions.Keys]);
        _progress.OnBrokerAnswered();
        _progress.Refresh(_partitions, force: true);
        Log.PartitionsAssigned(_logger, _consumer.GroupId, string.Join(", ", partitions));
    }

    /// <summary>
    /// Reads the committed offsets' metadata of newly assigned partitions: the records finished above the committed
    /// offset (by this group's previous owner, or this consumer before a restart) are skipped when they arrive. When the
    /// metadata cannot be read they are simply handled again.
    /// </summary>
    private void ReadFinishedOffsets(List<TopicPartition> partitions)
    {
        var committed = _metadata!.Committed(partitions, CommittedMetadataTimeout, out var error);
        if (error != ErrorCode.NoError)
        {
            Log.FinishedOffsetsUnreadable(_logger, _consumer.GroupId, string.Join(", ", partitions), new Error(error).Reason);
            return;
        }

        for (var i = 0; i < partitions.Count; i++)
        {
            var (offset, metadata) = committed[i];
            var finished = offset >= 0 ? FinishedOffsetsCodec.Decode(metadata, offset) : [];
            if (finished.Length > 0)
            {
                _partitions[partitions[i]].Offsets.SkipFinished(finished);
                Log.SkippingFinishedOffsets(_logger, _consumer.GroupId, partitions[i].Topic, partitions[i].Partition.Value, finished.Length, offset);
            }
        }
    }

    /// <summary>
    /// Revoked (eager: all partitions; cooperative-sticky: only those that move): stop dispatching them, wait (at most
    /// <c>RevokeTimeout</c>) for their records in flight, commit their watermarks, forget them.
    /// </summary>
    private void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        StartLanes();
        var partitions = revoked.Select(p => p.TopicPartition).Where(_partitions.ContainsKey).ToList();
        Leave(partitions, _consumer.Options.RevokeTimeout);
        Log.PartitionsRevoked(_logger, _consumer.GroupId, string.Join(", ", revoked.Select(p => p.TopicPartition)));
    }

    /// <summary>Lost (the group moved on without us): nothing can be committed; records in flight are abandoned at once.</summary>
    private void OnLost(List<TopicPartitionOffset> lost)
    {
        StartLanes();
        var partitions = lost.Select(p => p.TopicPartition).Where(_partitions.ContainsKey).ToList();
        _scheduler.Revoke(partitions);
        _scheduler.AbandonInFlight(partitions);
        ApplyReports();
        Forget(partitions);
        Log.PartitionsLost(_logger, _consumer.GroupId, string.Join(", ", lost.Select(p => p.TopicPartition)));
    }

    private void Leave(List<TopicPartition> partitions, TimeSpan timeout)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        _scheduler.Revoke(partitions);
        DrainInFlight(partitions, timeout);
        ApplyReports();
        _committer.CommitNow(partitions, _partitions);
        Forget(partitions);
    }

    /// <summary>Waits until no record of <paramref name="partitions"/> runs; after the timeout their tokens are cancelled.</summary>
    private void DrainInFlight(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        var deadline = _time.GetUtcNow() + timeout;
        var abandoned = false;
        while (_scheduler.InFlight(partitions) is var running and > 0)
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                if (abandoned)
                {
                    Log.RecordsStillRunning(_logger, _consumer.GroupId, running);
                    return;
                }

                Log.AbandoningInFlight(_logger, _consumer.GroupId, running, timeout);
                _scheduler.AbandonInFlight(partitions);
                abandoned = true;
                deadline = _time.GetUtcNow() + AbandonGrace;
                continue;
            }

            ApplyReports();
            _scheduler.WaitForChange(left < BusyPollTimeout ? left : BusyPollTimeout);
        }
    }

    private void Forget(List<TopicPartition> partitions)
    {
        _scheduler.Remove(partitions);
        foreach (var partition in partitions)
        {
            _partitions.Remove(partition);
            _pausedForPressure.Remove(partition);
        }

        _status.SetAssigned([.. _partitions.Keys]);
        _progress.Refresh(_partitions, force: true);
    }

    /// <summary>Finish (or, after <c>ShutdownTimeout</c>, cancel) what runs, commit, leave the group.</summary>
    private void Shutdown()
    {
        try
        {
            if (_client is not null)
            {
                StartLanes();
                Leave([.. _partitions.Keys], _consumer.Options.ShutdownTimeout);
                _client.Close();
            }
        }
        catch (KafkaException ex)
        {
            Log.ConsumeError(_logger, _consumer.GroupId, "closing: " + ex.Error.Reason);
        }
        finally
        {
            _client?.Dispose();
        }
    }
}
