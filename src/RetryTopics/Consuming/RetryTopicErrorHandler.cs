using KafkaPipeline.Errors;
using KafkaPipeline.RetryTopics.Diagnostics;
using KafkaPipeline.RetryTopics.KeyOrdering;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.RetryTopics.Consuming;

/// <summary>
/// The error handler of a consumer that reads topics of retry chains (spring-kafka's
/// <c>KafkaBackoffAwareMessageListenerAdapter</c> in front of its <c>DefaultErrorHandler</c>). A retry-topic record not due
/// yet is not run: the lane waits until its <c>retry_topic-backoff-timestamp</c> (<see cref="ErrorDisposition.Defer"/>),
/// holding back only what its ordering keeps behind it (a partition fetching more than its share of the buffer is paused
/// by the consumer); the poll thread never waits and nothing is committed meanwhile. A due record runs through the inner
/// error handler, whose recoverer forwards failures along the chain. Key-ordered chains go through <see cref="KeyOrderGate"/>
/// first. Records of topics outside any chain go straight to the inner handler.
/// </summary>
internal sealed class RetryTopicErrorHandler(
    IConsumeErrorHandler inner,
    RetryChains chains,
    TimeProvider time,
    ILogger logger,
    KeyOrderGate? gate = null) : IConsumeErrorHandler
{
    /// <summary>A due time further ahead is treated as due now (spring-kafka 4's guard against corrupt headers).</summary>
    internal static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    public ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!chains.TryFind(context.Topic, out var chain, out var source))
        {
            return inner.HandleAsync(context, pipeline, state);
        }

        if (gate is not null && chain.Options.KeyOrdered && source.Kind != DestinationKind.Dlt)
        {
            return gate.HandleAsync(chain, source, context, pipeline, state, this);
        }

        return source.IsRetry && Wait(context) is { } wait ? ValueTask.FromResult(ErrorDisposition.Defer(wait)) : inner.HandleAsync(context, pipeline, state);
    }

    /// <summary>The inner error handler (the gate runs due records through it).</summary>
    internal IConsumeErrorHandler Inner => inner;

    /// <summary>How long the record must still wait, or null when it is due.</summary>
    internal TimeSpan? Wait(ConsumeContext context)
    {
        if (RetryTopicHeaders.DueOf(context.Record.Message.Headers) is not { } due)
        {
            return null;
        }

        var wait = due - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        if (wait > MaxAhead)
        {
            Log.DueTooFarAhead(logger, context.Topic, context.Partition, context.Offset, due, MaxAhead);
            return null;
        }

        return wait;
    }
}
