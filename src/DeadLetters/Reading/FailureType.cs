namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>
/// Which exception type describes a dead letter's failure. Spring's <c>DeadLetterPublishingRecoverer</c> is nearly always
/// handed the framework's <c>ListenerExecutionFailedException</c> (sometimes inside a <c>TimestampedException</c>), so
/// its <c>kafka_dlt-exception-fqcn</c> says little and the listener's own exception is in <c>-exception-cause-fqcn</c>;
/// for those wrappers the cause type is shown and counted instead. Any other type is shown as thrown.
/// </summary>
internal static class FailureType
{
    /// <summary>Spring's wrappers whose cause is the real failure.</summary>
    public static IReadOnlyCollection<string> SpringWrappers { get; } =
    [
        "org.springframework.kafka.listener.ListenerExecutionFailedException",
        "org.springframework.kafka.listener.TimestampedException",
    ];

    /// <summary>The cause type when <paramref name="exceptionType"/> is a Spring wrapper with a known cause, else <paramref name="exceptionType"/>.</summary>
    public static string? Of(string? exceptionType, string? causeType) =>
        exceptionType is not null && !string.IsNullOrEmpty(causeType) && SpringWrappers.Contains(exceptionType) ? causeType : exceptionType;
}
