using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>Checking dead-letter records byte by byte, and the partition count of a (dead-letter) topic.</summary>
internal static class DeadLetterTopics
{
    /// <summary>The partition count of <paramref name="topic"/> from metadata (0 when unknown).</summary>
    public static int PartitionCount(string bootstrap, string topic)
    {
        using var admin = KafkaClients.Admin(bootstrap);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.SingleOrDefault(t => t.Topic == topic) is { Error.IsError: false } found ? found.Partitions.Count : 0;
    }

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

        Assert.Equal(Encoding.UTF8.GetBytes(exceptionType), KafkaIo.Header(deadLetter, DeadLetterHeaders.ExceptionFqcn));
        Assert.Equal(causeType is null ? null : Encoding.UTF8.GetBytes(causeType), KafkaIo.Header(deadLetter, DeadLetterHeaders.ExceptionCauseFqcn));
        if (exceptionMessage is not null)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(exceptionMessage), KafkaIo.Header(deadLetter, DeadLetterHeaders.ExceptionMessage));
        }

        Assert.StartsWith(exceptionType + ": ", Encoding.UTF8.GetString(KafkaIo.Header(deadLetter, DeadLetterHeaders.ExceptionStacktrace)!), StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(original.Topic), KafkaIo.Header(deadLetter, DeadLetterHeaders.OriginalTopic));
        Assert.Equal(BigEndian32(original.Partition.Value), KafkaIo.Header(deadLetter, DeadLetterHeaders.OriginalPartition));
        Assert.Equal(BigEndian64(original.Offset.Value), KafkaIo.Header(deadLetter, DeadLetterHeaders.OriginalOffset));
        Assert.Equal(BigEndian64(original.Message.Timestamp.UnixTimestampMs), KafkaIo.Header(deadLetter, DeadLetterHeaders.OriginalTimestamp));
        Assert.Equal("CreateTime"u8.ToArray(), KafkaIo.Header(deadLetter, DeadLetterHeaders.OriginalTimestampType));
        Assert.Equal(Encoding.UTF8.GetBytes(groupId), KafkaIo.Header(deadLetter, DeadLetterHeaders.OriginalConsumerGroup));
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
