using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Native;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>Reading dead-letter topics and checking their records byte by byte.</summary>
internal static class DeadLetterTopics
{
    /// <summary>High watermarks (record counts of a fresh topic) per partition.</summary>
    public static long[] Counts(string bootstrap, string topic, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "watermarks" }).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    /// <summary>The partition count of <paramref name="topic"/> from metadata (0 when unknown).</summary>
    public static int PartitionCount(string bootstrap, string topic)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.SingleOrDefault(t => t.Topic == topic) is { Error.IsError: false } found ? found.Partitions.Count : 0;
    }

    /// <summary>The original record (as produced) at <paramref name="partition"/>/<paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public static ConsumeResult<byte[]?, byte[]?> Original(string bootstrap, string topic, int partition, long offset)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "original-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, offset));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                return record;
            }
        }

        throw new TimeoutException($"{topic} [{partition}] @{offset} could not be read");
    }

    public static byte[]? Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? value : null;

    /// <summary>Asserts the Spring dead-letter headers of <paramref name="deadLetter"/>, byte for byte, after the original headers in order.</summary>
    public static void AssertDeadLetterOf(
        ConsumeResult<byte[]?, byte[]?> deadLetter,
        ConsumeResult<byte[]?, byte[]?> original,
        string groupId,
        string exceptionType,
        string? causeType,
        string? exceptionMessage = null)
    {
        Assert.Equal(original.Message.Key, deadLetter.Message.Key);
        Assert.Equal(original.Message.Value, deadLetter.Message.Value);

        var originalHeaders = (original.Message.Headers ?? []).Select(h => (h.Key, h.GetValueBytes())).ToList();
        var headers = deadLetter.Message.Headers.Select(h => (h.Key, h.GetValueBytes())).ToList();
        Assert.Equal(originalHeaders, headers.Take(originalHeaders.Count));
        // As Spring: the cause header names the direct inner exception and is left out when there is none.
        Assert.Equal(
            [
                DeadLetterHeaders.ExceptionFqcn, .. causeType is null ? Array.Empty<string>() : [DeadLetterHeaders.ExceptionCauseFqcn], DeadLetterHeaders.ExceptionMessage,
                DeadLetterHeaders.ExceptionStacktrace, DeadLetterHeaders.OriginalTopic, DeadLetterHeaders.OriginalPartition,
                DeadLetterHeaders.OriginalOffset, DeadLetterHeaders.OriginalTimestamp, DeadLetterHeaders.OriginalTimestampType,
                DeadLetterHeaders.OriginalConsumerGroup,
            ],
            headers.Skip(originalHeaders.Count).Select(h => h.Key));

        Assert.Equal(Encoding.UTF8.GetBytes(exceptionType), Header(deadLetter, DeadLetterHeaders.ExceptionFqcn));
        Assert.Equal(causeType is null ? null : Encoding.UTF8.GetBytes(causeType), Header(deadLetter, DeadLetterHeaders.ExceptionCauseFqcn));
        if (exceptionMessage is not null)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(exceptionMessage), Header(deadLetter, DeadLetterHeaders.ExceptionMessage));
        }

        Assert.StartsWith(exceptionType + ": ", Encoding.UTF8.GetString(Header(deadLetter, DeadLetterHeaders.ExceptionStacktrace)!), StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(original.Topic), Header(deadLetter, DeadLetterHeaders.OriginalTopic));
        Assert.Equal(BigEndian32(original.Partition.Value), Header(deadLetter, DeadLetterHeaders.OriginalPartition));
        Assert.Equal(BigEndian64(original.Offset.Value), Header(deadLetter, DeadLetterHeaders.OriginalOffset));
        Assert.Equal(BigEndian64(original.Message.Timestamp.UnixTimestampMs), Header(deadLetter, DeadLetterHeaders.OriginalTimestamp));
        Assert.Equal("CreateTime"u8.ToArray(), Header(deadLetter, DeadLetterHeaders.OriginalTimestampType));
        Assert.Equal(Encoding.UTF8.GetBytes(groupId), Header(deadLetter, DeadLetterHeaders.OriginalConsumerGroup));
    }

    public static byte[] BigEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] BigEndian64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
