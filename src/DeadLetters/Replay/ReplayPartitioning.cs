namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Which partition a replayed record goes to.</summary>
public enum ReplayPartitioning
{
    /// <summary>The original partition (from <c>kafka_dlt-original-partition</c>), so per-key order holds; the producer's partitioner chooses when the header is missing or the target has no such partition. Default.</summary>
    Original,

    /// <summary>The producer's partitioner chooses by key (use when the target topic's partition count differs).</summary>
    Key,
}
