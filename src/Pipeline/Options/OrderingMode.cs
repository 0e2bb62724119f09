namespace KafkaPipeline.Options;

/// <summary>What a consumer keeps in order while it runs records concurrently (<c>Kafka:Consumers:&lt;group&gt;:Ordering</c>).</summary>
public enum OrderingMode
{
    /// <summary>
    /// Default. At most one record in flight per partition; partitions run in parallel. Kafka's own guarantee: a record
    /// is handled only after every record before it in its partition was handled or recovered.
    /// </summary>
    Partition,

    /// <summary>
    /// At most one record in flight per (partition, record key): records of one key stay in order, other keys of the
    /// same partition run in parallel and go on while one key waits for a retry. Records with a null key are ordered
    /// among themselves within their partition.
    /// </summary>
    Key,

    /// <summary>Any record may run, up to <see cref="KafkaConsumerOptions.MaxConcurrency"/>: no order is kept.</summary>
    Unordered,
}
