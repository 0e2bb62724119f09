using KafkaPipeline.Deduplication;
using KafkaPipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Middleware;

/// <summary>
/// Reserves the record's key before the rest of the pipeline, marks it processed after success and
/// releases it on failure. A key processed before marks the context a duplicate: the handler step skips
/// it and its offset is committed like any other.
/// </summary>
/// <remarks>
/// Store failures: a failed reservation throws <see cref="DeduplicationStoreException"/> (retryable; fail-closed)
/// unless <see cref="DeduplicationOptions.FailOpen"/> is set, in which case the record is processed without the check.
/// A failed completion after the handler succeeded is logged, not thrown: retrying would run the handler again.
/// A failed release is logged and the original failure is rethrown.
/// </remarks>
internal sealed class DeduplicationMiddleware : IConsumeMiddleware
{
    private readonly IDeduplicationStore _store;
    private readonly DeduplicationOptions _options;
    private readonly ILogger _logger;

    public DeduplicationMiddleware(IDeduplicationStore store, DeduplicationOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options;
        _logger = logger;
    }

    public async ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        var key = DeduplicationKey.For(context, _options, out var byCoordinates);
        if (byCoordinates && _store is IProcessLocalDeduplicationStore)
        {
            // Within the process the consumer's watermark already recognises a redelivered offset: no entry needed.
            await next(context).ConfigureAwait(false);
            return;
        }

        ReservationStatus status;
        try
        {
            status = await _store.TryReserveAsync(key, _options.Lease, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, context))
        {
            var failure = ex as DeduplicationStoreException ?? new DeduplicationStoreException(_store.GetType().Name, key, "reserve", ex);
            if (!_options.FailOpen)
            {
                throw failure;
            }

            DeduplicationLog.FailedOpen(_logger, context.Topic, context.Partition, context.Offset, failure);
            await next(context).ConfigureAwait(false);
            return;
        }

        switch (status)
        {
            case ReservationStatus.AlreadyProcessed:
                context.IsDuplicate = true;
                Log.DuplicateSkipped(_logger, context.Topic, context.Partition, context.Offset, key);
                await next(context).ConfigureAwait(false);
                return;
            case ReservationStatus.InProgress:
                throw new DeduplicationInProgressException(key);
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync(context, key).ConfigureAwait(false);
            throw;
        }

        try
        {
            // Not the record's token: a shutdown must not leave a handled record unmarked.
            await _store.CompleteAsync(key, _options.Retention, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DeduplicationLog.CompleteFailed(_logger, context.Topic, context.Partition, context.Offset, ex);
        }
    }

    private async ValueTask ReleaseAsync(ConsumeContext context, string key)
    {
        try
        {
            await _store.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DeduplicationLog.ReleaseFailed(_logger, context.Topic, context.Partition, context.Offset, ex);
        }
    }

    private static bool IsStoreFailure(Exception exception, ConsumeContext context) =>
        !(exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested);
}
