using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>
/// Group commit for the deduplication table: statements that lanes issue at the same time run in one round trip and
/// one transaction (one WAL flush), instead of one round trip and one fsync each. The first caller finds no flush
/// under way and runs one at once (no added latency when idle); callers arriving meanwhile are queued and run together
/// in the next. A statement's outcome is only reported once its batch committed, so a reservation or a processed mark
/// is as durable as before when its caller goes on. A failing batch fails every statement in it (nothing of it
/// committed); callers retry through their resilience pipeline.
/// </summary>
internal sealed class StatementBatcher(NpgsqlDataSource dataSource, int maxBatch = 256)
{
    private readonly Lock _gate = new();
    private List<Pending> _queue = [];
    private bool _flushing;

    /// <summary>
    /// Runs <paramref name="sql"/> (which must return at most one row of one column, e.g. with <c>RETURNING</c>) in the
    /// next batch; returns the value of that row, or null when it returned none.
    /// </summary>
    public Task<object?> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        var pending = new Pending(sql, bind);
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_flushing;
            _flushing = true;
        }

        if (lead)
        {
            _ = Task.Run(FlushAsync, CancellationToken.None);
        }

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                if (_queue.Count <= maxBatch)
                {
                    batch = _queue;
                    _queue = [];
                }
                else
                {
                    batch = _queue.GetRange(0, maxBatch);
                    _queue.RemoveRange(0, maxBatch);
                }
            }

            await RunAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(List<Pending> batch)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var command = new NpgsqlBatch(connection);
            foreach (var pending in batch)
            {
                var statement = new NpgsqlBatchCommand(pending.Sql);
                pending.Bind(statement.Parameters);
                command.BatchCommands.Add(statement);
            }

            var results = new object?[batch.Count];
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (await reader.ReadAsync().ConfigureAwait(false))
                    {
                        results[i] = reader.IsDBNull(0) ? null : reader.GetValue(0);
                    }

                    await reader.NextResultAsync().ConfigureAwait(false);
                }
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    private sealed class Pending(string sql, Action<NpgsqlParameterCollection> bind)
    {
        public string Sql { get; } = sql;

        public Action<NpgsqlParameterCollection> Bind { get; } = bind;

        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
