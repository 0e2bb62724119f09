namespace KafkaPipeline.Testing;

/// <summary>Options for <see cref="EmbeddedKafkaCluster.Start(EmbeddedKafkaClusterOptions)"/>.</summary>
/// <remarks>
/// Topics that clients auto-create (by producing to or asking metadata for an unknown topic) get the
/// mock's fixed defaults: 4 partitions and a replication factor of min(3, brokers). librdkafka offers
/// no way to change those; call <see cref="EmbeddedKafkaCluster.CreateTopic"/> for another layout.
/// </remarks>
public sealed class EmbeddedKafkaClusterOptions
{
    /// <summary>Number of brokers, with ids 1..<see cref="BrokerCount"/>. Default 1.</summary>
    public int BrokerCount { get; init; } = 1;

    /// <summary>
    /// The brokers' <c>group.initial.rebalance.delay.ms</c>. Default zero, so consumer groups form at once
    /// (the mock's own default is 3 seconds, as on a real broker).
    /// </summary>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.Zero;

    internal void Validate()
    {
        var errors = new List<string>();
        if (BrokerCount < 1)
        {
            errors.Add($"{nameof(BrokerCount)} must be at least 1 (was {BrokerCount}).");
        }

        if (!EmbeddedKafkaCluster.IsValidMilliseconds(InitialRebalanceDelay))
        {
            errors.Add($"{nameof(InitialRebalanceDelay)} must be between zero and {int.MaxValue} ms (was {InitialRebalanceDelay}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid EmbeddedKafkaClusterOptions: " + string.Join(" ", errors), "options");
        }
    }
}
