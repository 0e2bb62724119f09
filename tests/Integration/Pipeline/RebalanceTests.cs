using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.Pipeline;

public sealed class RebalanceTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task SecondConsumerJoinsMidStream_NoRecordLostAndNoneHandledByBoth()
    {
        var topic = ClusterFixture.Unique("orders");
        var group = ClusterFixture.Unique("group");
        fixture.Cluster.CreateTopic(topic, 6);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 6, perPartition: 50);
        var recorder = new Recorder { Behavior = async _ => await Task.Delay(5) }; // slow work, so the join happens mid-stream
        var settings = new Dictionary<string, string?> { [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord" };

        await using var first = await PipelineHost.StartAsync(fixture.Bootstrap, recorder, b => b.AddHandler<OrderHandler>(topic, group), settings, "first");
        await Eventually.True(() => recorder.Count >= 30, "first host handled 30 records");
        await using var second = await PipelineHost.StartAsync(fixture.Bootstrap, recorder, b => b.AddHandler<OrderHandler>(topic, group), settings, "second");
        await Eventually.True(() => recorder.Handled.Select(h => (h.Partition, h.Offset)).Distinct().Count() >= 300, "all 300 records handled", TimeSpan.FromSeconds(60));

        var handled = recorder.Handled;
        Assert.Equal(300, handled.Select(h => (h.Partition, h.Offset)).Distinct().Count()); // none lost

        // A record is handled twice only when its partition's commit was refused during the rebalance (the mock refuses
        // commits while the group is joining; real Kafka accepts them from the current generation). After the first
        // refusal the consumer starts no new record until the rebalance is served, so per partition and rebalance at most
        // three records run again: the one whose commit was refused, the one in flight, and one finished while the
        // refused commit was on its way. The join can take the first consumer through two rebalances.
        var duplicates = handled.Count - 300;
        var refused = first.Status(group).CommitFailures + second.Status(group).CommitFailures;
        var detail = string.Join("; ", handled.GroupBy(h => (h.Partition, h.Offset)).Where(g => g.Count() > 1)
            .GroupBy(g => g.Key.Partition).Select(p => $"p{p.Key}: {string.Join(",", p.Select(g => $"{g.Key.Offset}({string.Join("+", g.Select(h => h.Host))})"))}"));
        Assert.True(duplicates == 0 || refused > 0, $"{duplicates} duplicates without a refused commit");
        Assert.True(duplicates <= 3 * 6 * 2, $"{duplicates} duplicates, {refused} refused partition commits: {detail}");
        Assert.Contains(handled, h => h.Host == "second");
        foreach (var partition in handled.GroupBy(h => h.Partition))
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), partition.Select(h => h.Offset).Distinct());
        }

        Assert.NotEmpty(first.Status(group).AssignedPartitions);
        Assert.NotEmpty(second.Status(group).AssignedPartitions);
    }
}
