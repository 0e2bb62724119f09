using Polly;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>Outcome of an insert attempt into the deduplication table.</summary>
internal enum InsertOutcome
{
    /// <summary>The row is now ours (inserted, taken over after expiry, or our own earlier attempt renewed).</summary>
    Inserted,
    Processed,
    Reserved,
}

/// <summary>The SQL of the deduplication table, shared by the store and the inbox. Times come from <see cref="TimeProvider"/>.</summary>
internal sealed class DeduplicationTable
{
    private const int MaxAttempts = 5;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly PostgreSqlDeduplicationOptions _options;
    private readonly string _insert;
    private readonly string _complete;
    private readonly string _release;
    private readonly string _cleanup;
    private readonly StatementBatcher _batcher;
    private volatile bool _created;

    /// <summary>The table of <paramref name="options"/>; <paramref name="batchResilience"/> (if any) guards each batched round trip.</summary>
    public DeduplicationTable(
        NpgsqlDataSource dataSource, PostgreSqlDeduplicationOptions options, TimeProvider? timeProvider = null, ResiliencePipeline? batchResilience = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        DataSource = dataSource;
        _options = options;
        Time = timeProvider ?? TimeProvider.System;
        Name = PostgreSqlDeduplicationSchema.QualifiedName(options.SchemaName, options.TableName);
        _batcher = new StatementBatcher(dataSource, batchResilience);
        _insert = $"""
            WITH attempt AS (
                INSERT INTO {Name} AS d (key, state, token, expires_at) VALUES (@key, @state, @token, @expires_at)
                ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
                WHERE d.expires_at <= @now OR (d.state = 'reserved' AND d.token = EXCLUDED.token)
                RETURNING 1)
            SELECT CASE WHEN EXISTS (SELECT 1 FROM attempt) THEN 'inserted' ELSE (SELECT state FROM {Name} WHERE key = @key) END
            """;
        _complete = $"""
            INSERT INTO {Name} AS d (key, state, token, expires_at) VALUES (@key, 'processed', NULL, @expires_at)
            ON CONFLICT (key) DO UPDATE SET state = 'processed', token = NULL, expires_at = EXCLUDED.expires_at
            RETURNING 1
            """;
        _release = $"DELETE FROM {Name} WHERE key = @key AND state = 'reserved' AND token = @token RETURNING 1";
        _cleanup = $"DELETE FROM {Name} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {Name} WHERE expires_at <= @now LIMIT @batch))";
    }

    public NpgsqlDataSource DataSource { get; }

    public TimeProvider Time { get; }

    /// <summary>Schema-qualified (when a schema is set) table name.</summary>
    public string Name { get; }

    public PostgreSqlDeduplicationOptions Options => _options;

    /// <summary>Creates the table once per instance when <see cref="PostgreSqlDeduplicationOptions.CreateTableIfMissing"/> is set.</summary>
    public async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created || !_options.CreateTableIfMissing)
        {
            return;
        }

        await _createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_created)
            {
                return;
            }

            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@lock)", connection, transaction))
            {
                lockCommand.Parameters.Add(new NpgsqlParameter<long>("lock", AdvisoryLockId()));
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = new NpgsqlCommand(PostgreSqlDeduplicationSchema.CreateScript(_options.SchemaName, _options.TableName), connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>
    /// Inserts <paramref name="key"/> in <paramref name="state"/> unless a live row holds it: on <paramref name="connection"/>
    /// in <paramref name="transaction"/> when given (the inbox), otherwise batched with the other lanes' statements.
    /// </summary>
    public async ValueTask<InsertOutcome> TryInsertAsync(
        string key, string state, Guid? token, TimeSpan lifetime, NpgsqlConnection? connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = Time.GetUtcNow();
            void Bind(NpgsqlParameterCollection parameters)
            {
                parameters.Add(new NpgsqlParameter<string>("key", key));
                parameters.Add(new NpgsqlParameter<string>("state", state));
                parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Uuid) { Value = token is { } t ? t : DBNull.Value });
                parameters.Add(new NpgsqlParameter<DateTimeOffset>("expires_at", now + lifetime));
                parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            }

            object? result;
            if (connection is null)
            {
                result = await RunAsync(() => _batcher.ExecuteAsync(_insert, Bind, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await using var command = new NpgsqlCommand(_insert, connection, transaction);
                Bind(command.Parameters);
                result = await RunAsync(() => command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false);
            }

            switch (result as string)
            {
                case "inserted":
                    return InsertOutcome.Inserted;
                case "processed":
                    return InsertOutcome.Processed;
                case "reserved":
                    return InsertOutcome.Reserved;
            }

            // The conflicting row committed after this statement's snapshot, or vanished meanwhile: look again.
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"Could not determine the state of key '{key}' in {Name} after {MaxAttempts} attempts (concurrent changes).");
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> processed (batched with the other lanes' statements).</summary>
    public async ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var expires = Time.GetUtcNow() + retention;
        await RunAsync(() => _batcher.ExecuteAsync(_complete, p =>
        {
            p.Add(new NpgsqlParameter<string>("key", key));
            p.Add(new NpgsqlParameter<DateTimeOffset>("expires_at", expires));
        }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes this reservation of <paramref name="key"/> (batched with the other lanes' statements).</summary>
    public async ValueTask ReleaseAsync(string key, Guid token, CancellationToken cancellationToken)
    {
        await RunAsync(() => _batcher.ExecuteAsync(_release, p =>
        {
            p.Add(new NpgsqlParameter<string>("key", key));
            p.Add(new NpgsqlParameter<Guid>("token", token));
        }, cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask<int> CleanupAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var command = DataSource.CreateCommand(_cleanup);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", Time.GetUtcNow()));
            command.Parameters.Add(new NpgsqlParameter<int>("batch", _options.CleanupBatchSize));
            var deleted = await ExecuteAsync(command, static (c, ct) => c.ExecuteNonQueryAsync(ct), cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < _options.CleanupBatchSize)
            {
                return total;
            }
        }
    }

    private async Task<T> ExecuteAsync<T>(NpgsqlCommand command, Func<NpgsqlCommand, CancellationToken, Task<T>> execute, CancellationToken cancellationToken) =>
        await RunAsync(() => execute(command, cancellationToken)).ConfigureAwait(false);

    /// <summary>Runs a statement, turning a missing table into an error that says how to create it.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            throw new InvalidOperationException(
                $"The deduplication table {Name} does not exist. Run the package's sql/kafka_pipeline_dedup.sql " +
                "(or PostgreSqlDeduplicationSchema.CreateScript(schema, table)), or set PostgreSqlDeduplicationOptions.CreateTableIfMissing = true.", ex);
        }
    }

    private long AdvisoryLockId() =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("kafkapipeline-dedup-schema:" + Name)));
}
