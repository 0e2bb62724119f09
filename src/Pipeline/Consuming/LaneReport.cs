using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>What a lane tells the poll thread about a record.</summary>
internal enum LaneReportKind
{
    /// <summary>Handled, skipped as a duplicate, or recovered: its offset counts for the watermark.</summary>
    Done,

    /// <summary>Could not be recovered: its lane stopped at it.</summary>
    Stopped,

    /// <summary>Abandoned by a revoke or shutdown timeout: not done, redelivered from the last commit.</summary>
    Abandoned,
}

/// <summary>One lane outcome, queued for the poll thread, which alone turns outcomes into commits and pauses.</summary>
internal readonly record struct LaneReport(PartitionWork Work, long Offset, LaneReportKind Kind)
{
    public TopicPartition Partition => Work.Partition;
}
