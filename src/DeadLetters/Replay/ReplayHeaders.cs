using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Headers a replayed record carries, in the encodings of <see cref="DeadLetterHeaders"/>. They survive a new
/// dead-lettering (the recoverer keeps every header but the exception ones), which is what makes the loop guard work.
/// </summary>
public static class ReplayHeaders
{
    public const string Prefix = "kafka_dlt-replay-";

    /// <summary>How often the record has been replayed, this replay included (4-byte big-endian int).</summary>
    public const string Count = "kafka_dlt-replay-count";

    /// <summary>When it was replayed (8-byte big-endian long, epoch milliseconds).</summary>
    public const string Timestamp = "kafka_dlt-replay-timestamp";

    /// <summary>The dead-letter topic it was replayed from (UTF-8).</summary>
    public const string SourceTopic = "kafka_dlt-replay-source-topic";

    /// <summary>Its partition in the dead-letter topic (4-byte big-endian int).</summary>
    public const string SourcePartition = "kafka_dlt-replay-source-partition";

    /// <summary>Its offset in the dead-letter topic (8-byte big-endian long).</summary>
    public const string SourceOffset = "kafka_dlt-replay-source-offset";

    public static bool IsReplayHeader(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The replay count of a record; 0 when it was never replayed.</summary>
    public static int ReadCount(Headers? headers) =>
        DeadLetterHeaders.DecodeInt32(DeadLetterHeaders.Last(headers, Count)) is { } count && count > 0 ? count : 0;
}
