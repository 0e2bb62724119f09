using Confluent.Kafka;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Errors;
using KafkaPipeline.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Tests.DependencyInjection;

public sealed class UseDefaultErrorHandlerTests
{
    private readonly FakeDeadLetterProducer _producer = new();
    private readonly List<TopicPartition> _deadLetters = [];
    private readonly Dictionary<string, string?> _configuration = new(StringComparer.Ordinal);

    public UseDefaultErrorHandlerTests()
    {
        _producer.Produce = (destination, _, _) =>
        {
            _deadLetters.Add(destination);
            return Task.FromResult(new DeliveryResult<byte[]?, byte[]?>
            {
                Status = PersistenceStatus.Persisted,
                TopicPartitionOffset = new TopicPartitionOffset(destination.Topic, 0, 0),
            });
        };
    }

    [Fact]
    public void UseDefaultErrorHandler_NoSettings_DeadLetterRecovererAndSpringDefaultBackOff()
    {
        var handler = Build(b => b.UseDefaultErrorHandler(), "billing");

        Assert.IsType<DeadLetterPublishingRecoverer>(handler.Recoverer);
        Assert.Equal([.. Enumerable.Repeat(0L, 9), -1], BackOffSequence.Of(handler.BackOff));
    }

    [Fact]
    public async Task UseDefaultErrorHandler_ConfigurationSection_BindsBackOffClassificationAndDeadLetter()
    {
        _configuration["Kafka:ErrorHandling:BackOff:Kind"] = "Exponential";
        _configuration["Kafka:ErrorHandling:BackOff:InitialInterval"] = "00:00:00.100";
        _configuration["Kafka:ErrorHandling:BackOff:Multiplier"] = "2";
        _configuration["Kafka:ErrorHandling:BackOff:MaxAttempts"] = "2";
        _configuration["Kafka:ErrorHandling:NotRetryable:0"] = "System.TimeoutException";
        _configuration["Kafka:ErrorHandling:DeadLetter:TopicSuffix"] = ".DLT";

        var handler = Build(b => b.UseDefaultErrorHandler(), "billing");
        await handler.HandleAsync(Records.Context(), Pipelines.Throws(new TimeoutException()));

        Assert.Equal([100, 200, -1], BackOffSequence.Of(handler.BackOff));
        Assert.False(handler.Classifier.IsRetryable(new TimeoutException()));
        Assert.Equal("orders.DLT", Assert.Single(_deadLetters).Topic);
    }

    [Fact]
    public void UseDefaultErrorHandler_ConsumerSection_OverlaysOnlyThatConsumer()
    {
        _configuration["Kafka:ErrorHandling:BackOff:Interval"] = "00:00:02";
        _configuration["Kafka:ErrorHandling:BackOff:MaxAttempts"] = "1";
        _configuration["Kafka:Consumers:audit:ErrorHandling:BackOff:Kind"] = "None";

        Assert.Equal([2000, -1], BackOffSequence.Of(Build(b => b.UseDefaultErrorHandler(), "billing").BackOff));
        Assert.Equal([-1], BackOffSequence.Of(Build(b => b.UseDefaultErrorHandler(), "audit").BackOff));
    }

