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

    public static Message<byte[]?, byte[]?> Create(DeadLetterRecord record, ReplayRequest request, DateTimeOffset now)
    {
        var headers = new Headers();
        foreach (var header in record.Headers)
        {
            if (!Dropped(header.Name, request.KeepOriginalHeaders))
            {
                headers.Add(header.Name, header.Value);
            }
        }

        headers.Add(ReplayHeaders.Count, DeadLetterHeaders.EncodeInt32(NextCount(record, request)));
        headers.Add(ReplayHeaders.Timestamp, DeadLetterHeaders.EncodeInt64(now.ToUnixTimeMilliseconds()));
        headers.Add(ReplayHeaders.SourceTopic, DeadLetterHeaders.EncodeString(record.Topic));
        headers.Add(ReplayHeaders.SourcePartition, DeadLetterHeaders.EncodeInt32(record.Partition));
        headers.Add(ReplayHeaders.SourceOffset, DeadLetterHeaders.EncodeInt64(record.Offset));
        return new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value, Headers = headers };
    }

    /// <summary>
    /// The previous count plus one. A malformed count (sent only with --force) becomes the loop guard's limit: its true
    /// history is unknown, so it is written as replayed as often as allowed, and a further failure is refused again.
    /// </summary>
    public static int NextCount(DeadLetterRecord record, ReplayRequest request) =>
        record.ReplayCountMalformed ? Math.Max(1, request.MaxReplays) : record.ReplayCount + 1;

    public static bool Dropped(string name, bool keepOriginalHeaders) =>
        DeadLetterHeaders.IsExceptionHeader(name)
        || ReplayHeaders.IsReplayHeader(name)
        || string.Equals(name, DeliveryAttemptHeader.Name, StringComparison.Ordinal)
        || (!keepOriginalHeaders && OriginalHeaders.Contains(name));
}
