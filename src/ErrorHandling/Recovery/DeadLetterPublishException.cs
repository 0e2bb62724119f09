using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>A dead-letter record was not acknowledged as persisted; the failed record is not committed and will be delivered again.</summary>
public sealed class DeadLetterPublishException : Exception
{
    /// <summary>Creates the exception for a dead letter to <paramref name="destination"/> whose persistence was <paramref name="status"/>.</summary>
    public DeadLetterPublishException(string message, TopicPartition destination, PersistenceStatus status, Exception? innerException = null)
        : base(message, innerException)
    {
        Destination = destination;
        Status = status;
    }

    /// <summary>The dead-letter topic and partition the record was sent to.</summary>
    public TopicPartition Destination { get; }

    /// <summary>What the producer reported: not persisted, or possibly persisted (unknown).</summary>
    public PersistenceStatus Status { get; }
}
