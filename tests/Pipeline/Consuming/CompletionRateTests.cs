using KafkaPipeline.Consuming;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>The lanes' measured pace, and the read-ahead rule it serves: fast lanes need no reading beyond the read-ahead.</summary>
public sealed class CompletionRateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void PerSecond_NoWindowOverYet_ZeroAndNothingDrainsSoon()
    {
        var rate = new CompletionRate(_time);
        rate.Count(1_000);

        Assert.Equal(0, rate.PerSecond);
        Assert.False(rate.DrainsWithin(1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void PerSecond_WindowsOver_MeasuredThenSmoothed()
    {
        var rate = new CompletionRate(_time);
        rate.Count(500);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        rate.Count(500);
        Assert.Equal(20_000, rate.PerSecond, precision: 6);          // 1,000 records in 50 ms

        _time.Advance(TimeSpan.FromMilliseconds(100));
        rate.Count(0);
        Assert.Equal(10_000, rate.PerSecond, precision: 6);          // an idle window halves it
    }

    [Fact]
    public void DrainsWithin_ComparesTheRecordsWithThePace()
    {
        var rate = new CompletionRate(_time);
        _time.Advance(TimeSpan.FromSeconds(1));
        rate.Count(100);                                              // 100 records/s: slow lanes

        Assert.True(rate.DrainsWithin(1, TimeSpan.FromMilliseconds(20)));
        Assert.False(rate.DrainsWithin(2, TimeSpan.FromMilliseconds(20)));
        Assert.False(rate.DrainsWithin(1_000, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public async Task Poll_FastLanesWithSlotsIdle_StopsAtTheReadAheadSinceTheLanesDrainItWithinMoments()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 4, handler.HandleAsync, time: _time, partitions: [0]);
        for (var i = 0; i < 3_000; i++)
        {
            handler.Open(0, i);
        }

        engine.Consumer.Enqueue([.. Enumerable.Range(0, 3_000).Select(i => Record(0, i))]);
        await Eventually.True(() => Task.FromResult(engine.Consumer.CommittedOffset(P(0)) == 3_000), "3,000 records handled at once");
        _time.Advance(CompletionRate.Window);                        // 3,000 records in 50 ms: 60,000 records/s
        var turns = engine.Engine.Turns;
        await Eventually.True(() => Task.FromResult(engine.Engine.Turns > turns + 2), "the loop measured the pace");

        engine.Consumer.Enqueue([.. Enumerable.Range(3_000, 5_000).Select(i => Record(0, i))]);

        // One partition, one lane: three of the four slots stay idle, yet 1,000 records are ~17 ms of work at that pace.
        await Eventually.True(() => Task.FromResult(engine.Status.RecordsBuffered == 1_000), "1,000 records read ahead");
        turns = engine.Engine.Turns;
        await Eventually.True(() => Task.FromResult(engine.Engine.Turns > turns + 20), "the loop keeps turning");
        Assert.Equal(1_000, engine.Status.RecordsBuffered);          // not the 5,000 the buffer has room for

        handler.OpenAll();
        await Eventually.True(() => Task.FromResult(engine.Consumer.CommittedOffset(P(0)) == 8_000), "all 8,000 handled once the lanes drain");
    }

    [Fact]
    public void QueuedBehindSlowHeads_PartitionMode_RecordsBehindHeadsRunningSinceBefore()
    {
        var started = new List<Lane>();
        var scheduler = new LaneScheduler(OrderingMode.Partition, 4, started.Add);
        var first = scheduler.Assign(P(0));
        var second = scheduler.Assign(P(1));
        var toStart = new List<Lane>();
        foreach (var offset in Enumerable.Range(0, 3))
        {
            scheduler.Dispatch(first, Record(0, offset), toStart);
        }

        scheduler.Dispatch(second, Record(1, 0), toStart);
        scheduler.Dispatch(second, Record(1, 1), toStart);
        scheduler.Start(toStart);
        started.Single(l => l.Partition == first).StartedAt = 10;
        started.Single(l => l.Partition == second).StartedAt = 50;

        Assert.Equal(2, scheduler.QueuedBehindSlowHeads(since: 20)); // partition 0: two records behind a head running since 10
        Assert.Equal(3, scheduler.QueuedBehindSlowHeads(since: 60));
        Assert.Equal(0, scheduler.QueuedBehindSlowHeads(since: 5));
    }

    [Fact]
    public void QueuedBehindSlowHeads_KeyMode_Zero()
    {
        var started = new List<Lane>();
        var scheduler = new LaneScheduler(OrderingMode.Key, 4, started.Add);
        var work = scheduler.Assign(P(0));
        var toStart = new List<Lane>();
        scheduler.Dispatch(work, Record(0, 0, "a"), toStart);
        scheduler.Dispatch(work, Record(0, 1, "a"), toStart);
        scheduler.Start(toStart);

        Assert.Equal(0, scheduler.QueuedBehindSlowHeads(since: long.MaxValue));
    }
}
