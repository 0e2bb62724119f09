using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Where a replay's records and progress go: Kafka in production (<see cref="KafkaReplayTransport"/>), a fake in tests.</summary>
internal interface IReplayTransport
{
    /// <summary>Starts sending <paramref name="record"/>; the task completes with the acknowledgement (acks=all) or faults with the failure. Never throws itself.</summary>
    Task<DeliveryResult<byte[]?, byte[]?>> Send(DeadLetterRecord record, TopicPartition destination);

    /// <summary>Commits the progress group's offsets on the dead-letter topic; throws <see cref="KafkaException"/> when that fails.</summary>
    void Commit(IReadOnlyList<TopicPartitionOffset> offsets);
}
