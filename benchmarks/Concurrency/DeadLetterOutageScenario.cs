using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Testing;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Issue 8: the other partitions' throughput while the dead-letter topic is unreachable, against the same pipeline with
/// no failure. 3 brokers: broker 1 leads the source topic, broker 2 coordinates the group, broker 3 leads the dead-letter
/// topic and is down (<c>rd_kafka_mock_broker_set_down</c>) for the whole outage run. One poison record early in
/// partition 0 goes straight to the recoverer (no retries), whose publishes time out (1.5 s, no publish retries) and are
/// tried again every RecoveryFailureDelay (1 s); broker 3 comes back once partitions 1..15 are done, and the run ends
/// when the poison record is dead-lettered.
/// </summary>
internal static class DeadLetterOutageScenario
{
    private const int Partitions = 16;
    private const int DeadLetterBroker = 3;
    private const string Topic = "dlt-outage";

    public static async Task<bool> RunAsync(Options options)
    {
        var records = options.RecordsOr(480_000);
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        cluster.CreateTopic(Topic, Partitions);
        cluster.CreateTopic(Topic + "-dlt", Partitions);
        for (var p = 0; p < Partitions; p++)
        {
            cluster.SetPartitionLeader(Topic, p, 1);
            cluster.SetPartitionLeader(Topic + "-dlt", p, DeadLetterBroker);
        }

        var data = Workload.Produce(cluster.BootstrapServers, Topic, records, Partitions, keys: 1_000);
        var poison = Enumerable.Range(0, records).Where(id => data.PartitionOf(id) == 0).Skip(100).First();
        var configuration = new Dictionary<string, string?>
        {
            ["Kafka:ErrorHandling:DeadLetter:PublishRetries"] = "0",
            ["Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimeout"] = "00:00:01.500",
            ["Kafka:ErrorHandling:DeadLetterProducer:Client:reconnect.backoff.max.ms"] = "500",
        };
        var normal = new RunPlan("normal", "Partition", null)
        {
            Measured = static (d, id) => d.PartitionOf(id) != 0,
            Configuration = configuration,
            GroupId = () => Coordinators.GroupOnBroker2("dlt-normal"),
        };
        var outage = normal with
        {
            Name = "dlt-outage",
            BackOff = new FixedBackOff(TimeSpan.Zero, 0),
            Fails = (_, id, _) => id == poison,
            DeadLetters = (_, id) => id == poison,
            GroupId = () => Coordinators.GroupOnBroker2("dlt-outage"),
            AfterMeasured = () => cluster.SetBrokerUp(DeadLetterBroker),
        };
        Report.Line($"== dlt-outage: {records:N0} records over {Partitions} partitions (1,000 keys), handler returns at once, dedup off; poison record id {poison} "
            + $"(partition 0, its 101st record) fails every delivery, NoRetries, dead-letter topic led by broker {DeadLetterBroker} which is DOWN "
            + "(dead-letter producer: DeliveryTimeout 1.5 s, PublishRetries 0; RecoveryFailureDelay 1 s default) until partitions 1..15 are done; "
            + $"normal: no poison, broker up. Measured: partitions 1..15, first record's start to last record's end. {options.Rounds} rounds (normal, outage) after a warm-up.");
        Report.Line($"   {normal.Settings}");
        Report.Machine();

        var timeout = TimeSpan.FromMinutes(3);
        var runs = new List<RunResult>();
        var deadLetters = 0L;
        for (var round = 0; round <= options.Rounds; round++)
        {
            var label = round == 0 ? "warm-up" : $"run {round}";
            foreach (var plan in new[] { normal, outage })
            {
                if (ReferenceEquals(plan, outage))
                {
                    cluster.SetBrokerDown(DeadLetterBroker);
                }

                RunResult result;
                try
                {
                    result = await PipelineRun.RunAsync(data, plan, label, timeout).ConfigureAwait(false);
                }
                finally
                {
                    cluster.SetBrokerUp(DeadLetterBroker);
                }

                deadLetters += result.DeadLettered;
                Report.Line(result + (round == 0 ? "   (warm-up, discarded)" : string.Empty));
                if (round > 0)
                {
                    runs.Add(result);
                }
            }
        }

        var inTopic = data.CountIn(Topic + "-dlt", Partitions);
        if (inTopic != deadLetters)
        {
            throw new InvalidOperationException($"dlt-outage: the dead-letter topic holds {inTopic} records, {deadLetters} were reported dead-lettered");
        }

        Report.Line($"dead-letter topic holds {inTopic} records = one per outage run; failed recoveries per outage run: {string.Join(", ", runs.Where(r => r.Plan == outage.Name).Select(r => r.RecoveryFailures))}");
        Report.Medians(runs);
        return Report.Ratio(
            "dlt-outage other partitions, outage vs normal",
            Report.MedianRate(runs.Where(r => r.Plan == outage.Name)),
            Report.MedianRate(runs.Where(r => r.Plan == normal.Name)),
            0.95);
    }
}
