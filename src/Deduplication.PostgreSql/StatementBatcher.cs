using Npgsql;
using Polly;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>
/// Group commit for the deduplication table: statements that lanes issue at the same time run in one round trip and
/// one implicit transaction (one WAL flush), instead of one round trip and one fsync each; see
/// <see cref="StoreCallBatcher{TCall, TResult}"/> for when a batch goes. Up to <paramref name="maxInFlight"/> batches
/// run at once, each on its own pooled connection.
/// </summary>
internal sealed class StatementBatcher(NpgsqlDataSource dataSource, ResiliencePipeline? resilience, int maxBatch = 256, int maxInFlight = 2)
    : StoreCallBatcher<StatementBatcher.Statement, object?>(maxBatch, maxInFlight, resilience)
{
    /// <summary>
    /// Runs <paramref name="sql"/> (which must return at most one row of one column, e.g. with <c>RETURNING</c>) in the
    /// next batch; returns the value of that row, or null when it returned none.
    /// </summary>
    public Task<object?> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken) =>
        CallAsync(new Statement(sql, bind), cancellationToken);

    protected override async Task RunAsync(IReadOnlyList<Statement> calls, object?[] results, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlBatch(connection);
        foreach (var call in calls)
        {
            var statement = new NpgsqlBatchCommand(call.Sql);
            call.Bind(statement.Parameters);
            command.BatchCommands.Add(statement);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < calls.Count; i++)
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                results[i] = reader.IsDBNull(0) ? null : reader.GetValue(0);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal sealed record Statement(string Sql, Action<NpgsqlParameterCollection> Bind);
}
