using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// A replay filter's ages resolved once, when planning. <c>--since AGE</c> (<see cref="DeadLetterFilter.MaxAge"/>)
/// says where a progress group starts on a partition where it has no progress yet: at the first record dead-lettered
/// at or after <see cref="Start"/>; that offset is committed before anything is sent, so the window resolved by the
/// first run is kept with the group's progress and a rerun (however much later) continues it instead of resolving a
/// later start and skipping what the first run had selected. <c>--until AGE</c> (<see cref="DeadLetterFilter.MinAge"/>)
/// stops the replay on each partition at the first record dead-lettered at or after <see cref="End"/>, leaving it for a
/// later run rather than passing over it: the end only moves later, so re-resolving it each run never skips a record.
/// </summary>
internal sealed class ReplayWindow(DeadLetterFilter filter, DateTimeOffset now)
{
    public DateTimeOffset ResolvedAt { get; } = now;

    public DateTimeOffset? Start { get; } = filter.MaxAge is { } maxAge ? now - maxAge : null;

    public DateTimeOffset? End { get; } = filter.MinAge is { } minAge ? now - minAge : null;

    /// <summary>Dead-lettered before the start (a record without a timestamp never is).</summary>
    public bool IsBeforeStart(DeadLetterRecord record) => Start is { } start && record.Timestamp < start;

    /// <summary>Dead-lettered at or after the end: the replay stops on its partition here.</summary>
    public bool IsAtOrAfterEnd(DeadLetterRecord record) => End is { } end && record.Timestamp >= end;
}
