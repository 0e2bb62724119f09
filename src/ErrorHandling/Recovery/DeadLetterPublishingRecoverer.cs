using Confluent.Kafka;
using KafkaPipeline.Checklist;
using KafkaPipeline.ErrorHandling.Diagnostics;
using KafkaPipeline.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Publishes a failed record to a dead-letter topic (spring-kafka's <c>DeadLetterPublishingRecoverer</c>) and
/// completes only once the broker acknowledged it with acks=all, so the failed record's offset is committed only when
/// the dead letter is safe. The record keeps its key, value bytes and headers and gains Spring's dead-letter headers
/// (<see cref="DeadLetterHeaders"/>). Destination: <see cref="DeadLetterPublishingOptions.DestinationResolver"/>, then
/// <see cref="DeadLetterPublishingOptions.ExceptionRoutes"/>, then the handler's <c>[DeadLetterTopic]</c>, then
/// <c>&lt;topic&gt;</c> + <see cref="DeadLetterPublishingOptions.TopicSuffix"/>; same partition number unless the
/// dead-letter topic has fewer partitions. A Polly pipeline bounds each attempt and retries transient errors.
/// </summary>
public sealed class DeadLetterPublishingRecoverer : IConsumerRecordRecoverer, IDeadLetterTopics
{
    private readonly IDeadLetterProducer _producer;
    private readonly DeadLetterPublishingOptions _options;
    private readonly Func<ConsumeContext, string?>? _handlerTopic;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _publish;

    internal DeadLetterPublishingRecoverer(
        IDeadLetterProducer producer,
        DeadLetterPublishingOptions options,
        ILogger logger,
        TimeProvider time,
        Func<ConsumeContext, string?>? handlerTopic = null)
    {
        var errors = new List<string>();
        options.Validate("DeadLetterPublishingOptions", errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("DeadLetter", typeof(DeadLetterPublishingOptions), errors);
        }

        _producer = producer;
        _options = options;
        _handlerTopic = handlerTopic;
        _logger = logger;
        _publish = DeadLetterResilience.Build(options, time, logger);
    }

    /// <summary>
    /// A recoverer on the application's shared dead-letter producer, for composing your own recoverer. Needs the
    /// error-handling services (<c>UseDefaultErrorHandler()</c> or <c>AddDefaultErrorHandling()</c> registers them).
    /// </summary>
    public static DeadLetterPublishingRecoverer Create(IServiceProvider services, DeadLetterPublishingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var producer = services.GetService<IDeadLetterProducer>()
            ?? throw new InvalidOperationException(
                "The dead-letter producer is not registered. Fix: call services.AddKafkaPipeline(...).UseDefaultErrorHandler() or .AddDefaultErrorHandling().");
        return new DeadLetterPublishingRecoverer(
            producer,
            options ?? new DeadLetterPublishingOptions(),
            services.GetService<ILoggerFactory>()?.CreateLogger<DeadLetterPublishingRecoverer>() ?? NullLogger<DeadLetterPublishingRecoverer>.Instance,
            services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    /// <inheritdoc/>
    public async ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        await PublishAsync(context, exception, ResolveDestination(context, exception), decorate: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes the dead-letter record of <paramref name="context"/> to <paramref name="destination"/> (partition checked as
    /// usual) and returns the broker's acknowledgement; <paramref name="decorate"/> may change the headers last (spring-kafka's
    /// <c>headersFunction</c>; retry topics add their <c>retry_topic-*</c> headers so).
    /// </summary>
    internal async ValueTask<DeliveryResult<byte[]?, byte[]?>> PublishAsync(
        ConsumeContext context, Exception exception, TopicPartition destination, Action<Headers>? decorate, CancellationToken cancellationToken)
    {
        var message = DeadLetterRecordFactory.Create(context, exception, _options);
        using var span = PipelineTracing.StartDeadLetterPublish(destination.Topic, context);
        if (span is not null)
        {
            TraceContextHeaders.Inject(message.Headers, span); // the dead letter continues this trace, as a produced record would
        }

        decorate?.Invoke(message.Headers);

        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(DeadLetterResilience.RecordKey, context);
        resilience.Properties.Set(DeadLetterResilience.TopicKey, destination.Topic);
        try
        {
            var result = await _publish.ExecuteAsync(
                static (rc, state) => state.Recoverer.PublishAsync(state.Destination, state.Message, state.Record, rc.CancellationToken),
                resilience,
                (Recoverer: this, Destination: destination, Message: message, Record: context)).ConfigureAwait(false);
            Log.DeadLettered(_logger, context.Topic, context.Partition, context.Offset, result.Topic, result.Partition.Value, result.Offset.Value);
            context.DeadLetterTopic = result.Topic;
            PipelineTracing.Delivered(span, result.Partition.Value, result.Offset.Value);
            return result;
        }
        catch (Exception ex) when (PipelineTracing.Failed(span, ex))
        {
            throw; // not reached: the filter only marks the span and returns false
        }
        catch (KafkaException ex) when (DeadLetterTransientErrors.PermanentFix(ex.Error.Code, destination.Topic) is { } fix)
        {
            throw new RecoveryRefusedException(
                $"The dead letter of {context} to '{destination.Topic}' was refused for good ({ex.Error.Code}: {ex.Error.Reason}). "
                + $"The record is not committed and its lane is stopped. Fix: {fix}; then restart the consumer.",
                ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    /// <summary>Where the dead letter of <paramref name="context"/> goes, before the partition check.</summary>
    internal TopicPartition ResolveDestination(ConsumeContext context, Exception exception)
    {
        var destination = _options.DestinationResolver?.Invoke(context, exception)
            ?? new TopicPartition(Route(exception) ?? _handlerTopic?.Invoke(context) ?? context.Topic + _options.TopicSuffix, context.Partition);
        if (!Topics.IsValid(destination.Topic))
        {
            throw new InvalidOperationException(
                $"The dead-letter topic name '{destination.Topic}' chosen for {context} is invalid. "
                + "Fix: correct DeadLetterPublishingOptions (TopicSuffix, ExceptionRoutes, DestinationResolver) or the handler's [DeadLetterTopic].");
        }

        return destination;
    }

    /// <summary>The default destinations (topic + suffix), the exception routes and the handlers' [DeadLetterTopic]; a resolver's are known only per record.</summary>
    IEnumerable<string> IDeadLetterTopics.DeadLetterTopics(ConsumerDescriptor consumer) =>
        consumer.Topics.Select(t => t + _options.TopicSuffix)
            .Concat(_options.ExceptionRoutes.Values)
            .Concat(consumer.Handlers.Select(h => h.HandlerType.GetCustomAttributes(typeof(Attributes.DeadLetterTopicAttribute), inherit: true)
                .OfType<Attributes.DeadLetterTopicAttribute>().FirstOrDefault()?.Topic).OfType<string>())
            .Where(Topics.IsValid)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The recoverer and its topic suffix, for the start-up log line.</summary>
    public override string ToString() => $"dead-letter topic (<topic>{_options.TopicSuffix})";

    /// <summary>One publish attempt: checks the partition (each attempt, so a retry after a missing partition re-reads the count).</summary>
    private async ValueTask<DeliveryResult<byte[]?, byte[]?>> PublishAsync(
        TopicPartition resolved, Message<byte[]?, byte[]?> message, ConsumeContext context, CancellationToken cancellationToken)
    {
        var destination = await VerifyPartitionAsync(resolved, context, cancellationToken).ConfigureAwait(false);
        DeliveryResult<byte[]?, byte[]?> delivered;
        try
        {
            delivered = await _producer.ProduceAsync(destination, message, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_UnknownPartition)
        {
            _producer.ForgetPartitionCount(destination.Topic); // stale or unknown count: read it again before the retry
            throw;
        }

        if (delivered.Status != PersistenceStatus.Persisted)
        {
            throw new DeadLetterPublishException(
                $"Dead letter of {context} to '{destination.Topic}' was not acknowledged (status {delivered.Status}); the record is not committed and is retried.",
                destination,
                delivered.Status);
        }

        return delivered;
    }

    private async ValueTask<TopicPartition> VerifyPartitionAsync(TopicPartition destination, ConsumeContext context, CancellationToken cancellationToken)
    {
        if (!_options.VerifyPartition || destination.Partition == Partition.Any)
        {
            return destination;
        }

        if (await _producer.GetPartitionCountAsync(destination.Topic, cancellationToken).ConfigureAwait(false) is { } count
            && destination.Partition.Value >= count)
        {
            Log.DeadLetterPartitionMissing(_logger, destination.Topic, count, context.Topic, destination.Partition.Value);
            return new TopicPartition(destination.Topic, Partition.Any);
        }

        return destination;
    }

    private string? Route(Exception exception)
    {
        if (_options.ExceptionRoutes.Count == 0)
        {
            return null;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            for (var type = current.GetType(); type is not null; type = type.BaseType)
            {
                if (_options.ExceptionRoutes.TryGetValue(type, out var topic))
                {
                    return topic;
                }
            }
        }

        return null;
    }
}
