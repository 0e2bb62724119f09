using KafkaPipeline.Deduplication.PostgreSql.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Deduplication.PostgreSql.Inbox;

/// <summary>
/// Transactional inbox: per record, opens a connection and transaction and inserts the record's processed mark in
/// it. A key already marked makes the record a duplicate (handler skipped, offset committed). Otherwise the
/// transaction is exposed through <see cref="InboxConsumeContextExtensions.GetInboxTransaction"/>, the rest of the
/// pipeline runs, and the transaction commits on success (handler work and mark together) or rolls back on failure.
/// Always fail-closed: <see cref="DeduplicationOptions.FailOpen"/> does not apply.
/// </summary>
internal sealed class PostgreSqlInboxMiddleware : IConsumeMiddleware
{
    private readonly PostgreSqlInbox _inbox;
    private readonly DeduplicationOptions _options;
    private readonly ILogger _logger;

    /// <summary>Created by <c>UsePostgreSqlInbox()</c> once per consumer at start.</summary>
    public PostgreSqlInboxMiddleware(IServiceProvider services, ConsumerDescriptor consumer)
        : this(
            services.GetService<PostgreSqlInbox>() ?? throw new InvalidOperationException(
                $"The pipeline of group '{consumer.GroupId}' uses UsePostgreSqlInbox() but its services are missing: call AddPostgreSqlInbox(o => o.ConnectionString = …) on AddKafkaPipeline(…)."),
            services.GetRequiredService<IOptions<DeduplicationOptions>>().Value,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("KafkaPipeline.Deduplication.PostgreSql.Inbox"))
    {
    }

    internal PostgreSqlInboxMiddleware(PostgreSqlInbox inbox, DeduplicationOptions options, ILogger logger)
    {
        _inbox = inbox;
        _options = options;
        _logger = logger;
    }

    public async ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        var key = DeduplicationKey.For(context, _options);
        var (inbox, outcome) = await _inbox.BeginAsync(key, _options.Retention, context.CancellationToken).ConfigureAwait(false);
        if (inbox is null)
        {
            if (outcome == InsertOutcome.Reserved)
            {
                throw new DeduplicationInProgressException(key); // reserved by a consumer using the store on the same table
            }

            context.IsDuplicate = true;
            Log.InboxDuplicateSkipped(_logger, context.Topic, context.Partition, context.Offset, key);
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Items[InboxConsumeContextExtensions.ItemKey] = inbox;
        try
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch
            {
                await RollbackAsync(context, inbox).ConfigureAwait(false);
                throw;
            }

            try
            {
                // Not the record's token: a shutdown must not abandon a commit half-way.
                await inbox.Transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw new DeduplicationStoreException(PostgreSqlInbox.StoreName, key, "commit the inbox transaction of", ex);
            }
        }
        finally
        {
            context.Items.Remove(InboxConsumeContextExtensions.ItemKey);
            await inbox.CloseAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask RollbackAsync(ConsumeContext context, InboxTransaction inbox)
    {
        try
        {
            await inbox.Transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.InboxRollbackFailed(_logger, context.Topic, context.Partition, context.Offset, ex);
        }
    }
}
