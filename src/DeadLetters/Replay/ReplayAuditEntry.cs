namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// One audit line: what a replay did with one dead letter. Holds coordinates and types, never key or payload bytes.
/// <see cref="ExceptionType"/> is the record's failure type (the cause type under Spring's listener wrapper).
/// </summary>
public sealed record ReplayAuditEntry(
    DateTimeOffset Time,
    ReplayOutcome Outcome,
    string GroupId,
    string SourceTopic,
    int SourcePartition,
    long SourceOffset,
    string? TargetTopic,
    int? TargetPartition,
    long? TargetOffset,
    int ReplayCount,
    string? ExceptionType,
    string? Reason);
