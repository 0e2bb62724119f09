using KafkaPipeline.Deduplication.Tests.Support;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Deduplication.PostgreSql.Inbox;
using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;
using KafkaPipeline.Native;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

/// <summary>
/// The inbox placed with <c>ConfigurePipeline(p =&gt; p.UsePostgreSqlInbox())</c> in a real host on the embedded
/// Kafka cluster: handlers get the transaction, duplicates are skipped and committed.
/// </summary>
public sealed class PostgreSqlInboxEndToEndTests : IAsyncLifetime
{
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly TestDatabase _db = new();
    private readonly string _topic = "payments-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _group = "billing-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _work = "charges_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Host_SamePaymentIdTwice_ChargedOnceMarkCommittedOffsetsPastAll()
    {
        _cluster.CreateTopic(_topic);
        await ProduceAsync(("p-1", "{\"Id\":\"p-1\",\"Amount\":10}"), ("p-1", "{\"Id\":\"p-1\",\"Amount\":10}"), ("p-2", "{\"Id\":\"p-2\",\"Amount\":20}"));

        using var host = await StartHostAsync();
        await Eventually.True(() => Task.FromResult(Committed() == 3), "offsets of all three records committed", TimeSpan.FromSeconds(30));
        await host.StopAsync();

        Assert.Equal(["p-1:10", "p-2:20"], await ChargesAsync());
        Assert.Equal("processed", await _db.StateAsync($"{_group}|p-1"));
        Assert.Equal("processed", await _db.StateAsync($"{_group}|p-2"));
    }

    public async Task InitializeAsync() => await TestDatabase.ExecuteAsync($"CREATE TABLE {_work} (payment_id text NOT NULL, amount int NOT NULL)");

    public async Task DisposeAsync()
    {
        _cluster.Dispose();
        await TestDatabase.ExecuteAsync($"DROP TABLE IF EXISTS {_work}");
        await _db.DisposeAsync();
    }

    private async Task<IHost> StartHostAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = _cluster.BootstrapServers });
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.Services.AddSingleton(new ChargeTable(_work));
        builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
            .AddHandler<ChargeHandler>(_topic, _group)
            .AddPostgreSqlInbox(o =>
            {
                o.ConnectionString = TestDatabase.ConnectionString;
                o.TableName = _db.Table;
            })
            .ConfigurePipeline(p => p.UsePostgreSqlInbox());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task ProduceAsync(params (string Id, string Json)[] records)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        foreach (var (id, json) in records)
        {
            await producer.ProduceAsync(_topic, new Message<byte[]?, byte[]?>
            {
                Value = Encoding.UTF8.GetBytes(json),
                Headers = new Headers { { "message-id", Encoding.UTF8.GetBytes(id) } },
            });
        }
    }

    private long Committed()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = _group }).Build();
        return consumer.Committed([new TopicPartition(_topic, 0)], TimeSpan.FromSeconds(10))[0].Offset.Value;
    }

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
