using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Testing;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Issue 8: one key failing under FixedBackOff(1 s, 2), then dead-lettered, in Key mode: the other keys of the same
/// partition against their throughput when nothing fails. The I/O-bound workload of the io scenario (handler awaits
/// 20 ms, 16 partitions, 1,000 keys, Key, MaxConcurrency 256); the first 3 records of key 0 (partition 0) fail every
/// delivery, so key 0 is parked about 3 x 2 s while the rest of partition 0 is measured.
/// </summary>
internal static class KeyParkingScenario
{
    private const int Partitions = 16;
    private const int Keys = 1_000;
    private const int FailingKey = 0;
    private const int FailingRecords = 3;

    public static async Task<bool> RunAsync(Options options)
    {
        var records = Math.Max(options.RecordsOr(48_000), FailingRecords * Keys);
        var normal = new RunPlan("key-normal", "Key", 256)
        {
            Latency = TimeSpan.FromMilliseconds(20),
            BackOff = new FixedBackOff(TimeSpan.FromSeconds(1), 2),
            Measured = static (d, id) => d.PartitionOf(id) == d.PartitionOf(FailingKey) && d.KeyOf(id) != FailingKey,
        };
        var parked = normal with
        {
            Name = "key-parked",
            Fails = static (d, id, _) => IsFailing(d, id),
            DeadLetters = static (d, id) => IsFailing(d, id),
        };
        Report.Line($"== key-parking: {records:N0} records over {Partitions} partitions, {Keys:N0} keys, dedup off; {normal.Settings}; FixedBackOff(1 s, 2) then the dead-letter topic; "
            + $"key-parked: the first {FailingRecords} records of key {FailingKey} (partition {FailingKey % Partitions}) fail every delivery; key-normal: nothing fails. "
            + $"Measured: the other keys of partition {FailingKey % Partitions}, first record's start to last record's end. {options.Rounds} rounds (normal, parked) after a warm-up.");
        Report.Machine();

        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        const string Topic = "key-parking";
        cluster.CreateTopic(Topic, Partitions);
        cluster.CreateTopic(Topic + "-dlt", Partitions);
        var data = Workload.Produce(cluster.BootstrapServers, Topic, records, Partitions, Keys);
        var timeout = TimeSpan.FromMinutes(5);
        var runs = new List<RunResult>();
        for (var round = 0; round <= options.Rounds; round++)
        {
            var label = round == 0 ? "warm-up" : $"run {round}";
            foreach (var plan in new[] { normal, parked })
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
        return Report.Ratio(
            $"key-parking other keys of partition {FailingKey % Partitions}, key {FailingKey} parked vs nothing failing",
            Report.MedianRate(runs.Where(r => r.Plan == parked.Name)),
            Report.MedianRate(runs.Where(r => r.Plan == normal.Name)),
            0.9);
    }

    private static bool IsFailing(Workload data, long id) => data.KeyOf(id) == FailingKey && data.SequenceOf(id) < FailingRecords;
}
