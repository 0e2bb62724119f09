using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace KafkaPipeline.ErrorHandling.Tests.Recovery;

public sealed class DeadLetterPublishingRecovererTests
{
    private readonly FakeDeadLetterProducer _producer = new();
    private readonly FakeTimeProvider _time = new();
    private readonly List<(TopicPartition Destination, Message<byte[]?, byte[]?> Message)> _sent = [];

    public DeadLetterPublishingRecovererTests()
    {
        _producer.Produce = (destination, message, _) => Persisted(destination, message);
    }

    [Fact]
    public async Task RecoverAsync_Defaults_PublishesToDashDltOnSamePartition()
    {
        var recoverer = Create();

        await recoverer.RecoverAsync(Records.Context(partition: 3, offset: 11), new TransientException(), CancellationToken.None);

        var (destination, message) = Assert.Single(_sent);
        Assert.Equal(new TopicPartition("orders-dlt", 3), destination);
        Assert.Equal(DeadLetterHeaders.EncodeInt64(11), message.Headers.GetLastBytes(DeadLetterHeaders.OriginalOffset));
    }

    [Fact]
    public async Task RecoverAsync_CustomSuffix_UsesIt()
    {
        var recoverer = Create(o => o.TopicSuffix = ".DLT");

        await recoverer.RecoverAsync(Records.Context(), new TransientException(), CancellationToken.None);

        Assert.Equal("orders.DLT", Assert.Single(_sent).Destination.Topic);
    }

    [Fact]
    public async Task RecoverAsync_DeadLetterTopicHasFewerPartitions_ProducerChooses()
    {
        _producer.PartitionCount = (topic, _) => topic == "orders-dlt" ? 2 : null;
        var recoverer = Create();

        await recoverer.RecoverAsync(Records.Context(partition: 5), new TransientException(), CancellationToken.None);

        Assert.Equal(Partition.Any, Assert.Single(_sent).Destination.Partition);
    }

    [Fact]
    public async Task RecoverAsync_DeadLetterTopicHasThePartition_KeepsIt()
    {
        _producer.PartitionCount = (topic, _) => topic == "orders-dlt" ? 6 : null;
        var recoverer = Create();

        await recoverer.RecoverAsync(Records.Context(partition: 5), new TransientException(), CancellationToken.None);

        Assert.Equal(new Partition(5), Assert.Single(_sent).Destination.Partition);
    }

    [Fact]
    public async Task RecoverAsync_PartitionMissingAtPublish_ForgetsTheCountReadsItAgainAndLetsProducerChoose()
    {
        // First answer: count unknown (e.g. the topic was being created), so partition 5 is kept; the broker has no partition 5.
        _producer.PartitionCount = (topic, asked) => topic == "orders-dlt" && asked > 0 ? 4 : null;
        var calls = 0;
        _producer.Produce = (destination, message, _) => ++calls == 1
            ? Task.FromException<DeliveryResult<byte[]?, byte[]?>>(ProduceError(ErrorCode.Local_UnknownPartition))
            : Persisted(destination, message);
        var recoverer = Create();

        await recoverer.RecoverAsync(Records.Context(partition: 5), new TransientException(), CancellationToken.None);

        Assert.Equal(["orders-dlt"], _producer.Forgotten);
        Assert.Equal(new TopicPartition("orders-dlt", Partition.Any), Assert.Single(_sent).Destination);
    }

    [Fact]
    public async Task RecoverAsync_VerifyPartitionOff_DoesNotAskMetadata()
    {
        var recoverer = Create(o => o.VerifyPartition = false);

        await recoverer.RecoverAsync(Records.Context(partition: 5), new TransientException(), CancellationToken.None);

        Assert.Equal(0, _producer.PartitionCountCalls);
        Assert.Equal(new Partition(5), Assert.Single(_sent).Destination.Partition);
    }

    [Fact]
    public async Task RecoverAsync_ExceptionRoute_MatchesCauseByBaseType()
    {
        var recoverer = Create(o => o.ExceptionRoutes[typeof(ArgumentException)] = "orders-invalid");

        await recoverer.RecoverAsync(Records.Context(), new InvalidOperationException("outer", new ArgumentNullException("x")), CancellationToken.None);

        Assert.Equal("orders-invalid", Assert.Single(_sent).Destination.Topic);
    }

    [Fact]
    public async Task RecoverAsync_ResolverReturnsNull_FallsBackToHandlerTopicThenSuffix()
    {
        var recoverer = Create(o => o.DestinationResolver = (_, _) => null, handlerTopic: ctx => ctx.Topic == "payments" ? "payments-poison" : null);

        await recoverer.RecoverAsync(Records.Context(topic: "payments"), new TransientException(), CancellationToken.None);
        await recoverer.RecoverAsync(Records.Context(topic: "orders"), new TransientException(), CancellationToken.None);

        Assert.Equal(["payments-poison", "orders-dlt"], _sent.Select(s => s.Destination.Topic));
    }

