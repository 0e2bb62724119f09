using System.Diagnostics;
using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;

namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>
/// Reads fixed offset ranges of a topic with <c>Assign</c> (never <c>Subscribe</c>): no group is joined and nothing is
/// committed. Stops at each range's end, so records that arrive meanwhile are not read.
/// </summary>
internal static class DeadLetterReader
{
    private const int BatchSize = 500;

    /// <summary>The ranges to read: every partition (or the filter's), clamped to the watermarks and the filter's offsets.</summary>
    public static List<PartitionRange> Ranges(
        KafkaClients clients, IConsumer<byte[]?, byte[]?> consumer, TopicMetadata topic, DeadLetterFilter filter, Func<int, long?>? startAt = null)
    {
        var partitions = topic.Partitions.Select(p => p.PartitionId).Order().ToList();
        if (filter.Partition is { } only)
        {
            if (!partitions.Contains(only))
            {
                throw new DeadLetterOperationException(DeadLetterErrorKind.InvalidRequest,
                    $"Topic '{topic.Topic}' has partitions 0..{partitions.Count - 1}; partition {only} does not exist. Fix: pass a partition in that range.");
            }

            partitions = [only];
        }

        var ranges = new List<PartitionRange>();
        foreach (var partition in partitions)
        {
            var marks = Watermarks(clients, consumer, new TopicPartition(topic.Topic, partition));
            var start = Math.Max(marks.Low.Value, Math.Max(filter.FromOffset ?? 0, startAt?.Invoke(partition) ?? 0));
            var end = Math.Min(marks.High.Value, filter.ToOffset is { } to ? to + 1 : long.MaxValue);
            ranges.Add(new PartitionRange(partition, start, Math.Max(start, end)));
        }

        return ranges;
    }

    public static WatermarkOffsets Watermarks(KafkaClients clients, IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        try
        {
            return consumer.QueryWatermarkOffsets(partition, clients.Settings.Timeout);
        }
        catch (KafkaException e)
        {
            throw clients.Unreachable(e);
        }
    }

    /// <summary>Every record of <paramref name="ranges"/>, partition by partition interleaved as the broker returns them, each partition in offset order.</summary>
    public static async IAsyncEnumerable<DeadLetterRecord> ReadAsync(
        KafkaClients clients,
        IConsumer<byte[]?, byte[]?> consumer,
        string topic,
        IReadOnlyList<PartitionRange> ranges,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ends = ranges.Where(r => r.Count > 0).ToDictionary(r => r.Partition, r => r.End);
        if (ends.Count == 0)
        {
            yield break;
        }

        var assigned = ranges.Where(r => r.Count > 0).Select(r => new TopicPartition(topic, r.Partition)).ToList();
        consumer.Assign(ranges.Where(r => r.Count > 0).Select(r => new TopicPartitionOffset(topic, r.Partition, r.Start)));
        try
        {
            while (ends.Count > 0)
            {
                var batch = await Task.Run(() => NextBatch(clients, consumer, topic, ends, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var record in batch)
                {
                    yield return record;
                }
            }
        }
        finally
        {
            // Paused partitions would stay paused for the next Assign of this consumer.
            consumer.Resume(assigned);
            consumer.Unassign();
        }
    }

    private static List<DeadLetterRecord> NextBatch(
        KafkaClients clients, IConsumer<byte[]?, byte[]?> consumer, string topic, Dictionary<int, long> ends, CancellationToken cancellationToken)
    {
        var batch = new List<DeadLetterRecord>();
        var idle = Stopwatch.StartNew();
        while (ends.Count > 0 && batch.Count < BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e)
            {
                throw new DeadLetterOperationException(DeadLetterErrorKind.BrokersUnreachable,
                    $"Reading '{topic}' failed: {e.Error.Reason} ({e.Error.Code}).", e);
            }

            if (result is null)
            {
                if (batch.Count > 0)
                {
                    return batch;
                }

                if (idle.Elapsed > clients.Settings.Timeout)
                {
                    throw clients.Unreachable(new TimeoutException(
                        $"no records from '{topic}' partitions {string.Join(", ", ends.Keys.Order())} for {idle.Elapsed.TotalSeconds:0} s"));
                }

                continue;
            }

            idle.Restart();
            var partition = result.Partition.Value;
            if (!ends.TryGetValue(partition, out var end))
            {
                continue;
            }

            if (result.IsPartitionEOF || result.Offset.Value >= end)
            {
                Finish(consumer, ends, result.TopicPartition);
                continue;
            }

            batch.Add(DeadLetterRecord.From(result));
            if (result.Offset.Value >= end - 1)
            {
                Finish(consumer, ends, result.TopicPartition);
            }
        }

        return batch;
    }

    private static void Finish(IConsumer<byte[]?, byte[]?> consumer, Dictionary<int, long> ends, TopicPartition partition)
    {
        ends.Remove(partition.Partition.Value);
        consumer.Pause([partition]);
    }
}
