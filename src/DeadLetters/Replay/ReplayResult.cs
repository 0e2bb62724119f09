namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>The outcome of <see cref="DeadLetterClient.ReplayAsync"/>.</summary>
public sealed record ReplayResult
{
    /// <summary>Whether the replay completed, was interrupted or failed.</summary>
    public required ReplayStatus Status { get; init; }

    /// <summary>The consumer group that recorded the progress.</summary>
    public required string GroupId { get; init; }

    /// <summary>True when nothing was sent (a dry run).</summary>
    public bool DryRun { get; init; }

    /// <summary>Records sent and acknowledged (or, in a dry run, that would be sent).</summary>
    public long Replayed { get; init; }

    /// <summary>Records not replayed because a guard refused them (e.g. replayed too often).</summary>
    public long Refused { get; init; }

    /// <summary>Records whose send failed.</summary>
    public long Failed { get; init; }

    /// <summary>Records the filter did not select.</summary>
    public long PassedOver { get; init; }

    /// <summary>The group's committed offset per dead-letter partition after the replay (empty for a dry run).</summary>
    public IReadOnlyDictionary<int, long> CommittedOffsets { get; init; } = new Dictionary<int, long>();

    /// <summary>Why the replay failed, when it did.</summary>
    public string? Error { get; init; }
}
