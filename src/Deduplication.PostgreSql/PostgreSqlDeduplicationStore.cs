using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>
/// Deduplication store on a PostgreSQL table (see <see cref="PostgreSqlDeduplicationSchema"/>). A reservation is an
/// <c>INSERT … ON CONFLICT DO UPDATE … WHERE expires_at &lt;= now</c>: it takes over a row whose lease (or retention)
/// expired; completion upserts the processed mark with the retention; release deletes the reservation only while
/// it carries this reservation's token. Times come from the <see cref="TimeProvider"/> (keep consumer clocks in sync).
/// </summary>
public sealed class PostgreSqlDeduplicationStore : IDeduplicationStore
{
    private readonly DeduplicationTable _table;
    private readonly ReservationTokens _tokens = new();

    /// <summary>A store on <paramref name="dataSource"/> (not disposed by the store).</summary>
    public PostgreSqlDeduplicationStore(NpgsqlDataSource dataSource, PostgreSqlDeduplicationOptions options, TimeProvider? timeProvider = null)
        : this(new DeduplicationTable(dataSource, options, timeProvider))
    {
    }

    internal PostgreSqlDeduplicationStore(DeduplicationTable table) => _table = table;

    /// <summary>The table's name, schema-qualified when a schema is set.</summary>
    public string TableName => _table.Name;

    /// <inheritdoc/>
    public async ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        await _table.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var token = _tokens.Begin(key);
        InsertOutcome outcome;
        try
        {
            outcome = await _table.TryInsertAsync(key, "reserved", Guid.Parse(token), lease, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _tokens.End(key, token, reserved: null);
            throw;
        }

        _tokens.End(key, token, reserved: outcome == InsertOutcome.Inserted);
        return outcome switch
        {
            InsertOutcome.Inserted => ReservationStatus.Reserved,
            InsertOutcome.Processed => ReservationStatus.AlreadyProcessed,
            _ => ReservationStatus.InProgress,
        };
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        await _table.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        // Unconditional: the message was processed, whoever holds the key now.
        await _table.CompleteAsync(key, retention, cancellationToken).ConfigureAwait(false);
        _tokens.Forget(key);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_tokens.Current(key) is not { } token)
        {
            return; // not reserved by this store instance: nothing of ours to release
        }

        await _table.ReleaseAsync(key, Guid.Parse(token), cancellationToken).ConfigureAwait(false);
        _tokens.Forget(key, token);
    }

    /// <summary>Creates the table now (when <see cref="PostgreSqlDeduplicationOptions.CreateTableIfMissing"/> is set) instead of on first use.</summary>
    public ValueTask EnsureTableAsync(CancellationToken cancellationToken = default) => _table.EnsureCreatedAsync(cancellationToken);

    /// <summary>Deletes rows whose lease or retention expired; returns how many. Also run periodically by the cleanup service.</summary>
    public async ValueTask<int> CleanupExpiredAsync(CancellationToken cancellationToken = default)
    {
        await _table.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return await _table.CleanupAsync(cancellationToken).ConfigureAwait(false);
    }
}
