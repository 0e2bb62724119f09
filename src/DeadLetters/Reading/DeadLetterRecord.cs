using System.Text;
using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>A record of a dead-letter topic with its dead-letter headers decoded.</summary>
public sealed class DeadLetterRecord
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The dead-letter topic the record was read from.</summary>
    public required string Topic { get; init; }

    /// <summary>The record's partition in the dead-letter topic.</summary>
    public required int Partition { get; init; }

    /// <summary>The record's offset in the dead-letter topic.</summary>
    public required long Offset { get; init; }

    /// <summary>When the record was written to the dead-letter topic (its own timestamp): the time it failed for good.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The key bytes (the original record's key).</summary>
    public byte[]? Key { get; init; }

    /// <summary>The value bytes (the original record's value).</summary>
    public byte[]? Value { get; init; }

    /// <summary>Every header in order, dead-letter headers included.</summary>
    public IReadOnlyList<RecordHeader> Headers { get; init; } = [];

    /// <summary>The decoded <c>kafka_dlt-*</c> headers; null when the record carries no <c>kafka_dlt-original-topic</c>.</summary>
    public DeadLetterInfo? DeadLetter { get; init; }

    /// <summary>The decoded <c>retry_topic-*</c> headers (attempts, due time); null when the record carries none.</summary>
    public RetryInfo? Retry { get; init; }

    /// <summary>
    /// How often this record was replayed before (its <c>kafka_dlt-replay-count</c> header; 0 when absent, and
    /// <see cref="ReplayHeaders.Unreadable"/> when the header is malformed, so a loop guard refuses it).
    /// </summary>
    public int ReplayCount { get; init; }

    /// <summary>The <c>kafka_dlt-replay-count</c> header is present but unreadable; the record counts as replayed too often.</summary>
    public bool ReplayCountMalformed => ReplayCount == ReplayHeaders.Unreadable;

    /// <summary>A <c>kafka_dlt-original-partition</c> header is present but unreadable (not a 4- or 8-byte number or decimal text, or negative).</summary>
    public bool OriginalPartitionMalformed =>
        DeadLetter?.OriginalPartition is null or < 0
        && Headers.Any(h => string.Equals(h.Name, DeadLetterHeaders.OriginalPartition, StringComparison.Ordinal));

    /// <summary>The exception type that describes the failure (the cause type under Spring's listener wrapper); see <see cref="Reading.FailureType"/>.</summary>
    public string? FailureType => Reading.FailureType.Of(DeadLetter?.ExceptionType, DeadLetter?.ExceptionCauseType);

    /// <summary>The key as UTF-8 text; null when there is no key or it is not valid UTF-8.</summary>
    public string? KeyText => TryUtf8(Key);

    /// <summary>The original record's timestamp, from the headers.</summary>
    public DateTimeOffset? OriginalTimestamp =>
        DeadLetter?.OriginalTimestampMs is { } ms && ms >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary><c>topic/partition@offset</c> of this dead letter.</summary>
    public string Coordinates => $"{Topic}/{Partition}@{Offset}";

    /// <summary>Text of <paramref name="bytes"/> when they are valid UTF-8; otherwise null.</summary>
    public static string? TryUtf8(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    internal static DeadLetterRecord From(ConsumeResult<byte[]?, byte[]?> result)
    {
        var headers = result.Message.Headers;
        return new DeadLetterRecord
        {
            Topic = result.Topic,
            Partition = result.Partition.Value,
            Offset = result.Offset.Value,
            Timestamp = result.Message.Timestamp.Type == TimestampType.NotAvailable || result.Message.Timestamp.UnixTimestampMs < 0
                ? null
                : DateTimeOffset.FromUnixTimeMilliseconds(result.Message.Timestamp.UnixTimestampMs),
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers = headers is null ? [] : [.. headers.Select(h => new RecordHeader(h.Key, h.GetValueBytes()))],
            DeadLetter = DeadLetterHeaders.Read(headers),
            Retry = RetryInfo.Read(headers),
            ReplayCount = ReplayHeaders.ReadCount(headers),
        };
    }
}
