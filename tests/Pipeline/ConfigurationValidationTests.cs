using KafkaPipeline.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Tests;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public async Task Start_NoBootstrapServers_FailsNamingOptionAndFix()
    {
        var message = await StartFails(new() { ["Kafka:DefaultGroupId"] = "g" }, k => k.AddHandler<OrderHandler>("orders"));

        Assert.Contains("Kafka:BootstrapServers is not set", message);
        Assert.Contains("Fix:", message);
    }

    [Fact]
    public async Task Start_NoGroupId_FailsNamingAttributeAndDefault()
    {
        var message = await StartFails(Servers(), k => k.AddHandler<OrderHandler>("orders"));

        Assert.Contains("no consumer group for topic 'orders'", message);
        Assert.Contains("Kafka:DefaultGroupId", message);
    }

    [Theory]
    [InlineData("orders events")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Start_InvalidTopicName_FailsNamingTopic(string topic)
    {
        var message = await StartFails(Servers("g"), k => k.AddHandler<OrderHandler>(topic));

        Assert.Contains($"topic name '{topic}' is invalid", message);
    }

    [Fact]
    public async Task Start_TwoHandlersSameTopicAndType_FailsNamingBoth()
    {
        var message = await StartFails(Servers("g"), k => k.AddHandler<OrderHandler>("orders").AddHandler<OtherOrderHandler>("orders"));

        Assert.Contains("several handlers for message type 'Order'", message);
        Assert.Contains(nameof(OrderHandler), message);
        Assert.Contains(nameof(OtherOrderHandler), message);
    }

    [Fact]
    public async Task Start_HandlerForUnknownMessageType_Fails()
    {
        var message = await StartFails(Servers("g"), k => k.AddHandler<OrderHandler>("orders", messageType: typeof(string)));

        Assert.Contains("MessageType System.String is unknown to this handler", message);
    }

    [Fact]
    public async Task Start_ClassWithoutHandlerInterface_Fails()
    {
        var message = await StartFails(Servers("g"), k => k.AddHandler<NotAHandler>("orders"));

        Assert.Contains("implements no IMessageHandler<T>", message);
    }

    [Fact]
    public async Task Start_AbstractMessageType_FailsAskingForDeserializer()
    {
        var message = await StartFails(Servers("g"), k => k.AddHandler<InterfaceHandler>("orders"));

        Assert.Contains("cannot be deserialized", message);
        Assert.Contains("AddDeserializer", message);
    }

    [Fact]
    public async Task Start_SeveralProblems_ReportsAllAtOnce()
    {
        var message = await StartFails([], k => k.AddHandler<OrderHandler>("bad topic"));

        Assert.Contains("Kafka:BootstrapServers", message);
        Assert.Contains("'bad topic' is invalid", message);
        Assert.Contains("no consumer group", message);
    }

    [Fact]
    public async Task Start_InvalidConsumerOption_FailsNamingPath()
    {
        var settings = Servers("g");
        settings["Kafka:Consumers:g:PollTimeout"] = "00:01:00";

        var message = await StartFails(settings, k => k.AddHandler<OrderHandler>("orders"));

        Assert.Contains("Kafka:Consumers:g:PollTimeout", message);
    }

    [Fact]
    public void AddHandlersFromAssembly_FindsAttributedHandlersWithGroup()
    {
        var services = new ServiceCollection();
        var builder = services.AddKafkaPipeline().AddHandlersFromAssembly(typeof(AttributedHandler).Assembly);

        var registration = Assert.Single(builder.Registry.Handlers, h => h.HandlerType == typeof(AttributedHandler));
        Assert.Equal(("attributed-topic", "attributed-group"), (registration.Topic, registration.GroupId));
        Assert.Contains(services, d => d.ServiceType == typeof(AttributedHandler));
    }

    [Fact]
    public void AddKafkaPipeline_CalledTwice_SharesRegistrations()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline().AddHandler<OrderHandler>("a");

        var again = services.AddKafkaPipeline().AddHandler<OrderHandler>("b");

        Assert.Equal(2, again.Registry.Handlers.Count);
        Assert.Single(services, d => d.ServiceType == typeof(DependencyInjection.KafkaPipelineRegistry));
    }

    private static Dictionary<string, string?> Servers(string? group = null)
    {
        var settings = new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = "127.0.0.1:1" };
        if (group is not null)
        {
            settings["Kafka:DefaultGroupId"] = group;
        }

        return settings;
    }

    private static async Task<string> StartFails(Dictionary<string, string?> settings, Action<DependencyInjection.KafkaPipelineBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        configure(builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka")));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return ex.Message;
    }

    public sealed record Order(int Id);

    public sealed class OrderHandler : IMessageHandler<Order>
    {
        public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public sealed class OtherOrderHandler : IMessageHandler<Order>
    {
        public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public sealed class NotAHandler;

    public interface IEvent;

    public sealed class InterfaceHandler : IMessageHandler<IEvent>
    {
        public ValueTask HandleAsync(IEvent message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [KafkaHandler("attributed-topic", GroupId = "attributed-group")]
    public sealed class AttributedHandler : IMessageHandler<Order>
    {
        public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
