using KafkaPipeline.Guarantees.Tests.Support;

namespace KafkaPipeline.Guarantees.Tests;

/// <summary>A consumer that faults stops its application with a non-zero exit code, so a supervisor notices and restarts it.</summary>
public sealed class ConsumerFaultTests(GuaranteesFixture fixture) : IClassFixture<GuaranteesFixture>
{
    [Fact]
    public async Task ConsumerFaultsAfterStart_ProcessExitsWithCode70()
    {
        var runId = Guid.NewGuid().ToString("N")[..12];
        var arguments = new Dictionary<string, string>
        {
            ["Bootstrap"] = fixture.Cluster.BootstrapServers,
            ["Topic"] = "fault-" + runId,
            ["Group"] = "fault-g-" + runId,
            ["RunId"] = runId,
            ["Postgres"] = GuaranteesFixture.Postgres,
            ["Store"] = "none",
            // librdkafka refuses the unknown property when the consumer's client is built, after the host started.
            ["Kafka:Client:no.such.property"] = "1",
        };

        using var process = ConsumerProcess.Start(arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(70, exitCode);
        Assert.Contains("no.such.property", process.Output, StringComparison.Ordinal);
    }
}
