using Confluent.Kafka;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>
/// (a) The baseline: a plain Confluent.Kafka loop with the settings the pipeline uses (offsets stored
/// after processing, periodic commit) — Subscribe, Consume, StoreOffset until every record arrived.
/// </summary>
internal static class RawLoop
{
    public static RunResult Run(Dataset data, string label, TimeSpan timeout)
    {
        var groupId = $"raw-{label}-{Guid.NewGuid():N}";
        var tracker = new ConsumeTracker(data.PerPartition);
        var config = Config(data, groupId);
        using (var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build())
        {
            consumer.Subscribe(data.Topic);
            var deadline = DateTime.UtcNow + timeout;
            var poll = TimeSpan.FromMilliseconds(100);
            while (tracker.Count < data.Total && tracker.Violation is null)
            {
                var record = consumer.Consume(poll);
                if (record is null || record.IsPartitionEOF)
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        break;
                    }

                    continue;
                }

                tracker.Record(record.Partition.Value, record.Offset.Value);
                consumer.StoreOffset(record);
            }

            Settle(consumer, tracker, $"raw run {label}");
        }

        data.VerifyCommitted(groupId, $"raw run {label}");
        return RunResult.From("raw", label, tracker, oneThread: true);
    }

    /// <summary>The settings both hand-made loops share with the pipeline: offsets stored after processing, periodic commit.</summary>
    public static ConsumerConfig Config(Dataset data, string groupId)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = data.Bootstrap,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 5000,
        };
        foreach (var (key, value) in ClientSettings.Consumer)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>Not timed: listens 500 ms for duplicates or strangers, checks every record arrived once, commits, leaves.</summary>
    public static void Settle(IConsumer<byte[]?, byte[]?> consumer, ConsumeTracker tracker, string what)
    {
        var settle = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
        while (tracker.Violation is null && DateTime.UtcNow < settle)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false } extra)
            {
                tracker.Record(extra.Partition.Value, extra.Offset.Value);
            }
        }

        tracker.WaitForAll(TimeSpan.Zero, what);
        consumer.Commit();
        consumer.Close();
    }
}
