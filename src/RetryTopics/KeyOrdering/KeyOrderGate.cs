using KafkaPipeline.Errors;
using KafkaPipeline.RetryTopics.Consuming;
using KafkaPipeline.RetryTopics.Diagnostics;
using KafkaPipeline.RetryTopics.Recovery;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.RetryTopics.KeyOrdering;

/// <summary>
/// Keeps each key's order across the main topic and the retry topics. A main-topic record of a key that has records in
/// the retry topics is not run: it follows them into the first retry topic. A retry-topic record runs only when it is its
/// key's head (its earliest record still in the chain); otherwise it follows to the next retry topic (or, on the last or
/// a reusable one, to the same topic again, behind the head). Since every topic is a log read in order and forwards are
/// awaited in order, a record never passes an earlier record of its key. Followers carry <see cref="KeyParkedException"/>
/// as their reason, keep their attempts and are due at once. When the head is handled or dead-lettered the next record
/// of the key becomes the head; when none is left the key is released and flows on the main topic again.
/// </summary>
internal sealed class KeyOrderGate(ParkedKeyRegistry registry, RetryTopicRecoverer forwarder, TimeProvider time, ILogger logger, Func<object?>? generation = null)
{
    private static readonly TimeSpan FollowFailureDelay = TimeSpan.FromSeconds(1);

    public async ValueTask<ErrorDisposition> HandleAsync(
        RetryChain chain, DestinationTopic source, ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state, RetryTopicErrorHandler handler)
    {
        var parking = await registry.GetAsync(chain, context, generation?.Invoke()).ConfigureAwait(false);
        if (source.IsRetry && parking.IsSuperseded(context.Topic, context.Offset))
        {
            Log.SupersededCopySkipped(logger, context.Topic, context.Partition, context.Offset);
            return ErrorDisposition.Completed;
        }

        var key = new ParkedKey(context.Key);
        var original = ParkedKeyRegistry.OriginalOffset(chain, context);
        var decision = source.IsRetry ? parking.OnRetryRecord(key, original) : parking.OnMainRecord(key, context.Offset);
        switch (decision)
        {
            case KeyDecision.Skip:
                Log.SupersededCopySkipped(logger, context.Topic, context.Partition, context.Offset);
                return ErrorDisposition.Completed;
            case KeyDecision.Follow:
                return await FollowAsync(chain, source, context, parking, key, original).ConfigureAwait(false);
        }

        if (source.IsRetry && handler.Wait(context) is { } wait)
        {
            return ErrorDisposition.Defer(wait);
        }

        var disposition = await handler.Inner.HandleAsync(context, pipeline, state).ConfigureAwait(false);
        if (disposition.Kind == DispositionKind.Completed && source.IsRetry)
        {
            parking.Leave(key, original); // the head was handled: the next record of the key may run
        }

        return disposition;
    }

    private async ValueTask<ErrorDisposition> FollowAsync(
        RetryChain chain, DestinationTopic source, ConsumeContext context, PartitionParking parking, ParkedKey key, long original)
    {
        var destination = source.Kind == DestinationKind.Main
            ? chain.Topology.RetryTopics.First()
            : chain.Topology.Next(source) is { IsRetry: true } next && source.Kind != DestinationKind.ReusableRetry ? next : source;
        try
        {
            await forwarder.ForwardAsync(context, new KeyParkedException(), destination,
                RetryTopicHeaders.AttemptsOf(context.Record.Message.Headers), time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            if (source.Kind == DestinationKind.Main)
            {
                parking.Leave(key, original); // not in the chain after all; decided again on the next delivery
            }

            return ErrorDisposition.Retry(FollowFailureDelay);
        }

        Log.FollowedParkedKey(logger, context.Topic, context.Partition, context.Offset, destination.Name);
        return ErrorDisposition.Recovered;
    }
}
