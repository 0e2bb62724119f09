using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Health;
using KafkaPipeline.Native;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaPipeline.Cli.Demo;

/// <summary>
/// An EmbeddedKafkaCluster (librdkafka's mock brokers, loopback only) running a real KafkaPipeline consumer whose
/// failures fill <c>orders-dlt</c> through the default error handler's dead-letter recoverer.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    public const string Topic = "orders";
    public const string DeadLetterTopic = "orders-dlt";
    public const string Group = "billing";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly EmbeddedKafkaCluster _cluster;
    private readonly IHost _host;

    private DemoEnvironment(EmbeddedKafkaCluster cluster, IHost host, DemoBilling billing)
    {
        _cluster = cluster;
        _host = host;
        Billing = billing;
    }

    public string BootstrapServers => _cluster.BootstrapServers;

    public DemoBilling Billing { get; }

    public int DeadLetters { get; private set; }

    public static async Task<DemoEnvironment> StartAsync(CliConsole console, CancellationToken cancellationToken)
    {
        console.WriteInfo("Embedded demo: starting a Kafka cluster on loopback and a 'billing' pipeline that consumes 'orders'...");
        var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        IHost? host = null;
        try
        {
            cluster.CreateTopic(Topic, partitions: 3);
            cluster.CreateTopic(DeadLetterTopic, partitions: 3);
            var billing = new DemoBilling();
            host = BuildHost(cluster.BootstrapServers, billing);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var demo = new DemoEnvironment(cluster, host, billing);
            var records = DemoRecords.Create(out var deadLetters);
            await demo.ProduceAsync(records, cancellationToken).ConfigureAwait(false);
            await demo.WaitUntilCaughtUpAsync(records.Count, cancellationToken).ConfigureAwait(false);
            demo.DeadLetters = deadLetters;
            console.WriteInfo($"Embedded demo: Kafka at {cluster.BootstrapServers}; {records.Count} records produced to '{Topic}', "
                + $"{billing.Processed} processed, {deadLetters} dead-lettered to '{DeadLetterTopic}' (invalid amounts, declined payments, malformed JSON).");
            return demo;
        }
        catch
        {
            if (host is not null)
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
                host.Dispose();
            }

            cluster.Dispose();
            throw;
        }
    }

    /// <summary>"Deploys the fix": refunds and the other currency are accepted from now on (malformed JSON still fails).</summary>
    public void DeployFix() => Billing.Fixed = true;

    /// <summary>Waits until the pipeline completed every record of <c>orders</c> (replays included).</summary>
    public async Task WaitUntilCaughtUpAsync(long? records = null, CancellationToken cancellationToken = default)
    {
        var expected = records ?? TopicSize();
        var monitor = _host.Services.GetRequiredService<KafkaConsumerMonitor>();
        var deadline = DateTime.UtcNow + Deadline;
        while ((monitor.Find(Group)?.RecordsCompleted ?? 0) < expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The demo pipeline did not complete {expected} records of '{Topic}' within {Deadline.TotalSeconds} s.");
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _host.Dispose();
        _cluster.Dispose();
    }

    private static IHost BuildHost(string bootstrap, DemoBilling billing)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:Client:topic.metadata.refresh.interval.ms"] = "1000",
            ["Kafka:Consumers:billing:AutoCommitInterval"] = "00:00:00.200",
        });
        builder.Services.AddSingleton(billing);
        builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
            .AddHandler<DemoBillingHandler>(Topic, Group)
            .UseDefaultErrorHandler(eh => eh
                .BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(100), maxAttempts: 2))
                .NotRetryable<InvalidOrderException>());
        return builder.Build();
    }

    private async Task ProduceAsync(List<(string Key, string Value)> records, CancellationToken cancellationToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
        }).SetLogHandler((_, _) => { }).Build();
        var number = 0;
        foreach (var (key, value) in records)
        {
            number++;
            await producer.ProduceAsync(Topic, new Message<string, string>
            {
                Key = key,
                Value = value,
                Headers = new Headers { { "message-id", Encoding.UTF8.GetBytes($"demo-{number}") } },
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private long TopicSize()
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "kafka-dlt-demo-size" })
            .SetLogHandler((_, _) => { }).Build();
        return Enumerable.Range(0, 3).Sum(p =>
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(5));
            return marks.High.Value - marks.Low.Value;
        });
    }
}
