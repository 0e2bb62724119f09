using Confluent.Kafka;
using KafkaPipeline.Consuming;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Builds the record a replay sends: the dead letter's key, value and headers in order, without the exception headers,
/// the previous replay headers and <c>kafka_deliveryAttempt</c> (and without the original-* headers unless kept), then
/// fresh replay headers. The timestamp is left to the producer (now), so retention does not delete the replay at once.
/// </summary>
internal static class ReplayMessageFactory
{
    private static readonly HashSet<string> OriginalHeaders = new(StringComparer.Ordinal)
    {
        DeadLetterHeaders.OriginalTopic,
        DeadLetterHeaders.OriginalPartition,
        DeadLetterHeaders.OriginalOffset,
        DeadLetterHeaders.OriginalTimestamp,
        DeadLetterHeaders.OriginalTimestampType,
        DeadLetterHeaders.OriginalConsumerGroup,
    };

    public static Message<byte[]?, byte[]?> Create(DeadLetterRecord record, bool keepOriginalHeaders, DateTimeOffset now)
    {
        var headers = new Headers();
        foreach (var header in record.Headers)
        {
            if (!Dropped(header.Name, keepOriginalHeaders))
            {
                headers.Add(header.Name, header.Value);
            }
        }

        headers.Add(ReplayHeaders.Count, DeadLetterHeaders.EncodeInt32(record.ReplayCount + 1));
        headers.Add(ReplayHeaders.Timestamp, DeadLetterHeaders.EncodeInt64(now.ToUnixTimeMilliseconds()));
        headers.Add(ReplayHeaders.SourceTopic, DeadLetterHeaders.EncodeString(record.Topic));
        headers.Add(ReplayHeaders.SourcePartition, DeadLetterHeaders.EncodeInt32(record.Partition));
        headers.Add(ReplayHeaders.SourceOffset, DeadLetterHeaders.EncodeInt64(record.Offset));
        return new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value, Headers = headers };
    }

    public static bool Dropped(string name, bool keepOriginalHeaders) =>
        DeadLetterHeaders.IsExceptionHeader(name)
        || ReplayHeaders.IsReplayHeader(name)
        || string.Equals(name, DeliveryAttemptHeader.Name, StringComparison.Ordinal)
        || (!keepOriginalHeaders && OriginalHeaders.Contains(name));
}
