namespace KafkaPipeline.DeadLetters.Listing;

/// <summary>One dead-letter topic: record counts per partition, age, and what failed most.</summary>
public sealed record DeadLetterTopicSummary
{
    public required string Topic { get; init; }

    public required IReadOnlyList<PartitionSummary> Partitions { get; init; }

    /// <summary>Records in the topic (sum of high minus low watermark; may include transaction markers).</summary>
    public long Count => Partitions.Sum(p => p.Count);

    /// <summary>Oldest dead letter's timestamp.</summary>
    public DateTimeOffset? Oldest => Partitions.Min(p => p.Oldest);

    /// <summary>Newest dead letter's timestamp.</summary>
    public DateTimeOffset? Newest => Partitions.Max(p => p.Newest);

    /// <summary>The most frequent exception types among the scanned records, most frequent first (the cause type under Spring's listener wrapper, see <see cref="Reading.FailureType"/>).</summary>
    public IReadOnlyList<ExceptionCount> TopExceptions { get; init; } = [];

    /// <summary>Original topics of the scanned records, with counts.</summary>
    public IReadOnlyList<ExceptionCount> OriginalTopics { get; init; } = [];

    /// <summary>Records read for the statistics; less than <see cref="Count"/> when the scan limit sampled the newest.</summary>
    public long Scanned { get; init; }

    public bool IsSampled => Scanned < Count;
}

/// <summary>Offsets and age of one partition of a dead-letter topic.</summary>
public sealed record PartitionSummary(int Partition, long LowOffset, long HighOffset, DateTimeOffset? Oldest, DateTimeOffset? Newest)
{
    public long Count => Math.Max(0, HighOffset - LowOffset);
}

/// <summary>A name (exception type or topic) and how many scanned records have it.</summary>
public sealed record ExceptionCount(string Name, long Count);
