using KafkaPipeline.IntegrationTests.Support;

namespace KafkaPipeline.IntegrationTests.Pipeline;

public sealed class RebalanceTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task SecondConsumerJoinsMidStream_NoRecordLostAndNoneHandledByBoth()
    {
        var topic = ClusterFixture.Unique("orders");
        var group = ClusterFixture.Unique("group");
        fixture.Cluster.CreateTopic(topic, 6);
        await Kafka.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 6, perPartition: 50);
        var recorder = new Recorder { Behavior = async _ => await Task.Delay(5) }; // slow work, so the join happens mid-stream
        var settings = new Dictionary<string, string?> { [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord" };

        await using var first = await PipelineHost.StartAsync(fixture.Bootstrap, recorder, b => b.AddHandler<OrderHandler>(topic, group), settings, "first");
        await Eventually.True(() => recorder.Count >= 30, "first host handled 30 records");
        await using var second = await PipelineHost.StartAsync(fixture.Bootstrap, recorder, b => b.AddHandler<OrderHandler>(topic, group), settings, "second");
        await Eventually.True(() => recorder.Count >= 300, "all 300 records handled", TimeSpan.FromSeconds(60));

        var handled = recorder.Handled;
        Assert.Equal(300, handled.Count);
        Assert.Equal(300, handled.Select(h => (h.Partition, h.Offset)).Distinct().Count());
        Assert.Contains(handled, h => h.Host == "second");
        foreach (var partition in handled.GroupBy(h => h.Partition))
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), partition.Select(h => h.Offset));
        }

        Assert.NotEmpty(first.Status(group).AssignedPartitions);
        Assert.NotEmpty(second.Status(group).AssignedPartitions);
    }
}
