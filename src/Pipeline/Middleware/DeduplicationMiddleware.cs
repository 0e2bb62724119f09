using KafkaPipeline.Deduplication;
using KafkaPipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Middleware;

/// <summary>
/// Reserves the record's key before the rest of the pipeline, marks it processed after success and
/// releases it on failure. A key processed before marks the context a duplicate: the handler step skips
/// it and its offset is committed like any other.
/// </summary>
internal sealed class DeduplicationMiddleware(IDeduplicationStore store, DeduplicationOptions options, ILogger logger) : IConsumeMiddleware
{
    public async ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        var key = DeduplicationKey.For(context, options);
        var status = await store.TryReserveAsync(key, options.Lease, context.CancellationToken).ConfigureAwait(false);
        switch (status)
        {
            case ReservationStatus.AlreadyProcessed:
                context.IsDuplicate = true;
                Log.DuplicateSkipped(logger, context.Topic, context.Partition, context.Offset, key);
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
            await store.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await store.CompleteAsync(key, options.Retention, context.CancellationToken).ConfigureAwait(false);
    }
}
