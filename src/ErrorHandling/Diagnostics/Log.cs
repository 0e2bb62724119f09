using Microsoft.Extensions.Logging;

namespace KafkaPipeline.ErrorHandling.Diagnostics;

/// <summary>Source-generated log messages of KafkaPipeline.ErrorHandling; event ids 2000-2099 are this assembly's.</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} failed (failure {Attempt} of this record) with {ExceptionType}: {ExceptionMessage}; retrying after {Delay}")]
    public static partial void RetryScheduled(ILogger logger, string topic, int partition, long offset, int attempt, string exceptionType, string exceptionMessage, TimeSpan delay);

    [LoggerMessage(2001, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} failed {Attempt} time(s) with {ExceptionType}: {ExceptionMessage}; its back-off is exhausted, handing it to the recoverer")]
    public static partial void RetriesExhausted(ILogger logger, string topic, int partition, long offset, int attempt, string exceptionType, string exceptionMessage);

    [LoggerMessage(2002, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} failed with not-retryable {ExceptionType}: {ExceptionMessage}; handing it to the recoverer without retrying")]
    public static partial void NotRetryable(ILogger logger, string topic, int partition, long offset, string exceptionType, string exceptionMessage);

    [LoggerMessage(2003, LogLevel.Error, "Record {Topic} [{Partition}] @{Offset} failed for good after {Failures} failure(s) and was recovered by {Recoverer}; its offset is committed. The failure:")]
    public static partial void Recovered(ILogger logger, string topic, int partition, long offset, int failures, string recoverer, Exception exception);

    [LoggerMessage(2004, LogLevel.Error, "Recovery of record {Topic} [{Partition}] @{Offset} failed ({Failures} recovery failure(s)): {Reason}; nothing is committed, the record is delivered again after {Delay}")]
    public static partial void RecoveryFailed(ILogger logger, string topic, int partition, long offset, int failures, string reason, TimeSpan delay, Exception? exception);

    [LoggerMessage(2005, LogLevel.Critical, "Recovery of record {Topic} [{Partition}] @{Offset} failed {Failures} time(s), reaching MaxRecoveryFailures; the partition is stopped at this record and the consumer reports unhealthy")]
    public static partial void RecoveryFailuresExhausted(ILogger logger, string topic, int partition, long offset, int failures, Exception exception);

    [LoggerMessage(2006, LogLevel.Warning, "Retry listener {Listener} threw in {Callback} for {Topic} [{Partition}] @{Offset}; ignored")]
    public static partial void ListenerFailed(ILogger logger, string listener, string callback, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(2007, LogLevel.Critical, "Record {Topic} [{Partition}] @{Offset} is refused by its recoverer for good ({Reason}); its lane is stopped at this record, nothing from it on is committed and the consumer reports unhealthy. Fix the cause and restart the consumer")]
    public static partial void RecoveryRefused(ILogger logger, string topic, int partition, long offset, string reason, Exception exception);

    [LoggerMessage(2008, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} waits for infrastructure (failure {Attempt}): {Reason}; retrying after {Delay}, never dead-lettered for this")]
    public static partial void InfrastructureWait(ILogger logger, string topic, int partition, long offset, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(2010, LogLevel.Information, "Record {Topic} [{Partition}] @{Offset} was dead-lettered to {DeadLetterTopic} [{DeadLetterPartition}] @{DeadLetterOffset}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, int deadLetterPartition, long deadLetterOffset);

    [LoggerMessage(2011, LogLevel.Warning, "Dead-letter topic {DeadLetterTopic} has {PartitionCount} partition(s), so partition {Partition} of {Topic} does not exist there; the producer chooses the partition")]
    public static partial void DeadLetterPartitionMissing(ILogger logger, string deadLetterTopic, int partitionCount, string topic, int partition);

    [LoggerMessage(2012, LogLevel.Warning, "Publishing record {Topic} [{Partition}] @{Offset} to dead-letter topic {DeadLetterTopic} failed transiently (attempt {Attempt}): {Reason}; retrying after {Delay}")]
    public static partial void DeadLetterPublishRetry(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(2013, LogLevel.Debug, "Could not read the partition count of dead-letter topic {DeadLetterTopic}; keeping the original partition number")]
    public static partial void DeadLetterMetadataFailed(ILogger logger, string deadLetterTopic, Exception exception);

    [LoggerMessage(2014, LogLevel.Warning, "Dead-letter producer setting '{Key}={Value}' is overridden with '{Forced}': {Reason}")]
    public static partial void ProducerSettingOverridden(ILogger logger, string key, string value, string forced, string reason);

    [LoggerMessage(2015, LogLevel.Warning, "The dead-letter producer still had {Count} record(s) in flight when it was disposed after {FlushTimeout}; their recovery was not acknowledged, so those records were not committed and will be redelivered")]
    public static partial void ProducerFlushIncomplete(ILogger logger, int count, TimeSpan flushTimeout);

    [LoggerMessage(2016, LogLevel.Warning, "Dead-letter producer error: {Reason} ({Code})")]
    public static partial void ProducerError(ILogger logger, string reason, string code);

    [LoggerMessage(2020, LogLevel.Error, "Record {Topic} [{Partition}] @{Offset} of group '{GroupId}' is skipped by the logging recoverer after failure {Attempt}; its offset will be committed and the record is not kept anywhere")]
    public static partial void RecordSkipped(ILogger logger, string topic, int partition, long offset, string groupId, int attempt, Exception exception);

    [LoggerMessage(2030, LogLevel.Warning, "Group '{GroupId}' uses the logging recoverer: a record that exhausts its retries is logged and skipped (lost). Use a dead-letter topic to keep such records")]
    public static partial void LoggingRecovererChosen(ILogger logger, string groupId);

    [LoggerMessage(2031, LogLevel.Warning, "Group '{GroupId}' uses an unbounded back-off ({BackOff}): a record that keeps failing is retried forever and its partition makes no progress")]
    public static partial void UnboundedBackOff(ILogger logger, string groupId, string backOff);

    [LoggerMessage(2032, LogLevel.Information, "Group '{GroupId}' error handling: back-off {BackOff}, recoverer {Recoverer}, max recovery failures {MaxRecoveryFailures}")]
    public static partial void ErrorHandlerConfigured(ILogger logger, string groupId, string backOff, string recoverer, string maxRecoveryFailures);
}
