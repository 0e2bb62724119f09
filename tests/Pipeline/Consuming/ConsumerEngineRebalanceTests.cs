using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>Revoke, loss and shutdown with records in flight, and back-pressure.</summary>
public sealed class ConsumerEngineRebalanceTests
{
    [Fact]
    public async Task Revoke_RecordInFlight_WaitsForItThenCommitsItsWatermarkAndDropsTheRest()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2), Record(1, 0));
        handler.Open(0, 0);
        handler.Open(1, 0);
        await Eventually.True(() => handler.Running.Contains((0, 1)), "0/1 in flight");

        engine.Consumer.RevokeOnNextPoll(P(0));
        await Eventually.True(() => engine.Engine.Scheduler.IsRevoked(P(0)), "the revoke waits");
        Assert.Null(engine.Consumer.Calls.FirstOrDefault(c => c.StartsWith("commit orders [[0]] @2", StringComparison.Ordinal)));
        handler.Open(0, 1);

        await Eventually.True(() => engine.Status.AssignedPartitions.SequenceEqual([P(1)]), "partition 0 revoked");
        Assert.Equal(2, engine.Consumer.CommittedOffset(P(0)));   // the in-flight record finished and counts
        Assert.DoesNotContain((0, 2L), handler.Events.Select(e => e).Where(e => e.StartsWith("start", StringComparison.Ordinal)).Select(Parse));
        Assert.Equal(1, engine.Consumer.CommittedOffset(P(1)));
    }

    [Fact]
    public async Task Revoke_RecordInFlightBeyondRevokeTimeout_AbandonedAndNotCommitted()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.RevokeTimeout = TimeSpan.FromMilliseconds(200), partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1));
        handler.Open(0, 0);
        await Eventually.True(() => handler.Running.Contains((0, 1)), "0/1 in flight");

        engine.Consumer.RevokeOnNextPoll(P(0));

        await Eventually.True(() => engine.Status.AssignedPartitions.Count == 0, "partition 0 revoked");
        Assert.Equal(1, engine.Consumer.CommittedOffset(P(0)));   // 0/1 was abandoned: the new owner runs it again
        Assert.Contains(engine.Logger.Entries, e => e.EventId.Id == 1019);
        await Eventually.True(() => handler.Events.Contains("end 0/1"), "the abandoned handler saw its token cancelled");
    }

    [Fact]
    public async Task Revoke_RecordWaitingForItsBackOff_WaitEndsAtOnceAndNothingIsCommittedForIt()
    {
        var attempts = 0;
        await using var engine = Start(OrderingMode.Key, 16, context =>
        {
            if (context.Offset == 1)
            {
                Interlocked.Increment(ref attempts);
                throw new TimeoutException("busy");
            }

            return ValueTask.CompletedTask;
        }, errorHandler: new Errors.RetryingErrorHandler(Microsoft.Extensions.Logging.Abstractions.NullLogger<Errors.RetryingErrorHandler>.Instance, TimeSpan.FromMinutes(10)),
        partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0, "a"), Record(0, 1, "b"), Record(0, 2, "c"));
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 1 && attempts == 1, "0 committed, 1 waits for its back-off");

        var started = DateTime.UtcNow;
        engine.Consumer.RevokeOnNextPoll(P(0));
        await Eventually.True(() => engine.Status.AssignedPartitions.Count == 0, "partition 0 revoked");

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the revoke waited for a 10-minute back-off");
        Assert.Equal(1, engine.Consumer.CommittedOffset(P(0)));  // 2 was handled, but the commit cannot pass 1
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Lost_RecordsInFlightAbandonedAtOnceAndNothingCommitted()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0));
        await Eventually.True(() => handler.Running.Contains((0, 0)), "0/0 in flight");

        engine.Consumer.LoseOnNextPoll(P(0));

        await Eventually.True(() => handler.Events.Contains("end 0/0"), "the in-flight record's token was cancelled");
        Assert.Null(engine.Consumer.CommittedOffset(P(0)));
        Assert.Empty(engine.Status.AssignedPartitions);
    }

    [Fact]
    public async Task Shutdown_RecordsInFlightFinishWithinShutdownTimeout_CommittedBeforeClose()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync);
        engine.Consumer.Enqueue(Record(0, 0), Record(1, 0), Record(1, 1));
        await Eventually.True(() => handler.Running.Count == 2, "both partitions in flight");

        var stopping = engine.StopAsync();
        await Eventually.True(() => engine.Engine.Scheduler.IsRevoked(P(0)) && engine.Engine.Scheduler.IsRevoked(P(1)), "shutdown drains");
        Assert.False(stopping.IsCompleted); // it waits for the records in flight
        handler.OpenAll();
        await stopping;

        Assert.Equal(1, engine.Consumer.CommittedOffset(P(0)));
        Assert.Equal(1, engine.Consumer.CommittedOffset(P(1)));   // 1/1 was queued, not started: left for the next owner
        Assert.DoesNotContain("start 1/1", handler.Events);
        var calls = engine.Consumer.Calls;
        Assert.True(calls.FindLastIndex(c => c.StartsWith("commit", StringComparison.Ordinal)) < calls.IndexOf("close"), "committed after close");
    }

    [Fact]
    public async Task Shutdown_RecordInFlightBeyondShutdownTimeout_CancelledAndNotCommitted()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100), partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0));
        await Eventually.True(() => handler.Running.Count == 1, "0/0 in flight");

        await engine.StopAsync();

        Assert.Contains("end 0/0", handler.Events);                // its token was cancelled
        Assert.Null(engine.Consumer.CommittedOffset(P(0)));
        Assert.Contains(engine.Logger.Entries, e => e.EventId.Id == 1014);
    }

    [Fact]
    public async Task BackPressure_PartitionHoldingTwiceItsShare_PausedUntilBackToItsShareOthersFlow()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.MaxBufferedRecords = 8, partitions: [0, 1]);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, 12).Select(i => Record(0, i)), Record(1, 0)]);
        handler.Open(1, 0);

        await Eventually.True(() => engine.Consumer.IsPaused(P(0)), "partition 0 paused at twice its share of 4");
        Assert.Equal(8, engine.Engine.Scheduler.BufferedOf(P(0)).Records);
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(1)) == 1, "partition 1 flows");
        Assert.False(engine.Consumer.IsPaused(P(1)));

        foreach (var offset in Enumerable.Range(0, 3))
        {
            handler.Open(0, offset);
        }

        await Eventually.True(() => engine.Status.RecordsCompleted == 4, "three of partition 0 done");
        Assert.Equal(0, ResumesAfterPause()); // 5 of 8 left: still paused
        handler.Open(0, 3);
        await Eventually.True(() => ResumesAfterPause() >= 1, "resumed once back to its share");
        handler.OpenAll();
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 12, "all twelve handled in order");
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (0, (long)i)), handler.Finished.Where(f => f.Partition == 0));

        // The resume after the assignment may come before or after the pause (records can arrive in the poll that assigns);
        // either way the pause for back-pressure holds until the partition is back to its share.
        int ResumesAfterPause()
        {
            var calls = engine.Consumer.Calls.ToList();
            return calls.Skip(calls.IndexOf("pause orders [[0]]") + 1).Count(c => c == "resume orders [[0]]");
        }
    }

    [Fact]
    public async Task BackPressure_BufferFull_StopsPollingInsteadOfPausingAndPollsOnlyEveryHundredMilliseconds()
    {
        var handler = new GatedHandler();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, o => o.MaxBufferedRecords = 8, time: time, partitions: [0, 1, 2, 3]);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, 3).SelectMany(o => Enumerable.Range(0, 4).Select(p => Record(p, o)))]);

        await Eventually.True(() => engine.Status.RecordsBuffered == 8, "the buffer is full");
        var polls = engine.Consumer.Polls;
        var turns = engine.Engine.Turns;
        await Eventually.True(() => engine.Engine.Turns > turns + 20, "the loop keeps turning");
        Assert.Equal(polls, engine.Consumer.Polls);                       // ... without polling
        Assert.DoesNotContain(engine.Consumer.Calls, c => c.StartsWith("pause", StringComparison.Ordinal)); // ... nor pausing

        time.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.True(() => engine.Consumer.Polls > polls, "a poll without waiting every 100 ms (rebalances, max.poll.interval.ms)");
        handler.OpenAll();
        await Eventually.True(() => Enumerable.Range(0, 4).All(p => engine.Consumer.CommittedOffset(P(p)) == 3), "all handled once the lanes drain");
    }

    private static (int, long) Parse(string e)
    {
        var parts = e.Split(' ')[1].Split('/');
        return (int.Parse(parts[0]), long.Parse(parts[1]));
    }
}
