using Polly;
using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis;

/// <summary>
/// Deduplication store on Redis. A reservation is <c>SET prefix+key "reserved:&lt;token&gt;" NX PX lease</c> (in a Lua
/// script, so the outcome is read atomically); completion sets <c>"processed"</c> with the retention as TTL;
/// release deletes the reservation only while it still carries this reservation's token (compare-and-delete),
/// so a consumer whose lease expired never removes a newer holder's reservation. A retried reservation reuses
/// the token of an attempt with an unknown outcome, so it recognises its own reservation (and renews its lease).
/// Calls that lanes make at the same time go to Redis together, in one script call (see <see cref="RedisCallBatcher"/>).
/// </summary>
public sealed class RedisDeduplicationStore : IDeduplicationStore, IAsyncDisposable, IDisposable
{
    internal const string ProcessedMark = "processed";
    internal const string ReservedPrefix = "reserved:";

    private readonly ReservationTokens _tokens = new();
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;
    private readonly string _prefix;
    private readonly int _database;
    private readonly RedisCallBatcher _batcher;

    /// <summary>Uses <paramref name="connection"/> (not disposed by the store).</summary>
    public RedisDeduplicationStore(IConnectionMultiplexer connection, RedisDeduplicationOptions options)
        : this(connection, options, resilience: null)
    {
    }

    /// <summary>Connects on first use with <see cref="RedisDeduplicationOptions.ConnectionString"/>; disposes its connection.</summary>
    public RedisDeduplicationStore(RedisDeduplicationOptions options)
        : this(options, resilience: null)
    {
    }

    /// <summary>As the public constructor; each round trip runs in <paramref name="resilience"/>.</summary>
    internal RedisDeduplicationStore(IConnectionMultiplexer connection, RedisDeduplicationOptions options, ResiliencePipeline? resilience)
        : this(options, ownsConnection: false, resilience)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = new(Task.FromResult(connection));
    }

    /// <summary>As the public constructor; each round trip runs in <paramref name="resilience"/>.</summary>
    internal RedisDeduplicationStore(RedisDeduplicationOptions options, ResiliencePipeline? resilience)
        : this(options, ownsConnection: true, resilience)
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

    private RedisDeduplicationStore(RedisDeduplicationOptions options, bool ownsConnection, ResiliencePipeline? resilience)
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
        _batcher = new RedisCallBatcher(DatabaseAsync, resilience);
    }

    /// <summary>The Redis key under which <paramref name="key"/> is stored.</summary>
    public RedisKey RedisKeyOf(string key) => _prefix + key;

    /// <inheritdoc/>
    public async ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var token = _tokens.Begin(key);
        int result;
        try
        {
            result = await _batcher.CallAsync(new RedisCall(RedisKeyOf(key), "R", ReservedPrefix + token, Milliseconds(lease)), cancellationToken)
                .ConfigureAwait(false);
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
        // Unconditional: the message was processed, whoever holds the key now.
        await _batcher.CallAsync(new RedisCall(RedisKeyOf(key), "C", RedisValue.EmptyString, Milliseconds(retention)), cancellationToken)
            .ConfigureAwait(false);
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

        await _batcher.CallAsync(new RedisCall(RedisKeyOf(key), "D", ReservedPrefix + token, 0), cancellationToken).ConfigureAwait(false);
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

    private async Task<IDatabase> DatabaseAsync()
    {
        var connection = await _connection.Value.ConfigureAwait(false);
        return connection.GetDatabase(_database);
    }

    private static long Milliseconds(TimeSpan time) => Math.Max(1, (long)Math.Ceiling(time.TotalMilliseconds));
}
