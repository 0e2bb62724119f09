using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Deduplication;

/// <summary>Log messages of the deduplication step; event ids 1090-1099 of this assembly.</summary>
internal static partial class DeduplicationLog
{
    [LoggerMessage(1090, LogLevel.Warning, "Deduplication store failed for {Topic} [{Partition}] @{Offset}; DeduplicationOptions.FailOpen is set, so the record is processed WITHOUT its duplicate check")]
    public static partial void FailedOpen(ILogger logger, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(1091, LogLevel.Error, "Record {Topic} [{Partition}] @{Offset} was handled but could not be marked processed; its reservation lasts until the lease expires, after which a redelivery would be handled again")]
    public static partial void CompleteFailed(ILogger logger, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(1092, LogLevel.Warning, "Could not release the reservation of {Topic} [{Partition}] @{Offset} after it failed; its retry waits until the lease expires")]
    public static partial void ReleaseFailed(ILogger logger, string topic, int partition, long offset, Exception exception);
}
