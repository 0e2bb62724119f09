using System.Collections.Concurrent;
using System.Text;
using KafkaPipeline.ErrorHandling;
using KafkaPipeline.Options;

namespace KafkaPipeline.IntegrationTests.Concurrency;

/// <summary>
/// Watches every delivery of a concurrency run: which records finished (handled or recovered), and every breach of the
/// ordering mode's promise — a delivery that overlaps another of its key (or partition), or starts before an earlier
/// record of its key (or partition) finished.
/// </summary>
internal sealed class ConcurrencyProbe(OrderingMode ordering, ProducedRecords produced) : IRetryListener
{
    private readonly ConcurrentDictionary<(int, long), bool> _finished = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();
    private int _deliveries;
    private int _maxInFlight;
    private int _running;

    public IReadOnlyCollection<string> Violations => _violations;

    public int Finished => _finished.Count;

    public int Deliveries => Volatile.Read(ref _deliveries);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public bool IsFinished(int partition, long offset) => _finished.ContainsKey((partition, offset));

    /// <summary>The handler: checks the promise at the start, runs <paramref name="work"/>, records success.</summary>
    public async ValueTask DeliverAsync(ConsumeContext context, Func<ValueTask> work)
    {
        Interlocked.Increment(ref _deliveries);
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxInFlight, running);
        var key = Encoding.UTF8.GetString(context.Key!);
        var lane = LaneOf(context.Partition, key);
        if (lane is not null && _inFlight.AddOrUpdate(lane, 1, (_, n) => n + 1) > 1)
        {
            _violations.Enqueue($"overlap in {lane} at {context}");
        }

        try
        {
            if (lane is not null && FirstUnfinishedBefore(context.Partition, context.Offset, key) is { } earlier)
            {
                _violations.Enqueue($"{context} started before {earlier} of {lane} finished");
            }

            await work();
            _finished.TryAdd((context.Partition, context.Offset), true);
        }
        finally
        {
            if (lane is not null)
            {
                _inFlight.AddOrUpdate(lane, 0, (_, n) => n - 1);
            }

            Interlocked.Decrement(ref _running);
        }
    }

    public void Recovered(ConsumeContext context, Exception exception) => _finished.TryAdd((context.Partition, context.Offset), true);

    private string? LaneOf(int partition, string key) => ordering switch
    {
        OrderingMode.Partition => $"partition {partition}",
        OrderingMode.Key => $"key {key} of partition {partition}",
        _ => null,
    };

    private long? FirstUnfinishedBefore(int partition, long offset, string key)
    {
        var earlier = ordering == OrderingMode.Partition ? produced.OffsetsOf(partition) : produced.OffsetsOf(partition, key);
        foreach (var o in earlier)
        {
            if (o >= offset)
            {
                break;
            }

            if (!IsFinished(partition, o))
            {
                return o;
            }
        }

        return null;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }
}
