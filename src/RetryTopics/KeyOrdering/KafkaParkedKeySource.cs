using Confluent.Kafka;
using KafkaPipeline.Native;
using KafkaPipeline.Options;
using KafkaPipeline.RetryTopics.Routing;

namespace KafkaPipeline.RetryTopics.KeyOrdering;

/// <summary>
/// Rebuilds parked keys from Kafka: for partition p of each retry topic, reads from the group's committed offset (the
/// earliest when none) to the high watermark with a consumer that never joins the group. Every record read is in the
/// chain (its consumer commits only after it was handled or forwarded). A record found on several topics (forwarded, and
/// the crash came before the commit) is live on the last topic of the chain and superseded elsewhere. Cost: one read of
/// the retry topics' uncommitted tails per partition and assignment.
/// </summary>
internal sealed class KafkaParkedKeySource(KafkaPipelineOptions options, TimeSpan timeout) : IParkedKeySource
{
    public ParkedRecords Read(RetryChain chain, string groupId, int partition)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(ClientScopes.ForConsumer(options.Client))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var topics = chain.Topology.RetryTopics.ToList();
        var partitions = topics.Select(t => new TopicPartition(t.Name, partition)).ToList();
        var committed = consumer.Committed(partitions, timeout);
        var latest = new Dictionary<long, (int Tier, string Topic, long Offset, ParkedKey Key)>();
        var superseded = new List<(string, long)>();
        foreach (var start in committed)
        {
            var tier = topics.FindIndex(t => t.Name == start.Topic);
            var end = consumer.QueryWatermarkOffsets(start.TopicPartition, timeout).High.Value;
            var from = start.Offset.IsSpecial ? consumer.QueryWatermarkOffsets(start.TopicPartition, timeout).Low.Value : start.Offset.Value;
            if (from >= end)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(start.TopicPartition, from));
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (record is null)
                {
                    continue;
                }

                // A record without kafka_dlt-original-offset cannot be placed in its key's order: it is added when consumed.
                if (!record.IsPartitionEOF && ParkedKeyRegistry.OriginalOffset(record.Message.Headers) is { } original)
                {
                    var copy = (tier, record.Topic, record.Offset.Value, new ParkedKey(record.Message.Key));
                    if (latest.TryGetValue(original, out var seen))
                    {
                        var newer = (tier, record.Offset.Value).CompareTo((seen.Tier, seen.Offset)) > 0;
                        superseded.Add(newer ? (seen.Topic, seen.Offset) : (record.Topic, record.Offset.Value));
                        if (newer)
                        {
                            latest[original] = copy;
                        }
                    }
                    else
                    {
                        latest[original] = copy;
                    }
                }

                if (record.IsPartitionEOF || record.Offset.Value + 1 >= end)
                {
                    break;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"Reading '{start.Topic}' [{partition}] from offset {from} to {end} to rebuild the parked keys of group '{groupId}' took longer than {timeout}. "
                    + "Fix: check that the cluster is reachable; records of the partition are retried meanwhile.");
            }
        }

        consumer.Close();
        return new ParkedRecords([.. latest.Select(l => (l.Value.Key, l.Key))], superseded);
    }
}
