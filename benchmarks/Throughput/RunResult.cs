using System.Diagnostics;
using System.Globalization;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>Process-wide GC counters and CPU time, and the calling (consuming) thread's CPU time, at one moment.</summary>
internal readonly record struct GcSnapshot(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Cpu, TimeSpan ThreadCpu)
{
    public static GcSnapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        return new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            process.TotalProcessorTime, Throughput.ThreadCpu.Now());
    }
}

/// <summary>One measured run: records from the first to the last consumed record.</summary>
internal sealed record RunResult(string Kind, string Label, long Records, TimeSpan Elapsed, TimeSpan LongestBlock, GcSnapshot Gc, bool OneThread)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    /// <summary>
    /// CPU time of the consuming thread per record, in microseconds (0 where unavailable). NaN for the pipeline: since the
    /// lanes redesign its records run on thread-pool threads, so there is no one consuming thread (the first and the last
    /// record's threads differ); <see cref="ProcessMicrosecondsPerRecord"/> is the figure to compare.
    /// </summary>
    public double ThreadMicrosecondsPerRecord => OneThread ? Gc.ThreadCpu.TotalMicroseconds / Records : double.NaN;

    /// <summary>CPU time of the whole process per record, in microseconds (every thread: poll thread, lanes, librdkafka, GC).</summary>
    public double ProcessMicrosecondsPerRecord => Gc.Cpu.TotalMicroseconds / Records;

    public static RunResult From(string kind, string label, ConsumeTracker tracker, bool oneThread)
    {
        // First to last record spans Records - 1 intervals; with 200k records the difference is noise, so count all.
        var elapsed = Stopwatch.GetElapsedTime(tracker.FirstTimestamp, tracker.LastTimestamp);
        var first = tracker.FirstGc;
        var last = tracker.LastGc;
        return new RunResult(kind, label, tracker.Count, elapsed, Stopwatch.GetElapsedTime(0, tracker.LongestBlock),
            new GcSnapshot(last.AllocatedBytes - first.AllocatedBytes, last.Gen0 - first.Gen0, last.Gen1 - first.Gen1, last.Gen2 - first.Gen2, last.Cpu - first.Cpu, last.ThreadCpu - first.ThreadCpu),
            oneThread);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Label,-8} {Kind,-23} {Records,9:N0} records in {Elapsed.TotalSeconds,6:F3} s = {RecordsPerSecond,9:N0} rec/s"
        + $"   consumer thread {(OneThread ? ThreadMicrosecondsPerRecord.ToString("F2", CultureInfo.InvariantCulture) : "n/a"),5} us/record   process cpu {Gc.Cpu / Elapsed:F2} cores = {ProcessMicrosecondsPerRecord,5:F2} us/record   slowest 256 {LongestBlock.TotalMilliseconds,5:F1} ms"
        + $"   alloc {Gc.AllocatedBytes / (double)Records,6:F0} B/record, GCs gen0/1/2 {Gc.Gen0}/{Gc.Gen1}/{Gc.Gen2}");
}
