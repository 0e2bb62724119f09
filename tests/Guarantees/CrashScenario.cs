namespace KafkaPipeline.Guarantees.Tests;

/// <summary>
/// One row of docs/delivery-guarantees.md: ordering mode × commit mode × dedup store × crash point, and what the crashed
/// record (the one the process was killed on) and the others may show after the restart.
/// </summary>
public sealed record CrashScenario(string Ordering, string CommitMode, string Store, string CrashPoint)
{
    public bool DeadLetterCrash => CrashPoint == "during-dlt-publish";

    /// <summary>Stores that survive the process: a record processed before the kill is skipped on redelivery.</summary>
    public bool DurableStore => Store is "redis" or "postgres" or "inbox";

    /// <summary>
    /// Key and Unordered modes run later records of the crashed record's partition while it is stuck: they finish above
    /// the partition's watermark, which cannot pass the crashed record; after the restart they are skipped when a commit
    /// carried them in its metadata (CommitFinishedOffsets), otherwise delivered again.
    /// </summary>
    public bool LaterRecordsOfItsPartitionRun => Ordering != "Partition";

    /// <summary>Handler calls of the crashed record.</summary>
    public int ExpectedCalls => CrashPoint switch
    {
        "before-handler" => 1,
        "during-handler" => 2,
        "after-handler-before-commit" => DurableStore ? 1 : 2,
        "during-dlt-publish" => 2, // the failure released the reservation / rolled back the inbox
        _ => throw new ArgumentOutOfRangeException(nameof(CrashPoint), CrashPoint, null),
    };

    /// <summary>Effects (ledger rows) of the crashed record.</summary>
    public int ExpectedEffects => CrashPoint switch
    {
        "before-handler" => 1,
        "during-handler" => Store == "inbox" ? 1 : 2,
        "after-handler-before-commit" => DurableStore ? 1 : 2,
        "during-dlt-publish" => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(CrashPoint), CrashPoint, null),
    };

    /// <summary>Records finished before the kill whose offsets were not committed yet come back: only then may they repeat.</summary>
    public bool OthersMayRepeat => CommitMode == "StoredOffsets";

    public override string ToString() => $"{Ordering} / {CommitMode} / {Store} / {CrashPoint}";
}