    [Fact]
    public void UseDefaultErrorHandler_CodeAndConfiguration_CodeWins()
    {
        _configuration["Kafka:ErrorHandling:BackOff:Interval"] = "00:00:05";
        _configuration["Kafka:ErrorHandling:Recoverer"] = "Log";

        var handler = Build(b => b.UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromSeconds(1), 1)).DeadLetterTopic()), "billing");

        Assert.Equal([1000, -1], BackOffSequence.Of(handler.BackOff));
        Assert.IsType<DeadLetterPublishingRecoverer>(handler.Recoverer);
    }

    [Fact]
    public void UseDefaultErrorHandler_LogAndSkip_UsesLoggingRecoverer()
    {
        var handler = Build(b => b.UseDefaultErrorHandler(eh => eh.LogAndSkip()), "billing");

        Assert.IsType<LoggingRecoverer>(handler.Recoverer);
    }

    [Fact]
    public void UseDefaultErrorHandler_CalledTwice_CallbacksAddUp()
    {
        var handler = Build(
            b => b.UseDefaultErrorHandler(eh => eh.NotRetryable<TimeoutException>()).UseDefaultErrorHandler(eh => eh.NoRetries()),
            "billing");

        Assert.False(handler.Classifier.IsRetryable(new TimeoutException()));
        Assert.Equal([-1], BackOffSequence.Of(handler.BackOff));
    }

    [Fact]
    public void ConsumerUseDefaultErrorHandler_RunsAfterApplicationWideSettings_ForThatConsumerOnly()
    {
        void Configure(KafkaPipelineBuilder b) => b
            .UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromSeconds(1), 3)).NotRetryable<TimeoutException>())
            .ConfigureConsumer("audit", c => c.UseDefaultErrorHandler(eh => eh.NoRetries()));

        var audit = Build(Configure, "audit");
        var billing = Build(Configure, "billing");

        Assert.Equal([-1], BackOffSequence.Of(audit.BackOff));
        Assert.False(audit.Classifier.IsRetryable(new TimeoutException()));
        Assert.Equal([1000, 1000, 1000, -1], BackOffSequence.Of(billing.BackOff));
    }

    [Fact]
    public void ConsumerUseDefaultErrorHandler_Alone_RegistersServicesAndLeavesOtherConsumersOnCoreDefault()
    {
        Action<KafkaPipelineBuilder> configure = b => b.ConfigureConsumer("billing", c => c.UseDefaultErrorHandler(eh => eh.NoRetries()));

        var handler = Build(configure, "billing", registerProducer: false);

        Assert.Equal([-1], BackOffSequence.Of(handler.BackOff));
        Assert.Null(ErrorHandlerFor(configure, "audit"));
    }

    [Fact]
    public void ConsumerUseDefaultErrorHandler_CalledTwice_CallbacksAddUp()
    {
        var handler = Build(
            b => b.ConfigureConsumer("billing", c => c
                .UseDefaultErrorHandler(eh => eh.NotRetryable<TimeoutException>())
                .UseDefaultErrorHandler(eh => eh.NoRetries())),
            "billing");

        Assert.False(handler.Classifier.IsRetryable(new TimeoutException()));
        Assert.Equal([-1], BackOffSequence.Of(handler.BackOff));
    }

    [Fact]
    public async Task UseDefaultErrorHandler_HandlerAttributes_AppliedToThatHandlersRecords()
    {
        var payments = Descriptors.Handler<AttributedPaymentHandler, Order>("payments");
        var orders = Descriptors.Handler<PlainOrderHandler, Order>("orders");
        var handler = Build(b => b.UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromSeconds(9), 9))), "billing", handlers: [payments, orders]);

        var paymentContext = Records.Context(topic: "payments");
        paymentContext.Handler = payments;
        var paymentRetry = await handler.HandleAsync(paymentContext, Pipelines.Throws(new TransientException()));
        var ordersRetry = await handler.HandleAsync(Records.Context(topic: "orders"), Pipelines.Throws(new TransientException()));
        var notRetryable = await handler.HandleAsync(Records.Context(topic: "payments", offset: 5), Pipelines.Throws(new TimeoutException()));

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromMilliseconds(100)), paymentRetry);
        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(9)), ordersRetry);
        Assert.Equal(ErrorDisposition.Recovered, notRetryable);
        Assert.Equal(new TopicPartition("payments-poison", 0), Assert.Single(_deadLetters));
    }

    [Fact]
    public void UseDefaultErrorHandler_BrokenAttributesAndConfiguration_OneErrorListingAll()
    {
        _configuration["Kafka:ErrorHandling:NotRetryable:0"] = "No.Such.ExceptionType";
        _configuration["Kafka:ErrorHandling:BackOff:Multiplier"] = "0.5";

        var ex = Assert.Throws<OptionsValidationException>(() =>
            Build(b => b.UseDefaultErrorHandler(), "billing", handlers: [Descriptors.Handler<TwoBackOffsHandler, Order>("orders")]));

        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.Contains("No.Such.ExceptionType", StringComparison.Ordinal) && f.Contains("Kafka:ErrorHandling", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Multiplier", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(TwoBackOffsHandler), StringComparison.Ordinal));
    }

    [Fact]
    public void UseDefaultErrorHandler_DeadLetterProducerSection_BoundAndValidated()
    {
        _configuration["Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimeout"] = "00:00:00";
        _configuration["Kafka:ErrorHandling:DeadLetterProducer:Client:linger.ms"] = "5";
        using var services = Services(b => b.UseDefaultErrorHandler(), registerProducer: true);

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DeadLetterProducerOptions>>().Value);

        Assert.Contains("DeliveryTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseDefaultErrorHandler_RegistersOneSharedDeadLetterProducer()
    {
        using var services = Services(b => b.UseDefaultErrorHandler().UseDefaultErrorHandler(), registerProducer: false);

        Assert.Same(services.GetRequiredService<IDeadLetterProducer>(), services.GetRequiredService<IDeadLetterProducer>());
        Assert.IsType<KafkaDeadLetterProducer>(services.GetRequiredService<IDeadLetterProducer>());
    }

    private DefaultErrorHandler Build(Action<KafkaPipelineBuilder> configure, string groupId, bool registerProducer = true, HandlerDescriptor[]? handlers = null)
    {
        KafkaPipelineBuilder? builder = null;
        using var services = Services(b =>
        {
            builder = b;
            configure(b);
        }, registerProducer);
        var factory = builder!.Registry.ErrorHandlerFor(groupId) ?? throw new InvalidOperationException("No error handler registered.");
        var consumer = Descriptors.Consumer(groupId, handlers ?? [Descriptors.Handler<PlainOrderHandler, Order>("orders", groupId)]);
        return Assert.IsType<DefaultErrorHandler>(factory(services, consumer));
    }

    private Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler>? ErrorHandlerFor(Action<KafkaPipelineBuilder> configure, string groupId)
    {
        var builder = new ServiceCollection().AddKafkaPipeline(o => o.BootstrapServers = "localhost:9092");
        configure(builder);
        return builder.Registry.ErrorHandlerFor(groupId);
    }

    private ServiceProvider Services(Action<KafkaPipelineBuilder> configure, bool registerProducer)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(_configuration).Build());
        services.AddLogging();
        if (registerProducer)
        {
            services.AddSingleton<IDeadLetterProducer>(_producer);
        }

        configure(services.AddKafkaPipeline(o => o.BootstrapServers = "localhost:9092"));
        return services.BuildServiceProvider();
    }
}
