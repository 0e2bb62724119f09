using KafkaPipeline.DependencyInjection;
using KafkaPipeline.ErrorHandling;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.DependencyInjection;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.DependencyInjection;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.RetryTopics.Tests.Consuming;

/// <summary>The consumers of a chain (main, retry and DLT groups) take the main group's error-handling settings where they apply.</summary>
public sealed class RetryGroupErrorHandlingSettingsTests
{
    private static readonly RetryChains Chains = CreateChains();

    private static RetryChains CreateChains()
    {
        var chains = new RetryChains();
        var topology = RetryTopology.Create("orders", new RetryTopicOptions());
        Assert.True(chains.TryAdd(new RetryChain("billing", topology, new DestinationResolver(topology, new ExceptionClassifier()), typeof(object)), out _));
        return chains;
    }

    private static ServiceProvider Services(Action<DefaultErrorHandlerBuilder>? code = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9092",
            ["Kafka:ErrorHandling:DeadLetter:MaxExceptionHeaderBytes"] = "512",
            ["Kafka:Consumers:billing:ErrorHandling:MaxRecoveryFailures"] = "3",
            ["Kafka:Consumers:billing:ErrorHandling:BackOff:Kind"] = "None",
        }).Build();
        var services = new ServiceCollection();
        var builder = services.AddKafkaPipeline(configuration.GetSection("Kafka"));
        if (code is null)
        {
            builder.AddDefaultErrorHandling();
        }
        else
        {
            builder.UseDefaultErrorHandler(code);
        }

        return services.BuildServiceProvider();
    }

    private static ConsumerDescriptor Reading(string topic, string group) => new(
        group,
        [new HandlerDescriptor(typeof(object), typeof(byte[]), topic, group, "bytes", acceptsNull: true)],
        new KafkaConsumerOptions(),
        "bytes",
        OrderingMode.Partition,
        1);

    [Theory]
    [InlineData("orders-retry", "billing-retry")]
    [InlineData("orders-dlt", "billing-dlt")]
    [InlineData("orders", "billing")]
    public void MainGroupSettings_AnyConsumerOfTheChain_TheMainGroupsSection(string topic, string group)
    {
        using var services = Services();

        var settings = RetryTopicErrorHandlerFactory.MainGroupSettings(services, Chains, Reading(topic, group));

        Assert.NotNull(settings);
        Assert.Equal(3, settings.Handler.MaxRecoveryFailures);
        Assert.Equal(512, settings.DeadLetter.MaxExceptionHeaderBytes);
    }

    [Fact]
    public void HandlerOptions_GroupSettings_TakenButNoInMemoryRetries()
    {
        var listener = new CountingListener();
        using var services = Services(eh => eh
            .AddRetryListener(listener)
            .RecoveryFailureDelay(TimeSpan.FromSeconds(7))
            .BackOff(new FixedBackOff(TimeSpan.FromSeconds(1), 5)));
        var settings = RetryTopicErrorHandlerFactory.MainGroupSettings(services, Chains, Reading("orders-retry", "billing-retry"))!;
        var recoverer = new LoggingRecoverer(Microsoft.Extensions.Logging.Abstractions.NullLogger<LoggingRecoverer>.Instance);

        var options = RetryTopicErrorHandlerFactory.HandlerOptions(settings.Handler, recoverer, (_, _) => null);

        Assert.Same(recoverer, options.Recoverer);
        Assert.Equal(0, Assert.IsType<FixedBackOff>(options.BackOff).MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(7), options.RecoveryFailureDelay);
        Assert.Equal(3, options.MaxRecoveryFailures);
        Assert.Contains(listener, options.RetryListeners);
        Assert.Same(settings.Handler.Classifier, options.Classifier);
    }

    [Fact]
    public void PublishingOptions_GroupSettings_TakenButOriginalHeadersOfTheFirstHopKept()
    {
        var options = RetryTopicErrorHandlerFactory.PublishingOptions(new DeadLetterPublishingOptions
        {
            MaxExceptionHeaderBytes = 100,
            PublishRetries = 9,
            AppendOriginalHeaders = true,
            TopicSuffix = ".DLT",
        });

        Assert.Equal(100, options.MaxExceptionHeaderBytes);
        Assert.Equal(9, options.PublishRetries);
        Assert.False(options.AppendOriginalHeaders);
        Assert.Equal(new DeadLetterPublishingOptions().TopicSuffix, options.TopicSuffix);
    }

    private sealed class CountingListener : IRetryListener
    {
    }
}
