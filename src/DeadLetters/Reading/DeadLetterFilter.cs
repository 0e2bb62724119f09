using System.Globalization;
using System.Text;

namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>
/// Selects dead letters; every criterion that is set must match. Offsets and <see cref="Partition"/> are the dead-letter
/// topic's own coordinates; times are when the record was dead-lettered (its timestamp in the dead-letter topic).
/// </summary>
public sealed record DeadLetterFilter
{
    /// <summary>A filter that selects every record.</summary>
    public static readonly DeadLetterFilter None = new();

    /// <summary>Part of the exception type or its cause type (<c>kafka_dlt-exception-cause-fqcn</c>; full name, .NET or Java), any case: <c>InvalidOrder</c> matches <c>Shop.InvalidOrderException</c>.</summary>
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

    /// <summary>
    /// Dead-lettered at most this long ago (<c>--since 1d</c>): a window that moves with the clock. Reading resolves it
    /// when it starts; a replay resolves it when a progress group first starts on a partition and keeps that start as
    /// the group's progress (see <see cref="Replay.ReplayPlan.StoredStarts"/>). Not together with <see cref="FromTime"/>.
    /// </summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>
    /// Dead-lettered at least this long ago (<c>--until 1h</c>). A replay stops on each partition at the first record
    /// that is younger, leaving it for a later run. Not together with <see cref="ToTime"/>.
    /// </summary>
    public TimeSpan? MinAge { get; init; }

    /// <summary>Text in the exception message, any case.</summary>
    public string? MessageContains { get; init; }

    /// <summary>True when the filter selects every record.</summary>
    public bool IsEmpty => this == None;

    /// <summary>True when every criterion matches; ages count back from the current UTC time.</summary>
    public bool Matches(DeadLetterRecord record) => Matches(record, DateTimeOffset.UtcNow);

    /// <summary>True when every criterion matches; ages count back from <paramref name="now"/>.</summary>
    public bool Matches(DeadLetterRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MatchesExceptAges(record)
            && (MaxAge is not { } maxAge || record.Timestamp >= now - maxAge)
            && (MinAge is not { } minAge || record.Timestamp < now - minAge);
    }

    /// <summary>Every criterion but <see cref="MaxAge"/> and <see cref="MinAge"/>, which a replay applies by offset range.</summary>
    internal bool MatchesExceptAges(DeadLetterRecord record)
    {
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
        Add(parts, "since", FromTime?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? (MaxAge is { } maxAge ? AgeText.Format(maxAge) : null));
        Add(parts, "until", ToTime?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? (MinAge is { } minAge ? AgeText.Format(minAge) : null));
        Add(parts, "message", MessageContains);
        return string.Join("; ", parts);
    }

    /// <summary>
    /// Short stable hash of <see cref="Describe"/> (8 hex digits), used to name a replay group per selection. Ages enter
    /// as written (<c>since=1d</c>), never resolved against the clock, so the same command names the same group.
    /// </summary>
    public string Fingerprint()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Describe()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }

    /// <summary>Throws <see cref="DeadLetterOperationException"/> (<see cref="DeadLetterErrorKind.InvalidRequest"/>) naming every contradiction.</summary>
    internal void Validate()
    {
        var errors = new List<string>();
        if (FromTime is not null && MaxAge is not null)
        {
            errors.Add("FromTime and MaxAge are both set; give the start of the window either as a time or as an age (--since).");
        }

        if (ToTime is not null && MinAge is not null)
        {
            errors.Add("ToTime and MinAge are both set; give the end of the window either as a time or as an age (--until).");
        }

        if (MaxAge < TimeSpan.Zero || MinAge < TimeSpan.Zero)
        {
            errors.Add("MaxAge and MinAge must not be negative.");
        }

        if (errors.Count > 0)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.InvalidRequest, string.Join(Environment.NewLine, errors));
        }
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
