namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Receives an audit entry per selected dead letter as the replay goes (for a progress bar and an audit log).</summary>
public interface IReplayObserver
{
    /// <summary>Called on the replaying thread, in order of the outcome becoming known.</summary>
    void OnRecord(ReplayAuditEntry entry);
}
