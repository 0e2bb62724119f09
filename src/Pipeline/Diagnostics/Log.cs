using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Diagnostics;

/// <summary>Source-generated log messages of KafkaPipeline; event ids 1000-1099 are this assembly's.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Consumer of group '{GroupId}' starting on topics {Topics} (ordering {Ordering}, up to {MaxConcurrency} records in flight)")]
    public static partial void ConsumerStarting(ILogger logger, string groupId, string topics, string ordering, int maxConcurrency);

    [LoggerMessage(1001, LogLevel.Information, "Consumer of group '{GroupId}' stopped")]
    public static partial void ConsumerStopped(ILogger logger, string groupId);

    [LoggerMessage(1002, LogLevel.Information, "Group '{GroupId}' assigned {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string groupId, string partitions);

    [LoggerMessage(1003, LogLevel.Information, "Group '{GroupId}' revoked {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string groupId, string partitions);

    [LoggerMessage(1004, LogLevel.Warning, "Group '{GroupId}' lost {Partitions} (no commit possible; they will be redelivered)")]
    public static partial void PartitionsLost(ILogger logger, string groupId, string partitions);

    [LoggerMessage(1005, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} failed on delivery {Attempt} with {ExceptionType}: {ExceptionMessage}; retrying after {Delay}")]
    public static partial void RecordFailedRetrying(ILogger logger, string topic, int partition, long offset, int attempt, string exceptionType, string exceptionMessage, TimeSpan delay, Exception? exception);

    [LoggerMessage(1006, LogLevel.Debug, "Record {Topic} [{Partition}] @{Offset} is a duplicate of '{Key}'; handler skipped")]
    public static partial void DuplicateSkipped(ILogger logger, string topic, int partition, long offset, string key);

    [LoggerMessage(1007, LogLevel.Warning, "Could not commit offset {Offset} of {Topic} [{Partition}]: {Reason}. The record may be redelivered (at least once).")]
    public static partial void CommitFailed(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(1008, LogLevel.Error, "Kafka client error in group '{GroupId}': {Reason} ({Code}, fatal: {IsFatal})")]
    public static partial void ClientError(ILogger logger, string groupId, string reason, string code, bool isFatal);

    [LoggerMessage(1009, LogLevel.Error, "The error handler of group '{GroupId}' threw for {Topic} [{Partition}] @{Offset}; the record is retried and not committed")]
    public static partial void ErrorHandlerFailed(ILogger logger, string groupId, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(1010, LogLevel.Critical, "Partition {Topic} [{Partition}] is stopped at offset {Offset} in group '{GroupId}': that record's lane (its partition, or its key in Key mode) runs nothing more and nothing from that offset on is committed until the consumer restarts or the partition moves")]
    public static partial void PartitionStopped(ILogger logger, string groupId, string topic, int partition, long offset);

    [LoggerMessage(1011, LogLevel.Critical, "Consumer of group '{GroupId}' failed and stopped")]
    public static partial void ConsumerFailed(ILogger logger, string groupId, Exception exception);

    [LoggerMessage(1012, LogLevel.Warning, "Setting '{Key}={Value}' in group '{GroupId}' is overridden with '{Value2}': {Reason}")]
    public static partial void RiskySettingOverridden(ILogger logger, string groupId, string key, string value, string value2, string reason);

    [LoggerMessage(1013, LogLevel.Warning, "Consume error in group '{GroupId}': {Reason}")]
    public static partial void ConsumeError(ILogger logger, string groupId, string reason);

    [LoggerMessage(1014, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} was abandoned (shutdown or revoke timeout) before it finished; it is not committed and will be redelivered")]
    public static partial void RecordAbandoned(ILogger logger, string topic, int partition, long offset);

    [LoggerMessage(1015, LogLevel.Warning, "Group '{GroupId}' deduplicates without a key selector: records without a '{HeaderName}' header are identified by topic, partition, offset and timestamp, which recognises a redelivered record but not a message produced twice (and the in-memory store keeps no entry for them). Send the header or set DeduplicationOptions.KeySelector")]
    public static partial void DeduplicationByCoordinates(ILogger logger, string groupId, string headerName);

    [LoggerMessage(1016, LogLevel.Debug, "Record {Topic} [{Partition}] @{Offset} was fetched again after offset {LastDispatched} was dispatched; dropped (it already runs or ran)")]
    public static partial void RecordAlreadyDispatched(ILogger logger, string topic, int partition, long offset, long lastDispatched);

    [LoggerMessage(1017, LogLevel.Warning, "Disposing the DI scope of {Topic} [{Partition}] @{Offset} in group '{GroupId}' threw; the record's outcome stands")]
    public static partial void ScopeDisposeFailed(ILogger logger, string groupId, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(1018, LogLevel.Critical, "A lane of group '{GroupId}' failed unexpectedly; its records stay uncommitted and are redelivered after the next rebalance or restart")]
    public static partial void LaneFailed(ILogger logger, string groupId, Exception exception);

    [LoggerMessage(1019, LogLevel.Warning, "Group '{GroupId}': {Count} record(s) in flight did not finish within {Timeout} while their partitions leave; cancelling their tokens (they are not committed and will be redelivered)")]
    public static partial void AbandoningInFlight(ILogger logger, string groupId, int count, TimeSpan timeout);

    [LoggerMessage(1020, LogLevel.Error, "Group '{GroupId}': {Count} record(s) still run after their tokens were cancelled; their partitions are let go (the new owner may run them concurrently)")]
    public static partial void RecordsStillRunning(ILogger logger, string groupId, int count);

    [LoggerMessage(1021, LogLevel.Warning, "Group '{GroupId}': ShutdownTimeout {ShutdownTimeout} plus {Allowance} to commit and close is not below the host's ShutdownTimeout {HostTimeout}; the host may dispose services under a record in flight. Fix: lower Kafka:Consumers:{GroupId}:ShutdownTimeout or raise HostOptions.ShutdownTimeout")]
    public static partial void ShutdownOutlastsHost(ILogger logger, string groupId, TimeSpan shutdownTimeout, TimeSpan hostTimeout, TimeSpan allowance);

    [LoggerMessage(1022, LogLevel.Information, "Group '{GroupId}': {Count} record(s) of {Topic} [{Partition}] above the committed offset {Offset} finished before that commit (its metadata says so); they are skipped, not handled again")]
    public static partial void SkippingFinishedOffsets(ILogger logger, string groupId, string topic, int partition, int count, long offset);

    [LoggerMessage(1023, LogLevel.Warning, "Group '{GroupId}': could not read the committed offsets' metadata of {Partitions} ({Reason}); records finished above the committed offsets are handled again")]
    public static partial void FinishedOffsetsUnreadable(ILogger logger, string groupId, string partitions, string reason);
}
