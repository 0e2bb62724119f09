using System.Text;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>Seek-back with partition-scoped waiting: only the failing partition waits, and it keeps its order.</summary>
public sealed class PartitionBackOffTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task ThreeSecondBackOffOnPartition0_Partitions1To5FinishBeforeTheRecordIsRedelivered()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 6);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 6, perPartition: 40);
        var deliveries = new Deliveries();
        var recorder = new Recorder
        {
            Behavior = deliveries.Script(c =>
            {
                if (c.Partition == 0 && c.Offset == 10 && c.DeliveryAttempt == 1)
                {
                    throw new TimeoutException("downstream busy");
                }
            }),
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.BackOff(new FixedBackOff(TimeSpan.FromSeconds(3), 1)));
        await Eventually.True(() => recorder.Count >= 240, "240 records handled");
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 6).All(o => o == 40), "every partition committed to 40");

        var all = deliveries.All;
        var failed = Assert.Single(all, d => !d.Succeeded);
        var retried = Assert.Single(all, d => d.Partition == 0 && d.Offset == 10 && d.Attempt == 2);
        Assert.Equal((0, 10L, 1), (failed.Partition, failed.Offset, failed.Attempt));
        Assert.True(retried.At - failed.At >= TimeSpan.FromSeconds(2.9), $"redelivered after {retried.At - failed.At}, before the 3 s back-off was over");

        // Promise 3: while partition 0 waited, partitions 1..5 were handled completely.
        var others = all.Where(d => d.Partition != 0).ToList();
        Assert.Equal(200, others.Count);
        Assert.True(others.Max(d => d.Sequence) < retried.Sequence, "a record of partitions 1..5 was handled after partition 0's redelivery");

        // Promise 2: partition 0 is handled in order, the failed record before anything after it.
        Assert.Equal(
            [.. Enumerable.Range(0, 10).Select(i => (long)i), 10L, 10L, .. Enumerable.Range(11, 29).Select(i => (long)i)],
            all.Where(d => d.Partition == 0).Select(d => d.Offset));
        Assert.Equal(240, recorder.Handled.Select(h => (h.Partition, h.Offset)).Distinct().Count());
    }

    [Fact]
    public async Task FailingRecords_LaterRecordsOfThePartitionHandledOnlyAfterTheySucceededOrWereDeadLettered()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1);
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 30);
        var deliveries = new Deliveries();
        var recorder = new Recorder
        {
            Behavior = deliveries.Script(c =>
            {
                switch (c.Offset)
                {
                    case 5 when c.DeliveryAttempt <= 2: throw new TimeoutException("retry me");
                    case 12: throw new InvalidOrderException("dead-letter me");
                    case 20: throw new TimeoutException("exhaust me");
                }
            }),
        };
        var settings = new Dictionary<string, string?>
        {
            [$"Kafka:Consumers:{group}:CommitMode"] = "StoredOffsets",
            [$"Kafka:Consumers:{group}:AutoCommitInterval"] = "00:00:00.200",
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh
            .BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(300), 3))
            .NotRetryable<InvalidOrderException>(), settings);
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 30, "offset 30 committed");

        var all = deliveries.All;
        Assert.Equal(
            [.. Range(0, 5), 5, 5, 5, .. Range(6, 6), 12, .. Range(13, 7), 20, 20, 20, 20, .. Range(21, 9)],
            all.Select(d => d.Offset));
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].Offset >= all[i - 1].Offset, $"offset {all[i].Offset} delivered after {all[i - 1].Offset}");
        }

        Assert.Equal([.. Range(0, 12), .. Range(13, 7), .. Range(21, 9)], recorder.Handled.Select(h => h.Offset));
        var deadLetters = KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 2);
        Assert.Equal(
            [(12L, nameof(InvalidOrderException)), (20L, nameof(TimeoutException))],
            deadLetters.Select(d => (
                DeadLetterHeaders.DecodeInt64(KafkaIo.Header(d, DeadLetterHeaders.OriginalOffset))!.Value,
                Encoding.UTF8.GetString(KafkaIo.Header(d, DeadLetterHeaders.ExceptionFqcn)!).Split('.')[^1])));
    }

    private static IEnumerable<long> Range(int start, int count) => Enumerable.Range(start, count).Select(i => (long)i);
}
