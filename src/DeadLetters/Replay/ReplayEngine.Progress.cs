using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Waiting for acknowledgements, committing progress and writing audit entries.</summary>
internal sealed partial class ReplayEngine
{
    private const int CommitAttempts = 3;

    /// <summary>Waits for every record in flight, then commits; false when a send or the commit failed.</summary>
    private async Task<bool> DrainAndCommitAsync(IConsumer<byte[]?, byte[]?> consumer)
    {
        var ok = true;
        foreach (var sent in _inFlight)
        {
            try
            {
                var result = await sent.Delivery.ConfigureAwait(false);
                _replayed++;
                _progress[sent.Record.Partition].Done(sent.Record.Offset);
                Audit(sent.Record, ReplayOutcome.Replayed, result.TopicPartition, result.Offset.Value, null);
            }
            catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
            {
                ok = false;
                _failed++;
                var reason = e is KafkaException kafka ? $"{kafka.Error.Reason} ({kafka.Error.Code})" : e.Message;
                _error ??= $"Sending {sent.Record.Coordinates} to {sent.Destination.Topic} failed: {reason}. "
                    + "Progress was committed up to the record before it; fix the cause and run the same replay again to continue.";
                Audit(sent.Record, ReplayOutcome.Failed, sent.Destination, null, reason);
            }
        }

        _inFlight.Clear();
        return await CommitAsync(consumer).ConfigureAwait(false) && ok;
    }

    private async Task<bool> CommitAsync(IConsumer<byte[]?, byte[]?> consumer)
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
                consumer.Commit(offsets);
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
                _error ??= $"Records were sent, but committing the progress of group '{_plan.GroupId}' failed: {e.Error.Reason} ({e.Error.Code}). "
                    + "A rerun would send the records since the last commit again; check the group's ACLs and the brokers.";
                return false;
            }
        }
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
}
