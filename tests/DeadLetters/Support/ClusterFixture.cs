using KafkaPipeline.Testing;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>One embedded cluster per test class; tests use unique topic and group names.</summary>
public sealed class ClusterFixture : IDisposable
{
    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start(brokers: 1);

    public string Bootstrap => Cluster.BootstrapServers;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Creates <c>&lt;name&gt;</c> and <c>&lt;name&gt;-dlt</c> with <paramref name="partitions"/> partitions each; returns the original topic name.</summary>
    public string CreateTopics(string prefix, int partitions = 3)
    {
        var topic = Unique(prefix);
        Cluster.CreateTopic(topic, partitions);
        Cluster.CreateTopic(topic + "-dlt", partitions);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}
