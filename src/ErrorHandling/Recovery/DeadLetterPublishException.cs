using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>A dead-letter record was not acknowledged as persisted; the failed record is not committed and will be delivered again.</summary>
public sealed class DeadLetterPublishException : Exception
{
    public DeadLetterPublishException(string message, TopicPartition destination, PersistenceStatus status, Exception? innerException = null)
        : base(message, innerException)
    {
        Destination = destination;
        Status = status;
    }

    public TopicPartition Destination { get; }

    public PersistenceStatus Status { get; }
}
