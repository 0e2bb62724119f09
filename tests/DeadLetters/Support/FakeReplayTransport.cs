using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>A replay transport whose acknowledgements the test hands out, recording every send and commit.</summary>
internal sealed class FakeReplayTransport : IReplayTransport
{
    private readonly List<(DeadLetterRecord Record, TopicPartition Destination, TaskCompletionSource<DeliveryResult<byte[]?, byte[]?>> Ack)> _sent = [];
    private readonly List<IReadOnlyList<TopicPartitionOffset>> _commits = [];

    /// <summary>Acknowledge every send at once.</summary>
    public bool AutoAcknowledge { get; init; }

    public int SentCount
    {
        get
        {
            lock (_sent)
            {
                return _sent.Count;
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<TopicPartitionOffset>> Commits
    {
        get
        {
            lock (_commits)
            {
                return [.. _commits];
            }
        }
    }

    /// <summary>The last committed offset of <paramref name="partition"/>, or null.</summary>
    public long? CommittedOffset(int partition) =>
        Commits.SelectMany(c => c).LastOrDefault(o => o.Partition.Value == partition)?.Offset.Value;

    public Task<DeliveryResult<byte[]?, byte[]?>> Send(DeadLetterRecord record, TopicPartition destination)
    {
        var ack = new TaskCompletionSource<DeliveryResult<byte[]?, byte[]?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        int index;
        lock (_sent)
        {
            _sent.Add((record, destination, ack));
            index = _sent.Count - 1;
        }

        if (AutoAcknowledge)
        {
            Acknowledge(index);
        }

        return ack.Task;
    }

    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        lock (_commits)
        {
            _commits.Add([.. offsets]);
        }
    }

    public void Acknowledge(int index)
    {
        var (record, destination, ack) = Entry(index);
        ack.SetResult(new DeliveryResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(destination.Topic, 0, record.Offset),
            Status = PersistenceStatus.Persisted,
        });
    }

    public void Fail(int index) =>
        Entry(index).Ack.SetException(new ProduceException<byte[]?, byte[]?>(new Error(ErrorCode.TopicAuthorizationFailed), new DeliveryResult<byte[]?, byte[]?>()));

    private (DeadLetterRecord Record, TopicPartition Destination, TaskCompletionSource<DeliveryResult<byte[]?, byte[]?>> Ack) Entry(int index)
    {
        lock (_sent)
        {
            return _sent[index];
        }
    }
}
