using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Names and encodings of the headers a dead-letter record carries; the same as spring-kafka's, so records written by
/// either side read the same. Strings are UTF-8, the partition a 4-byte big-endian int, offset and timestamp 8-byte
/// big-endian longs (epoch milliseconds). Decoding is tolerant: a header that appears several times is read from its
/// last occurrence, and numbers also decode from the other width or from decimal text.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Every dead-letter header starts with this.</summary>
    public const string Prefix = "kafka_dlt-";
    /// <summary>The failed record's topic (UTF-8).</summary>
    public const string OriginalTopic = "kafka_dlt-original-topic";
    /// <summary>The failed record's partition (4-byte big-endian int).</summary>
    public const string OriginalPartition = "kafka_dlt-original-partition";
    /// <summary>The failed record's offset (8-byte big-endian long).</summary>
    public const string OriginalOffset = "kafka_dlt-original-offset";
    /// <summary>The failed record's timestamp (8-byte big-endian long, epoch milliseconds).</summary>
    public const string OriginalTimestamp = "kafka_dlt-original-timestamp";
    /// <summary>The failed record's timestamp type (<c>CreateTime</c> or <c>LogAppendTime</c>).</summary>
    public const string OriginalTimestampType = "kafka_dlt-original-timestamp-type";
    /// <summary>The consumer group that failed the record (UTF-8).</summary>
    public const string OriginalConsumerGroup = "kafka_dlt-original-consumer-group";

    /// <summary>Every exception header starts with this (value exceptions).</summary>
    public const string ExceptionPrefix = "kafka_dlt-exception-";
    /// <summary>Full type name of the exception.</summary>
    public const string ExceptionFqcn = "kafka_dlt-exception-fqcn";
    /// <summary>Full type name of the exception's cause (see <see cref="ExceptionCauseHeader"/>).</summary>
    public const string ExceptionCauseFqcn = "kafka_dlt-exception-cause-fqcn";
    /// <summary>The exception message (size-limited).</summary>
    public const string ExceptionMessage = "kafka_dlt-exception-message";
    /// <summary>The exception's stack trace, .NET text (size-limited).</summary>
    public const string ExceptionStacktrace = "kafka_dlt-exception-stacktrace";

    /// <summary>Spring writes these for key deserialization failures; read, and stripped like the others.</summary>
    public const string KeyExceptionPrefix = "kafka_dlt-key-exception-";
    /// <summary>Spring: full type name of a key deserialization exception.</summary>
    public const string KeyExceptionFqcn = "kafka_dlt-key-exception-fqcn";
    /// <summary>Spring: message of a key deserialization exception.</summary>
    public const string KeyExceptionMessage = "kafka_dlt-key-exception-message";
    /// <summary>Spring: stack trace of a key deserialization exception.</summary>
    public const string KeyExceptionStacktrace = "kafka_dlt-key-exception-stacktrace";

    /// <summary>True for the exception headers that a new dead-lettering replaces.</summary>
    public static bool IsExceptionHeader(string name) =>
        name is not null
        && (name.StartsWith(ExceptionPrefix, StringComparison.Ordinal) || name.StartsWith(KeyExceptionPrefix, StringComparison.Ordinal));

    /// <summary>UTF-8 bytes of <paramref name="value"/>.</summary>
    public static byte[] EncodeString(string value) => Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>4-byte big-endian bytes of <paramref name="value"/>.</summary>
    public static byte[] EncodeInt32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>8-byte big-endian bytes of <paramref name="value"/>.</summary>
    public static byte[] EncodeInt64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Java's <c>TimestampType</c> names: <c>CreateTime</c>, <c>LogAppendTime</c>, <c>NoTimestampType</c>.</summary>
    public static byte[] EncodeTimestampType(TimestampType type) => EncodeString(type switch
    {
        TimestampType.CreateTime => "CreateTime",
        TimestampType.LogAppendTime => "LogAppendTime",
        _ => "NoTimestampType",
    });

    /// <summary>The UTF-8 text of <paramref name="value"/>; null when absent.</summary>
    public static string? DecodeString(byte[]? value) => value is null ? null : Encoding.UTF8.GetString(value);

    /// <summary>4-byte big-endian int; also an 8-byte long in range, or decimal text. Null when absent or unreadable.</summary>
    public static int? DecodeInt32(byte[]? value) => DecodeInt64(value) is { } v && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;

    /// <summary>8-byte big-endian long; also a 4-byte int, or decimal text. Null when absent or unreadable.</summary>
    public static long? DecodeInt64(byte[]? value) => value switch
    {
        null => null,
        { Length: 8 } => BinaryPrimitives.ReadInt64BigEndian(value),
        { Length: 4 } => BinaryPrimitives.ReadInt32BigEndian(value),
        _ => long.TryParse(Encoding.UTF8.GetString(value).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
    };

    /// <summary>Java's or Confluent's names (any case), or their numbers 0/1/2 as text. Null when absent or unknown.</summary>
    public static TimestampType? DecodeTimestampType(byte[]? value) => DecodeString(value)?.Trim().ToUpperInvariant() switch
    {
        "CREATETIME" or "CREATE_TIME" or "1" => TimestampType.CreateTime,
        "LOGAPPENDTIME" or "LOG_APPEND_TIME" or "2" => TimestampType.LogAppendTime,
        "NOTIMESTAMPTYPE" or "NO_TIMESTAMP_TYPE" or "NOTAVAILABLE" or "0" => TimestampType.NotAvailable,
        _ => null,
    };

    /// <summary>The last value of header <paramref name="name"/>, or null.</summary>
    public static byte[]? Last(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? bytes : null;

    /// <summary>Reads the dead-letter headers of a record; null when it carries no <see cref="OriginalTopic"/> header.</summary>
    public static DeadLetterInfo? Read(Headers? headers)
    {
        if (Last(headers, OriginalTopic) is not { } topic)
        {
            return null;
        }

        return new DeadLetterInfo(DecodeString(topic)!)
        {
            OriginalPartition = DecodeInt32(Last(headers, OriginalPartition)),
            OriginalOffset = DecodeInt64(Last(headers, OriginalOffset)),
            OriginalTimestampMs = DecodeInt64(Last(headers, OriginalTimestamp)),
            OriginalTimestampType = DecodeTimestampType(Last(headers, OriginalTimestampType)),
            OriginalConsumerGroup = DecodeString(Last(headers, OriginalConsumerGroup)),
            ExceptionType = DecodeString(Last(headers, ExceptionFqcn)),
            ExceptionCauseType = DecodeString(Last(headers, ExceptionCauseFqcn)),
            ExceptionMessage = DecodeString(Last(headers, ExceptionMessage)),
            ExceptionStackTrace = DecodeString(Last(headers, ExceptionStacktrace)),
            KeyExceptionType = DecodeString(Last(headers, KeyExceptionFqcn)),
            KeyExceptionMessage = DecodeString(Last(headers, KeyExceptionMessage)),
        };
    }
}
