using Confluent.Kafka;

namespace KafkaPipeline.Tests.Support;

/// <summary>
/// Plain Confluent clients for a test's embedded cluster, with librdkafka's own log lines silenced
/// (<c>EmbeddedKafkaCluster.Start</c> has already loaded librdkafka for Confluent.Kafka).
/// </summary>
public static class KafkaClients
{
    public static IProducer<TKey, TValue> Producer<TKey, TValue>(string bootstrap, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig { BootstrapServers = bootstrap };
        configure?.Invoke(config);
        return new ProducerBuilder<TKey, TValue>(config).SetLogHandler(static (_, _) => { }).Build();
    }

    public static IConsumer<TKey, TValue> Consumer<TKey, TValue>(string bootstrap, string groupId, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId };
        configure?.Invoke(config);
        return new ConsumerBuilder<TKey, TValue>(config).SetLogHandler(static (_, _) => { }).Build();
    }

    public static IAdminClient Admin(string bootstrap, Action<AdminClientConfig>? configure = null)
    {
        var config = new AdminClientConfig { BootstrapServers = bootstrap };
        configure?.Invoke(config);
        return new AdminClientBuilder(config).SetLogHandler(static (_, _) => { }).Build();
    }
}
