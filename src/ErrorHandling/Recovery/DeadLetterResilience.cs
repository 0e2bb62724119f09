using KafkaPipeline.ErrorHandling.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// The Polly pipeline around one dead-letter publish: retries of transient produce errors (exponential delay) around a
/// timeout per attempt. The record and destination travel in the resilience context for logging.
/// </summary>
internal static class DeadLetterResilience
{
    public static readonly ResiliencePropertyKey<ConsumeContext> RecordKey = new("KafkaPipeline.DeadLetter.Record");
    public static readonly ResiliencePropertyKey<string> TopicKey = new("KafkaPipeline.DeadLetter.Topic");

    public static ResiliencePipeline Build(DeadLetterPublishingOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.PublishRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.PublishRetries,
                Delay = options.PublishRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && DeadLetterTransientErrors.IsTransient(ex)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(RecordKey, out var record) && args.Context.Properties.TryGetValue(TopicKey, out var topic))
                    {
                        Log.DeadLetterPublishRetry(logger, record.Topic, record.Partition, record.Offset, topic, args.AttemptNumber + 1,
                            args.Outcome.Exception?.Message ?? "no exception", args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        return builder.AddTimeout(options.PublishTimeout).Build();
    }
}
