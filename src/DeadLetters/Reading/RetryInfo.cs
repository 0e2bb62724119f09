using Confluent.Kafka;
using KafkaPipeline.RetryTopics;

namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>
/// The decoded <c>retry_topic-*</c> headers of a record in a retry topic (or of a dead letter that went through retry
/// topics), in spring-kafka's encodings: deliveries so far, when it is due, and the main-topic record's timestamp.
/// </summary>
public sealed record RetryInfo(int Attempts, DateTimeOffset? Due, DateTimeOffset? OriginalTimestamp)
{
    /// <summary>The record's retry headers, or null when it carries none.</summary>
    public static RetryInfo? Read(Headers? headers)
    {
        if (headers is null || !headers.Any(h => h.Key.StartsWith("retry_topic-", StringComparison.Ordinal)))
        {
            return null;
        }

        DateTimeOffset? original = headers.TryGetLastBytes(RetryTopicHeaders.OriginalTimestamp, out var bytes) && RetryTopicHeaders.DecodeTimestamp(bytes) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        return new RetryInfo(RetryTopicHeaders.AttemptsOf(headers), RetryTopicHeaders.DueOf(headers), original);
    }
}
