using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

/// <summary>
/// A dead-letter producer the test scripts: <see cref="Produce"/> answers each publish, <see cref="PartitionCount"/> each
/// metadata question; calls are counted. Hand-written, so the shipped assembly needs no InternalsVisibleTo for a proxy.
/// </summary>
internal sealed class FakeDeadLetterProducer : IDeadLetterProducer
{
    private int _produceCalls;
    private int _partitionCountCalls;

    /// <summary>Answers a publish; by default the broker persists it at offset 0 of the destination.</summary>
    public Func<TopicPartition, Message<byte[]?, byte[]?>, CancellationToken, Task<DeliveryResult<byte[]?, byte[]?>>> Produce { get; set; } =
        static (destination, message, _) => Task.FromResult(new DeliveryResult<byte[]?, byte[]?>
        {
            Message = message,
            Status = PersistenceStatus.Persisted,
            TopicPartitionOffset = new TopicPartitionOffset(destination.Topic, destination.Partition == Partition.Any ? new Partition(0) : destination.Partition, 0),
        });

    /// <summary>Answers a metadata question (topic, how many times asked before); by default unknown (null).</summary>
    public Func<string, int, int?> PartitionCount { get; set; } = static (_, _) => null;

    public int ProduceCalls => Volatile.Read(ref _produceCalls);

    public int PartitionCountCalls => Volatile.Read(ref _partitionCountCalls);

    public List<string> Forgotten { get; } = [];

    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(TopicPartition destination, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _produceCalls);
        return Produce(destination, message, cancellationToken);
    }

    public ValueTask<int?> GetPartitionCountAsync(string topic, CancellationToken cancellationToken)
    {
        var asked = Interlocked.Increment(ref _partitionCountCalls) - 1;
        return ValueTask.FromResult(PartitionCount(topic, asked));
    }

    public void ForgetPartitionCount(string topic)
    {
        lock (Forgotten)
        {
            Forgotten.Add(topic);
        }
    }
}
