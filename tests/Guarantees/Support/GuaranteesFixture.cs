using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Tests.Support;
using Npgsql;

namespace KafkaPipeline.Guarantees.Tests.Support;

/// <summary>One embedded cluster (in this process; the children connect over loopback) and the PostgreSQL evidence tables.</summary>
public sealed class GuaranteesFixture() : ClusterFixture(brokers: 1), IAsyncLifetime
{
    public static string Postgres { get; } = Environment.GetEnvironmentVariable("KP_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=kafkapipeline;Password=kafkapipeline;Database=kafkapipeline";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("KP_REDIS") ?? "127.0.0.1:6379";

    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(Postgres);

    public async Task InitializeAsync()
    {
        await using var command = DataSource.CreateCommand(Consumer.Ledger.Schema);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Closes the data source; the cluster is disposed by <see cref="ClusterFixture.Dispose()"/>.</summary>
    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>Produces the records keyed and with a message-id header of their id; a partition keeps the given order.</summary>
    public Task ProduceAsync(string topic, IEnumerable<(int Partition, string Id, bool Poison)> records) =>
        KafkaIo.ProduceAsync(Bootstrap, topic, records.Select(r => (r.Partition, KafkaIo.TextMessage(
            r.Id,
            $"{{\"Id\":\"{r.Id}\",\"Poison\":{(r.Poison ? "true" : "false")}}}",
            new Headers { { "message-id", Encoding.UTF8.GetBytes(r.Id) } }))));

    /// <summary>message-id header of every record of <paramref name="topic"/>, read to the end of each partition.</summary>
    public List<string> ReadIds(string topic, int partitions) =>
        [.. KafkaIo.ReadAll(Bootstrap, topic, partitions).Select(r => KafkaIo.HeaderText(r, "message-id") ?? "?")];

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
