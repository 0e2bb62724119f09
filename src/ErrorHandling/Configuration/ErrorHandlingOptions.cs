using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>
/// Everything the default error handler of one consumer is built from: named options keyed by the consumer's group id
/// (<c>IOptionsFactory&lt;ErrorHandlingOptions&gt;.Create(groupId)</c>). Configuration binds straight onto it (sub-section
/// <c>ErrorHandling</c> of the pipeline's section, then <c>Consumers:&lt;groupId&gt;:ErrorHandling</c>; values replace,
/// lists add up), then the application-wide <c>UseDefaultErrorHandler(eh => …)</c> callbacks, then the consumer's own
/// (<see cref="DependencyInjection.DefaultErrorHandlerBuilder"/> is a thin layer over this class); handler attributes
/// apply per record after all of them.
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

    /// <summary>
    /// Back-off, classification, listeners and recovery-failure settings of the handler (configuration keys
    /// <c>BackOff</c>, <c>NotRetryable</c>, <c>Retryable</c>, <c>RetryNothingByDefault</c>, <c>ResetStateOnExceptionChange</c>,
    /// <c>ResetStateOnRecoveryFailure</c>, <c>MaxRecoveryFailures</c>, <c>RecoveryFailureDelay</c>). Its
    /// <see cref="DefaultErrorHandlerOptions.Recoverer"/> is set from <see cref="Recoverer"/> when the handler is built.
    /// </summary>
    public DefaultErrorHandlerOptions Handler { get; } = new();

    /// <summary>Where records that failed for good go (configuration key <c>Recoverer</c>). Default <see cref="RecovererKind.DeadLetter"/>.</summary>
    public RecovererKind Recoverer { get; set; } = RecovererKind.DeadLetter;

    /// <summary>Creates the recoverer (once per consumer) when <see cref="Recoverer"/> is <see cref="RecovererKind.Custom"/>.</summary>
    public Func<IServiceProvider, IConsumerRecordRecoverer>? CustomRecoverer { get; set; }

    /// <summary>How dead letters are built and published (configuration section <c>DeadLetter</c>).</summary>
    public DeadLetterPublishingOptions DeadLetter { get; } = new();

    /// <summary>Problems found while binding configuration, reported with the others when the handler is built.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}

/// <summary>Which recoverer the default error handler uses (<see cref="ErrorHandlingOptions.Recoverer"/>).</summary>
public enum RecovererKind
{
    /// <summary>Publish to a dead-letter topic (default).</summary>
    DeadLetter,

    /// <summary>Log and skip; the record is lost. Opt-in only.</summary>
    Log,

    /// <summary>The application's own recoverer (<see cref="ErrorHandlingOptions.CustomRecoverer"/>); code only.</summary>
    Custom,
}
