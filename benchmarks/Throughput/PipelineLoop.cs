using KafkaPipeline.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>
/// (b) The full pipeline in a real generic host: AddKafkaPipeline + AddHandler of a no-op handler, default
/// pipeline (JSON deserialization, handler, watermark stored after success; no deduplication unless asked for).
/// </summary>
internal static class PipelineLoop
{
    public static async Task<RunResult> RunAsync(Dataset data, string label, TimeSpan timeout, PipelineVariant variant = PipelineVariant.Default)
    {
        var groupId = $"pipeline-{label}-{Guid.NewGuid():N}";
        var tracker = new ConsumeTracker(data.PerPartition);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(tracker);
        var pipeline = builder.Services
            .AddKafkaPipeline(options =>
            {
                options.BootstrapServers = data.Bootstrap;
                foreach (var (key, value) in ClientSettings.Consumer)
                {
                    options.Client[key] = value;
                }
            });
        if (variant == PipelineVariant.BytesNoDedup)
        {
            pipeline.AddHandler<BenchBytesHandler>(data.Topic, groupId);
        }
        else
        {
            pipeline.AddHandler<BenchOrderHandler>(data.Topic, groupId);
        }

        if (Environment.GetEnvironmentVariable("BENCH_MAX_BUFFERED") is { } maxBuffered)
        {
            pipeline.ConfigureConsumer(groupId, c => c.Configure(o => o.MaxBufferedRecords = int.Parse(maxBuffered, System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (variant == PipelineVariant.KeyOrdering)
        {
            pipeline.ConfigureConsumer(groupId, c => c.Ordering(Options.OrderingMode.Key, maxConcurrency: 64));
        }

        using (var host = builder.Build())
        {
            await host.StartAsync().ConfigureAwait(false);
            try
            {
                var samples = new List<int>();
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    var monitor = host.Services.GetRequiredService<KafkaConsumerMonitor>();
                    while (!sampling.IsCancellationRequested)
                    {
                        if (monitor.Find(groupId) is { RecordsCompleted: > 0 } s)
                        {
                            samples.Add(s.RecordsBuffered);
                        }

                        await Task.Delay(5).ConfigureAwait(false);
                    }
                });
                tracker.WaitForAll(timeout, $"pipeline run {label}");
                sampling.Cancel();
                await sampler.ConfigureAwait(false);
                if (samples.Count > 0)
                {
                    // Records fetched and not finished: how long records wait between the poll and their lane.
                    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"         {label} {variant}: records buffered mean {samples.Average():F0}, max {samples.Max()} (sampled every 5 ms)"));
                }

                // Not timed: anything handled after the last expected record is a duplicate or a stranger.
                await Task.Delay(500).ConfigureAwait(false);
                tracker.ThrowIfViolated($"pipeline run {label}");
            }
            finally
            {
                await host.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }

            var status = host.Services.GetRequiredService<KafkaConsumerMonitor>().Find(groupId)
                ?? throw new InvalidOperationException($"pipeline run {label}: consumer '{groupId}' was not started.");
            if (status.RecordsCompleted != data.Total || status.FailedDeliveries != 0)
            {
                throw new InvalidOperationException(
                    $"pipeline run {label}: {status.RecordsCompleted:N0} records completed and {status.FailedDeliveries:N0} failed deliveries; expected {data.Total:N0} and 0.");
            }
        }

        data.VerifyCommitted(groupId, $"pipeline run {label}");
        return RunResult.From(Name(variant), label, tracker, oneThread: false);
    }

    public static string Name(PipelineVariant variant) => variant switch
    {
        PipelineVariant.KeyOrdering => "pipeline-key-64",
        PipelineVariant.BytesNoDedup => "pipeline-bytes-no-dedup",
        _ => "pipeline",
    };
}
