using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis;

/// <summary>
/// Deduplication store on Redis. A reservation is <c>SET prefix+key "reserved:&lt;token&gt;" NX PX lease</c> (a Lua
/// script, so the outcome is read atomically); completion sets <c>"processed"</c> with the retention as TTL;
/// release deletes the reservation only while it still carries this reservation's token (compare-and-delete),
/// so a consumer whose lease expired never removes a newer holder's reservation. A retried reservation reuses
/// the token of an attempt with an unknown outcome, so it recognises its own reservation (and renews its lease).
/// </summary>
public sealed class RedisDeduplicationStore : IDeduplicationStore, IAsyncDisposable, IDisposable
{
    internal const string ProcessedMark = "processed";
    internal const string ReservedPrefix = "reserved:";

    private const string ReserveScript = """
        local v = redis.call('GET', KEYS[1])
        if not v then
          redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
          return 0
        end
        if v == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 0
        end
        if v == ARGV[3] then return 1 end
        return 2
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly ReservationTokens _tokens = new();
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;
    private readonly string _prefix;
    private readonly int _database;

    /// <summary>Uses <paramref name="connection"/> (not disposed by the store).</summary>
    public RedisDeduplicationStore(IConnectionMultiplexer connection, RedisDeduplicationOptions options)
        : this(options, ownsConnection: false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = new(Task.FromResult(connection));
    }

    /// <summary>Connects on first use with <see cref="RedisDeduplicationOptions.ConnectionString"/>; disposes its connection.</summary>
    public RedisDeduplicationStore(RedisDeduplicationOptions options)
        : this(options, ownsConnection: true)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("RedisDeduplicationOptions.ConnectionString is required when no IConnectionMultiplexer is given.", nameof(options));
        }

        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        configuration.AbortOnConnectFail = false; // keep reconnecting after an outage at start
        configuration.BacklogPolicy = BacklogPolicy.FailFast; // while disconnected, fail calls at once (fail-closed or fail-open) instead of queueing them
        _connection = new(async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false));
    }

    private RedisDeduplicationStore(RedisDeduplicationOptions options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _prefix = options.KeyPrefix;
        _database = options.Database;
        _ownsConnection = ownsConnection;
        _connection = null!;
    }

    /// <summary>The Redis key under which <paramref name="key"/> is stored.</summary>
    public RedisKey RedisKeyOf(string key) => _prefix + key;

    /// <inheritdoc/>
    public async ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var token = _tokens.Begin(key);
        int result;
        try
        {
            result = (int)await db.ScriptEvaluateAsync(
                    ReserveScript,
                    [RedisKeyOf(key)],
                    [ReservedPrefix + token, Milliseconds(lease), ProcessedMark])
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _tokens.End(key, token, reserved: null);
            throw;
        }

        _tokens.End(key, token, reserved: result == 0);
        return result switch
        {
            0 => ReservationStatus.Reserved,
            1 => ReservationStatus.AlreadyProcessed,
            _ => ReservationStatus.InProgress,
        };
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);

        // Unconditional: the message was processed, whoever holds the key now.
        await db.StringSetAsync(RedisKeyOf(key), ProcessedMark, retention).WaitAsync(cancellationToken).ConfigureAwait(false);
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

        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.ScriptEvaluateAsync(ReleaseScript, [RedisKeyOf(key)], [ReservedPrefix + token]).WaitAsync(cancellationToken).ConfigureAwait(false);
        _tokens.Forget(key, token);
    }

    /// <summary>Closes the Redis connection when the store created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the Redis connection when the store created it.</summary>
    public void Dispose()
    {
        if (_ownsConnection && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase(_database);
    }

    private static long Milliseconds(TimeSpan time) => Math.Max(1, (long)Math.Ceiling(time.TotalMilliseconds));
}
