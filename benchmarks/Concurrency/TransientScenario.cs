using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Testing;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Issue 8: 3 % of records fail once under FixedBackOff(50 ms, 2); a handler that returns at once (CPU-bound). Key mode
/// with failures against Key mode without (target >= 0.8); the Partition-mode figures are printed beside them.
/// </summary>
internal static class TransientScenario
{
    private const int Partitions = 16;
    private const int Keys = 1_000;

    public static async Task<bool> RunAsync(Options options)
    {
        var records = options.RecordsOr(100_000);
        var backOff = new FixedBackOff(TimeSpan.FromMilliseconds(50), 2);
        var keyClean = new RunPlan("key-no-failures", "Key", null) { BackOff = backOff };
        var keyTransient = keyClean with { Name = "key-3%-fail-once", Fails = static (_, id, attempt) => attempt == 1 && FailsOnce(id) };
        var partitionClean = keyClean with { Name = "partition-no-failures", Ordering = "Partition" };
        var partitionTransient = keyTransient with { Name = "partition-3%-fail-once", Ordering = "Partition" };
        Report.Line($"== transient: {records:N0} records over {Partitions} partitions, {Keys:N0} keys, handler returns at once, dedup off; "
            + $"{Enumerable.Range(0, records).Count(id => FailsOnce(id)):N0} records ({Enumerable.Range(0, records).Count(id => FailsOnce(id)) * 100.0 / records:F1} %) fail their first delivery; "
            + $"FixedBackOff(50 ms, 2); MaxConcurrency default; {options.Rounds} rounds after a warm-up.");
        Report.Machine();

        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        const string Topic = "transient";
        cluster.CreateTopic(Topic, Partitions);
        cluster.CreateTopic(Topic + "-dlt", Partitions);
        var data = Workload.Produce(cluster.BootstrapServers, Topic, records, Partitions, Keys);
        var timeout = TimeSpan.FromMinutes(5);
        var runs = new List<RunResult>();
        for (var round = 0; round <= options.Rounds; round++)
        {
            var label = round == 0 ? "warm-up" : $"run {round}";
            foreach (var plan in new[] { keyClean, keyTransient, partitionClean, partitionTransient })
            {
                var result = await PipelineRun.RunAsync(data, plan, label, timeout).ConfigureAwait(false);
                Report.Line(result + (round == 0 ? "   (warm-up, discarded)" : string.Empty));
                if (round > 0)
                {
                    runs.Add(result);
                }
            }
        }

        Report.Medians(runs);
        double Median(RunPlan plan) => Report.MedianRate(runs.Where(r => r.Plan == plan.Name));
        Report.Line($"transient Partition mode, 3 % failing once vs no failures: ratio {Math.Floor(Median(partitionTransient) / Median(partitionClean) * 1000) / 1000:F3} (no target; printed for comparison)");
        return Report.Ratio("transient Key mode, 3 % failing once vs no failures", Median(keyTransient), Median(keyClean), 0.8);
    }

    /// <summary>About 3 % of ids, spread evenly over keys and partitions (a multiplicative hash, not every 33rd id).</summary>
    private static bool FailsOnce(long id) => (ulong)(id * 2654435761L) % 1000 < 30;
}
