using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.RetryTopics.Diagnostics;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.RetryTopics.Recovery;

/// <summary>
/// The recoverer of a consumer with retry topics (spring-kafka's retry-topic <c>DeadLetterPublishingRecoverer</c>): it
/// resolves the next topic of the failed record's chain and publishes the record there through the dead-letter
/// publisher (acks=all, awaited; same partition number when it exists; <c>kafka_dlt-*</c> headers, the first hop's
/// original-* headers kept), adding Spring's <c>retry_topic-*</c> headers. It completes only once the broker acknowledged
/// the record, so the failed record's offset is committed only then. Without a destination (no DLT, or a DLT handler's
/// failure with FailOnError) the record is logged and committed, as Spring does.
/// </summary>
internal sealed class RetryTopicRecoverer(
    RetryChains chains,
    DeadLetterPublishingRecoverer publisher,
    TimeProvider time,
    ILogger logger,
    KeyOrdering.ParkedKeyRegistry? parked = null) : IConsumerRecordRecoverer
{
    public async ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        if (!chains.TryFind(context.Topic, out var chain, out var source))
        {
            throw new InvalidOperationException(
                $"Topic '{context.Topic}' of {context} belongs to no retry chain. Fix: register its handler with [RetryableTopic] or UseRetryTopics(...) for group '{context.GroupId}'.");
        }

        var headers = context.Record.Message.Headers;
        var attempts = RetryTopicHeaders.AttemptsOf(headers);
        var now = time.GetUtcNow();
        var destination = chain.Resolver.Resolve(source, attempts, exception, RetryTopicHeaders.OriginalTimestampOf(headers, context.Timestamp), now);
        if (destination is null)
        {
            Log.Dropped(logger, context.Topic, context.Partition, context.Offset, attempts,
                source.Kind == DestinationKind.Dlt ? "the DLT handler failed and DltStrategy is FailOnError" : "DltStrategy is NoDlt", exception);
            parked?.Finished(chain, context);
            return;
        }

        if (chain.Options.KeyOrdered)
        {
            parked?.Entering(chain, context, destination); // before the forward: later records of the key follow it
        }

        var due = now + destination.Delay;
        var result = await ForwardAsync(context, exception, destination, attempts + 1, due, cancellationToken).ConfigureAwait(false);
        Log.Forwarded(logger, context.Topic, context.Partition, context.Offset, attempts, result.Topic, result.Partition.Value, result.Offset.Value, due, exception);
        if (destination.Kind == DestinationKind.Dlt)
        {
            parked?.Finished(chain, context);
        }
    }

    /// <summary>Publishes <paramref name="context"/>'s record to <paramref name="destination"/> with the retry headers given (the caller logs).</summary>
    internal async ValueTask<DeliveryResult<byte[]?, byte[]?>> ForwardAsync(
        ConsumeContext context, Exception reason, DestinationTopic destination, int attempts, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var original = context.Record.Message.Headers is { } h && h.TryGetLastBytes(RetryTopicHeaders.OriginalTimestamp, out var bytes)
            ? bytes
            : RetryTopicHeaders.EncodeTimestamp(context.Timestamp.UnixTimestampMs);
        var result = await publisher.PublishAsync(
            context,
            reason,
            new TopicPartition(destination.Name, context.Partition),
            headers =>
            {
                RetryTopicHeaders.Set(headers, RetryTopicHeaders.OriginalTimestamp, original);
                RetryTopicHeaders.Set(headers, RetryTopicHeaders.Attempts, RetryTopicHeaders.EncodeAttempts(attempts));
                RetryTopicHeaders.Set(headers, RetryTopicHeaders.BackOffTimestamp, RetryTopicHeaders.EncodeTimestamp(due.ToUnixTimeMilliseconds()));
            },
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override string ToString() => "retry topics";
}
