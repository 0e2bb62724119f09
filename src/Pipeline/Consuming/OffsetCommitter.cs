using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Health;
using KafkaPipeline.Native;
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
/// <remarks>
/// With an <see cref="OffsetMetadataClient"/> (Key and Unordered modes, <see cref="KafkaConsumerOptions.CommitFinishedOffsets"/>),
/// each stored or committed watermark carries the offsets finished above it in its metadata
/// (<see cref="FinishedOffsetsCodec"/>), and a change of those alone is flushed too.
/// </remarks>
internal sealed class OffsetCommitter(
    IConsumer<byte[]?, byte[]?> consumer, CommitMode mode, TimeProvider time, KafkaConsumerStatus status, ILogger logger, OffsetMetadataClient? metadata = null)
{
    /// <summary>Stored offsets only matter at the next periodic commit: storing every few milliseconds is plenty.</summary>
    public static readonly TimeSpan StoreInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Pause before a refused per-record commit is tried again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly List<Pending> _batch = [];
    private long _nextFlush;

    /// <summary>
    /// Stores or commits every watermark that moved. Returns true when a commit was refused because the group is
    /// rebalancing (the caller then holds new work until the rebalance is served).
    /// </summary>
    public bool Flush(Dictionary<TopicPartition, PartitionWork> partitions)
    {
        var now = time.GetTimestamp();
        if (now < _nextFlush)
        {
            return false;
        }

        _batch.Clear();
        foreach (var (partition, work) in partitions)
        {
            var offsets = work.Offsets;
            if ((offsets.Position > offsets.Flushed || (metadata is not null && offsets.FinishedVersion != offsets.FlushedVersion))
                && Entry(partition, offsets) is { } entry)
            {
                _batch.Add(entry);
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
    public void CommitNow(IEnumerable<TopicPartition> leaving, Dictionary<TopicPartition, PartitionWork> partitions)
    {
        var batch = new List<Pending>();
        foreach (var partition in leaving)
        {
            if (partitions.TryGetValue(partition, out var work) && Entry(partition, work.Offsets) is { } entry)
            {
                batch.Add(entry);
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

    /// <summary>What to hand over for a partition: the watermark, with the finished offsets above it when metadata is on; null when nothing to hand over.</summary>
    private Pending? Entry(TopicPartition partition, PartitionOffsets offsets)
    {
        if (metadata is null)
        {
            return offsets.Position >= 0 ? new Pending(partition, offsets.Position, null, offsets) : null;
        }

        var commitBase = offsets.CommitBase;
        return commitBase < 0 ? null : new Pending(partition, commitBase, FinishedOffsetsCodec.Encode(commitBase, offsets.FinishedAbove()), offsets);
    }

    private void Store(List<Pending> batch, Dictionary<TopicPartition, PartitionWork> partitions)
    {
        var errors = metadata?.Store([.. batch.Select(p => (p.Partition, p.Offset, p.Metadata))]) ?? [.. batch.Select(StoreOne)];
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] == ErrorCode.NoError)
            {
                Flushed(batch[i], partitions);
            }
            else
            {
                // The partition is no longer assigned (it is being revoked): the revoke commits it, or the new owner redelivers.
                Log.CommitFailed(logger, batch[i].Partition.Topic, batch[i].Partition.Partition.Value, batch[i].Offset, "store: " + new Error(errors[i]).Reason);
            }
        }
    }

    private ErrorCode StoreOne(Pending pending)
    {
        try
        {
            consumer.StoreOffset(new TopicPartitionOffset(pending.Partition, pending.Offset));
            return ErrorCode.NoError;
        }
        catch (KafkaException ex)
        {
            return ex.Error.Code;
        }
    }

    /// <summary>Records what was handed over (the work is still the partition's: it did not leave and come back meanwhile).</summary>
    private static void Flushed(Pending pending, Dictionary<TopicPartition, PartitionWork> partitions)
    {
        if (partitions.TryGetValue(pending.Partition, out var work) && ReferenceEquals(work.Offsets, pending.Offsets))
        {
            work.Offsets.Flushed = work.Offsets.Position; // unchanged since the entry was made (poll thread)
            work.Offsets.FlushedVersion = pending.Version;
        }
    }

    /// <summary>Null when committed; otherwise whether the refusal came from a rebalance.</summary>
    private bool? Commit(List<Pending> batch, Dictionary<TopicPartition, PartitionWork> partitions)
    {
        if (metadata is not null)
        {
            var errors = metadata.Commit([.. batch.Select(p => (p.Partition, p.Offset, p.Metadata))], out var error);
            if (error != ErrorCode.NoError && errors.All(e => e == ErrorCode.NoError))
            {
                errors = [.. errors.Select(_ => error)]; // the whole commit failed
            }

            return Settle(batch, errors, partitions);
        }

        try
        {
            consumer.Commit([.. batch.Select(p => new TopicPartitionOffset(p.Partition, p.Offset))]);
            batch.ForEach(p => Flushed(p, partitions));
            return null;
        }
        catch (TopicPartitionOffsetException ex)
        {
            // Some partitions failed: the others are committed.
            var errors = batch.Select(p => ex.Results.FirstOrDefault(r => PartitionComparer.Instance.Equals(r.TopicPartition, p.Partition))?.Error.Code ?? ErrorCode.NoError).ToArray();
            return Settle(batch, errors, partitions);
        }
        catch (KafkaException ex)
        {
            return Settle(batch, [.. batch.Select(_ => ex.Error.Code)], partitions);
        }
    }

    /// <summary>Records the partitions committed and logs the others; null when all were committed, else whether a rebalance refused one.</summary>
    private bool? Settle(List<Pending> batch, ErrorCode[] errors, Dictionary<TopicPartition, PartitionWork> partitions)
    {
        bool? refused = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] == ErrorCode.NoError)
            {
                Flushed(batch[i], partitions);
                continue;
            }

            status.CountCommitFailure();
            Log.CommitFailed(logger, batch[i].Partition.Topic, batch[i].Partition.Partition.Value, batch[i].Offset, new Error(errors[i]).Reason);
            refused = (refused ?? false) | IsRebalance(errors[i]);
        }

        return refused;
    }

    /// <summary>A watermark to hand over: the offset, its metadata (finished offsets above it) and the version of those.</summary>
    private sealed record Pending(TopicPartition Partition, long Offset, string? Metadata, PartitionOffsets Offsets)
    {
        public long Version { get; } = Offsets.FinishedVersion;
    }

    private static bool IsRebalance(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;
}
