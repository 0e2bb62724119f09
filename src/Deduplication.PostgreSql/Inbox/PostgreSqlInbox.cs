using Polly;

namespace KafkaPipeline.Deduplication.PostgreSql.Inbox;

/// <summary>Opens a record's inbox transaction with its processed mark, guarded by the resilience pipeline.</summary>
internal sealed class PostgreSqlInbox
{
    public const string StoreName = "PostgreSQL inbox";
    private readonly DeduplicationTable _table;
    private readonly ResiliencePipeline _pipeline;

    public PostgreSqlInbox(DeduplicationTable table, DeduplicationResilienceOptions resilience, TimeProvider? resilienceTime = null)
    {
        _table = table;
        _pipeline = DeduplicationResilience.CreatePipeline(resilience, PostgreSqlTransientErrors.IsTransient, resilienceTime, "KafkaPipeline.Deduplication.PostgreSqlInbox");
    }

    public string TableName => _table.Name;

    /// <summary>An open transaction holding the new processed mark; null with the outcome when the key is taken.</summary>
    public async ValueTask<(InboxTransaction? Transaction, InsertOutcome Outcome)> BeginAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, ct) => state.Item1.BeginOnceAsync(state.key, state.retention, ct), (this, key, retention), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new DeduplicationStoreException(StoreName, key, "begin the inbox transaction for", ex);
        }
    }

    private async ValueTask<(InboxTransaction?, InsertOutcome)> BeginOnceAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        await _table.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _table.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(_table.Options.InboxIsolationLevel, cancellationToken).ConfigureAwait(false);
            var outcome = await _table.TryInsertAsync(key, "processed", null, retention, connection, transaction, cancellationToken).ConfigureAwait(false);
            if (outcome == InsertOutcome.Inserted)
            {
                return (new InboxTransaction(connection, transaction, key), outcome);
            }

            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            return (null, outcome);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
