using Confluent.Kafka;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.Tests;

public sealed class RoutingTests
{
    [Fact]
    public void Route_SeveralMessageTypesOnOneTopic_SelectsByMessageTypeHeader()
    {
        var consumer = Consumer();

        var created = consumer.Route(TestRecords.Context(headers: new Headers { { "message-type", "OrderCreated"u8.ToArray() } }));
        var cancelled = consumer.Route(TestRecords.Context(headers: new Headers { { "message-type", "cancelled"u8.ToArray() } }));

        Assert.Equal(typeof(OrderCreated), created.MessageType);
        Assert.Equal(typeof(OrderCancelled), cancelled.MessageType);
    }

    [Fact]
    public void Route_MissingTypeHeaderWithSeveralTypes_ThrowsHandlerNotFoundNamingChoices()
    {
        var ex = Assert.Throws<HandlerNotFoundException>(() => Consumer().Route(TestRecords.Context()));

        Assert.Contains("no 'message-type' header", ex.Message);
        Assert.Contains("OrderCreated, cancelled", ex.Message);
    }

    [Fact]
    public void Route_UnknownTopic_ThrowsHandlerNotFound()
    {
        var ex = Assert.Throws<HandlerNotFoundException>(() => Consumer().Route(TestRecords.Context(topic: "payments")));

        Assert.Contains("no handler for topic 'payments'", ex.Message);
    }

    [Fact]
    public void Build_TwoGroups_TwoConsumersEachWithItsHandlers()
    {
        var errors = new List<string>();
        var consumers = HandlerCatalog.Build(
            new KafkaPipelineOptions { BootstrapServers = "x:1" },
            [
                new HandlerRegistration(typeof(CreatedHandler), "orders", "billing", null, null, "test"),
                new HandlerRegistration(typeof(CreatedHandler), "orders", "shipping", null, null, "test"),
                new HandlerRegistration(typeof(CreatedHandler), "returns", "shipping", null, null, "test"),
            ],
            _ => false,
            errors);

        Assert.Empty(errors);
        Assert.Equal(["billing", "shipping"], consumers.Select(c => c.GroupId).Order());
        Assert.Equal(["orders", "returns"], consumers.Single(c => c.GroupId == "shipping").Topics);
    }

    private static ConsumerDescriptor Consumer()
    {
        var errors = new List<string>();
        var consumers = HandlerCatalog.Build(
            new KafkaPipelineOptions { BootstrapServers = "x:1" },
            [
                new HandlerRegistration(typeof(CreatedHandler), "orders", "g", null, null, "test"),
                new HandlerRegistration(typeof(CancelledHandler), "orders", "g", null, "cancelled", "test"),
            ],
            _ => false,
            errors);
        Assert.Empty(errors);
        return Assert.Single(consumers);
    }

    public sealed record OrderCreated(int Id);

    public sealed record OrderCancelled(int Id);

    public sealed class CreatedHandler : IMessageHandler<OrderCreated>
    {
        public ValueTask HandleAsync(OrderCreated message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public sealed class CancelledHandler : IMessageHandler<OrderCancelled>
    {
        public ValueTask HandleAsync(OrderCancelled message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
