using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Sends with the replay's acks=all idempotent producer and commits with the progress group's (Assign-only) consumer.</summary>
internal sealed class KafkaReplayTransport(
    IProducer<byte[]?, byte[]?> producer, IConsumer<byte[]?, byte[]?> consumer, ReplayRequest request, TimeProvider time) : IReplayTransport
{
    public Task<DeliveryResult<byte[]?, byte[]?>> Send(DeadLetterRecord record, TopicPartition destination)
    {
        try
        {
            return producer.ProduceAsync(destination, ReplayMessageFactory.Create(record, request, time.GetUtcNow()));
        }
        catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
        {
            return Task.FromException<DeliveryResult<byte[]?, byte[]?>>(e);
        }
    }

    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets) => consumer.Commit(offsets);
}
