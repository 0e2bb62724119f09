using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Samples a run every 10 ms on its own thread: measured records done, deliveries inside the handler, thread-pool
/// threads and queued work items. Gives the longest stretch with no measured record done, and with
/// <c>BENCH_TIMELINE=1</c> prints the timeline in 100 ms steps (what an outage or a back-off does to the rest).
/// </summary>
internal sealed class Sampler : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);
    private readonly Probe _probe;
    private readonly Thread _thread;
    private readonly List<(long Ticks, long Measured, int InHandler, int Threads, long Pending, long Failed, long RecoveryFailed, TimeSpan Cpu, string Status)> _samples = [];
    private volatile bool _stopped;

    private readonly Func<string> _status;

    /// <param name="status">The consumer's own counters, as text (what the core exposes).</param>
    public Sampler(Probe probe, Func<string> status)
    {
        _probe = probe;
        _status = status;
        _thread = new Thread(Loop) { IsBackground = true, Name = "bench-sampler" };
        _thread.Start();
    }

    public static bool PrintTimeline => Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1";

    /// <summary>Longest time, between the first and the last measured record, in which no measured record was done.</summary>
    public TimeSpan LongestPause()
    {
        long longest = 0, lastChange = 0, lastCount = -1;
        foreach (var sample in _samples)
        {
            if (sample.Measured != lastCount)
            {
                if (lastCount > 0 && lastCount < _probe.Measured)
                {
                    longest = Math.Max(longest, sample.Ticks - lastChange);
                }

                (lastChange, lastCount) = (sample.Ticks, sample.Measured);
            }
        }

        return Stopwatch.GetElapsedTime(0, longest);
    }

    /// <summary>Process CPU time (all threads) per measured record, from the first sample with a measured record done to the first with all done.</summary>
    public TimeSpan CpuPerRecord()
    {
        var first = _samples.FindIndex(s => s.Measured > 0);
        var last = _samples.FindIndex(s => s.Measured == _probe.Measured);
        return first < 0 || last <= first ? TimeSpan.Zero
            : (_samples[last].Cpu - _samples[first].Cpu) / Math.Max(1, _samples[last].Measured - _samples[first].Measured);
    }

    /// <summary>Mean number of deliveries inside the handler while measured records were being done.</summary>
    public double MeanInHandler()
    {
        var during = _samples.Where(s => s.Measured > 0 && s.Measured < _probe.Measured).ToList();
        return during.Count > 0 ? during.Average(s => s.InHandler) : 0;
    }

    public string Timeline()
    {
        var text = new StringBuilder();
        var start = _samples.Count > 0 ? _samples[0].Ticks : 0;
        var previous = 0L;
        for (var i = 0; i < _samples.Count; i += 10)
        {
            var s = _samples[i];
            text.Append(CultureInfo.InvariantCulture,
                $"   t={Stopwatch.GetElapsedTime(start, s.Ticks).TotalSeconds,6:F2}s measured done {s.Measured,8:N0} (+{s.Measured - previous,6:N0})  in handler {s.InHandler,4}  pool threads {s.Threads,3}  queued {s.Pending,5}  failed deliveries {s.Failed,5}  failed recoveries {s.RecoveryFailed,3}  {s.Status}\n");
            previous = s.Measured;
        }

        return text.ToString();
    }

    public void Dispose()
    {
        if (!_stopped)
        {
            _stopped = true;
            _thread.Join();
        }
    }

    private void Loop()
    {
        var stackOnStall = Environment.GetEnvironmentVariable("BENCH_STACK_ON_STALL") == "1";
        long lastChange = Stopwatch.GetTimestamp(), lastCount = -1;
        while (!_stopped)
        {
            var now = Stopwatch.GetTimestamp();
            var measured = _probe.MeasuredDoneCount;
            _samples.Add((now, measured, _probe.InHandler, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, _probe.FailedDeliveries, _probe.RecoveryFailures, Environment.CpuUsage.TotalTime, PrintTimeline ? _status() : string.Empty));
            if (measured != lastCount)
            {
                (lastChange, lastCount) = (now, measured);
            }
            else if (stackOnStall && measured > 0 && measured < _probe.Measured && Stopwatch.GetElapsedTime(lastChange, now) > TimeSpan.FromMilliseconds(150))
            {
                // Diagnostics only: the managed stacks of every thread while nothing measured is done (dotnet-stack tool).
                var file = $"/tmp/bench-stall-{Environment.ProcessId}-{now}.txt";
                using var dump = Process.Start(new ProcessStartInfo("dotnet-stack", $"report -p {Environment.ProcessId}") { RedirectStandardOutput = true })!;
                File.WriteAllText(file, dump.StandardOutput.ReadToEnd());
                dump.WaitForExit();
                Console.WriteLine($"   stall: stacks in {file}");
                lastChange = Stopwatch.GetTimestamp() + TimeSpan.FromSeconds(5).Ticks;
            }

            Thread.Sleep(Period);
        }
    }
}
