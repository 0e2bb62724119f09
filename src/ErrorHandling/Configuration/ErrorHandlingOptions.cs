using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>
/// Error handling from configuration: sub-section <c>ErrorHandling</c> of the pipeline's section (the one given to
/// <c>AddKafkaPipeline(section)</c>, usually <c>Kafka</c>; the application's <c>Kafka</c> section when the pipeline is
/// configured in code) for every consumer that uses the default error handler, overlaid per consumer by
/// <c>Consumers:&lt;groupId&gt;:ErrorHandling</c> of the same section (values replace, lists add up).
/// Unset values keep the code's settings; code (<c>UseDefaultErrorHandler(eh => ...)</c>) is applied after
/// configuration, and handler attributes after both.
/// </summary>
public sealed class ErrorHandlingOptions
{
    /// <summary>
    /// The path when the pipeline's section is <c>Kafka</c> (or it was configured in code); in general
    /// <c>&lt;section given to AddKafkaPipeline&gt;:ErrorHandling</c>.
    /// </summary>
    public const string SectionName = "Kafka:ErrorHandling";

    /// <summary>The per-consumer overlay: <c>Kafka:Consumers:&lt;groupId&gt;:ErrorHandling</c> (under the pipeline's section).</summary>
    public static string ConsumerSectionName(string groupId) => $"Kafka:Consumers:{groupId}:ErrorHandling";

    /// <summary>The back-off of retryable failures (default FixedBackOff(0, 9)).</summary>
    public BackOffOptions? BackOff { get; set; }

    /// <summary>Full names of exception types not to retry, e.g. <c>"System.ArgumentException"</c> or an assembly-qualified name.</summary>
    public List<string> NotRetryable { get; } = [];

    /// <summary>Full names of exception types to retry (overrides default entries; lists retryable types in "nothing retryable" mode).</summary>
    public List<string> Retryable { get; } = [];

    /// <summary>True: only types listed as retryable are retried.</summary>
    public bool? RetryNothingByDefault { get; set; }

    public bool? ResetStateOnExceptionChange { get; set; }

    public bool? ResetStateOnRecoveryFailure { get; set; }

    /// <summary>Failed recoveries of one record after which its partition stops (unhealthy). Unset: retry recovery for ever.</summary>
    public int? MaxRecoveryFailures { get; set; }

    public TimeSpan? RecoveryFailureDelay { get; set; }

    /// <summary><c>DeadLetter</c> (default) or <c>Log</c> (log and skip: records are lost).</summary>
    public RecovererKind? Recoverer { get; set; }

    public DeadLetterSettings? DeadLetter { get; set; }
}

/// <summary>Which recoverer the default error handler uses.</summary>
public enum RecovererKind
{
    /// <summary>Publish to a dead-letter topic (default).</summary>
    DeadLetter,

    /// <summary>Log and skip; the record is lost. Opt-in only.</summary>
    Log,
}

/// <summary>Dead-letter settings from configuration (<c>Kafka:ErrorHandling:DeadLetter</c>); see <see cref="Recovery.DeadLetterPublishingOptions"/>.</summary>
public sealed class DeadLetterSettings
{
    public string? TopicSuffix { get; set; }

    /// <summary>Exception type full name → dead-letter topic.</summary>
    public Dictionary<string, string> ExceptionRoutes { get; } = new(StringComparer.Ordinal);

    public int? MaxExceptionHeaderBytes { get; set; }

    public bool? StripPreviousExceptionHeaders { get; set; }

    public bool? AppendOriginalHeaders { get; set; }

    public bool? VerifyPartition { get; set; }

    public TimeSpan? PublishTimeout { get; set; }

    public int? PublishRetries { get; set; }

    public TimeSpan? PublishRetryDelay { get; set; }
}
