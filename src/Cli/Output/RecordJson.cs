using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaPipeline.DeadLetters.Listing;
using KafkaPipeline.DeadLetters.Preview;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.Cli.Output;

/// <summary>The <c>--json</c> shapes: one compact object per line, camelCase, times in ISO-8601 UTC.</summary>
internal static class RecordJson
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string Line(JsonNode node) => node.ToJsonString(Compact);

    public static JsonObject Summary(DeadLetterRecord record)
    {
        var info = record.DeadLetter;
        return new JsonObject
        {
            ["topic"] = record.Topic,
            ["partition"] = record.Partition,
            ["offset"] = record.Offset,
            ["timestamp"] = Nullable(TextFormat.Iso(record.Timestamp)),
            ["key"] = record.KeyText,
            ["keyBase64"] = record.Key is not null && record.KeyText is null ? Convert.ToBase64String(record.Key) : null,
            ["originalTopic"] = info?.OriginalTopic,
            ["originalPartition"] = info?.OriginalPartition,
            ["originalOffset"] = info?.OriginalOffset,
            ["originalTimestamp"] = Nullable(TextFormat.Iso(record.OriginalTimestamp)),
            ["consumerGroup"] = info?.OriginalConsumerGroup,
            ["exceptionType"] = info?.ExceptionType,
            ["exceptionCauseType"] = info?.ExceptionCauseType,
            ["failureType"] = record.FailureType,
            ["exceptionMessage"] = info?.ExceptionMessage,
            ["replayCount"] = TextFormat.ReplaysOrNull(record.ReplayCount),
            ["replayCountMalformed"] = record.ReplayCountMalformed,
            ["hasDeadLetterHeaders"] = info is not null,
            ["valueSize"] = record.Value?.Length,
            ["attempts"] = record.Retry?.Attempts,
            ["due"] = Nullable(TextFormat.Iso(record.Retry?.Due)),
        };
    }

    public static JsonObject Full(DeadLetterRecord record, PayloadPreview preview)
    {
        var json = Summary(record);
        json["originalTimestampType"] = record.DeadLetter?.OriginalTimestampType?.ToString();
        json["exceptionStackTrace"] = record.DeadLetter?.ExceptionStackTrace;
        json["headers"] = new JsonArray([.. record.Headers.Select(h => (JsonNode)new JsonObject
        {
            ["name"] = h.Name,
            ["value"] = DecodedHeader.Decode(h).Value,
            ["valueBase64"] = h.Value is null ? null : Convert.ToBase64String(h.Value),
        })]);
        json["value"] = record.Value is null ? null : DeadLetterRecord.TryUtf8(record.Value);
        json["valueBase64"] = record.Value is not null && DeadLetterRecord.TryUtf8(record.Value) is null ? Convert.ToBase64String(record.Value) : null;
        json["valueFormat"] = preview.Format.ToString().ToLowerInvariant();
        return json;
    }

    public static JsonObject Topic(DeadLetterTopicSummary summary) => new()
    {
        ["topic"] = summary.Topic,
        ["records"] = summary.Count,
        ["recordsExact"] = summary.IsExact,
        ["offsetSpan"] = summary.OffsetSpan,
        ["oldest"] = Nullable(TextFormat.Iso(summary.Oldest)),
        ["newest"] = Nullable(TextFormat.Iso(summary.Newest)),
        ["scanned"] = summary.Scanned,
        ["retryTopic"] = summary.IsRetryTopic,
        ["firstDue"] = Nullable(TextFormat.Iso(summary.FirstDue)),
        ["lastDue"] = Nullable(TextFormat.Iso(summary.LastDue)),
        ["maxAttempts"] = summary.MaxAttempts,
        ["partitions"] = new JsonArray([.. summary.Partitions.Select(p => (JsonNode)new JsonObject
        {
            ["partition"] = p.Partition,
            ["records"] = p.Count,
            ["recordsExact"] = p.Records is not null,
            ["offsetSpan"] = p.OffsetSpan,
            ["lowOffset"] = p.LowOffset,
            ["highOffset"] = p.HighOffset,
            ["oldest"] = Nullable(TextFormat.Iso(p.Oldest)),
            ["newest"] = Nullable(TextFormat.Iso(p.Newest)),
        })]),
        ["topExceptions"] = Counts(summary.TopExceptions, "type"),
        ["originalTopics"] = Counts(summary.OriginalTopics, "topic"),
    };

    public static JsonObject Audit(ReplayAuditEntry entry) => new()
    {
        ["time"] = TextFormat.Iso(entry.Time),
        ["outcome"] = entry.Outcome.ToString().ToLowerInvariant(),
        ["group"] = entry.GroupId,
        ["sourceTopic"] = entry.SourceTopic,
        ["sourcePartition"] = entry.SourcePartition,
        ["sourceOffset"] = entry.SourceOffset,
        ["targetTopic"] = entry.TargetTopic,
        ["targetPartition"] = entry.TargetPartition,
        ["targetOffset"] = entry.TargetOffset,
        ["previousReplays"] = TextFormat.ReplaysOrNull(entry.ReplayCount),
        ["exceptionType"] = entry.ExceptionType,
        ["reason"] = entry.Reason,
    };

    private static JsonArray Counts(IReadOnlyList<ExceptionCount> counts, string name) =>
        new([.. counts.Select(c => (JsonNode)new JsonObject { [name] = c.Name, ["count"] = c.Count })]);

    private static string? Nullable(string text) => text.Length == 0 ? null : text;
}
