using System.Diagnostics;
using KafkaPipeline.ErrorHandling;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// What one run observed, checked as it happens: every record handled (or dead-lettered) exactly once; never two
/// records of one key (of one partition in Partition mode) at the same time; per key (per partition) in produce order.
/// Times the <see cref="RunPlan.Measured"/> records from the first one's start to the last one's end.
/// </summary>
internal sealed class Probe : IRetryListener
{
    private readonly Workload _data;
    private readonly RunPlan _plan;
    private readonly int[] _outcomes;
    private readonly int[] _keyInFlight;
    private readonly long[] _keyNext;
    private readonly int[] _partitionInFlight;
    private readonly long[] _partitionLast;
    private readonly long _measuredTotal;
    private long _done;
    private long _measured;
    private long _firstStart;
    private long _lastEnd;
    private long _failedDeliveries;
    private long _recoveryFailures;
    private long _deadLettered;
    private int _inHandler;
    private long _deliveries;
    private long _handlerTicks;
    private string? _violation;

    public Probe(Workload data, RunPlan plan)
    {
        _data = data;
        _plan = plan;
        _outcomes = new int[data.Records];
        _keyInFlight = new int[data.Keys];
        _keyNext = new long[data.Keys];
        _partitionInFlight = new int[data.Partitions];
        _partitionLast = Enumerable.Repeat(-1L, data.Partitions).ToArray();
        _measuredTotal = Enumerable.Range(0, data.Records).LongCount(id => plan.Measured(data, id));
    }

    public RunPlan Plan => _plan;

    public Workload Data => _data;

    public ManualResetEventSlim Done { get; } = new();

    /// <summary>Set when every measured record is done.</summary>
    public ManualResetEventSlim MeasuredDone { get; } = new();

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public long FailedDeliveries => Interlocked.Read(ref _failedDeliveries);

    public long RecoveryFailures => Interlocked.Read(ref _recoveryFailures);

    public long Measured => _measuredTotal;

    public long MeasuredDoneCount => Interlocked.Read(ref _measured);

    public int InHandler => Volatile.Read(ref _inHandler);

    /// <summary>Mean time a delivery spent in the handler (entry to exit), all records.</summary>
    public TimeSpan MeanHandlerTime =>
        Interlocked.Read(ref _deliveries) is var n and > 0 ? Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _handlerTicks) / n) : TimeSpan.Zero;

    public TimeSpan MeasuredElapsed => Stopwatch.GetElapsedTime(_firstStart, _lastEnd);

    /// <summary>A delivery starts; returns the id.</summary>
    public long Enter(ConsumeContext context)
    {
        var id = Workload.IdOf(context.Value);
        Interlocked.Increment(ref _inHandler);
        if (context.Partition != _data.PartitionOf(id))
        {
            Violate($"record {id} arrived on partition {context.Partition}, produced to {_data.PartitionOf(id)}");
        }

        if (_plan.Ordering != "Unordered" && Interlocked.Increment(ref _keyInFlight[_data.KeyOf(id)]) > 1)
        {
            Violate($"two records of key {_data.KeyOf(id)} in flight at once (record {id})");
        }

        if (_plan.Ordering == "Partition" && Interlocked.Increment(ref _partitionInFlight[context.Partition]) > 1)
        {
            Violate($"two records of partition {context.Partition} in flight at once in Partition mode (record {id})");
        }

        if (_plan.Measured(_data, id))
        {
            Interlocked.CompareExchange(ref _firstStart, Stopwatch.GetTimestamp(), 0);
        }

        return id;
    }

    /// <summary>A delivery ends (handled when <paramref name="handled"/>, else it threw).</summary>
    public void Exit(long id, bool handled, long entered)
    {
        Interlocked.Decrement(ref _inHandler);
        Interlocked.Increment(ref _deliveries);
        Interlocked.Add(ref _handlerTicks, Stopwatch.GetTimestamp() - entered);
        if (_plan.Ordering != "Unordered")
        {
            Interlocked.Decrement(ref _keyInFlight[_data.KeyOf(id)]);
        }

        if (_plan.Ordering == "Partition")
        {
            Interlocked.Decrement(ref _partitionInFlight[_data.PartitionOf(id)]);
        }

        if (handled)
        {
            Complete(id);
        }
    }

    public void FailedDelivery(ConsumeContext context, Exception exception, int attempt) => Interlocked.Increment(ref _failedDeliveries);

    public void Recovered(ConsumeContext context, Exception exception)
    {
        var id = Workload.IdOf(context.Value);
        if (!_plan.DeadLetters(_data, id))
        {
            Violate($"record {id} was dead-lettered but should have been handled ({exception.GetType().Name}: {exception.Message})");
        }

        Interlocked.Increment(ref _deadLettered);
        Complete(id);
    }

    public void RecoveryFailed(ConsumeContext context, Exception exception, Exception failure) => Interlocked.Increment(ref _recoveryFailures);

    public string Describe() => $"{Interlocked.Read(ref _done):N0} of {_data.Records:N0} records done ({DeadLettered} dead-lettered), {FailedDeliveries:N0} failed deliveries, {RecoveryFailures:N0} failed recoveries";

    public void ThrowIfViolated(string run)
    {
        if (_violation is not null)
        {
            throw new InvalidOperationException($"{run}: {_violation}");
        }
    }

    private void Complete(long id)
    {
        if (Interlocked.Increment(ref _outcomes[id]) > 1)
        {
            Violate($"record {id} handled or dead-lettered twice");
        }

        var key = _data.KeyOf(id);
        if (_plan.Ordering != "Unordered" && _keyNext[key]++ != _data.SequenceOf(id))
        {
            Violate($"key {key}: record {id} (sequence {_data.SequenceOf(id)}) done out of order, expected sequence {_keyNext[key] - 1}");
        }

        var partition = _data.PartitionOf(id);
        if (_plan.Ordering == "Partition" && Interlocked.Exchange(ref _partitionLast[partition], id) > id)
        {
            Violate($"partition {partition}: record {id} done after a later record");
        }

        if (_plan.Measured(_data, id) && Interlocked.Increment(ref _measured) == _measuredTotal)
        {
            _lastEnd = Stopwatch.GetTimestamp();
            MeasuredDone.Set();
        }

        if (Interlocked.Increment(ref _done) == _data.Records)
        {
            Done.Set();
        }
    }

    private void Violate(string what) => Interlocked.CompareExchange(ref _violation, what, null);
}
