using KafkaPipeline.DependencyInjection;
using KafkaPipeline.ErrorHandling.Configuration;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Tests.DependencyInjection;

/// <summary>
/// Configuration binds straight onto the runtime <see cref="ErrorHandlingOptions"/> named after the group; the fluent
/// builder writes onto the same instance; unknown keys fail loudly.
/// </summary>
public sealed class ErrorHandlingOptionsBindingTests
{
    private readonly Dictionary<string, string?> _configuration = new(StringComparer.Ordinal)
    {
        ["Kafka:BootstrapServers"] = "127.0.0.1:1",
        ["Kafka:DefaultGroupId"] = "billing",
    };

    [Fact]
    public void Create_GroupName_GetsGlobalThenGroupConfigurationOnTheRuntimeOptions()
    {
        _configuration["Kafka:ErrorHandling:MaxRecoveryFailures"] = "3";
        _configuration["Kafka:ErrorHandling:DeadLetter:TopicSuffix"] = ".DLT";
        _configuration["Kafka:ErrorHandling:DeadLetter:ExceptionCauseHeader"] = "RootCause";
        _configuration["Kafka:ErrorHandling:DeadLetter:ExceptionRoutes:System.TimeoutException"] = "timeouts";
        _configuration["Kafka:Consumers:billing:ErrorHandling:MaxRecoveryFailures"] = "5";
        _configuration["Kafka:Consumers:billing:ErrorHandling:Recoverer"] = "Log";
        using var services = Services(b => b.UseDefaultErrorHandler());

        var billing = services.GetRequiredService<IOptionsFactory<ErrorHandlingOptions>>().Create("billing");
        var audit = services.GetRequiredService<IOptionsFactory<ErrorHandlingOptions>>().Create("audit");

        Assert.Equal((5, RecovererKind.Log), (billing.Handler.MaxRecoveryFailures, billing.Recoverer));
        Assert.Equal((3, RecovererKind.DeadLetter), (audit.Handler.MaxRecoveryFailures, audit.Recoverer));
        Assert.Equal(".DLT", billing.DeadLetter.TopicSuffix);
        Assert.Equal(ExceptionCauseHeader.RootCause, billing.DeadLetter.ExceptionCauseHeader);
        Assert.Equal("timeouts", billing.DeadLetter.ExceptionRoutes[typeof(TimeoutException)]);
    }

    [Fact]
    public void UseDefaultErrorHandler_ConsumerCallbackRegisteredFirst_StillRunsAfterApplicationWideOne()
    {
        using var services = Services(b => b
            .ConfigureConsumer("billing", c => c.UseDefaultErrorHandler(eh => eh.NoRetries()))
            .UseDefaultErrorHandler(eh => eh.BackOff(new KafkaPipeline.ErrorHandling.BackOff.FixedBackOff(TimeSpan.FromSeconds(1), 3))));

        var billing = services.GetRequiredService<IOptionsFactory<ErrorHandlingOptions>>().Create("billing");
        var audit = services.GetRequiredService<IOptionsFactory<ErrorHandlingOptions>>().Create("audit");

        Assert.Equal([-1], BackOffSequence.Of(billing.Handler.BackOff));
        Assert.Equal([1000, 1000, 1000, -1], BackOffSequence.Of(audit.Handler.BackOff));
    }

    [Fact]
    public void Build_UnknownOrBadKeysInErrorHandlingSections_FailNamingPaths()
    {
        _configuration["Kafka:ErrorHandling:BackOf:Kind"] = "None";
        _configuration["Kafka:ErrorHandling:BackOff:Knd"] = "None";
        _configuration["Kafka:ErrorHandling:DeadLetter:PublishRetries"] = "many";
        _configuration["Kafka:Consumers:billing:ErrorHandling:Recoverer"] = "Custom";
        using var services = Services(b => b.UseDefaultErrorHandler());

        var ex = Assert.Throws<OptionsValidationException>(() => Build(services, "billing"));

        Assert.Contains(ex.Failures, f => f.StartsWith("Kafka:ErrorHandling:BackOf is not an error-handling setting", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Kafka:ErrorHandling:BackOff:Knd is not a setting of BackOffOptions", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Kafka:ErrorHandling:DeadLetter:PublishRetries 'many'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Kafka:Consumers:billing:ErrorHandling:Recoverer 'Custom' can only be chosen in code", StringComparison.Ordinal));
    }

    [Fact]
    public void KafkaOptions_ErrorHandlingSectionsWithDefaultErrorHandler_AreNotUnknownKeys()
    {
        _configuration["Kafka:ErrorHandling:BackOff:Kind"] = "None";
        _configuration["Kafka:ErrorHandling:DeadLetterProducer:Client:linger.ms"] = "5";
        _configuration["Kafka:Consumers:billing:ErrorHandling:MaxRecoveryFailures"] = "2";
        using var services = Services(b => b.UseDefaultErrorHandler());

        var options = services.GetRequiredService<IOptions<KafkaPipelineOptions>>().Value;

        Assert.True(options.Consumers.ContainsKey("billing"));
    }

    [Fact]
    public void DeadLetterProducer_UnknownKeyAndLibrdkafkaSetting_FailNamingPaths()
    {
        _configuration["Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimout"] = "00:00:10";
        _configuration["Kafka:ErrorHandling:DeadLetterProducer:Client:no.such.property"] = "1";
        using var services = Services(b => b.UseDefaultErrorHandler());

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DeadLetterProducerOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimout is not a setting", StringComparison.Ordinal)
            && f.Contains("did you mean 'DeliveryTimeout'?", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Kafka:ErrorHandling:DeadLetterProducer:Client:no.such.property is not a librdkafka setting", StringComparison.Ordinal));
    }

    private static DefaultErrorHandler Build(ServiceProvider services, string groupId)
    {
        var factory = services.GetRequiredService<KafkaPipelineBuilderAccessor>().Builder.Registry.ErrorHandlerFor(groupId)!;
        return Assert.IsType<DefaultErrorHandler>(factory(services, Descriptors.Consumer(groupId, Descriptors.Handler<PlainOrderHandler, Order>("orders", groupId))));
    }

    private ServiceProvider Services(Action<KafkaPipelineBuilder> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_configuration).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDeadLetterProducer>(new FakeDeadLetterProducer());
        var builder = services.AddKafkaPipeline(configuration.GetSection("Kafka")).AddHandler<PlainOrderHandler>("orders");
        services.AddSingleton(new KafkaPipelineBuilderAccessor(builder));
        configure(builder);
        return services.BuildServiceProvider();
    }

    private sealed record KafkaPipelineBuilderAccessor(KafkaPipelineBuilder Builder);
}
