using KafkaPipeline.Health;
using KafkaPipeline.IntegrationTests.ErrorHandling;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.IntegrationTests.Observability;

/// <summary>Readiness and liveness of real consumers, and the no-loss checklist against the embedded cluster.</summary>
public sealed class HealthAndChecklistTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task Readiness_NoBrokerReachable_UnhealthyAfterGracePeriodLivenessHealthyAndClientErrorsCollapsed()
    {
        var logs = new ListLogger();
        await using var host = await PipelineHost.StartAsync(
            "127.0.0.1:1",
            new Recorder(),
            b => b.AddHandler<OrderHandler>("nowhere", "unreachable"),
            new Dictionary<string, string?>
            {
                ["Kafka:Health:BrokerUnreachableGracePeriod"] = "00:00:01",
                ["Kafka:Client:reconnect.backoff.ms"] = "10",
                ["Kafka:Client:reconnect.backoff.max.ms"] = "20",
            },
            services: logs.Register);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        await Eventually.True(() => health.CheckHealthAsync(r => r.Tags.Contains(KafkaPipelineHealthCheck.ReadyTag)).Result.Status == HealthStatus.Unhealthy,
            "readiness unhealthy once the grace period passed", TimeSpan.FromSeconds(20));
        var ready = await health.CheckHealthAsync(r => r.Tags.Contains(KafkaPipelineHealthCheck.ReadyTag));
        Assert.Contains("group 'unreachable' reaches no broker since", ready.Entries[KafkaPipelineHealthCheck.ReadyName].Description);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Tags.Contains(KafkaPipelineHealthCheck.LiveTag))).Status);

        // librdkafka retried the connection many times: each distinct client error is logged once in this minute.
        var errors = logs.Entries.Where(e => e.EventId.Id == 1101).ToList();
        Assert.NotEmpty(errors);
        Assert.Equal(errors.Count, errors.Select(e => RepeatKey(e.Message)).Distinct().Count());
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 1008);
    }

    [Fact]
    public async Task Readiness_HandlerHangs_PartitionReportedStalledWithCoordinatesThenHealthyAfterItFinishes()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1, prefix: "stalled");
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 3);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder { Behavior = async c => { if (c.Offset == 1) { await release.Task; } } };

        await using var host = await PipelineHost.StartAsync(
            fixture.Bootstrap,
            recorder,
            b => b.AddHandler<OrderHandler>(topic, group),
            new Dictionary<string, string?>
            {
                [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord",
                ["Kafka:Health:StallTimeout"] = "00:00:01",
                ["Kafka:Health:StatisticsInterval"] = "00:00:00.200",
            });
        var health = host.Services.GetRequiredService<HealthCheckService>();

        string? description = null;
        await Eventually.True(() => (description = health.CheckHealthAsync().Result.Entries[KafkaPipelineHealthCheck.ReadyName].Description)?.Contains("stalled", StringComparison.Ordinal) == true,
            "the partition is reported stalled");
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(r => r.Tags.Contains(KafkaPipelineHealthCheck.ReadyTag))).Status);
        Assert.Contains($"group '{group}' has stalled partitions: {topic} [0] at offset 1", description);
        Assert.True(host.Status(group).Partitions.Single().Stalled);

        release.SetResult();
        await Eventually.True(() => health.CheckHealthAsync().Result.Status == HealthStatus.Healthy, "healthy once the record finished");
        Assert.Equal(3, recorder.Count);
    }

    [Fact]
    public async Task NoLossChecklist_MockCluster_WarnsAboutReplicationFactorAndSaysWhetherConfigsWereChecked()
    {
        var topic = ClusterFixture.Unique("checked");
        fixture.Cluster.CreateTopic(topic, 1, replicationFactor: 1);
        fixture.Cluster.CreateTopic(topic + "-dlt", 1, replicationFactor: 3);
        var group = ClusterFixture.Unique("group");
        var logs = new ListLogger();

        await using var host = await PipelineHost.StartAsync(
            fixture.Bootstrap,
            new Recorder(),
            b => b.AddHandler<OrderHandler>(topic, group).UseDefaultErrorHandler(),
            services: logs.Register);

        // The mock cluster has no controller: DescribeConfigs times out, so only the replication factor (metadata) is checked.
        await Eventually.True(() => logs.Entries.Any(e => e.EventId.Id == 1110), "the checklist warned");
        var checklist = logs.Entries.Where(e => e.Category == "KafkaPipeline.Checklist").ToList();
        var warning = Assert.Single(checklist, e => e.EventId.Id == 1110);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"topic '{topic}' (consumed) has replication factor 1", warning.Message);
        Assert.Contains("Fix: recreate or reassign it with replication factor 3", warning.Message);
        var skipped = Assert.Single(checklist, e => e.EventId.Id == 1112);
        Assert.Equal(LogLevel.Debug, skipped.Level);
        Assert.DoesNotContain(checklist, e => e.EventId.Id == 1111); // nothing claims the unchecked settings passed
    }

    private static string RepeatKey(string message) => KafkaPipeline.Diagnostics.RepeatGate.Normalize(message);
}
