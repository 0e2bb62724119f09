using KafkaPipeline.Testing;

namespace KafkaPipeline.IntegrationTests.Support;

/// <summary>One embedded cluster per test class; tests use unique topic and group names.</summary>
public sealed class ClusterFixture : IDisposable
{
    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start(brokers: 3);

    public string Bootstrap => Cluster.BootstrapServers;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public void Dispose() => Cluster.Dispose();
}
