using System.Buffers.Binary;
using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>Spring's <c>kafka_deliveryAttempt</c> header: the 1-based delivery attempt as a 4-byte big-endian int.</summary>
public static class DeliveryAttemptHeader
{
    /// <summary>The header name, <c>kafka_deliveryAttempt</c>, as Spring for Apache Kafka writes it.</summary>
    public const string Name = "kafka_deliveryAttempt";

    /// <summary>Reads the header; null when absent or not 4 bytes.</summary>
    public static int? Get(Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetLastBytes(Name, out var bytes) && bytes is { Length: 4 } ? BinaryPrimitives.ReadInt32BigEndian(bytes) : null;
    }

    internal static void Set(ConsumeResult<byte[]?, byte[]?> record, int attempt)
    {
        var headers = record.Message.Headers ??= [];
        headers.Remove(Name);
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, attempt);
        headers.Add(Name, bytes);
    }
}
