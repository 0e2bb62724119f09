namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>How a replay ended.</summary>
public enum ReplayStatus
{
    /// <summary>Every record of the plan was replayed, refused or passed over.</summary>
    Completed,

    /// <summary>Cancelled; progress up to the last acknowledged record was committed, a rerun continues there.</summary>
    Interrupted,

    /// <summary>A send failed; progress was committed up to the record before it, a rerun continues there.</summary>
    Failed,
}
