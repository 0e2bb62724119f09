using System.Globalization;
using System.Text;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.IntegrationTests.Concurrency;

/// <summary>
/// 50,000 records, random handler latency, 1 % always failing and 2 % failing once, in each ordering mode, while a second
/// consumer joins (rebalance with records in flight) and later shuts down (shutdown with records in flight): the mode's
/// order holds, every record is handled or dead-lettered, and the committed offset, sampled all along, never passes an
/// unfinished record.
/// </summary>
public sealed class ConcurrencyTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    private const int Records = 50_000;
    private const int Partitions = 8;
    private const int Keys = 400;

    [Theory]
    [InlineData(OrderingMode.Partition, "range,roundrobin")]
    [InlineData(OrderingMode.Key, "cooperative-sticky")]
    [InlineData(OrderingMode.Unordered, "range,roundrobin")]
    public async Task FiftyThousandRecordsWithFailuresAndRebalances_OrderHoldsNothingLostCommitsNeverPassUnfinished(OrderingMode ordering, string assignor)
    {
        var topic = ClusterFixture.Unique("conc");
        var group = ClusterFixture.Unique("group");
        fixture.Cluster.CreateTopic(topic, Partitions);
        fixture.Cluster.CreateTopic(topic + "-dlt", Partitions);
        var produced = await ProducedRecords.ProduceAsync(fixture.Bootstrap, topic, Partitions, Records, Keys);
        var probe = new ConcurrencyProbe(ordering, produced);
        var failures = new FailureScript();
        var settings = new Dictionary<string, string?>
        {
            [$"Kafka:Consumers:{group}:Ordering"] = ordering.ToString(),
            [$"Kafka:Consumers:{group}:MaxConcurrency"] = "32",
            [$"Kafka:Consumers:{group}:AutoCommitInterval"] = "00:00:00.100",
            ["Kafka:Client:partition.assignment.strategy"] = assignor,
            ["Kafka:Client:reconnect.backoff.ms"] = "50",
        };

        await using var sampler = CommittedSampler.Start(fixture.Bootstrap, group, topic, Partitions, produced, probe);
        await using var first = await StartAsync(topic, group, settings, probe, failures, "first");
        await Eventually.True(() => probe.Finished >= Records * 3 / 10, "30 % finished", TimeSpan.FromSeconds(60));
        var second = await StartAsync(topic, group, settings, probe, failures, "second");
        try
        {
            await Eventually.True(() => second.Status(group).AssignedPartitions.Count > 0, "the second consumer got partitions", TimeSpan.FromSeconds(30));
            await Eventually.True(() => probe.Finished >= Records * 7 / 10, "70 % finished", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await second.DisposeAsync(); // shutdown with records in flight: its partitions go back to the first
        }

        var ends = Enumerable.Range(0, Partitions).Select(p => produced.End(p)).ToArray();
        await Eventually.True(() => sampler.Last.SequenceEqual(ends), "every partition committed to its end", TimeSpan.FromSeconds(120));

        Assert.Empty(probe.Violations);
        Assert.Empty(sampler.Violations);
        Assert.True(sampler.Samples > 20, $"only {sampler.Samples} samples of the committed offsets");
        Assert.Equal(Records, probe.Finished);
        Assert.True(probe.MaxInFlight > 1, "records never ran concurrently");
        var poison = Enumerable.Range(0, Records).Where(FailureScript.AlwaysFails).ToHashSet();
        // At least once: each of the two rebalances may dead-letter again a poison record that finished above its watermark.
        var stored = KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", Partitions).Sum();
        Assert.InRange(stored, poison.Count, poison.Count * 3);
        var deadLettered = KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", (int)stored, TimeSpan.FromSeconds(60))
            .Select(r => int.Parse(Encoding.UTF8.GetString(r.Message.Value!), CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(poison.Order(), deadLettered.Order());
    }

    private Task<PipelineHost> StartAsync(string topic, string group, Dictionary<string, string?> settings, ConcurrencyProbe probe, FailureScript failures, string name) =>
        PipelineHost.StartAsync(
            fixture.Bootstrap,
            new Recorder(),
            b => b.AddHandler<ConcurrencyHandler>(topic, group)
                .UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(10), 2)).AddRetryListener(probe)),
            settings,
            name,
            services => services.AddSingleton(probe).AddSingleton(failures));
}
