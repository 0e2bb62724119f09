namespace KafkaPipeline.Options;

/// <summary>How a consumer commits the offsets of handled records.</summary>
public enum CommitMode
{
    /// <summary>
    /// Default. <c>enable.auto.offset.store=false</c>; the offset is stored after the record was handled and
    /// librdkafka commits stored offsets periodically (<c>auto.commit.interval.ms</c>), on revoke and on shutdown.
    /// </summary>
    StoredOffsets,

    /// <summary>A synchronous commit after every record: fewest redeliveries after a crash, lowest throughput.</summary>
    PerRecord,
}
