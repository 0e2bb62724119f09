using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.Pipeline;

/// <summary>
/// Records finished above the watermark (Key mode: other keys went on while one record ran) are kept in the commit's
/// metadata and not handled again by the next consumer of the group.
/// </summary>
public sealed class FinishedOffsetsTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private const int Records = 20;
    private const int Keys = 10;

    [Fact]
    public async Task Restart_RecordsFinishedAboveTheWatermark_AreNotHandledAgain()
    {
        var (first, second, committed) = await RunTwiceAsync(commitFinishedOffsets: true);

        // The first consumer finished every record but those of key k0 (record 0 never finished; 10 waited behind it).
        Assert.Equal(Enumerable.Range(1, Records - 1).Where(i => i % Keys != 0).Select(i => (long)i), first);
        Assert.Equal([0L, 10L], second); // only what was not finished: nothing twice
        Assert.Equal(Records, committed);
    }

    [Fact]
    public async Task Restart_WithoutCommitFinishedOffsets_FinishedRecordsAreHandledAgain()
    {
        var (first, second, committed) = await RunTwiceAsync(commitFinishedOffsets: false);

        Assert.Equal(Records - 2, first.Count);
        Assert.Equal(Enumerable.Range(0, Records).Select(i => (long)i), second); // the watermark stayed at 0
        Assert.Equal(Records, committed);
    }

    /// <summary>
    /// A first host handles the records of keys k1…k9 while record 0 (key k0) blocks until shutdown abandons it; a second
    /// host of the same group then handles what it is given. Returns the offsets each handled (sorted) and the final commit.
    /// </summary>
    private async Task<(List<long> First, List<long> Second, long? Committed)> RunTwiceAsync(bool commitFinishedOffsets)
    {
        var topic = ClusterFixture.Unique("finished");
        var group = ClusterFixture.Unique("group");
        fixture.Cluster.CreateTopic(topic, 1);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, Enumerable.Range(0, Records)
            .Select(i => (0, (string?)$"k{i % Keys}", (string?)$"{{\"id\":{i},\"seq\":{i}}}", (Confluent.Kafka.Headers?)null)));
        var settings = new Dictionary<string, string?>
        {
            [$"Kafka:Consumers:{group}:Ordering"] = "Key",
            [$"Kafka:Consumers:{group}:ShutdownTimeout"] = "00:00:01",
            [$"Kafka:Consumers:{group}:CommitFinishedOffsets"] = commitFinishedOffsets ? "true" : "false",
        };

        var blocked = new Recorder
        {
            Behavior = async context =>
            {
                if (context.Offset == 0)
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken); // abandoned by the shutdown
                }
            },
        };
        await using (var host = await PipelineHost.StartAsync(fixture.Bootstrap, blocked, b => b.AddHandler<OrderHandler>(topic, group), settings, "first"))
        {
            await Eventually.True(() => blocked.Count == Records - 2, "the 18 records of keys k1-k9 handled");
        }

        var after = new Recorder();
        await using (var host = await PipelineHost.StartAsync(fixture.Bootstrap, after, b => b.AddHandler<OrderHandler>(topic, group), settings, "second"))
        {
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == Records, "committed to the end");
        }

        return ([.. blocked.Handled.Select(h => h.Offset).Order()], [.. after.Handled.Select(h => h.Offset).Order()], KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0]);
    }
}
