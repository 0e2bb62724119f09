using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.Testing.Tests;

/// <summary>Confluent clients pointed at an <see cref="EmbeddedKafkaCluster"/>, tuned to notice faults quickly.</summary>
internal static class TestClients
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static IProducer<Null, string> Producer(EmbeddedKafkaCluster cluster, Action<ProducerConfig>? configure = null)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            ReconnectBackoffMs = 10,
            ReconnectBackoffMaxMs = 100,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<Null, string>(config).SetLogHandler(static (_, _) => { }).Build();
    }

    public static IConsumer<Null, string> Consumer(EmbeddedKafkaCluster cluster, string groupId)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        };
        return new ConsumerBuilder<Null, string>(config).SetLogHandler(static (_, _) => { }).Build();
    }

    public static IAdminClient Admin(EmbeddedKafkaCluster cluster)
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers })
            .SetLogHandler(static (_, _) => { })
            .Build();
    }

    /// <summary>Produces <paramref name="value"/> again and again until one delivery succeeds or the deadline passes.</summary>
    public static async Task<DeliveryResult<Null, string>> ProduceUntilDeliveredAsync(
        IProducer<Null, string> producer, string topic, string value)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                return await producer.ProduceAsync(topic, new Message<Null, string> { Value = value });
            }
            catch (ProduceException<Null, string>) when (DateTime.UtcNow < deadline)
            {
                // Not delivered yet (the fault is still clearing); try again until the deadline.
            }
        }
    }
}
