using KafkaPipeline.DependencyInjection;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Tests.DependencyInjection;

/// <summary>Error handling reads its settings under the section given to <c>AddKafkaPipeline(section)</c>, whatever its name.</summary>
public sealed class ConfigurationSectionTests
{
    private readonly Dictionary<string, string?> _configuration = new(StringComparer.Ordinal)
    {
        ["Messaging:BootstrapServers"] = "localhost:9092",
        ["Messaging:ErrorHandling:BackOff:Interval"] = "00:00:00.250",
        ["Messaging:ErrorHandling:BackOff:MaxAttempts"] = "2",
        ["Messaging:Consumers:audit:ErrorHandling:BackOff:Kind"] = "None",

        // A root Kafka section that is not the pipeline's: must be ignored.
        ["Kafka:ErrorHandling:BackOff:Interval"] = "00:00:09",
        ["Kafka:ErrorHandling:BackOff:MaxAttempts"] = "5",
        ["Kafka:Consumers:audit:ErrorHandling:BackOff:Interval"] = "00:00:07",
    };

    [Fact]
    public void UseDefaultErrorHandler_SectionNotNamedKafka_ReadsThatSectionAndItsConsumerOverlay()
    {
        Assert.Equal([250, 250, -1], BackOffSequence.Of(Build(b => b.UseDefaultErrorHandler(), "billing").BackOff));
        Assert.Equal([-1], BackOffSequence.Of(Build(b => b.UseDefaultErrorHandler(), "audit").BackOff));
    }

    [Fact]
    public void ConsumerUseDefaultErrorHandler_Alone_SectionNotNamedKafka_ReadsThatSection()
    {
        var handler = Build(b => b.ConfigureConsumer("billing", c => c.UseDefaultErrorHandler()), "billing");

        Assert.Equal([250, 250, -1], BackOffSequence.Of(handler.BackOff));
    }

    [Fact]
    public void UseDefaultErrorHandler_SectionNotNamedKafka_ErrorsNameTheSectionsPath()
    {
        _configuration["Messaging:ErrorHandling:BackOff:Multiplier"] = "0.5";
        _configuration["Messaging:ErrorHandling:BackOff:Kind"] = "Exponential";
        _configuration["Messaging:ErrorHandling:DeadLetterProducer:DeliveryTimeout"] = "00:00:00";

        var handlerError = Assert.Throws<OptionsValidationException>(() => Build(b => b.UseDefaultErrorHandler(), "billing"));
        using var services = Services(b => b.UseDefaultErrorHandler(), out _);
        var producerError = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DeadLetterProducerOptions>>().Value);

        Assert.Contains(handlerError.Failures, f => f.Contains("Messaging:ErrorHandling", StringComparison.Ordinal) && f.Contains("Multiplier", StringComparison.Ordinal));
        Assert.Contains("Messaging:ErrorHandling:DeadLetterProducer:DeliveryTimeout", producerError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseDefaultErrorHandler_DeadLetterProducerSettings_ReadFromThePipelineSection()
    {
        _configuration["Messaging:ErrorHandling:DeadLetterProducer:Client:linger.ms"] = "7";
        _configuration["Kafka:ErrorHandling:DeadLetterProducer:Client:linger.ms"] = "99";
        using var services = Services(b => b.UseDefaultErrorHandler(), out _);

        var options = services.GetRequiredService<IOptions<DeadLetterProducerOptions>>().Value;

        Assert.Equal("7", options.Client["linger.ms"]);
    }

    private DefaultErrorHandler Build(Action<KafkaPipelineBuilder> configure, string groupId)
    {
        using var services = Services(configure, out var builder);
        var factory = builder.Registry.ErrorHandlerFor(groupId) ?? throw new InvalidOperationException("No error handler registered.");
        var consumer = Descriptors.Consumer(groupId, Descriptors.Handler<PlainOrderHandler, Order>("orders", groupId));
        return Assert.IsType<DefaultErrorHandler>(factory(services, consumer));
    }

    private ServiceProvider Services(Action<KafkaPipelineBuilder> configure, out KafkaPipelineBuilder builder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_configuration).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IDeadLetterProducer>(new FakeDeadLetterProducer());
        builder = services.AddKafkaPipeline(configuration.GetSection("Messaging"));
        configure(builder);
        return services.BuildServiceProvider();
    }
}
