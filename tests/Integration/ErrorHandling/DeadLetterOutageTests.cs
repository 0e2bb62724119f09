using Confluent.Kafka;
using KafkaPipeline.Health;
using KafkaPipeline.Testing;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>
/// The dead-letter topic is unreachable (fault injection on the embedded cluster): nothing is committed past the record,
/// and it is dead-lettered once the topic is back — or, with a bound on failed recoveries, its partition stops.
/// Source partitions are led by broker 1 and groups coordinated by broker 2; broker 3 leads the dead-letter topic.
/// </summary>
public sealed class DeadLetterOutageTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    private const int DeadLetterBroker = 3;

    [Fact]
    public async Task DeadLetterLeaderDown_NothingCommittedPastTheRecord_DeadLetteredOnceWhenTheBrokerIsBack()
    {
        var (topic, group) = Names(partitions: 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 6);
        var events = new RetryEvents();
        var recorder = new Recorder { Behavior = c => c.Offset == 2 ? throw new InvalidOrderException("rejected") : ValueTask.CompletedTask };
        fixture.Cluster.SetBrokerDown(DeadLetterBroker);
        try
        {
            await using var host = await StartAsync(recorder, topic, group, events);
            await Eventually.True(() => events.Count("recovery-failed") >= 2, "two failed recoveries while the dead-letter leader is down");

            Assert.Equal([2L], KafkaIo.Committed(fixture.Bootstrap, group, topic, 1));
            Assert.Equal([0L, 1L], recorder.Handled.Select(h => h.Offset));
            Assert.All(events.RecoveryFailures, f => Assert.Equal(ErrorCode.Local_MsgTimedOut, Assert.IsAssignableFrom<KafkaException>(f).Error.Code));

            fixture.Cluster.SetBrokerUp(DeadLetterBroker);
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 6, "offset 6 committed after the broker came back");
        }
        finally
        {
            fixture.Cluster.SetBrokerUp(DeadLetterBroker);
        }

        Assert.Equal([0L, 1L, 3L, 4L, 5L], recorder.Handled.Select(h => h.Offset));
        Assert.Equal(1, events.Count("recovered"));
        Assert.Equal([1L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 1));
        DeadLetterTopics.AssertDeadLetterOf(
            deadLetter, KafkaIo.ReadAt(fixture.Bootstrap, topic, 0, 2), group, typeof(InvalidOrderException).FullName!, causeType: null, "rejected");
    }

    [Fact]
    public async Task ProduceRequestsRejected_RecoveryRetriedUntilAccepted_OneDeadLetterNoLoss()
    {
        var (topic, group) = Names(partitions: 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 4);
        var events = new RetryEvents();
        var recorder = new Recorder
        {
            Behavior = c =>
            {
                if (c.Offset == 1)
                {
                    if (c.DeliveryAttempt == 1)
                    {
                        // The next three produce requests (only the dead-letter producer's from now on) are refused.
                        fixture.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed);
                    }

                    throw new InvalidOrderException("rejected");
                }

                return ValueTask.CompletedTask;
            },
        };

        await using var host = await StartAsync(recorder, topic, group, events);
        await Eventually.True(() => events.Count("recovery-failed") >= 1, "a failed recovery");
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1) is [1L], "committed up to the record whose recovery fails");
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 4, "offset 4 committed");

        // Each refused request failed one recovery; librdkafka may also fail a publish from the topic error it cached.
        Assert.InRange(events.Count("recovery-failed"), 3, 20);
        Assert.All(events.RecoveryFailures, f => Assert.Equal(ErrorCode.TopicAuthorizationFailed, Assert.IsAssignableFrom<KafkaException>(f).Error.Code));
        Assert.Equal(1, events.Count("recovered"));
        Assert.Equal([0L, 2L, 3L], recorder.Handled.Select(h => h.Offset));
        Assert.Equal([1L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
    }

    [Fact]
    public async Task RecoveryFailuresBounded_PartitionStopsUnhealthyNothingCommittedPast_OtherPartitionFlows_RestartRecovers()
    {
        var (topic, group) = Names(partitions: 2);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 2, perPartition: 5);
        var events = new RetryEvents();
        var recorder = new Recorder
        {
            Behavior = c => c.Partition == 0 && c.Offset == 2 ? throw new InvalidOrderException("rejected") : ValueTask.CompletedTask,
        };
        fixture.Cluster.SetBrokerDown(DeadLetterBroker);
        try
        {
            await using (var host = await StartAsync(recorder, topic, group, events, eh => eh.MaxRecoveryFailures(2)))
            {
                var status = host.Status(group);
                await Eventually.True(() => status.StoppedPartitions.Count == 1, "partition 0 stopped");

                Assert.Equal(new TopicPartition(topic, 0), Assert.Single(status.StoppedPartitions));
                Assert.Equal(2, events.Count("recovery-failed"));
                var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
                Assert.Equal(HealthStatus.Unhealthy, health.Status);
                Assert.Equal(KafkaConsumerState.Running, status.State);

                // The dead-letter topic is back and more records arrive: partition 1 flows, partition 0 stays stopped.
                fixture.Cluster.SetBrokerUp(DeadLetterBroker);
                await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 2, perPartition: 3, startId: 100);
                await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[1] == 8, "partition 1 committed to 8");

                Assert.Equal(2L, KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[0]);
                Assert.Equal([0L, 1L], recorder.Handled.Where(h => h.Partition == 0).Select(h => h.Offset));
                Assert.Single(status.StoppedPartitions);
                Assert.Equal(2, events.Count("recovery-failed"));
                Assert.Equal([0L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
            }

            // An operator restarts the application: the stopped record is delivered again and dead-lettered.
            await using var restarted = await StartAsync(recorder, topic, group, events, name: "restarted");
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[0] == 8, "partition 0 committed to 8 after the restart");
        }
        finally
        {
            fixture.Cluster.SetBrokerUp(DeadLetterBroker);
        }

        Assert.Equal([3L, 4L, 5L, 6L, 7L], recorder.Handled.Where(h => h is { Partition: 0, Host: "restarted" }).Select(h => h.Offset));
        Assert.Equal(1, events.Count("recovered"));
        Assert.Equal([1L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
    }

    private (string Topic, string Group) Names(int partitions)
    {
        var topic = ClusterFixture.Unique("orders");
        fixture.Cluster.CreateTopic(topic, partitions);
        fixture.Cluster.CreateTopic(topic + "-dlt", partitions);
        for (var p = 0; p < partitions; p++)
        {
            fixture.Cluster.SetPartitionLeader(topic, p, 1);
            fixture.Cluster.SetPartitionLeader(topic + "-dlt", p, DeadLetterBroker);
        }

        return (topic, Coordinators.GroupOnBroker2());
    }

    private Task<PipelineHost> StartAsync(
        Recorder recorder, string topic, string group, RetryEvents events, Action<KafkaPipeline.ErrorHandling.DependencyInjection.DefaultErrorHandlerBuilder>? configure = null, string name = "host") =>
        ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh =>
        {
            eh.NotRetryable<InvalidOrderException>().RecoveryFailureDelay(TimeSpan.FromMilliseconds(300)).AddRetryListener(events);
            configure?.Invoke(eh);
        },
        new Dictionary<string, string?>
        {
            ["Kafka:ErrorHandling:DeadLetter:PublishRetries"] = "0",
            ["Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimeout"] = "00:00:01.500",
        },
        name);
}
