using System.Globalization;
using System.Text;

namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>
/// Selects dead letters; every criterion that is set must match. Offsets and <see cref="Partition"/> are the dead-letter
/// topic's own coordinates; times are when the record was dead-lettered (its timestamp in the dead-letter topic).
/// </summary>
public sealed record DeadLetterFilter
{
    public static readonly DeadLetterFilter None = new();

    /// <summary>Part of the exception type or its root cause type (full name, .NET or Java), any case: <c>InvalidOrder</c> matches <c>Shop.InvalidOrderException</c>.</summary>
    public string? ExceptionType { get; init; }

    /// <summary>The record key, compared as UTF-8 text.</summary>
    public string? Key { get; init; }

    /// <summary>The original topic (from <c>kafka_dlt-original-topic</c>).</summary>
    public string? OriginalTopic { get; init; }

    /// <summary>The original partition (from <c>kafka_dlt-original-partition</c>).</summary>
    public int? OriginalPartition { get; init; }

    /// <summary>Only this partition of the dead-letter topic.</summary>
    public int? Partition { get; init; }

    /// <summary>Lowest dead-letter offset, inclusive (per partition).</summary>
    public long? FromOffset { get; init; }

    /// <summary>Highest dead-letter offset, inclusive (per partition).</summary>
    public long? ToOffset { get; init; }

    /// <summary>Dead-lettered at or after this time.</summary>
    public DateTimeOffset? FromTime { get; init; }

    /// <summary>Dead-lettered before this time.</summary>
    public DateTimeOffset? ToTime { get; init; }

    /// <summary>Text in the exception message, any case.</summary>
    public string? MessageContains { get; init; }

    public bool IsEmpty => this == None;

    public bool Matches(DeadLetterRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var info = record.DeadLetter;
        return (Partition is null || record.Partition == Partition)
            && (FromOffset is null || record.Offset >= FromOffset)
            && (ToOffset is null || record.Offset <= ToOffset)
            && (FromTime is null || record.Timestamp >= FromTime)
            && (ToTime is null || record.Timestamp < ToTime)
            && (Key is null || string.Equals(record.KeyText, Key, StringComparison.Ordinal))
            && (OriginalTopic is null || string.Equals(info?.OriginalTopic, OriginalTopic, StringComparison.Ordinal))
            && (OriginalPartition is null || info?.OriginalPartition == OriginalPartition)
            && (ExceptionType is null || Contains(info?.ExceptionType, ExceptionType) || Contains(info?.ExceptionCauseType, ExceptionType))
            && (MessageContains is null || Contains(info?.ExceptionMessage, MessageContains));
    }

    /// <summary>A stable, readable description of the set criteria (empty when none), e.g. <c>exception=Timeout; original-partition=2</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        Add(parts, "exception", ExceptionType);
        Add(parts, "key", Key);
        Add(parts, "original-topic", OriginalTopic);
        Add(parts, "original-partition", OriginalPartition?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "partition", Partition?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "from-offset", FromOffset?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "to-offset", ToOffset?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "since", FromTime?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add(parts, "until", ToTime?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add(parts, "message", MessageContains);
        return string.Join("; ", parts);
    }

    /// <summary>Short stable hash of <see cref="Describe"/> (8 hex digits), used to name a replay group per selection.</summary>
    public string Fingerprint()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Describe()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }

    private static bool Contains(string? text, string part) => text is not null && text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add($"{name}={value}");
        }
    }
}
