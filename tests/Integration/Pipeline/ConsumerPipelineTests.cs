using Confluent.Kafka;
using KafkaPipeline.Health;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.Pipeline;

public sealed class ConsumerPipelineTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task Consume_SixPartitions_EveryRecordHandledOnceInPartitionOrder()
    {
        var (topic, group) = Names(partitions: 6);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 6, perPartition: 100);
        var recorder = new Recorder();

        await using var host = await StartAsync(recorder, topic, group);
        await Eventually.True(() => recorder.Count >= 600, "600 records handled");

        var handled = recorder.Handled;
        Assert.Equal(600, handled.Count);
        Assert.Equal(600, handled.Select(h => (h.Partition, h.Offset)).Distinct().Count());
        foreach (var partition in handled.GroupBy(h => h.Partition))
        {
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), partition.Select(h => h.Offset));
            Assert.Equal(Enumerable.Range(0, 100), partition.Select(h => ((TestOrder)h.Message!).Seq));
        }
    }

    [Fact]
    public async Task Commit_HandlerInFlight_NeverCommittedPastAndRedeliveredAfterAbandon()
    {
        var (topic, group) = Names(partitions: 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 100);
        var recorder = new Recorder();
        var blocked = new TaskCompletionSource();
        recorder.Behavior = async ctx =>
        {
            if (ctx.Offset == 50)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
        };
        var settings = new Dictionary<string, string?>
        {
            [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord",
            [$"Kafka:Consumers:{group}:ShutdownTimeout"] = "00:00:00",
        };

        var first = await StartAsync(recorder, topic, group, settings, "first");
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The poll thread commits the watermark within a loop turn of record 49 finishing, and never passes 50.
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1) is [50L], "offset 50 committed while 50 runs");
        await first.DisposeAsync();

        Assert.Equal([50L], KafkaIo.Committed(fixture.Bootstrap, group, topic, 1));
        recorder.Behavior = null;
        await using var second = await StartAsync(recorder, topic, group, settings, "second");
        await Eventually.True(() => recorder.Handled.Count(h => h.Host == "second") >= 50, "records 50..99 redelivered");

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), recorder.Handled.Where(h => h.Host == "first").Select(h => h.Offset));
        Assert.Equal(Enumerable.Range(50, 50).Select(i => (long)i), recorder.Handled.Where(h => h.Host == "second").Select(h => h.Offset));
    }

    [Fact]
    public async Task Commit_StoredOffsetsWithLongInterval_GracefulStopCommitsEverythingHandled()
    {
        var (topic, group) = Names(partitions: 3);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 3, perPartition: 40);
        var recorder = new Recorder();
        var settings = new Dictionary<string, string?> { [$"Kafka:Consumers:{group}:AutoCommitInterval"] = "01:00:00" };

        var host = await StartAsync(recorder, topic, group, settings);
        await Eventually.True(() => recorder.Count >= 120, "120 records handled");
        await host.DisposeAsync();

        Assert.Equal([40L, 40L, 40L], KafkaIo.Committed(fixture.Bootstrap, group, topic, 3));
    }

    [Fact]
    public async Task Deduplication_InMemoryStoreSameMessageIdTwice_HandledOnceAndBothCommitted()
    {
        var (topic, group) = Names(partitions: 1);
        Headers Id(string id) => new() { { "message-id", System.Text.Encoding.UTF8.GetBytes(id) } };
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (0, "k", "{\"id\":1,\"seq\":0}", Id("a")),
            (0, "k", "{\"id\":1,\"seq\":1}", Id("a")),
            (0, "k", "{\"id\":2,\"seq\":2}", Id("b")),
        ]);
        var recorder = new Recorder();

        await using var host = await StartAsync(recorder, topic, group, configure: b => b.UseInMemoryDeduplication());
        await Eventually.True(() => host.Status(group).RecordsCompleted >= 3, "3 records completed");

        Assert.Equal([0L, 2L], recorder.Handled.Select(h => h.Offset));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 3, "offset 3 committed");
    }

    [Fact]
    public async Task Deduplication_NoStoreRegistered_NoDeduplicationStepSameMessageIdHandledTwice()
    {
        var (topic, group) = Names(partitions: 1);
        Headers Id(string id) => new() { { "message-id", System.Text.Encoding.UTF8.GetBytes(id) } };
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, [(0, "k", "{\"id\":1,\"seq\":0}", Id("a")), (0, "k", "{\"id\":1,\"seq\":1}", Id("a"))]);
        var recorder = new Recorder();

        await using var host = await StartAsync(recorder, topic, group);
        await Eventually.True(() => host.Status(group).RecordsCompleted >= 2, "2 records completed");

        Assert.Equal([0L, 1L], recorder.Handled.Select(h => h.Offset)); // nobody asked for deduplication: nothing is skipped
    }

    [Fact]
    public async Task MalformedPayload_HostKeepsRunningAndNeverCommitsPastIt()
    {
        var (topic, group) = Names(partitions: 2);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (0, "k", "{\"id\":1,\"seq\":0}", null),
            (0, "k", "{oops", null),
            (0, "k", "{\"id\":3,\"seq\":2}", null),
            (1, "k", "{\"id\":4,\"seq\":0}", null),
        ]);
        var recorder = new Recorder();
        var settings = new Dictionary<string, string?> { [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord" };

        await using var host = await StartAsync(recorder, topic, group, settings);
        await Eventually.True(() => host.Status(group).FailedDeliveries >= 2, "the malformed record retried");

        Assert.Equal(KafkaConsumerState.Running, host.Status(group).State);
        Assert.Equal([(0, 0L), (1, 0L)], recorder.Handled.Select(h => (h.Partition, h.Offset)).Order());
        Assert.Equal([1L, 1L], KafkaIo.Committed(fixture.Bootstrap, group, topic, 2));
    }

    [Fact]
    public async Task DeliveryAttemptHeader_Enabled_AddsSpringHeaderWithAttempt()
    {
        var (topic, group) = Names(partitions: 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 1);
        var recorder = new Recorder();
        var attempts = new List<int?>();
        recorder.Behavior = ctx =>
        {
            attempts.Add(Consuming.DeliveryAttemptHeader.Get(ctx.Headers));
            return ctx.DeliveryAttempt < 2 ? throw new InvalidOperationException("first try fails") : ValueTask.CompletedTask;
        };
        var settings = new Dictionary<string, string?> { [$"Kafka:Consumers:{group}:DeliveryAttemptHeader"] = "true" };

        await using var host = await StartAsync(recorder, topic, group, settings, configure: b => b.UseErrorHandler((sp, c) =>
            new Errors.RetryingErrorHandler(Microsoft.Extensions.Logging.Abstractions.NullLogger<Errors.RetryingErrorHandler>.Instance, TimeSpan.Zero)));
        await Eventually.True(() => recorder.Count == 1, "handled on the second attempt");

        Assert.Equal([1, 2], attempts);
        Assert.Equal(2, recorder.Handled[0].Attempt);
    }

    private (string Topic, string Group) Names(int partitions)
    {
        var topic = ClusterFixture.Unique("orders");
        fixture.Cluster.CreateTopic(topic, partitions);
        return (topic, ClusterFixture.Unique("group"));
    }

    private Task<PipelineHost> StartAsync(Recorder recorder, string topic, string group, Dictionary<string, string?>? settings = null, string name = "host",
        Action<DependencyInjection.KafkaPipelineBuilder>? configure = null) =>
        PipelineHost.StartAsync(fixture.Bootstrap, recorder, b =>
        {
            b.AddHandler<OrderHandler>(topic, group);
            configure?.Invoke(b);
        }, settings, name);
}

public sealed class MultipleGroupsTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task TwoGroupsInOneHost_EachHandlesEveryRecord()
    {
        var topic = ClusterFixture.Unique("orders");
        fixture.Cluster.CreateTopic(topic, 2);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 2, perPartition: 20);
        var recorder = new Recorder();

        await using var host = await PipelineHost.StartAsync(fixture.Bootstrap, recorder, b => b
            .AddHandler<OrderHandler>(topic, "group-a")
            .AddHandler<OrderHandler>(topic, "group-b"));
        await Eventually.True(
            () => host.Status("group-a").RecordsCompleted >= 40 && host.Status("group-b").RecordsCompleted >= 40,
            "both groups completed 40 records");

        Assert.Equal(80, recorder.Count);
        Assert.Equal(40, recorder.Handled.Select(h => (h.Partition, h.Offset)).Distinct().Count());
    }
}
