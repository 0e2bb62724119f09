using KafkaPipeline.ErrorHandling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// One run of a plan in a real generic host (AddKafkaPipeline from configuration + AddHandler + the default error
/// handler with the dead-letter topic; JSON not involved, dedup off), a fresh group reading from the earliest offset.
/// Fails the benchmark unless every record was handled or dead-lettered exactly once, as planned, and the group's
/// committed offsets reach the end of every partition.
/// </summary>
internal static class PipelineRun
{
    public static async Task<RunResult> RunAsync(Workload data, RunPlan plan, string label, TimeSpan timeout)
    {
        var group = plan.GroupId?.Invoke() ?? $"bench-{plan.Name}-{Guid.NewGuid():N}";
        var run = $"{plan.Name} {label}";
        var probe = new Probe(data, plan);
        var settings = new Dictionary<string, string?>(plan.Configuration)
        {
            ["Kafka:BootstrapServers"] = data.Bootstrap,
            [$"Kafka:Consumers:{group}:Ordering"] = plan.Ordering,
            [$"Kafka:Consumers:{group}:Client:fetch.queue.backoff.ms"] = "20",
        };
        if (plan.MaxConcurrency is { } max)
        {
            settings[$"Kafka:Consumers:{group}:MaxConcurrency"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // BENCH_CONSUMER="MaxBufferedRecords=40000;Client:fetch.max.bytes=1048576": more consumer settings, for experiments.
        foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_CONSUMER") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            settings[$"Kafka:Consumers:{group}:{name}"] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(probe);
        builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
            .AddHandler<BenchHandler>(data.Topic, group)
            .ConfigurePipeline(p => p.WithoutDeduplication())
            .UseDefaultErrorHandler(eh => eh.BackOff(plan.BackOff).DeadLetterTopic().AddRetryListener(probe));
        var started = DateTime.UtcNow;
        TimeSpan longestPause;
        double meanInHandler;
        TimeSpan cpuPerRecord;
        using (var host = builder.Build())
        {
            await host.StartAsync().ConfigureAwait(false);
            using var sampler = new Sampler(probe, () => Status(host.Services, group));
            try
            {
                if (plan.AfterMeasured is { } after)
                {
                    Wait(probe.MeasuredDone, probe, run, "measured records", timeout - (DateTime.UtcNow - started));
                    after();
                }

                Wait(probe.Done, probe, run, "all records", timeout - (DateTime.UtcNow - started));

                // Not timed: anything handled after the last record is a duplicate.
                await Task.Delay(300).ConfigureAwait(false);
                probe.ThrowIfViolated(run);
            }
            finally
            {
                await host.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                sampler.Dispose();
                longestPause = sampler.LongestPause();
                meanInHandler = sampler.MeanInHandler();
                cpuPerRecord = sampler.CpuPerRecord();
                if (Sampler.PrintTimeline)
                {
                    Console.Write(sampler.Timeline());
                }
            }
        }

        var expectedDeadLetters = Enumerable.Range(0, data.Records).LongCount(id => plan.DeadLetters(data, id));
        if (probe.DeadLettered != expectedDeadLetters)
        {
            throw new InvalidOperationException($"{run}: {probe.DeadLettered} records dead-lettered, expected {expectedDeadLetters}");
        }

        data.VerifyCommitted(group, run);
        return new RunResult(plan.Name, label, probe.Measured, probe.MeasuredElapsed, probe.FailedDeliveries, probe.DeadLettered, probe.RecoveryFailures, longestPause, DateTime.UtcNow - started)
        {
            MeanInHandler = meanInHandler,
            MeanHandlerTime = probe.MeanHandlerTime,
            CpuPerRecord = cpuPerRecord,
        };
    }

    /// <summary>The consumer status's counters that this core has (read by name: older cores have fewer).</summary>
    private static string Status(IServiceProvider services, string group)
    {
        var status = services.GetRequiredService<KafkaPipeline.Health.KafkaConsumerMonitor>().Find(group);
        return status is null ? "no status" : string.Join("  ", new[] { "RecordsInFlight", "RecordsBuffered", "RecordsCompleted", "PausedPartitionCount" }
            .Select(name => (name, value: status.GetType().GetProperty(name)?.GetValue(status)))
            .Where(p => p.value is not null)
            .Select(p => $"{p.name} {p.value}"));
    }

    private static void Wait(ManualResetEventSlim done, Probe probe, string run, string what, TimeSpan left)
    {
        if (!done.Wait(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            throw new InvalidOperationException($"{run}: {what} not done within the run's time limit: {probe.Describe()}");
        }
    }
}
