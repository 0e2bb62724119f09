using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>What each ordering mode runs at the same time, and what it keeps in order.</summary>
public sealed class ConsumerEngineOrderingTests
{
    [Fact]
    public async Task Dispatch_PartitionMode_OneRecordPerPartitionInFlightAndPartitionsInParallel()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync);
        engine.Consumer.Enqueue(Record(0, 0, "a"), Record(0, 1, "b"), Record(1, 0, "c"), Record(1, 1, "d"));

        await Eventually.True(() => handler.Running.Count == 2, "one record of each partition runs");
        Assert.Equal([(0, 0L), (1, 0L)], handler.Running.Order());

        handler.Open(0, 0);
        await Eventually.True(() => handler.Running.Contains((0, 1)), "partition 0 moves to its next record");
        Assert.Contains((1, 0L), handler.Running);
        handler.OpenAll();
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 2 && engine.Consumer.CommittedOffset(P(1)) == 2, "both committed to 2");
        Assert.Equal(2, handler.MaxRunning);
    }

    [Fact]
    public async Task Dispatch_KeyMode_SameKeyNeverOverlapsOtherKeysOfThePartitionRunInParallel()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Key, 16, handler.HandleAsync, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0, "a"), Record(0, 1, "b"), Record(0, 2, "a"), Record(0, 3, null), Record(0, 4, null));

        await Eventually.True(() => handler.Running.Count == 3, "a@0, b@1 and the first null key run");
        Assert.Equal([(0, 0L), (0, 1L), (0, 3L)], handler.Running.Order());

        handler.Open(0, 1);
        handler.Open(0, 3);
        await Eventually.True(() => handler.Running.Contains((0, 4)), "the second null-key record follows the first");
        Assert.DoesNotContain((0, 2L), handler.Running); // key a waits for a@0
        handler.Open(0, 0);
        await Eventually.True(() => handler.Running.Contains((0, 2)), "a@2 runs once a@0 is done");
        handler.OpenAll();
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 5, "committed to 5");
        var events = handler.Events;
        Assert.True(events.IndexOf("end 0/0") < events.IndexOf("start 0/2"), "a@2 started before a@0 ended");
        Assert.True(events.IndexOf("end 0/3") < events.IndexOf("start 0/4"), "null-key records overlapped");
    }

    [Fact]
    public async Task Dispatch_Unordered_RunsAnyRecordUpToMaxConcurrency()
    {
        var handler = new GatedHandler();
        await using var engine = Start(OrderingMode.Unordered, 3, handler.HandleAsync, partitions: 0);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, 6).Select(i => Record(0, i, "same-key"))]);

        await Eventually.True(() => handler.Running.Count == 3, "three records of one key run at once");
        await Task.Yield();
        Assert.Equal(3, handler.Running.Count);
        handler.Open(0, 1);
        await Eventually.True(() => handler.Running.Contains((0, 3)), "a freed slot takes the next record");
        handler.OpenAll();
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 6, "committed to 6");
        Assert.Equal(3, handler.MaxRunning);
    }

    [Fact]
    public async Task Dispatch_MaxConcurrencyBelowPartitions_EveryPartitionGetsItsTurn()
    {
        var handled = 0;
        await using var engine = Start(OrderingMode.Partition, 1, _ =>
        {
            Interlocked.Increment(ref handled);
            return ValueTask.CompletedTask;
        }, partitions: [0, 1, 2]);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, 3).SelectMany(p => Enumerable.Range(0, 20).Select(o => Record(p, o)))]);

        await Eventually.True(() => Enumerable.Range(0, 3).All(p => engine.Consumer.CommittedOffset(P(p)) == 20), "all three partitions committed to 20");
        Assert.Equal(60, handled);
    }
}
