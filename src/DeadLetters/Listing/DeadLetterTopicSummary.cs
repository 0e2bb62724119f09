namespace KafkaPipeline.DeadLetters.Listing;

/// <summary>One dead-letter topic: record counts per partition, age, and what failed most.</summary>
public sealed record DeadLetterTopicSummary
{
    /// <summary>The dead-letter topic.</summary>
    public required string Topic { get; init; }

    /// <summary>Per-partition counts and offsets.</summary>
    public required IReadOnlyList<PartitionSummary> Partitions { get; init; }

    /// <summary>Records in the topic: exact where a partition was read in full, else its offset span (see <see cref="IsExact"/>).</summary>
    public long Count => Partitions.Sum(p => p.Count);

    /// <summary>Every partition was read in full, so <see cref="Count"/> counts records only (no transaction markers).</summary>
    public bool IsExact => Partitions.All(p => p.Records is not null);

    /// <summary>High minus low watermark, summed: an upper bound of the records, as it includes transaction markers.</summary>
    public long OffsetSpan => Partitions.Sum(p => p.OffsetSpan);

    /// <summary>Oldest dead letter's timestamp.</summary>
    public DateTimeOffset? Oldest => Partitions.Min(p => p.Oldest);

    /// <summary>Newest dead letter's timestamp.</summary>
    public DateTimeOffset? Newest => Partitions.Max(p => p.Newest);

    /// <summary>The most frequent exception types among the scanned records, most frequent first (the cause type under Spring's listener wrapper, see <see cref="Reading.FailureType"/>).</summary>
    public IReadOnlyList<ExceptionCount> TopExceptions { get; init; } = [];

    /// <summary>Original topics of the scanned records, with counts.</summary>
    public IReadOnlyList<ExceptionCount> OriginalTopics { get; init; } = [];

    /// <summary>Records read for the exception statistics (none with a scan limit of 0).</summary>
    public long Scanned { get; init; }

    /// <summary>A retry topic (listed with <see cref="DeadLetterListOptions.RetryTopics"/>), not a dead-letter topic.</summary>
    public bool IsRetryTopic { get; init; }

    /// <summary>Earliest <c>retry_topic-backoff-timestamp</c> among the records read (oldest and newest of each partition, and the scan).</summary>
    public DateTimeOffset? FirstDue { get; init; }

    /// <summary>Latest due time among the records read.</summary>
    public DateTimeOffset? LastDue { get; init; }

    /// <summary>Highest <c>retry_topic-attempts</c> among the records read; null when none carries it.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The statistics come from the newest records only: some partition was not read in full.</summary>
    public bool IsSampled => !IsExact;
}

/// <summary>Offsets and age of one partition of a dead-letter topic.</summary>
public sealed record PartitionSummary(int Partition, long LowOffset, long HighOffset, DateTimeOffset? Oldest, DateTimeOffset? Newest)
{
    /// <summary>Records in the partition when it was read in full (transaction markers are not records); null when only sampled.</summary>
    public long? Records { get; init; }

    /// <summary>High minus low watermark: an upper bound, as transaction markers take offsets too.</summary>
    public long OffsetSpan => Math.Max(0, HighOffset - LowOffset);

    /// <summary><see cref="Records"/> when known, else <see cref="OffsetSpan"/>.</summary>
    public long Count => Records ?? OffsetSpan;
}

/// <summary>A name (exception type or topic) and how many scanned records have it.</summary>
public sealed record ExceptionCount(string Name, long Count);
