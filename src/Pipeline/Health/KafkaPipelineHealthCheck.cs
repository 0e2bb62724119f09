using KafkaPipeline.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Health;

/// <summary>Which questions a <see cref="KafkaPipelineHealthCheck"/> answers.</summary>
public enum KafkaHealthScope
{
    /// <summary>Would a restart help? A consumer faulted, or a partition stopped at a record that could not be recovered.</summary>
    Liveness,

    /// <summary>
    /// Is the application doing its work? Everything of liveness, plus consumers starting, no broker reachable (after
    /// <see cref="KafkaHealthOptions.BrokerUnreachableGracePeriod"/>) and stalled partitions.
    /// </summary>
    Readiness,
}

/// <summary>
/// KafkaPipeline's health checks, registered as <c>kafka-pipeline-live</c> (tag <see cref="LiveTag"/>) and
/// <c>kafka-pipeline-ready</c> (tag <see cref="ReadyTag"/>). Each problem names its group and coordinates.
/// </summary>
public sealed class KafkaPipelineHealthCheck(
    KafkaConsumerMonitor monitor,
    IOptions<KafkaPipelineOptions> options,
    TimeProvider time,
    KafkaHealthScope scope) : IHealthCheck
{
    /// <summary>Tag of the liveness check.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the readiness check.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Name of the liveness check.</summary>
    public const string LiveName = "kafka-pipeline-live";

    /// <summary>Name of the readiness check.</summary>
    public const string ReadyName = "kafka-pipeline-ready";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.Health;
        var report = new HealthReportBuilder();
        var now = time.GetUtcNow();
        foreach (var status in monitor.Consumers)
        {
            var group = status.GroupId;
            if (status.State == KafkaConsumerState.Faulted)
            {
                report.Add(HealthStatus.Unhealthy, $"group '{group}' faulted: {status.Fault?.Message}");
            }

            if (status.StoppedPartitions.Count > 0)
            {
                report.Add(settings.StoppedPartitionStatus, $"group '{group}' has stopped partitions {string.Join(", ", status.StoppedPartitions)}");
            }

            if (scope == KafkaHealthScope.Liveness || status.State is KafkaConsumerState.Faulted or KafkaConsumerState.Stopped)
            {
                continue;
            }

            if (status.State == KafkaConsumerState.Starting)
            {
                report.Add(HealthStatus.Degraded, $"group '{group}' is starting");
            }

            if (status.BrokersUnreachableSince is { } since)
            {
                var down = now - since;
                report.Add(down >= settings.BrokerUnreachableGracePeriod ? HealthStatus.Unhealthy : HealthStatus.Degraded,
                    $"group '{group}' reaches no broker since {since:O} ({down.TotalSeconds:0} s; grace {settings.BrokerUnreachableGracePeriod.TotalSeconds:0} s)");
            }

            var stalled = status.Partitions.Where(p => p.Stalled).ToList();
            if (stalled.Count > 0)
            {
                report.Add(settings.StalledPartitionStatus, $"group '{group}' has stalled partitions: {string.Join("; ", stalled)}");
            }
        }

        return Task.FromResult(report.Build());
    }

    private sealed class HealthReportBuilder
    {
        private readonly List<string> _problems = [];
        private HealthStatus _status = HealthStatus.Healthy;

        public void Add(HealthStatus status, string problem)
        {
            if (status == HealthStatus.Healthy)
            {
                return;
            }

            _problems.Add(problem);
            _status = status < _status ? status : _status;
        }

        public HealthCheckResult Build() => _problems.Count == 0
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(_status, string.Join("; ", _problems));
    }
}
