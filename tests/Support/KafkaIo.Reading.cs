using Confluent.Kafka;
using Xunit;

namespace KafkaPipeline.Tests.Support;

public static partial class KafkaIo
{
    /// <summary>Committed offsets of <paramref name="group"/> for partitions 0 to <paramref name="partitions"/> - 1 (null = none).</summary>
    public static long?[] Committed(string bootstrap, string group, string topic, int partitions)
    {
        using var consumer = KafkaClients.Consumer<Ignore, Ignore>(bootstrap, group);
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), RequestTimeout);
        return [.. committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.IsSpecial ? (long?)null : c.Offset.Value)];
    }

    /// <summary>High watermarks per partition (the record counts of a fresh, non-transactional topic).</summary>
    public static long[] EndOffsets(string bootstrap, string topic, int partitions)
    {
        using var consumer = KafkaClients.Consumer<Ignore, Ignore>(bootstrap, "watermarks");
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), RequestTimeout).High.Value)];
    }

    /// <summary>Every record now in <paramref name="topic"/>: reads each partition (by assignment) up to its high watermark.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int partitions)
    {
        using var consumer = Reader(bootstrap, c => c.EnablePartitionEof = true);
        var ends = new Dictionary<int, long>();
        var assign = new List<TopicPartitionOffset>();
        for (var p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), RequestTimeout);
            if (marks.High.Value > marks.Low.Value)
            {
                ends[p] = marks.High.Value;
                assign.Add(new TopicPartitionOffset(topic, p, marks.Low));
            }
        }

        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        consumer.Assign(assign);
        var deadline = DateTime.UtcNow + ReadTimeout;
        while (ends.Count > 0 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } result)
            {
                continue;
            }

            if (!result.IsPartitionEOF)
            {
                records.Add(result);
            }

            if (result.IsPartitionEOF || result.Offset.Value >= ends[result.Partition.Value] - 1)
            {
                ends.Remove(result.Partition.Value);
            }
        }

        Assert.Empty(ends);
        return records;
    }

    /// <summary>
    /// Reads <paramref name="topic"/> from the start (subscribing) until <paramref name="expected"/> records arrived or
    /// the timeout passed (30 s unless given); returns what arrived, so callers assert the count.
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> WaitForRecords(string bootstrap, string topic, int expected, TimeSpan? timeout = null)
    {
        using var consumer = Reader(bootstrap, c => c.AutoOffsetReset = AutoOffsetReset.Earliest);
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + (timeout ?? ReadTimeout);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }

        consumer.Close();
        return records;
    }

    /// <summary>The record at <paramref name="partition"/>/<paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public static ConsumeResult<byte[]?, byte[]?> ReadAt(string bootstrap, string topic, int partition, long offset)
    {
        using var consumer = Reader(bootstrap);
        consumer.Assign(new TopicPartitionOffset(topic, partition, offset));
        var deadline = DateTime.UtcNow + ReadTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                return record;
            }
        }

        throw new TimeoutException($"{topic} [{partition}] @{offset} could not be read within {ReadTimeout}");
    }

    /// <summary>A consumer in a group of its own that commits nothing.</summary>
    private static IConsumer<byte[]?, byte[]?> Reader(string bootstrap, Action<ConsumerConfig>? configure = null) =>
        KafkaClients.Consumer<byte[]?, byte[]?>(bootstrap, "reader-" + Guid.NewGuid().ToString("N"), c =>
        {
            c.EnableAutoCommit = false;
            configure?.Invoke(c);
        });
}
