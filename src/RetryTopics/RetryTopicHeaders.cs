using System.Buffers.Binary;
using System.Numerics;
using Confluent.Kafka;

namespace KafkaPipeline.RetryTopics;

/// <summary>
/// The headers spring-kafka's retry topics write (<c>RetryTopicHeaders</c>, checked against spring-kafka 3.3.9 and
/// 4.2.0-SNAPSHOT, whose encodings are the same), in Spring's encodings so that Spring and .NET services can share retry
/// topics: <c>retry_topic-attempts</c> is a 4-byte big-endian int (Spring also reads a single byte), the two timestamps
/// are epoch milliseconds written as Java's <c>BigInteger.toByteArray()</c>: big-endian two's complement in the fewest
/// bytes (6 bytes for dates between 2004 and 6429). Each header appears once (Spring's <c>SingleRecordHeader</c>).
/// </summary>
public static class RetryTopicHeaders
{
    /// <summary>Deliveries so far, counting the first one on the main topic: 2 on the first retry topic.</summary>
    public const string Attempts = "retry_topic-attempts";

    /// <summary>When the record is due (epoch ms): failure time plus the destination topic's delay.</summary>
    public const string BackOffTimestamp = "retry_topic-backoff-timestamp";

    /// <summary>The main-topic record's timestamp (epoch ms), kept through every hop; <c>Timeout</c> counts from it.</summary>
    public const string OriginalTimestamp = "retry_topic-original-timestamp";

    /// <summary>4-byte big-endian int, as Spring writes <c>ByteBuffer.putInt(attempts)</c>.</summary>
    public static byte[] EncodeAttempts(int attempts)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, attempts);
        return bytes;
    }

    /// <summary>Spring's reading: 1 byte (older versions, unsigned) or 4 bytes; anything else or a value out of 1..32767 is 1.</summary>
    public static int DecodeAttempts(byte[]? value)
    {
        var raw = value switch
        {
            { Length: 1 } => value[0],
            { Length: 4 } => BinaryPrimitives.ReadInt32BigEndian(value),
            _ => 1,
        };
        return raw is >= 1 and <= short.MaxValue ? raw : 1;
    }

    /// <summary>Java's <c>BigInteger.valueOf(ms).toByteArray()</c>: minimal big-endian two's complement.</summary>
    public static byte[] EncodeTimestamp(long epochMilliseconds) =>
        new BigInteger(epochMilliseconds).ToByteArray(isUnsigned: false, isBigEndian: true);

    /// <summary>Java's <c>new BigInteger(bytes).longValue()</c> for 1 to 8 bytes; null when absent or longer.</summary>
    public static long? DecodeTimestamp(byte[]? value) =>
        value is { Length: > 0 and <= 8 } ? (long)new BigInteger(value, isUnsigned: false, isBigEndian: true) : null;

    /// <summary>The attempts the record carries (1 when it carries none: a main-topic record).</summary>
    public static int AttemptsOf(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(Attempts, out var bytes) ? DecodeAttempts(bytes) : 1;

    /// <summary>The due time the record carries, if any.</summary>
    public static DateTimeOffset? DueOf(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(BackOffTimestamp, out var bytes) && DecodeTimestamp(bytes) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The original timestamp header, else the record's own timestamp (Spring's rule).</summary>
    public static long OriginalTimestampOf(Headers? headers, Timestamp recordTimestamp) =>
        headers is not null && headers.TryGetLastBytes(OriginalTimestamp, out var bytes) && DecodeTimestamp(bytes) is { } ms
            ? ms : recordTimestamp.UnixTimestampMs;

    /// <summary>Replaces (or adds) a header so that it appears once, as Spring's <c>SingleRecordHeader</c>.</summary>
    internal static void Set(Headers headers, string name, byte[] value)
    {
        headers.Remove(name);
        headers.Add(name, value);
    }
}
