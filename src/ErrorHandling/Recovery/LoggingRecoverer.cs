using KafkaPipeline.ErrorHandling.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Log-and-skip: logs the record's coordinates, group and exception (never its key, value or headers) and lets its
/// offset be committed. The record is lost, so this recoverer is never a default; choose it explicitly.
/// </summary>
public sealed class LoggingRecoverer : IConsumerRecordRecoverer
{
    private readonly ILogger _logger;

    /// <summary>Creates the recoverer; records are logged through <paramref name="logger"/>.</summary>
    public LoggingRecoverer(ILogger<LoggingRecoverer> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc/>
    public ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        Log.RecordSkipped(_logger, context.Topic, context.Partition, context.Offset, context.GroupId, context.DeliveryAttempt, exception);
        return ValueTask.CompletedTask;
    }

    /// <summary>The recoverer's name, for the start-up log line.</summary>
    public override string ToString() => "log and skip";
}
