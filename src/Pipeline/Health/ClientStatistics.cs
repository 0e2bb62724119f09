using System.Text.Json;

namespace KafkaPipeline.Health;

/// <summary>
/// What health needs from librdkafka's statistics JSON (<c>statistics.interval.ms</c>): whether any broker connection is
/// up, and each partition's consumer lag (high watermark, or last stable offset under read_committed, minus the group's
/// committed offset; -1 when librdkafka does not know it yet).
/// </summary>
internal sealed record ClientStatistics(bool AnyBrokerUp, int Brokers, IReadOnlyDictionary<(string Topic, int Partition), long> Lags)
{
    public static ClientStatistics? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var up = false;
            var brokers = 0;
            if (root.TryGetProperty("brokers", out var brokerMap) && brokerMap.ValueKind == JsonValueKind.Object)
            {
                foreach (var broker in brokerMap.EnumerateObject())
                {
                    brokers++;
                    up |= broker.Value.TryGetProperty("state", out var state) && state.GetString() is "UP" or "UPDATE";
                }
            }

            var lags = new Dictionary<(string, int), long>();
            if (root.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Object)
            {
                foreach (var topic in topics.EnumerateObject())
                {
                    if (!topic.Value.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    foreach (var partition in partitions.EnumerateObject())
                    {
                        var p = partition.Value;
                        if (p.TryGetProperty("partition", out var id) && id.GetInt32() >= 0
                            && p.TryGetProperty("consumer_lag", out var lag) && lag.ValueKind == JsonValueKind.Number)
                        {
                            lags[(topic.Name, id.GetInt32())] = lag.GetInt64();
                        }
                    }
                }
            }

            return new ClientStatistics(up, brokers, lags);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
