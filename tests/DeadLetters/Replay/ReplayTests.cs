using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Testing;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Replay;

public sealed class ReplayTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private DeadLetterClient Client() => new(new KafkaConnectionSettings { BootstrapServers = fixture.Bootstrap, DeliveryTimeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task ReplayAsync_SpringDeadLetters_SendsToOriginalPartitionWithReplayHeadersAndCommitsProgress()
    {
        var topic = fixture.CreateTopicWithDeadLetters("replay");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 2, 17) { Key = "k-a", Value = "{\"id\":1}" },
            new SpringDeadLetter(topic, 1, 5) { Key = "k-b", Value = "{\"id\":2}" });
        var client = Client();

        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"));
        var result = await client.ReplayAsync(plan);

        Assert.Equal((ReplayStatus.Completed, 2L, 0L), (result.Status, result.Replayed, result.Failed));
        var sent = KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).OrderBy(r => KafkaIo.Text(r.Message.Key)).ToList();
        Assert.Equal(["k-a", "k-b"], sent.Select(r => KafkaIo.Text(r.Message.Key)));
        Assert.Equal([2, 1], sent.Select(r => r.Partition.Value));
        Assert.Equal("{\"id\":1}", KafkaIo.Text(sent[0].Message.Value));
        var names = sent[0].Message.Headers.Select(h => h.Key).ToList();
        Assert.Equal(["message-id", "trace", ReplayHeaders.Count, ReplayHeaders.Timestamp, ReplayHeaders.SourceTopic, ReplayHeaders.SourcePartition, ReplayHeaders.SourceOffset], names);
        Assert.Equal(1, ReplayHeaders.ReadCount(sent[0].Message.Headers));
        Assert.Equal(topic + "-dlt", KafkaIo.HeaderText(sent[0], ReplayHeaders.SourceTopic));
        Assert.Equal(0L, DeadLetterHeaders.DecodeInt64(DeadLetterHeaders.Last(sent[0].Message.Headers, ReplayHeaders.SourceOffset)));
        Assert.Equal([2L, null, null], KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3));
    }

    [Fact]
    public async Task ReplayAsync_KeepOriginalHeaders_KeepsOriginalButDropsExceptionHeaders()
    {
        var topic = fixture.CreateTopicWithDeadLetters("keep");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 3));
        var client = Client();

        await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { KeepOriginalHeaders = true }));

        var names = Assert.Single(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3)).Message.Headers.Select(h => h.Key).ToList();
        Assert.Contains(DeadLetterHeaders.OriginalTopic, names);
        Assert.Contains(DeadLetterHeaders.OriginalOffset, names);
        Assert.DoesNotContain(names, n => n.StartsWith(DeadLetterHeaders.ExceptionPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplayAsync_RunTwice_SecondRunSendsNothing()
    {
        var topic = fixture.CreateTopicWithDeadLetters("twice");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 1, [.. Enumerable.Range(0, 5).Select(i => new SpringDeadLetter(topic, 1, i) { Key = $"k{i}" })]);
        var client = Client();
        await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt")));

        var second = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"));
        var result = await client.ReplayAsync(second);

        Assert.Equal(0, second.Selected);
        Assert.Equal(0, result.Replayed);
        Assert.Equal(5, KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Count);
    }

    [Fact]
    public async Task ReplayAsync_CancelledAfterThreeRecords_RerunSendsTheRestWithoutLossOrDuplicates()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cancel");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, [.. Enumerable.Range(0, 10).Select(i => new SpringDeadLetter(topic, 0, i) { Key = $"k{i}" })]);
        var client = Client();
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver { OnEntry = (_, count) => { if (count == 3) { cancel.Cancel(); } } };

        var first = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { BatchSize = 1 }), observer, cancellationToken: cancel.Token);

        Assert.Equal(ReplayStatus.Interrupted, first.Status);
        Assert.Equal(3, first.Replayed);
        Assert.Equal(first.Replayed, KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[0]);
        Assert.Equal(first.Replayed, KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Count);

        var second = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt")));

        Assert.Equal(ReplayStatus.Completed, second.Status);
        Assert.Equal(10, first.Replayed + second.Replayed);
        AssertEachSourceOffsetOnce(topic, 10);
    }

    [Fact]
    public async Task ReplayAsync_ProduceFailsMidway_StopsBeforeFailedRecordAndRerunResumesWithoutLossOrDuplicates()
    {
        var topic = fixture.CreateTopicWithDeadLetters("fault");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, [.. Enumerable.Range(0, 8).Select(i => new SpringDeadLetter(topic, 0, i) { Key = $"k{i}" })]);
        var client = Client();
        var observer = new RecordingObserver
        {
            OnEntry = (_, count) =>
            {
                if (count == 4)
                {
                    fixture.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
                }
            },
        };

        var first = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { BatchSize = 1 }), observer);

        Assert.Equal(ReplayStatus.Failed, first.Status);
        Assert.Equal((4L, 1L), (first.Replayed, first.Failed));
        Assert.Contains("run the same replay again", first.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ReplayOutcome.Failed, observer.Entries[^1].Outcome);
        Assert.Equal(4L, KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[0]);

        var second = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt")));

        Assert.Equal((ReplayStatus.Completed, 4L), (second.Status, second.Replayed));
        AssertEachSourceOffsetOnce(topic, 8);
    }

    [Fact]
    public async Task ReplayAsync_RecordsReplayedMaxTimes_AreRefusedUnlessForced()
    {
        var topic = fixture.CreateTopicWithDeadLetters("guard");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 0, 1) { Key = "fresh" },
            new SpringDeadLetter(topic, 0, 2) { Key = "looping", ReplayCount = 3 },
            new SpringDeadLetter(topic, 0, 3) { Key = "twice", ReplayCount = 2 });
        var client = Client();
        var observer = new RecordingObserver();

        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"));
        var result = await client.ReplayAsync(plan, observer);

        Assert.Equal((2L, 1L), (plan.Selected, plan.Refused));
        Assert.Equal((2L, 1L), (result.Replayed, result.Refused));
        Assert.Equal(["fresh", "twice"], KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Select(r => KafkaIo.Text(r.Message.Key)).Order());
        var refused = Assert.Single(observer.Entries, e => e.Outcome == ReplayOutcome.Refused);
        Assert.Equal(1L, refused.SourceOffset);
        Assert.Contains("--force", refused.Reason, StringComparison.Ordinal);

        var forced = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { Force = true, GroupId = "forced" }));

        Assert.Equal((3L, 0L), (forced.Replayed, forced.Refused));
        var looping = Assert.Single(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3), r => KafkaIo.Text(r.Message.Key) == "looping");
        Assert.Equal(4, ReplayHeaders.ReadCount(looping.Message.Headers));
    }

    [Fact]
    public async Task ReplayAsync_MalformedReplayCountHeader_CountsAsReplayedBeforeAndIsRefusedUnlessForced()
    {
        var topic = fixture.CreateTopicWithDeadLetters("badcount");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 0, 1) { Key = "two-bytes", ReplayCountBytes = [0x00, 0x01] },
            new SpringDeadLetter(topic, 0, 2) { Key = "negative", ReplayCountBytes = [0xff, 0xff, 0xff, 0xff] },
            new SpringDeadLetter(topic, 0, 3) { Key = "fresh" });
        var client = Client();
        var observer = new RecordingObserver();

        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"));
        var result = await client.ReplayAsync(plan, observer);

        Assert.Equal((1L, 2L), (plan.Selected, plan.Refused));
        Assert.Equal((1L, 2L), (result.Replayed, result.Refused));
        Assert.Equal(["fresh"], KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Select(r => KafkaIo.Text(r.Message.Key)));
        Assert.All(observer.Entries.Where(e => e.Outcome == ReplayOutcome.Refused), e => Assert.Contains("malformed", e.Reason, StringComparison.Ordinal));

        var forced = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { Force = true, GroupId = ClusterFixture.Unique("forced") }));

        Assert.Equal(3, forced.Replayed);
        var twoBytes = Assert.Single(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3), r => KafkaIo.Text(r.Message.Key) == "two-bytes");
        Assert.Equal(3, ReplayHeaders.ReadCount(twoBytes.Message.Headers));
    }

    [Fact]
    public async Task PlanReplayAsync_OriginalPartitionUnusable_FlaggedInThePlanAndTheDryRunInsteadOfSilentlyRoutedByKey()
    {
        var topic = fixture.CreateTopicWithDeadLetters("badpart");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 1, 1),
            new SpringDeadLetter(topic, 0, 2) { OriginalPartitionBytes = [0x00, 0x01] },
            new SpringDeadLetter(topic, 9, 3));
        var client = Client();
        var observer = new RecordingObserver();

        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"));
        await client.ReplayAsync(plan, observer, dryRun: true);

        Assert.Contains(plan.Warnings, w => w.Contains("malformed", StringComparison.Ordinal) && w.Contains($"{topic}-dlt/0@1", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("partition 9", StringComparison.Ordinal) && w.Contains($"{topic}-dlt/0@2", StringComparison.Ordinal));
        Assert.All(plan.Warnings.Where(w => w.Contains("by key", StringComparison.Ordinal)), w => Assert.Contains("--partitioning key", w, StringComparison.Ordinal));
        Assert.Null(observer.Entries[0].Reason);
        Assert.Contains("by key", observer.Entries[1].Reason, StringComparison.Ordinal);
        Assert.Contains("by key", observer.Entries[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayAsync_DryRun_SendsNothingAndCommitsNothing()
    {
        var topic = fixture.CreateTopicWithDeadLetters("dry");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 1, 1), new SpringDeadLetter(topic, 2, 2));
        var client = Client();
        var observer = new RecordingObserver();

        var result = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt")), observer, dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(2, result.Replayed);
        Assert.Empty(result.CommittedOffsets);
        Assert.Equal([(topic, 1), (topic, 2)], observer.Entries.Select(e => (e.TargetTopic, e.TargetPartition ?? -1)));
        Assert.All(observer.Entries, e => Assert.Equal(ReplayOutcome.WouldReplay, e.Outcome));
        Assert.Empty(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3));
        Assert.All(KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3), Assert.Null);
    }

    [Fact]
    public async Task PlanReplayAsync_RecordsWithoutHeaders_ThrowsMissingHeadersUnlessTargetGiven()
    {
        var topic = fixture.CreateTopicWithDeadLetters("noheaders");
        await KafkaIo.ProduceTextAsync(fixture.Bootstrap, topic + "-dlt", 0, "raw-1", "raw-2");
        var client = Client();

        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => client.PlanReplayAsync(new ReplayRequest(topic + "-dlt")));

        Assert.Equal(DeadLetterErrorKind.MissingDeadLetterHeaders, error.Kind);
        Assert.Contains("--to", error.Message, StringComparison.Ordinal);
        var result = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { TargetTopic = topic }));
        Assert.Equal(2, result.Replayed);
        Assert.Equal(["raw-1", "raw-2"], KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Select(r => KafkaIo.Text(r.Message.Value)).Order());
    }

    [Fact]
    public async Task PlanReplayAsync_OriginalTopicMissing_ThrowsTopicNotFoundAndCreatesNothing()
    {
        var topic = fixture.CreateTopicWithDeadLetters("gone");
        var missing = ClusterFixture.Unique("deleted");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(missing, 0, 1));

        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => Client().PlanReplayAsync(new ReplayRequest(topic + "-dlt")));

        Assert.Equal(DeadLetterErrorKind.TopicNotFound, error.Kind);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayAsync_FilteredSelection_SendsOnlySelectedInItsOwnGroupAndLeavesDefaultGroupUntouched()
    {
        var topic = fixture.CreateTopicWithDeadLetters("select");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 0, 1) { Key = "a", CauseFqcn = "System.TimeoutException" },
            new SpringDeadLetter(topic, 0, 2) { Key = "b" },
            new SpringDeadLetter(topic, 0, 3) { Key = "c", CauseFqcn = "System.TimeoutException" });
        var client = Client();
        var filter = new DeadLetterFilter { ExceptionType = "Timeout" };

        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { Filter = filter });
        var result = await client.ReplayAsync(plan);

        Assert.Equal(ReplayRequest.DefaultGroupId(filter), plan.GroupId);
        Assert.NotEqual("kafka-dlt-replay", plan.GroupId);
        Assert.Equal((2L, 1L), (result.Replayed, result.PassedOver));
        Assert.Equal(["a", "c"], KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Select(r => KafkaIo.Text(r.Message.Key)).Order());
        Assert.Equal(3L, KafkaIo.Committed(fixture.Bootstrap, plan.GroupId, topic + "-dlt", 3)[0]);
        Assert.Null(KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[0]);
        Assert.Equal(3, (await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"))).Selected);
    }

    [Fact]
    public async Task ReplayAsync_TargetWithFewerPartitions_LetsProducerChoosePartition()
    {
        var topic = fixture.CreateTopicWithDeadLetters("narrow");
        var narrow = ClusterFixture.Unique("narrow-target");
        fixture.Cluster.CreateTopic(narrow, partitions: 1);
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 2, 9));
        var client = Client();

        var result = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { TargetTopic = narrow }));

        Assert.Equal(1, result.Replayed);
        Assert.Single(KafkaIo.ReadAll(fixture.Bootstrap, narrow, 1));
    }

    [Fact]
    public async Task ReplayAsync_RateLimited_CommitsSentRecordsBeforeWaitingForTheNextSlot()
    {
        var topic = fixture.CreateTopicWithDeadLetters("rate");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1), new SpringDeadLetter(topic, 0, 2));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = new DeadLetterClient(new KafkaConnectionSettings { BootstrapServers = fixture.Bootstrap }, time);
        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { RatePerSecond = 0.5 });

        var replay = client.ReplayAsync(plan);
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[0] == 1, "first record committed while the second waits for its slot");

        Assert.False(replay.IsCompleted);
        Assert.Single(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3));
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await replay.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, result.Replayed);
        Assert.Equal(2L, KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[0]);
    }

    [Fact]
    public async Task ReplayAsync_HighRate_SendsEveryRecordOnceAndCommitsToTheEnd()
    {
        var topic = fixture.CreateTopicWithDeadLetters("fast");
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, Enumerable.Range(0, 600).Select(i => new SpringDeadLetter(topic, 0, i) { Key = $"k{i}" }.ToMessage()));
        var client = Client();
        var observer = new RecordingObserver();

        var result = await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt") { RatePerSecond = 5000, BatchSize = 50 }), observer);

        Assert.Equal((ReplayStatus.Completed, 600L), (result.Status, result.Replayed));
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), observer.Entries.Select(e => e.SourceOffset));
        Assert.Equal(600L, KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[0]);
        AssertEachSourceOffsetOnce(topic, 600);
    }

    private void AssertEachSourceOffsetOnce(string topic, int count)
    {
        var offsets = KafkaIo.ReadAll(fixture.Bootstrap, topic, 3)
            .Select(r => DeadLetterHeaders.DecodeInt64(DeadLetterHeaders.Last(r.Message.Headers, ReplayHeaders.SourceOffset)))
            .Order().ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long?)i), offsets);
    }
}
