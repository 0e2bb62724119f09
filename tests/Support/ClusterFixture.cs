using KafkaPipeline.Testing;

namespace KafkaPipeline.Tests.Support;

/// <summary>
/// One embedded Kafka cluster per test class (an xUnit class fixture: <see cref="OneBrokerCluster"/> or
/// <see cref="ThreeBrokerCluster"/>, or a project's own subclass); tests use unique topic and group names.
/// </summary>
public abstract class ClusterFixture : IDisposable
{
    protected ClusterFixture(int brokers) => Cluster = EmbeddedKafkaCluster.Start(brokers);

    public EmbeddedKafkaCluster Cluster { get; }

    public string Bootstrap => Cluster.BootstrapServers;

    /// <summary>
    /// <paramref name="prefix"/>, a dash and 8 random hex digits: a topic or group name no other test of the class uses
    /// (kept short: the kafka-dlt tests assert on tables and prompts that show topic names at a fixed width).
    /// </summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Creates a topic with a unique name and <paramref name="partitions"/> partitions; returns its name.</summary>
    public string CreateTopic(string prefix, int partitions = 1)
    {
        var topic = Unique(prefix);
        Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>Creates <c>&lt;name&gt;</c> and <c>&lt;name&gt;-dlt</c> with <paramref name="partitions"/> partitions each; returns the original topic's name.</summary>
    public string CreateTopicWithDeadLetters(string prefix, int partitions = 3)
    {
        var topic = CreateTopic(prefix, partitions);
        Cluster.CreateTopic(topic + "-dlt", partitions);
        return topic;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Cluster.Dispose();
        }
    }
}

/// <summary>A one-broker embedded cluster per test class.</summary>
public sealed class OneBrokerCluster() : ClusterFixture(brokers: 1);

/// <summary>A three-broker embedded cluster per test class (for broker outages and coordinator moves).</summary>
public sealed class ThreeBrokerCluster() : ClusterFixture(brokers: 3);
