using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Deduplication.PostgreSql.Inbox;
using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

/// <summary>
/// The inbox placed with <c>ConfigurePipeline(p =&gt; p.UsePostgreSqlInbox())</c> in a real host on the embedded
/// Kafka cluster: handlers get the transaction, duplicates are skipped and committed.
/// </summary>
public sealed class PostgreSqlInboxEndToEndTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>, IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly string _topic = ClusterFixture.Unique("payments");
    private readonly string _group = ClusterFixture.Unique("billing");
    private readonly string _work = "charges_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Host_SamePaymentIdTwice_ChargedOnceMarkCommittedOffsetsPastAll()
    {
        fixture.Cluster.CreateTopic(_topic);
        await ProduceAsync(("p-1", "{\"Id\":\"p-1\",\"Amount\":10}"), ("p-1", "{\"Id\":\"p-1\",\"Amount\":10}"), ("p-2", "{\"Id\":\"p-2\",\"Amount\":20}"));

        await using var host = await StartHostAsync();
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, _group, _topic, 1) is [3], "offsets of all three records committed");
        await host.StopAsync();

        Assert.Equal(["p-1:10", "p-2:20"], await ChargesAsync());
        Assert.Equal("processed", await _db.StateAsync($"{_group}|p-1"));
        Assert.Equal("processed", await _db.StateAsync($"{_group}|p-2"));
    }

    public async Task InitializeAsync() => await TestDatabase.ExecuteAsync($"CREATE TABLE {_work} (payment_id text NOT NULL, amount int NOT NULL)");

    public async Task DisposeAsync()
    {
        await TestDatabase.ExecuteAsync($"DROP TABLE IF EXISTS {_work}");
        await _db.DisposeAsync();
    }

    private Task<PipelineHost> StartHostAsync() =>
        PipelineHost.StartAsync(
            fixture.Bootstrap,
            b => b
                .AddHandler<ChargeHandler>(_topic, _group)
                .AddPostgreSqlInbox(o =>
                {
                    o.ConnectionString = TestDatabase.ConnectionString;
                    o.TableName = _db.Table;
                })
                .ConfigurePipeline(p => p.UsePostgreSqlInbox()),
            services: s => s.AddSingleton(new ChargeTable(_work)));

    private Task ProduceAsync(params (string Id, string Json)[] records) =>
        KafkaIo.ProduceAsync(fixture.Bootstrap, _topic, 0, records.Select(r =>
            KafkaIo.TextMessage(null, r.Json, new Headers { { "message-id", Encoding.UTF8.GetBytes(r.Id) } })));

    private async Task<List<string>> ChargesAsync()
    {
        await using var command = TestDatabase.DataSource.CreateCommand($"SELECT payment_id || ':' || amount FROM {_work} ORDER BY payment_id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public sealed record Payment(string Id, int Amount);

    private sealed record ChargeTable(string Name);

    private sealed class ChargeHandler(ChargeTable table) : IMessageHandler<Payment>
    {
        public async ValueTask HandleAsync(Payment message, ConsumeContext context, CancellationToken cancellationToken)
        {
            await using var command = context.GetInboxTransaction().CreateCommand($"INSERT INTO {table.Name} (payment_id, amount) VALUES (@id, @amount)");
            command.Parameters.AddWithValue("id", message.Id);
            command.Parameters.AddWithValue("amount", message.Amount);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
