using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>End to end on the embedded cluster: retries, the no-retries path and the dead-letter topic's records.</summary>
public sealed class DeadLetterTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task RetryableFailure_SucceedsOnThirdDelivery_HandledOnceCommittedNothingDeadLettered()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1);
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 5);
        var deliveries = new Deliveries();
        var events = new RetryEvents();
        var recorder = new Recorder
        {
            Behavior = deliveries.Script(c =>
            {
                if (c.Offset == 2 && c.DeliveryAttempt < 3)
                {
                    throw new TimeoutException("flaky downstream");
                }
            }),
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh
            .BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(200), 5))
            .AddRetryListener(events));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 5, "offset 5 committed");

        Assert.Equal(
            [(0L, 1, true), (1L, 1, true), (2L, 1, false), (2L, 2, false), (2L, 3, true), (3L, 1, true), (4L, 1, true)],
            deliveries.All.Select(d => (d.Offset, d.Attempt, d.Succeeded)));
        Assert.Equal([0L, 1L, 2L, 3L, 4L], recorder.Handled.Select(h => h.Offset));
        Assert.Equal(["failed p0@2 #1 TimeoutException", "failed p0@2 #2 TimeoutException"], events.All);
        Assert.Equal([0L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
    }

    [Fact]
    public async Task RetriesExhausted_ExactlyOneDeadLetterWithOriginalBytesHeadersInOrderAndSpringHeaders()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 2);
        fixture.Cluster.CreateTopic(topic + "-dlt", 2);
        var headers = new Headers
        {
            { "trace-id", Encoding.UTF8.GetBytes("abc-123") },
            { "tag", [0x00, 0xFF, 0x7F] },
            { "tag", Encoding.UTF8.GetBytes("second") },
            { "empty", [] },
        };
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (1, "k1", "{\"id\":1,\"seq\":0}", null),
            (1, "poison-key", "{\"id\":7,\"seq\":1}", headers),
            (1, "k1", "{\"id\":3,\"seq\":2}", null),
            (0, "k0", "{\"id\":4,\"seq\":0}", null),
        ]);
        var deliveries = new Deliveries();
        var recorder = new Recorder
        {
            Behavior = deliveries.Script(c =>
            {
                if (c.Partition == 1 && c.Offset == 1)
                {
                    throw new InvalidOperationException("order 7 rejected", new IOException("disk full"));
                }
            }),
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.BackOff(new FixedBackOff(TimeSpan.Zero, 2)));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2) is [1, 3], "offsets 1 and 3 committed");

        Assert.Equal([1, 2, 3], deliveries.Of(1, 1).Select(d => d.Attempt));
        Assert.Equal([(0, 0L), (1, 0L), (1, 2L)], recorder.Handled.Select(h => (h.Partition, h.Offset)).Order());
        Assert.Equal([0L, 1L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 2));
        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 1));
        Assert.Equal(1, deadLetter.Partition.Value);
        DeadLetterTopics.AssertDeadLetterOf(
            deadLetter,
            KafkaIo.ReadAt(fixture.Bootstrap, topic, 1, 1),
            group,
            "System.InvalidOperationException",
            "System.IO.IOException",
            "order 7 rejected; disk full");
    }

    [Fact]
    public async Task NotRetryable_DefaultAndConfiguredTypes_DeadLetteredAfterOneDelivery()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1);
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 4);
        var deliveries = new Deliveries();
        var recorder = new Recorder
        {
            Behavior = deliveries.Script(c =>
            {
                switch (c.Offset)
                {
                    case 1: throw new InvalidCastException("default not retryable");
                    case 2: throw new InvalidOrderException("configured not retryable");
                }
            }),
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh
            .BackOff(new FixedBackOff(TimeSpan.FromSeconds(30), 9))
            .NotRetryable<InvalidOrderException>());
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 4, "offset 4 committed");

        Assert.Equal([(0L, 1), (1L, 1), (2L, 1), (3L, 1)], deliveries.All.Select(d => (d.Offset, d.Attempt)));
        var deadLetters = KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 2);
        Assert.Equal([2L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
        Assert.Equal(
            [(1L, "System.InvalidCastException"), (2L, typeof(InvalidOrderException).FullName!)],
            deadLetters.Select(d => (
                DeadLetterHeaders.DecodeInt64(KafkaIo.Header(d, DeadLetterHeaders.OriginalOffset))!.Value,
                Encoding.UTF8.GetString(KafkaIo.Header(d, DeadLetterHeaders.ExceptionFqcn)!))));
    }

    [Fact]
    public async Task ExceptionBecomesNotRetryableOnSecondDelivery_DeadLetteredAtOnceWithTheNewException()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1);
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 3);
        var deliveries = new Deliveries();
        var events = new RetryEvents();
        var recorder = new Recorder
        {
            Behavior = deliveries.Script(c =>
            {
                if (c.Offset == 1)
                {
                    throw c.DeliveryAttempt == 1 ? new TimeoutException("slow") : new InvalidCastException("bad shape");
                }
            }),
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh
            .BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(100), 5))
            .AddRetryListener(events));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 3, "offset 3 committed");

        Assert.Equal([1, 2], deliveries.Of(0, 1).Select(d => d.Attempt));
        Assert.Equal(["failed p0@1 #1 TimeoutException", "failed p0@1 #1 InvalidCastException", "recovered p0@1"], events.All);
        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 1));
        Assert.Equal("System.InvalidCastException"u8.ToArray(), KafkaIo.Header(deadLetter, DeadLetterHeaders.ExceptionFqcn));
        Assert.Equal([1L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
    }

    [Fact]
    public async Task MalformedJson_DeadLetteredOnFirstFailureWithTheRawBytes()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1);
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (0, "k", "{\"id\":1,\"seq\":0}", null),
            (0, "bad-key", "{\"id\": 2, \"seq\": oops ✗", new Headers { { "source", "legacy"u8.ToArray() } }),
            (0, "k", "{\"id\":3,\"seq\":2}", null),
        ]);
        var events = new RetryEvents();
        var recorder = new Recorder();

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.AddRetryListener(events));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 3, "offset 3 committed");

        Assert.Equal([0L, 2L], recorder.Handled.Select(h => h.Offset));
        Assert.Equal(["failed p0@1 #1 DeserializationException", "recovered p0@1"], events.All);
        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 1));
        Assert.Equal(Encoding.UTF8.GetBytes("{\"id\": 2, \"seq\": oops ✗"), deadLetter.Message.Value);
        var original = KafkaIo.ReadAt(fixture.Bootstrap, topic, 0, 1);
        var cause = Encoding.UTF8.GetString(KafkaIo.Header(deadLetter, DeadLetterHeaders.ExceptionCauseFqcn)!);
        Assert.StartsWith("System.Text.Json.", cause, StringComparison.Ordinal);
        DeadLetterTopics.AssertDeadLetterOf(deadLetter, original, group, typeof(Serialization.DeserializationException).FullName!, cause);
        Assert.Equal([1L], KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", 1));
    }

    [Fact]
    public async Task FirstDeadLetterToABrandNewTopic_PartitionMissingThere_NotLostAndDeadLetteredOnce()
    {
        // The dead-letter topic does not exist: the first publish auto-creates it (4 partitions on the embedded cluster),
        // so the original partition 5 does not exist there and the producer must choose one.
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 6);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (5, "k", "{\"id\":1,\"seq\":0}", null),
            (5, "k", "{\"id\":2,\"seq\":1}", null),
            (5, "k", "{\"id\":3,\"seq\":2}", null),
        ]);
        var events = new RetryEvents();
        var recorder = new Recorder { Behavior = c => c.Offset == 1 ? throw new InvalidOrderException("rejected") : ValueTask.CompletedTask };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh
            .NotRetryable<InvalidOrderException>()
            .AddRetryListener(events));
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 6)[5] == 3, "offset 3 of partition 5 committed");

        var partitions = DeadLetterTopics.PartitionCount(fixture.Bootstrap, topic + "-dlt");
        Assert.InRange(partitions, 1, 5);
        Assert.Equal(1L, KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", partitions).Sum());
        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", expected: 1));
        DeadLetterTopics.AssertDeadLetterOf(
            deadLetter, KafkaIo.ReadAt(fixture.Bootstrap, topic, 5, 1), group, typeof(InvalidOrderException).FullName!, causeType: null, "rejected");
        Assert.Equal([0L, 2L], recorder.Handled.Select(h => h.Offset));
        Assert.Equal(1, events.Count("recovered"));
    }

    [Fact]
    public async Task FirstDeadLetterToABrandNewTopic_MetadataNotReadyYet_NoRecoveryFailure()
    {
        // As a real broker does while it auto-creates a topic, the first metadata answers for the new dead-letter topic
        // say LEADER_NOT_AVAILABLE. The partition count must still be learnt before publishing, without a failed recovery.
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 6);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (5, "k", "{\"id\":1,\"seq\":0}", null),
            (5, "k", "{\"id\":2,\"seq\":1}", null),
        ]);
        var events = new RetryEvents();
        var recorder = new Recorder
        {
            Behavior = c =>
            {
                if (c.Offset == 1)
                {
                    fixture.Cluster.PushRequestErrors(Testing.KafkaApiKey.Metadata, ErrorCode.LeaderNotAvailable, ErrorCode.LeaderNotAvailable, ErrorCode.LeaderNotAvailable);
                    throw new InvalidOrderException("rejected");
                }

                return ValueTask.CompletedTask;
            },
        };

        await using var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh
            .NotRetryable<InvalidOrderException>()
            .MaxRecoveryFailures(1)
            .AddRetryListener(events));
        await Eventually.True(() => events.Count("recovered") + events.Count("recovery-failed") > 0, "the record recovered or failed");
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 6)[5] == 2, "offset 2 of partition 5 committed");

        Assert.Equal(["failed p5@1 #1 InvalidOrderException", "recovered p5@1"], events.All);
        var partitions = DeadLetterTopics.PartitionCount(fixture.Bootstrap, topic + "-dlt");
        Assert.Equal(1L, KafkaIo.EndOffsets(fixture.Bootstrap, topic + "-dlt", partitions).Sum());
    }
}
