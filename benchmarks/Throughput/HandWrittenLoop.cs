using System.Text.Json;
using Confluent.Kafka;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>
/// (c) The loop a user would write instead of the pipeline: a Confluent consumer with the same settings, each record
/// deserialized with System.Text.Json (web defaults, as the pipeline) into the same <see cref="BenchOrder"/>, handed to the
/// same work as the pipeline's handler, then its offset stored. One thread, one record at a time.
/// </summary>
internal static class HandWrittenLoop
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static RunResult Run(Dataset data, string label, TimeSpan timeout)
    {
        var groupId = $"hand-written-{label}-{Guid.NewGuid():N}";
        var tracker = new ConsumeTracker(data.PerPartition);
        var config = RawLoop.Config(data, groupId);
        using (var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build())
        {
            consumer.Subscribe(data.Topic);
            var deadline = DateTime.UtcNow + timeout;
            while (tracker.Count < data.Total && tracker.Violation is null)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (record is null || record.IsPartitionEOF)
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        break;
                    }

                    continue;
                }

                var order = JsonSerializer.Deserialize<BenchOrder>(record.Message.Value, Web)
                    ?? throw new InvalidOperationException($"record {record.TopicPartitionOffset} deserialized to null");
                Handle(order, record.Partition.Value, record.Offset.Value, tracker);
                consumer.StoreOffset(record);
            }

            RawLoop.Settle(consumer, tracker, $"hand-written run {label}");
        }

        data.VerifyCommitted(groupId, $"hand-written run {label}");
        return RunResult.From("hand-written", label, tracker, oneThread: true);
    }

    /// <summary>The same work as <see cref="BenchOrderHandler"/>: feed the tracker.</summary>
    private static void Handle(BenchOrder order, int partition, long offset, ConsumeTracker tracker)
    {
        _ = order;
        tracker.Record(partition, offset);
    }
}
