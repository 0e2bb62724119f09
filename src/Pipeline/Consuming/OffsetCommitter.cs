using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>The commit step: marks a handled record's offset (stored or committed per record) on the poll thread.</summary>
internal sealed class OffsetCommitter(IConsumer<byte[]?, byte[]?> consumer, CommitMode mode, ILogger logger)
{
    public void MarkProcessed(ConsumeResult<byte[]?, byte[]?> record) =>
        Mark(new TopicPartitionOffset(record.Topic, record.Partition, record.Offset + 1));

    public void MarkProcessed(TopicPartitionOffset record) => Mark(new TopicPartitionOffset(record.TopicPartition, record.Offset + 1));

    private void Mark(TopicPartitionOffset next)
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
        }
        catch (KafkaException ex)
        {
            // Typically the partition was revoked meanwhile: its new owner redelivers from the last commit.
            Log.CommitFailed(logger, next.Topic, next.Partition.Value, next.Offset.Value, ex.Error.Reason);
        }
    }

    /// <summary>Commits stored offsets now (revoke, shutdown). Nothing to commit is not an error.</summary>
    public void CommitStored()
    {
        if (mode != CommitMode.StoredOffsets)
        {
            return;
        }

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
