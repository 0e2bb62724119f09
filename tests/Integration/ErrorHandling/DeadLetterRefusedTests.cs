using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>
/// A dead letter refused for good (here: larger than the producer's message.max.bytes) is neither skipped nor retried
/// silently for ever: its partition stops at once, the consumer reports unhealthy, the refusal is explained, and other
/// partitions flow. A restart with the limit raised dead-letters it.
/// </summary>
public sealed class DeadLetterRefusedTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task DeadLetterTooLarge_PartitionStopsAtOnceUnhealthyOthersFlow_RestartWithLargerLimitRecovers()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 2);
        fixture.Cluster.CreateTopic(topic + "-dlt", 2);
        var big = "{" + new string('x', 20_000); // malformed JSON: not retryable, straight to the recoverer
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, [(0, "a", "{\"id\":1,\"seq\":0}", null), (0, "a", big, null), (0, "a", "{\"id\":2,\"seq\":2}", null)]);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, [(1, "b", "{\"id\":3,\"seq\":0}", null), (1, "b", "{\"id\":4,\"seq\":1}", null)]);
        var events = new RetryEvents();
        var recorder = new Recorder();
        var small = new Dictionary<string, string?> { ["Kafka:ErrorHandling:DeadLetterProducer:Client:message.max.bytes"] = "10000" };

        await using (var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.AddRetryListener(events), small))
        {
            var status = host.Status(group);
            await Eventually.True(() => status.StoppedPartitions.Count == 1, "partition 0 stopped");
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[1] == 2, "partition 1 committed to 2");

            Assert.Equal(new TopicPartition(topic, 0), Assert.Single(status.StoppedPartitions));
            Assert.Equal(1L, KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[0]);
            var refusal = Assert.IsType<RecoveryRefusedException>(Assert.Single(events.RecoveryFailures)); // once: no silent spinning
            Assert.Contains("max.message.bytes", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(ErrorCode.MsgSizeTooLarge, Assert.IsAssignableFrom<KafkaException>(refusal.InnerException).Error.Code);
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
            Assert.DoesNotContain(recorder.Handled, h => h is { Partition: 0, Offset: 2 });
        }

        // The operator raises the limit and restarts: the record is dead-lettered, whole, and the partition goes on.
        await using var restarted = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.AddRetryListener(events), name: "restarted");
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[0] == 3, "partition 0 committed to 3 after the restart");
        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 1));
        Assert.Equal(big, Encoding.UTF8.GetString(deadLetter.Message.Value!));
    }
}
