using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.Errors;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Consuming;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.RetryTopics.Tests.Consuming;

/// <summary>The due-time wait in front of the inner error handler, as pure decisions over a fake clock.</summary>
public sealed class RetryTopicErrorHandlerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingHandler _inner = new();
    private readonly RetryTopicErrorHandler _handler;

    public RetryTopicErrorHandlerTests()
    {
        var chains = new RetryChains();
        var topology = RetryTopology.Create("orders", new RetryTopicOptions());
        Assert.True(chains.TryAdd(new RetryChain("billing", topology, new DestinationResolver(topology, new ExceptionClassifier()), typeof(object)), out _));
        _handler = new RetryTopicErrorHandler(_inner, chains, _time, NullLogger.Instance);
    }

    private static ConsumeContext Context(string topic, DateTimeOffset? due)
    {
        var headers = new Headers();
        if (due is { } at)
        {
            headers.Add(RetryTopicHeaders.BackOffTimestamp, RetryTopicHeaders.EncodeTimestamp(at.ToUnixTimeMilliseconds()));
        }

        return new ConsumeContext(
            new ConsumeResult<byte[]?, byte[]?> { Topic = topic, Partition = new Partition(0), Offset = new Offset(3), Message = new Message<byte[]?, byte[]?> { Headers = headers } },
            new ServiceCollection().BuildServiceProvider());
    }

    private ValueTask<ErrorDisposition> Handle(ConsumeContext context) => _handler.HandleAsync(context, _ => ValueTask.CompletedTask, new RecordFailureState());

    [Fact]
    public async Task HandleAsync_RetryRecordNotDue_DefersForTheRestWithoutRunning()
    {
        var disposition = await Handle(Context("orders-retry", _time.GetUtcNow().AddSeconds(5)));

        Assert.Equal(ErrorDisposition.Defer(TimeSpan.FromSeconds(5)), disposition);
        Assert.False(disposition.CommitsOffset);
        Assert.Equal(0, _inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_RetryRecordDue_RunsInner()
    {
        var disposition = await Handle(Context("orders-retry", _time.GetUtcNow().AddMilliseconds(-1)));

        Assert.Equal(ErrorDisposition.Completed, disposition);
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_DueMoreThanADayAhead_TreatedAsDue() // spring-kafka 4's guard against a corrupt header
    {
        await Handle(Context("orders-retry", _time.GetUtcNow().AddDays(2)));

        Assert.Equal(1, _inner.Calls);
    }

    [Theory]
    [InlineData("orders")] // the main topic never waits, whatever its headers say
    [InlineData("payments")] // not in any chain
    public async Task HandleAsync_NotARetryTopic_RunsInner(string topic)
    {
        await Handle(Context(topic, _time.GetUtcNow().AddSeconds(5)));

        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_DeferThenClockPassesDue_Runs()
    {
        var context = Context("orders-retry", _time.GetUtcNow().AddSeconds(5));
        Assert.Equal(DispositionKind.Defer, (await Handle(context)).Kind);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(DispositionKind.Completed, (await Handle(context)).Kind);
        Assert.Equal(1, _inner.Calls);
    }

    private sealed class CountingHandler : IConsumeErrorHandler
    {
        public int Calls { get; private set; }

        public async ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state)
        {
            Calls++;
            await pipeline(context);
            return ErrorDisposition.Completed;
        }
    }
}
