using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Tests;

/// <summary>Where a consumer's Ordering and MaxConcurrency come from: attribute, then configuration, then code.</summary>
public sealed class OrderingConfigurationTests
{
    [Fact]
    public void Build_NothingSet_PartitionWithSixteenInFlight()
    {
        var consumer = Build([], b => b.AddHandler<PlainHandler>("orders", "g"));

        Assert.Equal(OrderingMode.Partition, consumer.Ordering);
        Assert.Equal(16, consumer.MaxConcurrency);
    }

    [Fact]
    public void Build_Attribute_Applies()
    {
        var consumer = Build([], b => b.AddHandlersFromAssembly(typeof(KeyOrderedHandler).Assembly), "attributed");

        Assert.Equal(OrderingMode.Key, consumer.Ordering);
        Assert.Equal(256, consumer.MaxConcurrency);
    }

    [Fact]
    public void Build_ConfigurationOverAttribute_ConfigurationWins()
    {
        var consumer = Build(
            new() { ["Kafka:Consumers:attributed:Ordering"] = "Unordered", ["Kafka:Consumers:attributed:MaxConcurrency"] = "8" },
            b => b.AddHandlersFromAssembly(typeof(KeyOrderedHandler).Assembly), "attributed");

        Assert.Equal(OrderingMode.Unordered, consumer.Ordering);
        Assert.Equal(8, consumer.MaxConcurrency);
    }

    [Fact]
    public void Build_CodeOverConfiguration_CodeWins()
    {
        var consumer = Build(
            new() { ["Kafka:Consumers:g:Ordering"] = "Unordered", ["Kafka:Consumers:g:MaxConcurrency"] = "8" },
            b => b.AddHandler<PlainHandler>("orders", "g").ConfigureConsumer("g", c => c.Ordering(OrderingMode.Key, 64)));

        Assert.Equal(OrderingMode.Key, consumer.Ordering);
        Assert.Equal(64, consumer.MaxConcurrency);
    }

    [Fact]
    public void Build_HandlersOfOneGroupDisagree_ErrorNamesBothAndTheFix()
    {
        var errors = new List<string>();
        var options = new KafkaPipelineOptions { BootstrapServers = "127.0.0.1:1" };
        HandlerCatalog.Build(options, [
            new HandlerRegistration(typeof(PlainHandler), "orders", "g", null, null, "test") { Ordering = OrderingMode.Key },
            new HandlerRegistration(typeof(OtherHandler), "payments", "g", null, null, "test") { Ordering = OrderingMode.Partition },
        ], _ => false, errors);

        var error = Assert.Single(errors);
        Assert.Contains("PlainHandler (Key)", error, StringComparison.Ordinal);
        Assert.Contains("OtherHandler (Partition)", error, StringComparison.Ordinal);
        Assert.Contains("Kafka:Consumers:g:Ordering", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public void Start_MaxConcurrencyOutOfRange_ErrorNamesTheKey(string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Options(new() { ["Kafka:Consumers:g:MaxConcurrency"] = value }, b => b.AddHandler<PlainHandler>("orders", "g")));

        Assert.Contains($"Kafka:Consumers:g:MaxConcurrency is {value}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", failure.Message, StringComparison.Ordinal);
    }

    private static ConsumerDescriptor Build(Dictionary<string, string?> settings, Action<KafkaPipelineBuilder> configure, string group = "g")
    {
        var registry = new List<HandlerRegistration>();
        var options = Options(settings, b =>
        {
            configure(b);
            registry.AddRange(b.Registry.Handlers);
        });
        var errors = new List<string>();
        var consumer = Assert.Single(HandlerCatalog.Build(options, registry, _ => false, errors), c => c.GroupId == group);
        Assert.Empty(errors);
        return consumer;
    }

    private static KafkaPipelineOptions Options(Dictionary<string, string?> settings, Action<KafkaPipelineBuilder> configure)
    {
        settings["Kafka:BootstrapServers"] = "127.0.0.1:1";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services.AddKafkaPipeline(configuration.GetSection("Kafka")));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<KafkaPipelineOptions>>().Value;
    }

    private sealed class PlainHandler : IMessageHandler<byte[]>
    {
        public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class OtherHandler : IMessageHandler<byte[]>
    {
        public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

[KafkaHandler("attributed-orders", GroupId = "attributed", Ordering = OrderingMode.Key, MaxConcurrency = 256)]
public sealed class KeyOrderedHandler : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