    [Fact]
    public async Task RecoverAsync_Resolver_WinsAndMayLetProducerChoose()
    {
        var recoverer = Create(o => o.DestinationResolver = (_, _) => new TopicPartition("all-dead", Partition.Any));

        await recoverer.RecoverAsync(Records.Context(partition: 4), new TransientException(), CancellationToken.None);

        Assert.Equal(new TopicPartition("all-dead", Partition.Any), Assert.Single(_sent).Destination);
    }

    [Fact]
    public async Task RecoverAsync_InvalidResolvedTopic_ThrowsSoRecordIsNotCommitted()
    {
        var recoverer = Create(o => o.TopicSuffix = "/bad");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await recoverer.RecoverAsync(Records.Context(), new TransientException(), CancellationToken.None));

        Assert.Contains("orders/bad", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task RecoverAsync_DeliveryNotPersisted_Throws()
    {
        _producer.Produce = (_, _, _) => Task.FromResult(
            new DeliveryResult<byte[]?, byte[]?> { Status = PersistenceStatus.NotPersisted, TopicPartitionOffset = new TopicPartitionOffset("orders-dlt", 0, Offset.Unset) });
        var recoverer = Create(o => o.PublishRetries = 0);

        var ex = await Assert.ThrowsAsync<DeadLetterPublishException>(async () =>
            await recoverer.RecoverAsync(Records.Context(), new TransientException(), CancellationToken.None));

        Assert.Equal(PersistenceStatus.NotPersisted, ex.Status);
    }

    [Fact]
    public async Task RecoverAsync_TransientProduceError_RetriedAfterDelayThenSucceeds()
    {
        var calls = 0;
        _producer.Produce = (destination, message, _) => ++calls == 1
            ? Task.FromException<DeliveryResult<byte[]?, byte[]?>>(ProduceError(ErrorCode.Local_AllBrokersDown))
            : Persisted(destination, message);
        var recoverer = Create(o => o.PublishRetryDelay = TimeSpan.FromSeconds(1));

        var recovering = recoverer.RecoverAsync(Records.Context(), new TransientException(), CancellationToken.None).AsTask();
        Assert.False(recovering.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await recovering;

        Assert.Equal(2, calls);
        Assert.Single(_sent);
    }

    [Fact]
    public async Task RecoverAsync_PermanentProduceError_NotRetried()
    {
        _producer.Produce = (_, _, _) => Task.FromException<DeliveryResult<byte[]?, byte[]?>>(ProduceError(ErrorCode.TopicAuthorizationFailed));
        var recoverer = Create();

        await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(async () =>
            await recoverer.RecoverAsync(Records.Context(), new TransientException(), CancellationToken.None));

        Assert.Equal(1, _producer.ProduceCalls);
    }

    [Fact]
    public async Task RecoverAsync_AcknowledgementNeverComes_TimesOut()
    {
        var never = new TaskCompletionSource<DeliveryResult<byte[]?, byte[]?>>();
        _producer.Produce = (_, _, cancellationToken) =>
        {
            cancellationToken.Register(() => never.TrySetCanceled());
            return never.Task;
        };
        var recoverer = Create(o => o.PublishTimeout = TimeSpan.FromSeconds(5));

        var recovering = recoverer.RecoverAsync(Records.Context(), new TransientException(), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => recovering);
    }

    [Fact]
    public async Task RecoverAsync_RecordTokenCancelled_PropagatesCancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        _producer.Produce = (_, _, cancellationToken) => Task.FromCanceled<DeliveryResult<byte[]?, byte[]?>>(cancellationToken);
        var recoverer = Create();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await recoverer.RecoverAsync(Records.Context(cancellationToken: cts.Token), new TransientException(), cts.Token));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Create(o =>
            {
                o.MaxExceptionHeaderBytes = 10;
                o.PublishRetries = -1;
            }));

        Assert.Equal(2, ex.Failures.Count());
    }

    private DeadLetterPublishingRecoverer Create(Action<DeadLetterPublishingOptions>? configure = null, Func<ConsumeContext, string?>? handlerTopic = null)
    {
        var options = new DeadLetterPublishingOptions { PublishRetryDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new DeadLetterPublishingRecoverer(_producer, options, NullLogger.Instance, _time, handlerTopic);
    }

    private Task<DeliveryResult<byte[]?, byte[]?>> Persisted(TopicPartition destination, Message<byte[]?, byte[]?> message)
    {
        _sent.Add((destination, message));
        var partition = destination.Partition == Partition.Any ? new Partition(0) : destination.Partition;
        return Task.FromResult(new DeliveryResult<byte[]?, byte[]?>
        {
            Message = message,
            Status = PersistenceStatus.Persisted,
            TopicPartitionOffset = new TopicPartitionOffset(destination.Topic, partition, new Offset(_sent.Count - 1)),
        });
    }

    private static ProduceException<byte[]?, byte[]?> ProduceError(ErrorCode code) =>
        new(new Error(code), new DeliveryResult<byte[]?, byte[]?> { Status = PersistenceStatus.NotPersisted });
}
