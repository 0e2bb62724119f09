using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Native;
using KafkaPipeline.Testing;
using Npgsql;

namespace KafkaPipeline.Guarantees.Tests.Support;

/// <summary>One embedded cluster (in this process; the children connect over loopback) and the PostgreSQL evidence tables.</summary>
public sealed class GuaranteesFixture : IAsyncLifetime
{
    public static string Postgres { get; } = Environment.GetEnvironmentVariable("KP_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=kafkapipeline;Password=kafkapipeline;Database=kafkapipeline";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("KP_REDIS") ?? "127.0.0.1:6379";

    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start();

    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(Postgres);

    public async Task InitializeAsync()
    {
        await using var command = DataSource.CreateCommand(Consumer.Ledger.Schema);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        Cluster.Dispose();
        await DataSource.DisposeAsync();
    }

    public async Task ProduceAsync(string topic, IEnumerable<(int Partition, string Id, bool Poison)> records)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
        }).Build();
        foreach (var (partition, id, poison) in records)
        {
            // Awaited one by one: offsets follow the id order within each partition.
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(id),
                Value = Encoding.UTF8.GetBytes($"{{\"Id\":\"{id}\",\"Poison\":{(poison ? "true" : "false")}}}"),
                Headers = new Headers { { "message-id", Encoding.UTF8.GetBytes(id) } },
            });
        }
    }

    /// <summary>Committed offsets of the group (-1001 = none).</summary>
    public long[] Committed(string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = group }).Build();
        return [.. consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value)];
    }

    /// <summary>message-id header of every record of <paramref name="topic"/>, read to the end of each partition.</summary>
    public List<string> ReadIds(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var ids = new List<string>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (atEnd.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {topic}: end of {atEnd.Count}/{partitions} partitions reached");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } record)
            {
                continue;
            }

            if (record.IsPartitionEOF)
            {
                atEnd.Add(record.Partition.Value);
                continue;
            }

            ids.Add(record.Message.Headers.TryGetLastBytes("message-id", out var id) ? Encoding.UTF8.GetString(id) : "?");
        }

        return ids;
    }

    public async Task<Dictionary<string, int>> CountAsync(string table, string runId)
    {
        await using var command = DataSource.CreateCommand($"SELECT message_id, count(*) FROM {table} WHERE run_id = $1 GROUP BY message_id");
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }
}
