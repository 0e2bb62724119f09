using System.Diagnostics;
using System.Text;
using System.Text.Unicode;
using Confluent.Kafka;
using KafkaPipeline.Errors;

namespace KafkaPipeline.Telemetry;

/// <summary>
/// The <c>process &lt;topic&gt;</c> span of each delivery of a record (OpenTelemetry messaging conventions, kind Consumer).
/// The producer's <c>traceparent</c> header becomes the span's parent and also a link, so the consumer's work shows
/// under the producer's trace and link-based tools find it too. Everything is skipped when nobody listens.
/// </summary>
internal static class PipelineTracing
{
    /// <summary>Keys longer than this are not recorded as an attribute (semantic conventions: only readable keys).</summary>
    private const int MaxKeyBytes = 256;

    public static readonly ActivitySource Source = new(KafkaPipelineTelemetry.ActivitySourceName, typeof(PipelineTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of one delivery, or returns null (without allocating) when no listener samples it.</summary>
    public static Activity? StartProcess(ConsumeResult<byte[]?, byte[]?> record, string groupId, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var headers = record.Message.Headers;
        var hasProducer = TraceContextHeaders.TryExtract(headers, out var producer);
        var activity = Source.StartActivity(
            "process " + record.Topic,
            ActivityKind.Consumer,
            hasProducer ? producer : default,
            tags: null,
            links: hasProducer ? [new ActivityLink(producer)] : null);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag(MessagingAttributes.System, MessagingAttributes.Kafka);
        activity.SetTag(MessagingAttributes.OperationType, "process");
        activity.SetTag(MessagingAttributes.OperationName, "process");
        activity.SetTag(MessagingAttributes.DestinationName, record.Topic);
        activity.SetTag(MessagingAttributes.PartitionId, record.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        activity.SetTag(MessagingAttributes.ConsumerGroup, groupId);
        activity.SetTag(MessagingAttributes.Offset, record.Offset.Value);
        activity.SetTag(MessagingAttributes.DeliveryAttempt, attempt);
        if (record.Message.Key is { Length: > 0 and <= MaxKeyBytes } key && Utf8.IsValid(key))
        {
            activity.SetTag(MessagingAttributes.MessageKey, Encoding.UTF8.GetString(key));
        }

        if (record.Message.Value is { } value)
        {
            activity.SetTag(MessagingAttributes.BodySize, value.Length);
        }
        else
        {
            activity.SetTag(MessagingAttributes.Tombstone, true);
        }

        if (headers is not null && headers.TryGetLastBytes(MessagingAttributes.MessageIdHeader, out var id) && Utf8.IsValid(id))
        {
            activity.SetTag(MessagingAttributes.MessageId, Encoding.UTF8.GetString(id));
        }

        return activity;
    }

    /// <summary>Ends a delivery's span with its outcome; any outcome but done marks the span as an error.</summary>
    public static void Stop(Activity activity, DeliveryOutcome outcome, RecordFailureState state, ErrorDisposition? disposition)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(MessagingAttributes.Outcome, DeliveryOutcomes.Name(outcome));
            if (disposition is { Kind: not DispositionKind.Completed } && state.ExceptionType is { } type)
            {
                activity.SetTag(MessagingAttributes.ErrorType, type.FullName ?? type.Name);
                activity.SetStatus(ActivityStatusCode.Error);
            }

            if (disposition is { Kind: DispositionKind.Retry } retry)
            {
                activity.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { [MessagingAttributes.RetryDelay] = retry.Delay.TotalMilliseconds }));
            }
        }

        activity.Dispose();
    }

    /// <summary>Records a failure on the current span (an exception event; the stack trace lives here, not in every log line).</summary>
    public static void RecordException(Exception exception)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity && activity.Source == Source)
        {
            activity.AddException(exception);
        }
    }

    /// <summary>
    /// Starts the <c>publish &lt;dead-letter topic&gt;</c> span (kind Producer) under the current delivery span, or null when
    /// nobody listens. Its context goes into the dead letter's <c>traceparent</c>.
    /// </summary>
    public static Activity? StartDeadLetterPublish(string deadLetterTopic, ConsumeContext context)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("publish " + deadLetterTopic, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingAttributes.System, MessagingAttributes.Kafka);
            activity.SetTag(MessagingAttributes.OperationType, "send");
            activity.SetTag(MessagingAttributes.OperationName, "publish");
            activity.SetTag(MessagingAttributes.DestinationName, deadLetterTopic);
            activity.SetTag(MessagingAttributes.ConsumerGroup, context.GroupId);
            activity.SetTag("kafka_pipeline.original.topic", context.Topic);
            activity.SetTag("kafka_pipeline.original.partition", context.Partition);
            activity.SetTag("kafka_pipeline.original.offset", context.Offset);
        }

        return activity;
    }

    /// <summary>The dead letter is acknowledged: where it went.</summary>
    public static void Delivered(Activity? publish, int partition, long offset)
    {
        if (publish is { IsAllDataRequested: true })
        {
            publish.SetTag(MessagingAttributes.PartitionId, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            publish.SetTag(MessagingAttributes.Offset, offset);
        }
    }

    /// <summary>Marks a publish span failed; returns false so it can run in an exception filter without catching.</summary>
    public static bool Failed(Activity? publish, Exception exception)
    {
        if (publish is { IsAllDataRequested: true })
        {
            publish.SetTag(MessagingAttributes.ErrorType, exception.GetType().FullName);
            publish.SetStatus(ActivityStatusCode.Error, exception.Message);
            publish.AddException(exception);
        }

        return false;
    }
}
