using Confluent.Kafka;

namespace KafkaPipeline.Errors;

/// <summary>
/// Wraps every pipeline run and turns its outcome into an <see cref="ErrorDisposition"/> that the poll
/// loop carries out. Error handlers never touch the consumer. One instance serves one consumer and is
/// called from its poll thread only.
/// </summary>
public interface IConsumeErrorHandler
{
    ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline);

    /// <summary>Partitions left this consumer (revoked or lost): forget their retry state.</summary>
    void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
    }
}
