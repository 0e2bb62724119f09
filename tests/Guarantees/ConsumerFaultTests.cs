using Confluent.Kafka;
using KafkaPipeline.Guarantees.Tests.Support;
using KafkaPipeline.Testing;

namespace KafkaPipeline.Guarantees.Tests;

/// <summary>
/// A consumer that cannot run stops its application with a non-zero exit code, so a supervisor notices: settings
/// librdkafka refuses fail the start itself (before the host reports started); a consumer that faults later exits 70.
/// </summary>
public sealed class ConsumerFaultTests(GuaranteesFixture fixture) : IClassFixture<GuaranteesFixture>
{
    [Fact]
    public async Task UnknownLibrdkafkaSetting_ProcessFailsAtStartWithNonZeroExitCode()
    {
        var arguments = Arguments("fault");
        arguments["Kafka:Client:no.such.property"] = "1";

        using var process = ConsumerProcess.Start(arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Kafka:Client:no.such.property is not a librdkafka setting", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTED", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumerFaultsAfterStart_ProcessExitsWithCode70()
    {
        var arguments = Arguments("fenced");
        var group = arguments["Group"];

        // Static membership: a broker answering FENCED_INSTANCE_ID is a fatal error for the consumer (another instance
        // took its group.instance.id), which faults it after the host started.
        arguments[$"Kafka:Consumers:{group}:Client:group.instance.id"] = "instance-1";
        fixture.Cluster.CreateTopic(arguments["Topic"], partitions: 1);
        using var process = ConsumerProcess.Start(arguments);
        await fixture.ProduceAsync(arguments["Topic"], [(0, "m-1", false)]);
        await process.WaitForLineAsync("COMPLETED", TimeSpan.FromSeconds(60));
        fixture.Cluster.PushRequestErrors(KafkaApiKey.Heartbeat, Enumerable.Repeat(ErrorCode.FencedInstanceId, 50).ToArray());
        fixture.Cluster.PushRequestErrors(KafkaApiKey.JoinGroup, Enumerable.Repeat(ErrorCode.FencedInstanceId, 50).ToArray());
        fixture.Cluster.PushRequestErrors(KafkaApiKey.SyncGroup, Enumerable.Repeat(ErrorCode.FencedInstanceId, 50).ToArray());
        fixture.Cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.FencedInstanceId, 50).ToArray());

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(70, exitCode);
        Assert.Contains("fenced", process.Output, StringComparison.OrdinalIgnoreCase);
    }

    private Dictionary<string, string> Arguments(string prefix)
    {
        var runId = Guid.NewGuid().ToString("N")[..12];
        return new Dictionary<string, string>
        {
            ["Bootstrap"] = fixture.Cluster.BootstrapServers,
            ["Topic"] = $"{prefix}-{runId}",
            ["Group"] = $"{prefix}-g-{runId}",
            ["RunId"] = runId,
            ["Postgres"] = GuaranteesFixture.Postgres,
            ["Store"] = "none",
        };
    }
}
