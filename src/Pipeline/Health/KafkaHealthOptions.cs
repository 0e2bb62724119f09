using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaPipeline.Health;

/// <summary>How the health checks judge the consumers (section <c>Kafka:Health</c>).</summary>
public sealed class KafkaHealthOptions
{
    /// <summary>
    /// How long no broker may be reachable before the readiness check reports Unhealthy (Degraded until then): a broker
    /// restart or a short network glitch does not flip readiness. Default 30 s.
    /// </summary>
    public TimeSpan BrokerUnreachableGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A partition with work (lag above zero, or fetched records not done) whose commit position has not moved for this
    /// long is stalled, and reported with its coordinates. Default 5 min; choose it above your longest back-off.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What a stalled partition makes the readiness check report. Default Degraded (Healthy turns it off).</summary>
    public HealthStatus StalledPartitionStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>What a stopped partition (a record that could not be recovered) makes both checks report. Default Unhealthy.</summary>
    public HealthStatus StoppedPartitionStatus { get; set; } = HealthStatus.Unhealthy;

    /// <summary>
    /// librdkafka's <c>statistics.interval.ms</c> when <c>Kafka:Client</c> does not set it: lag and broker states come from
    /// these statistics. Default 5 s; zero turns statistics off (lag unknown, reachability from client errors only).
    /// </summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Run the no-loss checklist at start: warn when a consumed or dead-letter topic has replication factor below 3,
    /// <c>min.insync.replicas</c> below 2 or <c>unclean.leader.election.enable=true</c>. Default true.
    /// </summary>
    public bool NoLossChecklist { get; set; } = true;

    internal void Validate(string path, List<string> errors)
    {
        if (BrokerUnreachableGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"{path}:BrokerUnreachableGracePeriod is {BrokerUnreachableGracePeriod}. Fix: use 0 or more (default 00:00:30).");
        }

        if (StallTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:StallTimeout is {StallTimeout}. Fix: use a positive duration (default 00:05:00); set StalledPartitionStatus to Healthy to ignore stalls.");
        }

        if (StatisticsInterval < TimeSpan.Zero || StatisticsInterval.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{path}:StatisticsInterval is {StatisticsInterval}. Fix: use 0 (off) or a positive duration (default 00:00:05).");
        }
    }
}
