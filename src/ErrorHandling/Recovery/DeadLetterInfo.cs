using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>What the dead-letter headers of a record say (see <see cref="DeadLetterHeaders.Read"/>); null where a header is missing.</summary>
public sealed record DeadLetterInfo(string OriginalTopic)
{
    /// <summary>The failed record's partition.</summary>
    public int? OriginalPartition { get; init; }

    /// <summary>The failed record's offset.</summary>
    public long? OriginalOffset { get; init; }

    /// <summary>Epoch milliseconds of the original record.</summary>
    public long? OriginalTimestampMs { get; init; }

    /// <summary>The failed record's timestamp type.</summary>
    public TimestampType? OriginalTimestampType { get; init; }

    /// <summary>The consumer group that failed the record.</summary>
    public string? OriginalConsumerGroup { get; init; }

    /// <summary>Full type name of the exception (.NET or Java).</summary>
    public string? ExceptionType { get; init; }

    /// <summary>Full type name in <c>kafka_dlt-exception-cause-fqcn</c>: the exception's direct cause as KafkaPipeline writes it by default (see ExceptionCauseHeader).</summary>
    public string? ExceptionCauseType { get; init; }

    /// <summary>The exception message.</summary>
    public string? ExceptionMessage { get; init; }

    /// <summary>The exception's stack trace (.NET or Java text).</summary>
    public string? ExceptionStackTrace { get; init; }

    /// <summary>Spring only: key deserialization failure.</summary>
    public string? KeyExceptionType { get; init; }

    /// <summary>Spring only: message of the key deserialization failure.</summary>
    public string? KeyExceptionMessage { get; init; }
}
