using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>How one consumer's <see cref="DeadLetterPublishingRecoverer"/> builds and publishes dead-letter records.</summary>
public sealed class DeadLetterPublishingOptions
{
    /// <summary>Appended to the record's topic when nothing else names the dead-letter topic. Default <c>-dlt</c>.</summary>
    public string TopicSuffix { get; set; } = "-dlt";

    /// <summary>
    /// Chooses the destination of a failed record; return <see cref="Partition.Any"/> to let the producer choose the
    /// partition, or <see langword="null"/> to fall back to the routes, the handler's <c>[DeadLetterTopic]</c> and the
    /// suffix. (Unlike Spring, null never skips the record.)
    /// </summary>
    public Func<ConsumeContext, Exception, TopicPartition?>? DestinationResolver { get; set; }

    /// <summary>
    /// Dead-letter topic by exception type. The exception and then its inner exceptions are checked in turn, each by its
    /// own type first and then its base types; the first match wins.
    /// </summary>
    public Dictionary<Type, string> ExceptionRoutes { get; } = [];

    /// <summary>Largest UTF-8 size of the exception message and of the stack-trace header, each; longer text is cut and marked. Default 16384.</summary>
    public int MaxExceptionHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// What <c>kafka_dlt-exception-cause-fqcn</c> names. Default <see cref="Recovery.ExceptionCauseHeader.DirectCause"/>:
    /// the thrown exception's <see cref="Exception.InnerException"/>, and no header when there is none, as Spring's
    /// <c>DeadLetterPublishingRecoverer</c> writes <c>exception.getCause()</c>. The message header adds the named cause's message.
    /// </summary>
    public ExceptionCauseHeader ExceptionCauseHeader { get; set; } = ExceptionCauseHeader.DirectCause;

    /// <summary>Remove the exception headers of an earlier dead-lettering before adding the new ones. Default true.</summary>
    public bool StripPreviousExceptionHeaders { get; set; } = true;

    /// <summary>Add the original-* headers even when the record already carries them (Spring's default). Default true.</summary>
    public bool AppendOriginalHeaders { get; set; } = true;

    /// <summary>Check the dead-letter topic's partition count (cached) and let the producer choose when the original partition number does not exist there. Default true.</summary>
    public bool VerifyPartition { get; set; } = true;

    /// <summary>Longest wait for one publish attempt's acknowledgement. Default 40 s (above the producer's 30 s delivery timeout).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Retries of a publish that failed with a transient error (broker unreachable, leader change, full queue). Default 2.</summary>
    public int PublishRetries { get; set; } = 2;

    /// <summary>Wait before the first publish retry; doubles with each retry. Default 1 s.</summary>
    public TimeSpan PublishRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Adds a message naming <paramref name="path"/> and the fix for every invalid setting.</summary>
    public void Validate(string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (TopicSuffix is null)
        {
            errors.Add($"{path}:TopicSuffix is null. Fix: remove it to use '-dlt', or set a suffix such as '.DLT'.");
        }

        if (MaxExceptionHeaderBytes < DeadLetterRecordFactory.MinHeaderBytes)
        {
            errors.Add($"{path}:MaxExceptionHeaderBytes is {MaxExceptionHeaderBytes}. Fix: use {DeadLetterRecordFactory.MinHeaderBytes} or more (default 16384).");
        }

        if (!Enum.IsDefined(ExceptionCauseHeader))
        {
            errors.Add($"{path}:ExceptionCauseHeader is {ExceptionCauseHeader}. Fix: use DirectCause (default, as Spring), RootCause or ThrownException.");
        }

        if (PublishTimeout < TimeSpan.FromMilliseconds(10) || PublishTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:PublishTimeout is {PublishTimeout}. Fix: use 10 ms to 1 day (default 40 s), longer than the producer's DeliveryTimeout.");
        }

        if (PublishRetries < 0)
        {
            errors.Add($"{path}:PublishRetries is negative. Fix: use 0 or more (default 2).");
        }

        if (PublishRetryDelay < TimeSpan.Zero || PublishRetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:PublishRetryDelay is {PublishRetryDelay}. Fix: use 0 to 1 day (default 1 s).");
        }

        foreach (var (type, topic) in ExceptionRoutes)
        {
            if (!typeof(Exception).IsAssignableFrom(type))
            {
                errors.Add($"{path}:ExceptionRoutes has {type.FullName}, which is not an exception type. Fix: route types deriving from System.Exception.");
            }

            if (!Topics.IsValid(topic))
            {
                errors.Add($"{path}:ExceptionRoutes maps {type.Name} to invalid topic name '{topic}'. Fix: use 1-249 characters from [a-zA-Z0-9._-].");
            }
        }
    }
}

/// <summary>
/// Which exception <c>kafka_dlt-exception-cause-fqcn</c> names (<see cref="DeadLetterPublishingOptions.ExceptionCauseHeader"/>).
/// Kept beside the options it belongs to.
/// </summary>
public enum ExceptionCauseHeader
{
    /// <summary>
    /// The thrown exception's direct <see cref="Exception.InnerException"/>; no header when it has none. What Spring writes
    /// (<c>exception.getCause()</c>; since spring-kafka 3.0.7 the exception under its own listener wrapper, which for a
    /// failed listener is the same direct cause). Default.
    /// </summary>
    DirectCause,

    /// <summary>The innermost exception of the <see cref="Exception.InnerException"/> chain, or the thrown exception when it has none (KafkaPipeline before issue 11).</summary>
    RootCause,

    /// <summary>
    /// The thrown exception itself, always written: spring-kafka 3.0.7+'s reading for an exception that no Spring
    /// listener wrapper encloses, which is every exception a .NET handler throws.
    /// </summary>
    ThrownException,
}
