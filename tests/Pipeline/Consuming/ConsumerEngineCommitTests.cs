using Confluent.Kafka;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>Watermark commits: never past an unfinished record, retried when refused, logged with real coordinates.</summary>
public sealed class ConsumerEngineCommitTests
{
    [Fact]
    public async Task Commit_KeyModeLaterRecordsDoneFirst_CommitStaysBelowTheUnfinishedRecord()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Key, 16, handler.HandleAsync, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0, "a"), Record(0, 1, "b"), Record(0, 2, "c"), Record(0, 3, "d"));
        handler.Open(0, 0);
        handler.Open(0, 2);
        handler.Open(0, 3);

        await Eventually.True(() => handler.Finished.Count == 3, "0, 2 and 3 handled");
        await Eventually.True(() => engine.Status.RecordsCompleted == 3, "three records completed");
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 1, "watermark 1 committed");
        Assert.Equal(1, engine.Consumer.CommittedOffset(P(0))); // 2 and 3 are done, but above the unfinished 1

        handler.Open(0, 1);
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 4, "watermark 4 once 1 is done");
    }

    [Fact]
    public async Task Commit_StoredOffsetsMode_StoresTheWatermarkInsteadOfCommitting()
    {
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.CommitMode = CommitMode.StoredOffsets, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2));

        await Eventually.True(() => engine.Consumer.Stored(P(0)) == 3, "offset 3 stored");
        Assert.DoesNotContain(engine.Consumer.Calls, c => c.StartsWith("commit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_StoredOffsetsMode_FinalWatermarkStoredSoTheCloseTimeCommitDoesNotMoveTheGroupBack()
    {
        // Time stands still, so after the first store no periodic store happens: only the shutdown stores the rest.
        var handler = new GatedHandler();
        handler.OpenAll();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.CommitMode = CommitMode.StoredOffsets, time: time, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0));
        await Eventually.True(() => engine.Consumer.Stored(P(0)) == 1, "offset 1 stored");
        engine.Consumer.Enqueue(Record(0, 1), Record(0, 2));
        await Eventually.True(() => engine.Status.RecordsCompleted == 3, "three records completed");

        await engine.StopAsync(); // commits 3, then Close commits the stored offsets again, as librdkafka does

        Assert.Equal(3, engine.Consumer.CommittedOffset(P(0)));
    }

    [Fact]
    public async Task Commit_PerRecordCommitOfTheLastRecordRefused_RetriedUntilItSucceeds()
    {
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, partitions: 0);
        engine.Consumer.FailNextCommits(new KafkaException(ErrorCode.RequestTimedOut), new KafkaException(ErrorCode.RequestTimedOut));
        engine.Consumer.Enqueue(Record(0, 0));

        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 1, "offset 1 committed after two refusals", TimeSpan.FromSeconds(5));
        Assert.Equal(2, engine.Status.CommitFailures);
        Assert.Equal(2, engine.Logger.Entries.Count(e => e.EventId.Id == 1007 && e.Message.Contains("offset 1 of orders [0]", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Commit_RefusedOnRevoke_LogsTheRealPartitionAndOffset()
    {
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.CommitMode = CommitMode.StoredOffsets, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2));
        await Eventually.True(() => engine.Consumer.Stored(P(0)) == 3, "offset 3 stored");

        engine.Consumer.FailNextCommits(new KafkaException(ErrorCode.RebalanceInProgress));
        engine.Consumer.RevokeOnNextPoll(P(0));

        await Eventually.True(() => engine.Status.AssignedPartitions.Count == 0, "partition 0 revoked");
        var refusal = Assert.Single(engine.Logger.Entries, e => e.EventId.Id == 1007);
        Assert.Contains("offset 3 of orders [0]", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_RecordFetchedAgainAfterItWasDispatched_DroppedNotRunTwice()
    {
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2));
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 3, "committed to 3");

        engine.Consumer.Enqueue(Record(0, 1), Record(0, 2), Record(0, 3)); // a refetch from an older position
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 4, "committed to 4");

        Assert.Equal([(0, 0L), (0, 1L), (0, 2L), (0, 3L)], handler.Finished);
    }

    [Fact]
    public async Task Dispatch_ExpectedOffsetVanished_LaterOffsetIsAcceptedAndThePartitionGoesOn()
    {
        // Retention, compaction or DeleteRecords removed offsets 3..9: the next record fetched is 10. Nothing waits for
        // the missing offsets (the core never seeks, so there is no target to wait for); the watermark jumps over them.
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2), Record(0, 10), Record(0, 11));

        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 12, "committed to 12");
        Assert.Equal([0L, 1, 2, 10, 11], handler.Finished.Select(f => f.Offset));
        Assert.DoesNotContain(engine.Consumer.Calls, c => c.StartsWith("seek", StringComparison.Ordinal));
    }
}
