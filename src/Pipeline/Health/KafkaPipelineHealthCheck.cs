using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaPipeline.Health;

/// <summary>Unhealthy when a consumer faulted or holds a stopped partition; degraded while starting.</summary>
internal sealed class KafkaPipelineHealthCheck(KafkaConsumerMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var starting = false;
        foreach (var status in monitor.Consumers)
        {
            if (status.State == KafkaConsumerState.Faulted)
            {
                problems.Add($"group '{status.GroupId}' faulted: {status.Fault?.Message}");
            }

            if (status.StoppedPartitions.Count > 0)
            {
                problems.Add($"group '{status.GroupId}' has stopped partitions {string.Join(", ", status.StoppedPartitions)}");
            }

            starting |= status.State == KafkaConsumerState.Starting;
        }

        var result = problems.Count > 0 ? HealthCheckResult.Unhealthy(string.Join("; ", problems))
            : starting ? HealthCheckResult.Degraded("consumers starting")
            : HealthCheckResult.Healthy();
        return Task.FromResult(result);
    }
}
