using System.Collections.Concurrent;

namespace KafkaPipeline.Samples.Orders;

/// <summary>What the sample's consumers did, per group.</summary>
public sealed class SampleStats
{
    private readonly ConcurrentDictionary<string, Counters> _groups = new(StringComparer.Ordinal);

    public Counters For(string group) => _groups.GetOrAdd(group, _ => new Counters());

    public void Processed(string group, int attempt)
    {
        var counters = For(group);
        Interlocked.Increment(ref counters.Processed);
        if (attempt > 1)
        {
            Interlocked.Increment(ref counters.ProcessedAfterRetry);
        }
    }

    public sealed class Counters
    {
        public int Processed;
        public int ProcessedAfterRetry;
        public int Duplicates;
    }
}

/// <summary>Counts records the dedup step marked as duplicates.</summary>
public sealed class DuplicateCounter(SampleStats stats) : IConsumeMiddleware
{
    public async ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        await next(context);
        if (context.IsDuplicate)
        {
            Interlocked.Increment(ref stats.For(context.GroupId).Duplicates);
        }
    }
}
