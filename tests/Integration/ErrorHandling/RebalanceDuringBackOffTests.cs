using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>
/// A rebalance while a record waits for a 60 s back-off: the partition's new owner (or its old owner, which forgot the
/// partition's retry state and pause on revoke) delivers it again from the committed offset, long before the back-off is
/// over; nothing is lost. Delivery is at least once: a record handled just before the rebalance may be handled again.
/// </summary>
public sealed class RebalanceDuringBackOffTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    private static readonly TimeSpan LongBackOff = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SecondHostJoinsWhileARecordIsInBackOff_RecordRedeliveredFromCommittedOffsetNothingLost()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 2);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 2, perPartition: 20);
        var deliveries = new Deliveries();
        var recorder = new Recorder { Behavior = deliveries.Script(FailFirstDeliveryOf(partition: 0, offset: 5)) };

        await using var first = await StartAsync(recorder, topic, group, "first");
        await Eventually.True(() => deliveries.All.Any(d => !d.Succeeded), "partition 0 @5 failed and waits for its back-off");
        var failedAt = DateTime.UtcNow;
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[0] == 5, "partition 0 committed up to the waiting record");

        await using var second = await StartAsync(recorder, topic, group, "second");
        await Eventually.True(() => deliveries.Of(0, 5).Any(d => d.Succeeded), "partition 0 @5 delivered again after the rebalance", TimeSpan.FromSeconds(40));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2) is [20, 20], "both partitions committed to 20");

        // At least once: a later rebalance may hand it out again (the mock refuses commits while a group joins).
        var redelivered = deliveries.Of(0, 5).First(d => d.Succeeded);
        Assert.True(redelivered.At - failedAt < LongBackOff - TimeSpan.FromSeconds(10), "redelivered only when the back-off was over");
        Assert.Equal(1, redelivered.Attempt);
        AssertNothingLostAndOrdered(recorder, deliveries, perPartition: 20);
    }

    [Fact]
    public async Task OwnerLeavesWhileARecordIsInBackOff_OtherHostRedeliversFromCommittedOffsetNothingLost()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 2);
        var deliveries = new Deliveries();
        var recorder = new Recorder { Behavior = deliveries.Script(FailFirstDeliveryOf(partition: 0, offset: 5)) };
        var first = await StartAsync(recorder, topic, group, "first");
        var second = await StartAsync(recorder, topic, group, "second");
        try
        {
            await Eventually.True(
                () => first.Status(group).AssignedPartitions.Count == 1 && second.Status(group).AssignedPartitions.Count == 1,
                "the two hosts share the partitions");
            await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 2, perPartition: 20);
            await Eventually.True(() => deliveries.All.Any(d => !d.Succeeded), "partition 0 @5 failed and waits for its back-off");
            var failed = deliveries.All.Single(d => !d.Succeeded);
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[0] == 5, "partition 0 committed up to the waiting record");

            // The owner of partition 0 shuts down gracefully in the middle of the back-off.
            var (owner, other) = failed.Host == "first" ? (first, second) : (second, first);
            await owner.DisposeAsync();
            await Eventually.True(() => deliveries.Of(0, 5).Any(d => d.Succeeded), "partition 0 @5 delivered again by the other host", TimeSpan.FromSeconds(40));
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2) is [20, 20], "both partitions committed to 20");

            var redelivered = deliveries.Of(0, 5).Single(d => d.Succeeded);
            Assert.NotEqual(failed.Host, redelivered.Host);
            Assert.Equal(1, redelivered.Attempt);
            Assert.True(redelivered.At - failed.At < LongBackOff - TimeSpan.FromSeconds(10), "redelivered only when the back-off was over");
            Assert.Equal(1, recorder.Handled.Count(h => h.Partition == 0 && h.Offset == 5));
            AssertNothingLostAndOrdered(recorder, deliveries, perPartition: 20);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    /// <summary>Fails the first delivery of one record across all hosts; every later delivery succeeds.</summary>
    private static Action<ConsumeContext> FailFirstDeliveryOf(int partition, long offset)
    {
        var failed = 0;
        return c =>
        {
            if (c.Partition == partition && c.Offset == offset && Interlocked.Exchange(ref failed, 1) == 0)
            {
                throw new TimeoutException("downstream busy");
            }
        };
    }

    /// <summary>Every record handled at least once; in partition 0 nothing after the failed record was handled before it.</summary>
    private static void AssertNothingLostAndOrdered(Recorder recorder, Deliveries deliveries, int perPartition)
    {
        var handled = recorder.Handled;
        Assert.Equal(2 * perPartition, handled.Select(h => (h.Partition, h.Offset)).Distinct().Count());
        // Within partition 0, nothing after @5 was handled before @5 succeeded.
        var partition0 = deliveries.All.Where(d => d.Partition == 0 && d.Succeeded).ToList();
        var success = partition0.First(d => d.Offset == 5); // at least once: a later rebalance may hand it out again
        Assert.DoesNotContain(partition0, d => d.Offset > 5 && d.Sequence < success.Sequence);
    }

    private Task<PipelineHost> StartAsync(Recorder recorder, string topic, string group, string name) =>
        ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.BackOff(new FixedBackOff(LongBackOff, 3)), name: name);
}
