using System.Text;
using Confluent.Kafka;
using Xunit;

namespace KafkaPipeline.Tests.Support;

/// <summary>Producing test records, and reading topics and group offsets (KafkaIo.Reading.cs), on a test's embedded cluster.</summary>
public static partial class KafkaIo
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Produces each record to its partition; idempotent, so a partition keeps the given order although the sends are
    /// pipelined. Every record must be persisted. Returns the delivery results in the given order.
    /// </summary>
    public static async Task<DeliveryResult<byte[]?, byte[]?>[]> ProduceAsync(
        string bootstrap, string topic, IEnumerable<(int Partition, Message<byte[]?, byte[]?> Message)> records)
    {
        using var producer = KafkaClients.Producer<byte[]?, byte[]?>(bootstrap, c =>
        {
            c.Acks = Acks.All;
            c.EnableIdempotence = true;
            c.LingerMs = 5;
        });
        var results = await Task.WhenAll(records.Select(r => producer.ProduceAsync(new TopicPartition(topic, r.Partition), r.Message)));
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        return results;
    }

    /// <summary>Produces <paramref name="messages"/> to one partition, in order.</summary>
    public static Task ProduceAsync(string bootstrap, string topic, int partition, IEnumerable<Message<byte[]?, byte[]?>> messages) =>
        ProduceAsync(bootstrap, topic, messages.Select(m => (partition, m)));

    /// <summary>Produces records given as UTF-8 key and value (null stays null) and headers.</summary>
    public static Task ProduceAsync(string bootstrap, string topic, IEnumerable<(int Partition, string? Key, string? Value, Headers? Headers)> records) =>
        ProduceAsync(bootstrap, topic, records.Select(r => (r.Partition, TextMessage(r.Key, r.Value, r.Headers))));

    /// <summary>Produces <paramref name="values"/> with key <c>k</c> to one partition.</summary>
    public static Task ProduceTextAsync(string bootstrap, string topic, int partition, params string[] values) =>
        ProduceAsync(bootstrap, topic, partition, values.Select(v => TextMessage("k", v)));

    /// <summary>
    /// Produces <paramref name="perPartition"/> <see cref="TestOrder"/> records to each of <paramref name="partitions"/>
    /// partitions: key <c>key-&lt;partition&gt;</c>, ids from <paramref name="startId"/> on, seq 0, 1, 2… per partition.
    /// </summary>
    public static Task ProduceOrdersAsync(string bootstrap, string topic, int partitions, int perPartition, int startId = 0) =>
        ProduceAsync(bootstrap, topic, Enumerable.Range(0, partitions).SelectMany(p => Enumerable.Range(0, perPartition).Select(i =>
            (p, TextMessage($"key-{p}", $"{{\"id\":{startId + (p * perPartition) + i},\"seq\":{i}}}")))));

    /// <summary>Produces in one committed transaction, which leaves a transaction marker after the records (an offset that is no record).</summary>
    public static void ProduceTransactionally(string bootstrap, string topic, int partition, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        using var producer = KafkaClients.Producer<byte[]?, byte[]?>(bootstrap, c => c.TransactionalId = "test-" + Guid.NewGuid().ToString("N"));
        producer.InitTransactions(ReadTimeout);
        producer.BeginTransaction();
        foreach (var message in messages)
        {
            producer.Produce(new TopicPartition(topic, partition), message);
        }

        producer.CommitTransaction(ReadTimeout);
    }

    /// <summary>The value of the last header <paramref name="name"/>, or null.</summary>
    public static byte[]? Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? bytes : null;

    /// <summary>The value of the last header <paramref name="name"/> as UTF-8 text, or null.</summary>
    public static string? HeaderText(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        Header(record, name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>UTF-8 text of a key or value; <c>(null)</c> for a null one.</summary>
    public static string Text(byte[]? bytes) => bytes is null ? "(null)" : Encoding.UTF8.GetString(bytes);

    /// <summary>A message with UTF-8 key and value (null stays null).</summary>
    public static Message<byte[]?, byte[]?> TextMessage(string? key, string? value, Headers? headers = null) => new()
    {
        Key = key is null ? null : Encoding.UTF8.GetBytes(key),
        Value = value is null ? null : Encoding.UTF8.GetBytes(value),
        Headers = headers ?? [],
    };
}
