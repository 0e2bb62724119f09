using KafkaPipeline.ErrorHandling;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Errors;
using KafkaPipeline.Health;
using KafkaPipeline.RetryTopics.Consuming;
using KafkaPipeline.RetryTopics.KeyOrdering;
using KafkaPipeline.RetryTopics.Recovery;
using KafkaPipeline.RetryTopics.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using KafkaPipeline.ErrorHandling.Configuration;

namespace KafkaPipeline.RetryTopics.DependencyInjection;

/// <summary>
/// Builds the error handler of a consumer that reads a chain's topic, as spring-kafka's
/// <c>ListenerContainerFactoryConfigurer</c> does: a <see cref="DefaultErrorHandler"/> without in-memory retries (unless
/// <c>BlockingBackOff</c> is set) whose recoverer forwards along the chain, behind the due-time wait and, for key-ordered
/// chains, the key-order gate. A failing forward is retried (<c>RecoveryFailureDelay</c>, never committed), as any failing
/// recoverer. The main group's error-handling settings (<c>Kafka:ErrorHandling</c>, <c>Kafka:Consumers:&lt;group&gt;:ErrorHandling</c>
/// and <c>UseDefaultErrorHandler(...)</c>) apply to every consumer of its chains where they mean the same there: retry
/// listeners, the classifier of blocking retries, the dedup-store wait, recovery-failure handling, the exception headers and
/// the publish timeout and retries. The back-off, the recoverer and the dead-letter destinations are the chain's.
/// </summary>
internal static class RetryTopicErrorHandlerFactory
{
    public static IConsumeErrorHandler Create(IServiceProvider services, ConsumerDescriptor consumer)
    {
        var chains = services.GetRequiredService<RetryChains>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggers.CreateLogger("KafkaPipeline.RetryTopics." + consumer.GroupId);
        var settings = MainGroupSettings(services, chains, consumer);
        var publisher = new DeadLetterPublishingRecoverer(
            services.GetRequiredService<IDeadLetterProducer>(),
            PublishingOptions(settings?.DeadLetter),
            loggers.CreateLogger<DeadLetterPublishingRecoverer>(),
            time);
        var parked = services.GetRequiredService<ParkedKeyRegistry>();
        var recoverer = new RetryTopicRecoverer(chains, publisher, time, logger, parked);
        var inner = new DefaultErrorHandler(
            HandlerOptions(settings?.Handler, recoverer, (context, exception) => chains.TryFind(context.Topic, out var chain, out _) ? chain.Options.BlockingBackOff : null),
            loggers.CreateLogger<DefaultErrorHandler>());
        var keyOrdered = consumer.Topics.Any(t => chains.TryFind(t, out var chain, out _) && chain.Options.KeyOrdered);
        // The consumer's status is registered after its error handler is built: looked up when a record needs it.
        var monitor = services.GetService<KafkaConsumerMonitor>();
        Func<object?> generation = () => Generation(monitor?.Find(consumer.GroupId));
        return new RetryTopicErrorHandler(inner, chains, time, logger, keyOrdered ? new KeyOrderGate(parked, recoverer, time, logger, generation) : null);
    }

    /// <summary>
    /// The error-handling settings of the main group of the chain the consumer reads (a retry or DLT group reads one chain's
    /// topic; the main group is the consumer itself), or null without the error-handling options.
    /// </summary>
    internal static ErrorHandlingOptions? MainGroupSettings(IServiceProvider services, RetryChains chains, ConsumerDescriptor consumer)
    {
        if (services.GetService<IOptionsFactory<ErrorHandlingOptions>>() is not { } factory)
        {
            return null;
        }

        var main = consumer.Topics.Select(t => chains.TryFind(t, out var chain, out _) ? chain.GroupId : null).FirstOrDefault(g => g is not null);
        return factory.Create(main ?? consumer.GroupId);
    }

    /// <summary>The publishing settings that mean the same on a chain; the first hop's original-* headers stay (as Spring's retry topics).</summary>
    internal static DeadLetterPublishingOptions PublishingOptions(DeadLetterPublishingOptions? group) => group is null
        ? new DeadLetterPublishingOptions { AppendOriginalHeaders = false }
        : new DeadLetterPublishingOptions
        {
            AppendOriginalHeaders = false,
            MaxExceptionHeaderBytes = group.MaxExceptionHeaderBytes,
            ExceptionCauseHeader = group.ExceptionCauseHeader,
            StripPreviousExceptionHeaders = group.StripPreviousExceptionHeaders,
            VerifyPartition = group.VerifyPartition,
            PublishTimeout = group.PublishTimeout,
            PublishRetries = group.PublishRetries,
            PublishRetryDelay = group.PublishRetryDelay,
        };

    /// <summary>
    /// The main group's handler settings (a fresh instance per consumer) with the chain's recoverer and no in-memory
    /// retries unless the chain's <c>BlockingBackOff</c> says so.
    /// </summary>
    internal static DefaultErrorHandlerOptions HandlerOptions(
        DefaultErrorHandlerOptions? group, IConsumerRecordRecoverer recoverer, Func<ConsumeContext, Exception, IBackOff?> blocking)
    {
        var options = group ?? new DefaultErrorHandlerOptions();
        options.Recoverer = recoverer;
        options.BackOff = FixedBackOff.NoRetries;
        options.BackOffFunction = blocking;
        return options;
    }

    /// <summary>
    /// The consumer's current assignment as an object whose identity changes at each assignment and revoke (the status
    /// replaces its list then). Null, and so the record tokens alone decide, when the status is unknown or hands out a new
    /// list on every read.
    /// </summary>
    internal static object? Generation(KafkaConsumerStatus? status) =>
        status?.AssignedPartitions is { } assigned && ReferenceEquals(assigned, status.AssignedPartitions) ? assigned : null;
}
