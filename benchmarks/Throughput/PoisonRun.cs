using System.Diagnostics;
using System.Globalization;
using KafkaPipeline.ErrorHandling;
using KafkaPipeline.ErrorHandling.BackOff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>
/// Issue 3's benchmark: one poison record per 10,000 records of partition 0, FixedBackOff(1 s, 2) and a dead-letter
/// topic. Measures the other partitions' throughput against a poison-free run of the same pipeline, and the time from
/// the first failure of a poison record to the dead-letter topic's acknowledgement (the recovered callback).
/// </summary>
internal static class PoisonRun
{
    public const int PoisonEvery = 10_000;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const int Retries = 2;

    public static async Task<PoisonResult> RunAsync(Dataset data, string label, bool poison, TimeSpan timeout)
    {
        var groupId = $"poison-{label}-{poison}-{Guid.NewGuid():N}";
        var probe = new PoisonProbe(data.PerPartition, poison);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(probe);
        builder.Services
            .AddKafkaPipeline(options =>
            {
                options.BootstrapServers = data.Bootstrap;
                foreach (var (key, value) in ClientSettings.Consumer)
                {
                    options.Client[key] = value;
                }
            })
            .AddHandler<PoisonBenchHandler>(data.Topic, groupId)
            .UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(Interval, Retries)).DeadLetterTopic().AddRetryListener(probe));
        using var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        try
        {
            if (!probe.Done.Wait(timeout))
            {
                throw new InvalidOperationException($"poison run {label}: not done within {timeout}: {probe.Describe()}");
            }

            // Not timed: listen for duplicates, as the throughput runs do. (On main 8e46aa9 stopping at once also left the
            // committed offsets a few hundred records short, until e39fd32; see docs/performance.md.)
            await Task.Delay(500).ConfigureAwait(false);
            probe.ThrowIfViolated($"poison run {label}");
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        data.VerifyCommitted(groupId, $"poison run {label}");
        return probe.Result(label);
    }

    public static bool IsPoison(int partition, long offset) => partition == 0 && offset % PoisonEvery == PoisonEvery / 2;
}

internal sealed record PoisonResult(string Label, bool Poison, long OtherRecords, TimeSpan OtherElapsed, IReadOnlyList<TimeSpan> FailureToDeadLetter)
{
    public double OtherRecordsPerSecond => OtherRecords / OtherElapsed.TotalSeconds;

    public override string ToString()
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{Label,-8} {(Poison ? "with poison" : "poison-free"),-12} partitions 1..n: {OtherRecords,9:N0} records in {OtherElapsed.TotalSeconds,6:F3} s = {OtherRecordsPerSecond,9:N0} rec/s");
        var times = string.Join(", ", FailureToDeadLetter.Select(t => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms"));
        return FailureToDeadLetter.Count > 0 ? $"{line}   first failure -> DLT ack: {times}" : line;
    }
}

/// <summary>Throws for poison records; counts the others.</summary>
internal sealed class PoisonBenchHandler(PoisonProbe probe) : IMessageHandler<BenchOrder>
{
    public ValueTask HandleAsync(BenchOrder message, ConsumeContext context, CancellationToken cancellationToken)
    {
        if (probe.Poison && PoisonRun.IsPoison(context.Partition, context.Offset))
        {
            throw new InvalidOperationException($"poison record {context}");
        }

        probe.Handled(context.Partition, context.Offset);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Per-partition order and counts, other-partition timing, and failure-to-dead-letter times. Called concurrently from
/// the lanes of different partitions (one record at a time per partition): counts are atomic, the rest is locked.
/// </summary>
internal sealed class PoisonProbe : IRetryListener
{
    private readonly Lock _gate = new();
    private readonly long[] _next;
    private readonly long[] _expected;
    private readonly long _poisonCount;
    private readonly Dictionary<long, long> _firstFailure = [];
    private readonly List<TimeSpan> _failureToDeadLetter = [];
    private long _others;
    private long _othersExpected;
    private long _firstOther;
    private long _lastOther;
    private long _recovered;
    private string? _violation;

    public PoisonProbe(IReadOnlyList<long> perPartition, bool poison)
    {
        Poison = poison;
        _expected = [.. perPartition];
        _next = new long[_expected.Length];
        _othersExpected = _expected.Skip(1).Sum();
        _poisonCount = poison ? Enumerable.Range(0, (int)_expected[0]).Count(o => PoisonRun.IsPoison(0, o)) : 0;
    }

    public bool Poison { get; }

    public ManualResetEventSlim Done { get; } = new();

    public void Handled(int partition, long offset)
    {
        // Offsets arrive in order; the poison offsets are skipped (recovered), never handled.
        while (Poison && partition == 0 && PoisonRun.IsPoison(0, _next[0]) && _next[0] < offset)
        {
            _next[0]++;
        }

        if (offset != _next[partition])
        {
            _violation ??= $"partition {partition}: expected offset {_next[partition]}, got {offset}";
        }

        _next[partition] = offset + 1;
        if (partition != 0)
        {
            var now = Stopwatch.GetTimestamp();
            if (Interlocked.Increment(ref _others) == 1)
            {
                Interlocked.CompareExchange(ref _firstOther, now, 0);
            }

            // Last one wins; the final record's own write is the last when the run ends.
            Interlocked.Exchange(ref _lastOther, Math.Max(now, Interlocked.Read(ref _lastOther)));
        }

        CheckDone();
    }

    public void FailedDelivery(ConsumeContext context, Exception exception, int attempt)
    {
        lock (_gate)
        {
            _firstFailure.TryAdd(context.Offset, Stopwatch.GetTimestamp());
        }
    }

    public void Recovered(ConsumeContext context, Exception exception)
    {
        lock (_gate)
        {
            _failureToDeadLetter.Add(Stopwatch.GetElapsedTime(_firstFailure[context.Offset]));
            _recovered++;
        }

        CheckDone();
    }

    public string Describe() => $"others {_others:N0}/{_othersExpected:N0}, partition 0 next {_next[0]:N0}/{_expected[0]:N0}, recovered {_recovered}/{_poisonCount}";

    public void ThrowIfViolated(string run)
    {
        if (_violation is not null)
        {
            throw new InvalidOperationException($"{run}: {_violation}");
        }
    }

    public PoisonResult Result(string label)
    {
        lock (_gate)
        {
            return new(label, Poison, Interlocked.Read(ref _others), Stopwatch.GetElapsedTime(_firstOther, Interlocked.Read(ref _lastOther)), [.. _failureToDeadLetter]);
        }
    }

    private void CheckDone()
    {
        var partitionZeroDone = _next[0] >= _expected[0] || (Poison && _next[0] == _expected[0] - 1 && PoisonRun.IsPoison(0, _expected[0] - 1));
        if (Interlocked.Read(ref _others) == _othersExpected && partitionZeroDone && Volatile.Read(ref _recovered) == _poisonCount)
        {
            Done.Set();
        }
    }
}
