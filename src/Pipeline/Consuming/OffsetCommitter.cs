using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>The commit step: marks a handled record's offset (stored or committed per record) on the poll thread.</summary>
internal sealed class OffsetCommitter(IConsumer<byte[]?, byte[]?> consumer, CommitMode mode, KafkaConsumerStatus status, ILogger logger)
{
    /// <summary>Marks the record processed; returns true when the commit was refused because the group is rebalancing.</summary>
    public bool MarkProcessed(ConsumeResult<byte[]?, byte[]?> record) =>
        Mark(new TopicPartitionOffset(record.Topic, record.Partition, record.Offset + 1));

    private bool Mark(TopicPartitionOffset next)
    {
        try
        {
            if (mode == CommitMode.PerRecord)
            {
                consumer.Commit([next]);
            }
            else
            {
                consumer.StoreOffset(next);
            }

            return false;
        }
        catch (KafkaException ex)
        {
            // Typically a rebalance: keep the offset stored so the commit on revoke retries it;
            // if the partition already went to another member, the new owner redelivers from the last commit.
            status.CountCommitFailure();
            Log.CommitFailed(logger, next.Topic, next.Partition.Value, next.Offset.Value, ex.Error.Reason);
            if (mode == CommitMode.PerRecord)
            {
                TryStore(next);
            }

            return IsRebalance(ex.Error.Code);
        }
    }

    private void TryStore(TopicPartitionOffset next)
    {
        try
        {
            consumer.StoreOffset(next);
        }
        catch (KafkaException)
        {
            // Not assigned any more: nothing to keep.
        }
    }

    private static bool IsRebalance(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;

    /// <summary>Commits stored offsets now (revoke, shutdown). Nothing to commit is not an error.</summary>
    public void CommitStored()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
        }
        catch (KafkaException ex)
        {
            Log.CommitFailed(logger, "*", -1, -1, ex.Error.Reason);
        }
    }
}
