using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Hands each partition's watermark (<see cref="PartitionOffsets.Position"/>) to the consumer on the poll thread:
/// <see cref="CommitMode.StoredOffsets"/> stores it (librdkafka commits stored offsets periodically), at most every
/// <see cref="StoreInterval"/>; <see cref="CommitMode.PerRecord"/> commits it synchronously as soon as it moves, and a
/// refused commit is retried after <see cref="RetryDelay"/> until it succeeds or the partition leaves. Revoke and
/// shutdown commit explicitly, in both modes.
/// </summary>
internal sealed class OffsetCommitter(IConsumer<byte[]?, byte[]?> consumer, CommitMode mode, TimeProvider time, KafkaConsumerStatus status, ILogger logger)
{
    /// <summary>Stored offsets only matter at the next periodic commit: storing every few milliseconds is plenty.</summary>
    public static readonly TimeSpan StoreInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Pause before a refused per-record commit is tried again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly List<TopicPartitionOffset> _batch = [];
    private long _nextFlush;

    /// <summary>
    /// Stores or commits every watermark that moved. Returns true when a commit was refused because the group is
    /// rebalancing (the caller then holds new work until the rebalance is served).
    /// </summary>
    public bool Flush(Dictionary<TopicPartition, PartitionOffsets> partitions)
    {
        var now = time.GetTimestamp();
        if (now < _nextFlush)
        {
            return false;
        }

        _batch.Clear();
        foreach (var (partition, offsets) in partitions)
        {
            if (offsets.Position > offsets.Flushed)
            {
                _batch.Add(new TopicPartitionOffset(partition, offsets.Position));
            }
        }

        if (_batch.Count == 0)
        {
            return false;
        }

        if (mode == CommitMode.StoredOffsets)
        {
            _nextFlush = now + (long)(StoreInterval.TotalSeconds * time.TimestampFrequency);
            Store(_batch, partitions);
            return false;
        }

        var refused = Commit(_batch, partitions);
        if (refused is not null)
        {
            _nextFlush = now + (long)(RetryDelay.TotalSeconds * time.TimestampFrequency);
        }

        return refused is true;
    }

    /// <summary>Commits the watermarks of <paramref name="leaving"/> now (revoke, shutdown), whatever the mode.</summary>
    public void CommitNow(IEnumerable<TopicPartition> leaving, Dictionary<TopicPartition, PartitionOffsets> partitions)
    {
        var batch = new List<TopicPartitionOffset>();
        foreach (var partition in leaving)
        {
            if (partitions.TryGetValue(partition, out var offsets) && offsets.Position >= 0)
            {
                batch.Add(new TopicPartitionOffset(partition, offsets.Position));
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        if (mode == CommitMode.StoredOffsets)
        {
            // librdkafka commits the stored offsets again when the partitions are unassigned (auto-commit on revoke and
            // close): store the final watermarks first, or that commit would move the group back to older ones.
            Store(batch, partitions);
        }

        Commit(batch, partitions);
    }

    private void Store(List<TopicPartitionOffset> batch, Dictionary<TopicPartition, PartitionOffsets> partitions)
    {
        foreach (var offset in batch)
        {
            try
            {
                consumer.StoreOffset(offset);
                if (partitions.TryGetValue(offset.TopicPartition, out var offsets))
                {
                    offsets.Flushed = offset.Offset.Value;
                }
            }
            catch (KafkaException ex)
            {
                // The partition is no longer assigned (it is being revoked): the revoke commits it, or the new owner redelivers.
                Log.CommitFailed(logger, offset.Topic, offset.Partition.Value, offset.Offset.Value, "store: " + ex.Error.Reason);
            }
        }
    }

    /// <summary>Null when committed; otherwise whether the refusal came from a rebalance.</summary>
    private bool? Commit(List<TopicPartitionOffset> batch, Dictionary<TopicPartition, PartitionOffsets> partitions)
    {
        try
        {
            consumer.Commit(batch);
            foreach (var offset in batch)
            {
                if (partitions.TryGetValue(offset.TopicPartition, out var offsets))
                {
                    offsets.Flushed = offset.Offset.Value;
                }
            }

            return null;
        }
        catch (TopicPartitionOffsetException ex)
        {
            // Some partitions failed: the others are committed.
            var rebalance = false;
            foreach (var result in ex.Results)
            {
                if (result.Error.IsError)
                {
                    status.CountCommitFailure();
                    Log.CommitFailed(logger, result.Topic, result.Partition.Value, result.Offset.Value, result.Error.Reason);
                    rebalance |= IsRebalance(result.Error.Code);
                }
                else if (partitions.TryGetValue(result.TopicPartition, out var offsets))
                {
                    offsets.Flushed = result.Offset.Value;
                }
            }

            return rebalance;
        }
        catch (KafkaException ex)
        {
            foreach (var offset in batch)
            {
                status.CountCommitFailure();
                Log.CommitFailed(logger, offset.Topic, offset.Partition.Value, offset.Offset.Value, ex.Error.Reason);
            }

            return IsRebalance(ex.Error.Code);
        }
    }

    private static bool IsRebalance(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;
}
