using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Headers a replayed record carries, in the encodings of <see cref="DeadLetterHeaders"/>. They survive a new
/// dead-lettering (the recoverer keeps every header but the exception ones), which is what makes the loop guard work.
/// </summary>
public static class ReplayHeaders
{
    /// <summary>Every replay header starts with this.</summary>
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

    /// <summary>
    /// What <see cref="ReadCount"/> returns for a <see cref="Count"/> header that is present but unreadable (not a 4- or
    /// 8-byte big-endian number or decimal text, or negative): as high as a count goes, so every loop guard treats the
    /// record as replayed too often rather than as never replayed.
    /// </summary>
    public const int Unreadable = int.MaxValue;

    /// <summary>True for headers a replay writes (<see cref="Prefix"/>).</summary>
    public static bool IsReplayHeader(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The replay count of a record: 0 when it carries no <see cref="Count"/> header; <see cref="Unreadable"/> when the header is malformed.</summary>
    public static int ReadCount(Headers? headers)
    {
        var raw = DeadLetterHeaders.Last(headers, Count);
        if (raw is null)
        {
            return 0;
        }

        return DeadLetterHeaders.DecodeInt32(raw) is { } count and >= 0 ? count : Unreadable;
    }
}
