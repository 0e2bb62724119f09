using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>The application's one dead-letter producer, behind a seam so recoverer tests can fake it.</summary>
internal interface IDeadLetterProducer
{
    /// <summary>Produces and waits for the delivery report (acks=all). Throws when the broker did not persist the record.</summary>
    Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(TopicPartition destination, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken);

    /// <summary>The topic's partition count from (cached) metadata; null when unknown.</summary>
    int? GetPartitionCount(string topic);
}
