namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>What happened to one selected dead letter.</summary>
public enum ReplayOutcome
{
    /// <summary>Sent and acknowledged by every in-sync replica.</summary>
    Replayed,

    /// <summary>Dry run: it would have been sent.</summary>
    WouldReplay,

    /// <summary>The loop guard refused it; not sent, and the replay passed over it.</summary>
    Refused,

    /// <summary>Sending failed; progress stops before it.</summary>
    Failed,
}
