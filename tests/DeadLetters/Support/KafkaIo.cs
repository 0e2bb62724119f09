using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>Producing and reading test records, and reading group offsets, with plain Confluent clients.</summary>
internal static class KafkaIo
{
    public static async Task ProduceAsync(string bootstrap, string topic, int partition, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All, EnableIdempotence = true })
            .SetLogHandler((_, _) => { }).Build();
        foreach (var message in messages)
        {
            var result = await producer.ProduceAsync(new TopicPartition(topic, partition), message);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }
    }

    /// <summary>Produces in one committed transaction, which leaves a transaction marker after the records (an offset that is no record).</summary>
    public static void ProduceTransactionally(string bootstrap, string topic, int partition, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            TransactionalId = "test-" + Guid.NewGuid().ToString("N"),
        }).SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        foreach (var message in messages)
        {
            producer.Produce(new TopicPartition(topic, partition), message);
        }

        producer.CommitTransaction(TimeSpan.FromSeconds(30));
    }

    public static Task ProduceDeadLettersAsync(string bootstrap, string dlt, int partition, params SpringDeadLetter[] records) =>
        ProduceAsync(bootstrap, dlt, partition, records.Select(r => r.ToMessage()));

    public static Task ProducePlainAsync(string bootstrap, string topic, int partition, params string[] values) =>
        ProduceAsync(bootstrap, topic, partition, values.Select(v => new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("k"), Value = Encoding.UTF8.GetBytes(v) }));

    /// <summary>Every record currently in <paramref name="topic"/> (reads up to the high watermarks, with Assign).</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-reader",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        var ends = new Dictionary<int, long>();
        var assign = new List<TopicPartitionOffset>();
        for (var p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10));
            if (marks.High.Value > marks.Low.Value)
            {
                ends[p] = marks.High.Value;
                assign.Add(new TopicPartitionOffset(topic, p, marks.Low));
            }
        }

        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        consumer.Assign(assign);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (ends.Count > 0 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
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

    /// <summary>Committed offsets of <paramref name="group"/> per partition (null = none).</summary>
    public static long?[] Committed(string bootstrap, string group, string topic, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group })
            .SetLogHandler((_, _) => { }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
        return [.. committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.IsSpecial ? (long?)null : c.Offset.Value)];
    }

    public static string? Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static string Text(byte[]? bytes) => bytes is null ? "(null)" : Encoding.UTF8.GetString(bytes);
}
