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

namespace KafkaPipeline.RetryTopics.DependencyInjection;

/// <summary>
/// Builds the error handler of a consumer that reads a chain's topic, as spring-kafka's
/// <c>ListenerContainerFactoryConfigurer</c> does: a <see cref="DefaultErrorHandler"/> without in-memory retries (unless
/// <c>BlockingBackOff</c> is set) whose recoverer forwards along the chain, behind the due-time wait and, for key-ordered
/// chains, the key-order gate. A failing forward is retried (1 s, never committed), as any failing recoverer.
/// </summary>
internal static class RetryTopicErrorHandlerFactory
{
    public static IConsumeErrorHandler Create(IServiceProvider services, ConsumerDescriptor consumer)
    {
        var chains = services.GetRequiredService<RetryChains>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggers.CreateLogger("KafkaPipeline.RetryTopics." + consumer.GroupId);
        var publisher = new DeadLetterPublishingRecoverer(
            services.GetRequiredService<IDeadLetterProducer>(),
            new DeadLetterPublishingOptions { AppendOriginalHeaders = false }, // as Spring's retry topics: the first hop's original-* headers stay
            loggers.CreateLogger<DeadLetterPublishingRecoverer>(),
            time);
        var parked = services.GetRequiredService<ParkedKeyRegistry>();
        var recoverer = new RetryTopicRecoverer(chains, publisher, time, logger, parked);
        var inner = new DefaultErrorHandler(
            new DefaultErrorHandlerOptions
            {
                Recoverer = recoverer,
                BackOff = FixedBackOff.NoRetries,
                BackOffFunction = (context, exception) => chains.TryFind(context.Topic, out var chain, out _) ? chain.Options.BlockingBackOff : null,
            },
            loggers.CreateLogger<DefaultErrorHandler>());
        var keyOrdered = consumer.Topics.Any(t => chains.TryFind(t, out var chain, out _) && chain.Options.KeyOrdered);
        // The consumer's status is registered after its error handler is built: looked up when a record needs it.
        var monitor = services.GetService<KafkaConsumerMonitor>();
        Func<object?> generation = () => Generation(monitor?.Find(consumer.GroupId));
        return new RetryTopicErrorHandler(inner, chains, time, logger, keyOrdered ? new KeyOrderGate(parked, recoverer, time, logger, generation) : null);
    }

    /// <summary>
    /// The consumer's current assignment as an object whose identity changes at each assignment and revoke (the status
    /// replaces its list then). Null, and so the record tokens alone decide, when the status is unknown or hands out a new
    /// list on every read.
    /// </summary>
    internal static object? Generation(KafkaConsumerStatus? status) =>
        status?.AssignedPartitions is { } assigned && ReferenceEquals(assigned, status.AssignedPartitions) ? assigned : null;
}
