using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.IntegrationTests.Support;

/// <summary>Producing test records and reading committed offsets on a (mock) cluster.</summary>
internal static class Kafka
{
    public static async Task ProduceAsync(string bootstrap, string topic, IEnumerable<(int Partition, string? Key, string? Value, Headers? Headers)> records)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        var pending = new List<Task>();
        foreach (var (partition, key, value, headers) in records)
        {
            pending.Add(producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?>
            {
                Key = key is null ? null : Encoding.UTF8.GetBytes(key),
                Value = value is null ? null : Encoding.UTF8.GetBytes(value),
                Headers = headers ?? [],
            }));
        }

        await Task.WhenAll(pending);
    }

    public static Task ProduceOrdersAsync(string bootstrap, string topic, int partitions, int perPartition, int startId = 0) =>
        ProduceAsync(bootstrap, topic, Enumerable.Range(0, partitions).SelectMany(p =>
            Enumerable.Range(0, perPartition).Select(i => (p, (string?)$"key-{p}", (string?)$"{{\"id\":{startId + (p * perPartition) + i},\"seq\":{i}}}", (Headers?)null))));

    /// <summary>Committed offsets of a group for the given partitions (-1001 = none).</summary>
    public static long[] Committed(string bootstrap, string groupId, string topic, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
        return [.. committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value)];
    }

    /// <summary>Reads every record of a topic (for dead-letter assertions) until <paramref name="expected"/> arrived.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int expected, TimeSpan? timeout = null)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
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
}
