using KafkaPipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Errors;

/// <summary>
/// The core library's fallback when no error handler is configured: a failing record is retried forever after
/// <see cref="Delay"/>, never committed past and never skipped. Use KafkaPipeline.ErrorHandling's DefaultErrorHandler for
/// bounded retries and dead-letter topics.
/// </summary>
public sealed class RetryingErrorHandler : IConsumeErrorHandler
{
    private readonly ILogger _logger;

    /// <summary>Creates the handler; a failed record is delivered again after <paramref name="delay"/> (default 1 s).</summary>
    public RetryingErrorHandler(ILogger<RetryingErrorHandler> logger, TimeSpan? delay = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        Delay = delay ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>The pause before a failed record is delivered again.</summary>
    public TimeSpan Delay { get; }

    /// <inheritdoc/>
    public async ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pipeline);
        try
        {
            await pipeline(context).ConfigureAwait(false);
            return ErrorDisposition.Completed;
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            // The stack trace once, on the first failure; later failures of the record are one line each.
            Log.RecordFailedRetrying(_logger, context.Topic, context.Partition, context.Offset, context.DeliveryAttempt,
                ex.GetType().FullName ?? ex.GetType().Name, ex.Message, Delay, context.DeliveryAttempt == 1 ? ex : null);
            Telemetry.PipelineTracing.RecordException(ex);
            return ErrorDisposition.Retry(Delay);
        }
    }
}
