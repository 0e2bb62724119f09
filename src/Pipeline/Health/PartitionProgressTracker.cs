using Confluent.Kafka;
using KafkaPipeline.Consuming;

namespace KafkaPipeline.Health;

/// <summary>
/// Keeps one consumer's <see cref="KafkaConsumerStatus.Partitions"/> and broker reachability current, on the poll thread:
/// the client's statistics give lag and broker states, its errors report all brokers down, the partitions' watermarks
/// give the commit position. A partition with work whose position has not moved for
/// <see cref="KafkaHealthOptions.StallTimeout"/> is stalled.
/// </summary>
internal sealed class PartitionProgressTracker(
    KafkaConsumerStatus status, KafkaHealthOptions options, TimeProvider time, Func<TopicPartition, long>? highWatermark = null)
{
    /// <summary>How often the snapshot is rebuilt (health and gauges read it).</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<TopicPartition, (long Position, DateTimeOffset Since)> _positions = new(PartitionComparer.Instance);
    private IReadOnlyDictionary<(string Topic, int Partition), long> _lags = new Dictionary<(string, int), long>();
    private DateTimeOffset _nextRefresh;

    /// <summary>The latest statistics: lag per partition, and whether any broker is up.</summary>
    public void OnStatistics(string json)
    {
        if (ClientStatistics.Parse(json) is not { } statistics)
        {
            return;
        }

        _lags = statistics.Lags;
        if (statistics.AnyBrokerUp)
        {
            status.MarkReachable();
        }
        else if (statistics.Brokers > 0)
        {
            status.MarkUnreachable(time.GetUtcNow());
        }
    }

    /// <summary>A client error: "all brokers down" starts the unreachable period.</summary>
    public void OnError(Error error)
    {
        if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            status.MarkUnreachable(time.GetUtcNow());
        }
    }

    /// <summary>Records arrived or partitions were assigned: a broker answers.</summary>
    public void OnBrokerAnswered() => status.MarkReachable();

    /// <summary>
    /// Rebuilds the snapshot, at most every <see cref="RefreshInterval"/> unless <paramref name="force"/>; false when it was
    /// not due (the poll loop calls it every turn).
    /// </summary>
    public bool Refresh(Dictionary<TopicPartition, PartitionWork> partitions, bool force = false)
    {
        var now = time.GetUtcNow();
        if (!force && now < _nextRefresh)
        {
            return false;
        }

        _nextRefresh = now + RefreshInterval;
        var progress = new List<PartitionProgress>(partitions.Count);
        foreach (var (partition, work) in partitions)
        {
            var position = work.Offsets.Position;
            if (!_positions.TryGetValue(partition, out var seen) || seen.Position != position)
            {
                _positions[partition] = seen = (position, now);
            }

            var lag = _lags.TryGetValue((partition.Topic, partition.Partition.Value), out var known) && known >= 0 ? known : LagFromWatermark(partition, position);
            var pending = work.Offsets.Pending;
            var stalled = (lag > 0 || pending > 0) && now - seen.Since >= options.StallTimeout;
            progress.Add(new PartitionProgress(partition, position, lag, pending, seen.Since, stalled));
        }

        if (_positions.Count > partitions.Count)
        {
            foreach (var gone in _positions.Keys.Where(p => !partitions.ContainsKey(p)).ToList())
            {
                _positions.Remove(gone);
            }
        }

        status.SetProgress(progress);
        return true;
    }

    /// <summary>
    /// Without statistics (or before librdkafka knows the committed offset): the client's cached high watermark (from the
    /// last fetch, no broker call) minus this consumer's commit position; -1 when either is unknown.
    /// </summary>
    private long LagFromWatermark(TopicPartition partition, long position)
    {
        if (highWatermark is null || position < 0)
        {
            return -1;
        }

        var high = highWatermark(partition);
        return high >= 0 ? Math.Max(0, high - position) : -1;
    }
}
