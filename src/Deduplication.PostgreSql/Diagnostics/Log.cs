using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Deduplication.PostgreSql.Diagnostics;

/// <summary>Source-generated log messages of KafkaPipeline.Deduplication.PostgreSql; event ids 4100-4199.</summary>
internal static partial class Log
{
    [LoggerMessage(4100, LogLevel.Debug, "Record {Topic} [{Partition}] @{Offset} is a duplicate of inbox key '{Key}'; handler skipped")]
    public static partial void InboxDuplicateSkipped(ILogger logger, string topic, int partition, long offset, string key);

    [LoggerMessage(4101, LogLevel.Warning, "Rolling back the inbox transaction of {Topic} [{Partition}] @{Offset} failed; the connection is discarded, so nothing of it is committed")]
    public static partial void InboxRollbackFailed(ILogger logger, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(4102, LogLevel.Debug, "Deleted {Count} expired rows from {Table}")]
    public static partial void CleanupDeleted(ILogger logger, int count, string table);

    [LoggerMessage(4103, LogLevel.Warning, "Cleanup of expired rows in {Table} failed; it is tried again in {Interval}")]
    public static partial void CleanupFailed(ILogger logger, string table, TimeSpan interval, Exception exception);
}
