using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// What a replay would do, found by reading (not sending) the selected range: shown to the operator for confirmation,
/// then carried out by <see cref="DeadLetterClient.ReplayAsync"/>. The ranges end at the watermarks seen when planning,
/// so records that arrive later are left for the next replay.
/// </summary>
public sealed class ReplayPlan
{
    internal ReplayPlan(ReplayRequest request, IReadOnlyList<PartitionRange> ranges, IReadOnlyDictionary<int, long?> committed)
    {
        Request = request;
        Ranges = ranges;
        Committed = committed;
    }

    public ReplayRequest Request { get; }

    public string GroupId => Request.EffectiveGroupId;

    /// <summary>Per dead-letter partition: from the group's committed offset (or the oldest record) to the end seen when planning.</summary>
    public IReadOnlyList<PartitionRange> Ranges { get; }

    /// <summary>The progress group's committed offset per partition when planning; null where it had none.</summary>
    public IReadOnlyDictionary<int, long?> Committed { get; }

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
