using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// What a replay would do, found by reading (not sending) the selected range: shown to the operator for confirmation,
/// then carried out by <see cref="DeadLetterClient.ReplayAsync"/>. The ranges end at the watermarks seen when planning,
/// so records that arrive later are left for the next replay.
/// </summary>
public sealed class ReplayPlan
{
    internal ReplayPlan(ReplayRequest request, IReadOnlyList<PartitionRange> ranges, IReadOnlyDictionary<int, long?> committed, ReplayWindow window)
    {
        Request = request;
        Ranges = ranges;
        Committed = committed;
        ResolvedAt = window.ResolvedAt;
        WindowStart = window.Start;
        WindowEnd = window.End;
    }

    /// <summary>The request the plan was made for.</summary>
    public ReplayRequest Request { get; }

    /// <summary>The consumer group whose committed offsets record the replay's progress.</summary>
    public string GroupId => Request.EffectiveGroupId;

    /// <summary>
    /// Per dead-letter partition: from the group's committed offset (or the oldest record, or the start of an age window)
    /// to the end seen when planning (or the first record too young for an <c>--until</c> age).
    /// </summary>
    public IReadOnlyList<PartitionRange> Ranges { get; internal set; }

    /// <summary>The progress group's committed offset per partition when planning; null where it had none.</summary>
    public IReadOnlyDictionary<int, long?> Committed { get; }

    /// <summary>When the plan was made: the filter's ages count back from here.</summary>
    public DateTimeOffset ResolvedAt { get; }

    /// <summary>
    /// <c>--since AGE</c> resolved: on a partition where the group has no progress yet, the replay starts at the first
    /// record dead-lettered at or after this time (<see cref="StoredStarts"/>); where it has progress, it continues there.
    /// </summary>
    public DateTimeOffset? WindowStart { get; }

    /// <summary><c>--until AGE</c> resolved: on each partition the replay stops at the first record dead-lettered at or after this time.</summary>
    public DateTimeOffset? WindowEnd { get; }

    /// <summary>
    /// Per partition where <see cref="WindowStart"/> applies (the group has no progress there): the offset the window
    /// starts at, committed before anything is sent, so a rerun keeps this window.
    /// </summary>
    public IReadOnlyDictionary<int, long> StoredStarts { get; internal set; } = new Dictionary<int, long>();

    /// <summary>Records read in the ranges.</summary>
    public long Examined { get; internal set; }

    /// <summary>Records the filter selects and the loop guard lets through: what would be sent.</summary>
    public long Selected { get; internal set; }

    /// <summary>Selected records the loop guard refuses (replayed <see cref="ReplayRequest.MaxReplays"/> times already).</summary>
    public long Refused { get; internal set; }

    /// <summary>Records to send per target topic.</summary>
    public IReadOnlyDictionary<string, long> Targets { get; internal set; } = new Dictionary<string, long>();

    /// <summary>Things the operator should know (e.g. records expired before they were replayed).</summary>
    public IReadOnlyList<string> Warnings { get; internal set; } = [];
}
