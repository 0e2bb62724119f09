using System.Globalization;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>What one run measured: the plan's measured records over the time from the first one's start to the last one's end.</summary>
internal sealed record RunResult(
    string Plan, string Label, long Records, TimeSpan Elapsed, long FailedDeliveries, long DeadLettered, long RecoveryFailures, TimeSpan LongestPause, TimeSpan Wall)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    /// <summary>Deliveries inside the handler, averaged over the measured stretch (sampled every 10 ms).</summary>
    public double MeanInHandler { get; init; }

    /// <summary>Process CPU time (all threads) per measured record over the measured stretch (10 ms resolution).</summary>
    public TimeSpan CpuPerRecord { get; init; }

    /// <summary>Mean time from handler entry to exit (the awaited latency plus scheduling of its continuation).</summary>
    public TimeSpan MeanHandlerTime { get; init; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Label,-8} {Plan,-22} {Records,8:N0} records in {Elapsed.TotalSeconds,7:F3} s = {RecordsPerSecond,9:N0} rec/s   "
        + $"longest pause {LongestPause.TotalMilliseconds,5:F0} ms   process cpu {CpuPerRecord.TotalMicroseconds,6:F2} us/record   in handler avg {MeanInHandler,5:F1}, handler {MeanHandlerTime.TotalMilliseconds:F2} ms   failed deliveries {FailedDeliveries:N0}, dead-lettered {DeadLettered}, failed recoveries {RecoveryFailures}, run {Wall.TotalSeconds:F1} s, load {Report.LoadAverage()}");
}
