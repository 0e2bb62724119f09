using KafkaPipeline.Consuming;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

public sealed class ReadAheadTests
{
    [Theory]
    [InlineData(16, 10_000, 1_000)]
    [InlineData(64, 10_000, 2_048)]
    [InlineData(256, 10_000, 8_192)]
    [InlineData(16, 500, 500)]
    public void ReadAhead_ThirtyTwoPerSlotAtLeastThousandAtMostTheBuffer(int maxConcurrency, int maxBuffered, int expected) =>
        Assert.Equal(expected, ConsumerEngine.ReadAhead(maxConcurrency, maxBuffered));

    [Fact]
    public void Runnable_LaneWaitingForBackOff_ItsRecordsHeldBackUntilDue()
    {
        var started = new List<Lane>();
        var scheduler = new LaneScheduler(OrderingMode.Key, 4, started.Add);
        var work = scheduler.Assign(P(0));
        var toStart = new List<Lane>();
        scheduler.Dispatch(work, Record(0, 0, "a"), toStart);
        scheduler.Dispatch(work, Record(0, 1, "a"), toStart);
        scheduler.Dispatch(work, Record(0, 2, "b"), toStart);
        scheduler.Start(toStart);
        var laneA = started.Single(l => l.Head!.Offset == 0);

        Assert.Null(scheduler.Wait(laneA, due: 100)); // key a waits for its back-off
        scheduler.Dispatch(work, Record(0, 3, "a"), toStart);   // and the next record of a waits with it

        Assert.Equal(4, scheduler.Buffered);
        Assert.Equal(1, scheduler.Runnable);                     // only b's record can run
        scheduler.ResumeDue(now: 100);
        Assert.Equal(4, scheduler.Runnable);
    }

    [Fact]
    public void Runnable_PartitionRevokedWhileItsLaneWaits_NothingLeftHeldBack()
    {
        var started = new List<Lane>();
        var scheduler = new LaneScheduler(OrderingMode.Partition, 4, started.Add);
        var work = scheduler.Assign(P(0));
        var toStart = new List<Lane>();
        scheduler.Dispatch(work, Record(0, 0), toStart);
        scheduler.Dispatch(work, Record(0, 1), toStart);
        scheduler.Start(toStart);
        scheduler.Wait(started.Single(), due: 100);

        scheduler.Revoke([P(0)]);
        scheduler.ResumeDue(now: 100);

        Assert.Equal(0, scheduler.Buffered);
        Assert.Equal(0, scheduler.Runnable);
    }

    [Fact]
    public async Task Poll_ThousandRecordsWaitForSlots_StopsTakingMoreThoughTheBufferHasRoom()
    {
        var handler = new GatedHandler();
        var time = new FakeTimeProvider();
        await using var engine = Start(OrderingMode.Unordered, 16, handler.HandleAsync, time: time, partitions: [0]);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, 1_500).Select(i => Record(0, i))]);

        await Eventually.True(() => engine.Status.RecordsBuffered == 1_000, "1,000 records read ahead");
        var turns = engine.Engine.Turns;
        await Eventually.True(() => engine.Engine.Turns > turns + 20, "the loop keeps turning");
        Assert.Equal(1_000, engine.Status.RecordsBuffered);      // not the 10,000 of MaxBufferedRecords

        handler.OpenAll();
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 1_500, "all 1,500 handled once the lanes drain");
    }

    [Fact]
    public async Task Poll_ReadAheadAllOfOnePartitionWithASlotIdle_KeepsPollingForTheOthers()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 2, handler.HandleAsync, partitions: [0, 1]);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, 1_200).Select(i => Record(0, i)), .. Enumerable.Range(0, 5).Select(i => Record(1, i))]);
        handler.Open(1, 0);
        handler.Open(1, 1);
        handler.Open(1, 2);
        handler.Open(1, 3);
        handler.Open(1, 4);

        // 1,199 runnable records of partition 0 wait behind its head, but partition 1's lane has a free slot to use.
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(1)) == 5, "partition 1 handled");
        Assert.Equal(1_200, engine.Engine.Scheduler.BufferedOf(P(0)).Records);
        handler.OpenAll();
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 1_200, "partition 0 drains");
    }
}
