using Confluent.Kafka;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.Testing.Tests;

/// <summary>Confluent clients (<see cref="KafkaClients"/>) pointed at an <see cref="EmbeddedKafkaCluster"/>, tuned to notice faults quickly.</summary>
internal static class TestClients
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static IProducer<Null, string> Producer(EmbeddedKafkaCluster cluster, Action<ProducerConfig>? configure = null) =>
        KafkaClients.Producer<Null, string>(cluster.BootstrapServers, config =>
        {
            config.ReconnectBackoffMs = 10;
            config.ReconnectBackoffMaxMs = 100;
            configure?.Invoke(config);
        });

    public static IConsumer<Null, string> Consumer(EmbeddedKafkaCluster cluster, string groupId) =>
        KafkaClients.Consumer<Null, string>(cluster.BootstrapServers, groupId, config =>
        {
            config.AutoOffsetReset = AutoOffsetReset.Earliest;
            config.SessionTimeoutMs = 6000;
            config.HeartbeatIntervalMs = 500;
        });

    public static IAdminClient Admin(EmbeddedKafkaCluster cluster) => KafkaClients.Admin(cluster.BootstrapServers);

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
