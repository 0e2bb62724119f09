using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>The application's one dead-letter producer, behind a seam so recoverer tests can fake it.</summary>
internal interface IDeadLetterProducer
{
    /// <summary>Produces and waits for the delivery report (acks=all). Throws when the broker did not persist the record.</summary>
    Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(TopicPartition destination, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken);

    /// <summary>
    /// The topic's partition count from (cached) metadata; while the topic is being created (a broker auto-creating it on
    /// the first dead letter answers LEADER_NOT_AVAILABLE) metadata is asked again until the metadata timeout. Null when unknown.
    /// </summary>
    ValueTask<int?> GetPartitionCountAsync(string topic, CancellationToken cancellationToken);

    /// <summary>Drops the cached partition count of <paramref name="topic"/> (a publish found a partition missing).</summary>
    void ForgetPartitionCount(string topic);
}
