using KafkaPipeline.Testing;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Issue 8: a handler that awaits 20 ms, 16 partitions, 1,000 keys. Key mode with MaxConcurrency 256 against the ideal
/// 256 / 20 ms = 12,800 records/s; Partition mode with MaxConcurrency 16 against 16 / 20 ms = 800 records/s.
/// </summary>
internal static class IoBoundScenario
{
    private const int Partitions = 16;
    private const int Keys = 1_000;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(20);

    public static async Task<bool> RunAsync(Options options)
    {
        var keyPlan = new RunPlan("io-key-256", "Key", 256) { Latency = Latency };
        var partitionPlan = new RunPlan("io-partition-16", "Partition", 16) { Latency = Latency };
        var keyRecords = options.RecordsOr(64_000);
        var partitionRecords = options.RecordsOr(4_000);
        Report.Line($"== io: handler awaits {Latency.TotalMilliseconds:F0} ms (Task.Delay), {Partitions} partitions, {Keys:N0} keys, dedup off, byte[] messages; "
            + $"{keyRecords:N0} records per Key run, {partitionRecords:N0} per Partition run, {options.Rounds} rounds after a warm-up");
        Report.Line($"   {keyPlan.Name}: {keyPlan.Settings}; {partitionPlan.Name}: {partitionPlan.Settings}");
        Report.Machine();

        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        var keyData = Create(cluster, "io-key", keyRecords);
        var partitionData = Create(cluster, "io-partition", partitionRecords);
        var timeout = TimeSpan.FromMinutes(5);
        Report.Line(await PipelineRun.RunAsync(partitionData, keyPlan, "warm-up", timeout).ConfigureAwait(false) + "   (warm-up, discarded)");
        var runs = new List<RunResult>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var (plan, data) in new[] { (keyPlan, keyData), (partitionPlan, partitionData) })
            {
                var result = await PipelineRun.RunAsync(data, plan, $"run {round}", timeout).ConfigureAwait(false);
                Report.Line(result.ToString());
                runs.Add(result);
            }
        }

        Report.Medians(runs);
        var keyMet = Report.Ratio("io Key/256 vs ideal 256 / 20 ms", Report.MedianRate(runs.Where(r => r.Plan == keyPlan.Name)), 256 / Latency.TotalSeconds, 0.8);
        var partitionMet = Report.Ratio("io Partition/16 vs ideal 16 / 20 ms", Report.MedianRate(runs.Where(r => r.Plan == partitionPlan.Name)), Partitions / Latency.TotalSeconds, 0.8);
        return keyMet && partitionMet;
    }

    private static Workload Create(EmbeddedKafkaCluster cluster, string topic, int records)
    {
        cluster.CreateTopic(topic, Partitions);
        cluster.CreateTopic(topic + "-dlt", Partitions);
        return Workload.Produce(cluster.BootstrapServers, topic, records, Partitions, Keys);
    }
}
