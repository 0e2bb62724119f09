using System.Collections.Concurrent;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>Many records, instant handlers: batches of dispatches and lanes that drain faster than records arrive keep order.</summary>
public sealed class ConsumerEngineStressTests
{
    [Theory]
    [InlineData(OrderingMode.Partition)]
    [InlineData(OrderingMode.Key)]
    public async Task Dispatch_ManyRecordsInstantHandlers_EachLaneInOrderNoOverlap(OrderingMode ordering)
    {
        const int PerPartition = 5_000;
        var last = new ConcurrentDictionary<string, long>();
        var running = new ConcurrentDictionary<string, int>();
        var violations = new ConcurrentQueue<string>();
        var handled = 0;
        await using var engine = Start(ordering, 16, context =>
        {
            var lane = ordering == OrderingMode.Partition ? $"p{context.Partition}" : $"p{context.Partition}/{System.Text.Encoding.UTF8.GetString(context.Key!)}";
            if (running.AddOrUpdate(lane, 1, (_, n) => n + 1) > 1)
            {
                violations.Enqueue($"overlap in {lane} at {context.Offset}");
            }

            var previous = last.GetOrAdd(lane, -1);
            if (context.Offset <= previous)
            {
                violations.Enqueue($"{lane}: {context.Offset} after {previous}");
            }

            last[lane] = context.Offset;
            running.AddOrUpdate(lane, 0, (_, n) => n - 1);
            Interlocked.Increment(ref handled);
            return ValueTask.CompletedTask;
        }, partitions: [0, 1, 2, 3]);
        engine.Consumer.Enqueue([.. Enumerable.Range(0, PerPartition).SelectMany(o => Enumerable.Range(0, 4).Select(p => Record(p, o, $"k{o % 7}")))]);

        await Eventually.True(() => Enumerable.Range(0, 4).All(p => engine.Consumer.CommittedOffset(P(p)) == PerPartition), "all committed", TimeSpan.FromSeconds(60));

        Assert.Empty(engine.Logger.Entries.Where(e => e.EventId.Id == 1016).Select(e => e.Message).Take(5));
        Assert.Empty(violations);
        Assert.Equal(4 * PerPartition, handled);
    }
}
