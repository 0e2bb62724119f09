using Polly;
using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis;

/// <summary>
/// Sends the reservations, completions and releases that lanes make at the same time in one script call (one round
/// trip, one atomic step on the server); see <see cref="StoreCallBatcher{TCall, TResult}"/> for when a batch goes.
/// On a Redis Cluster, a script may only touch keys of one hash slot: the batch is split by slot and the parts go
/// concurrently.
/// </summary>
internal sealed class RedisCallBatcher(Func<Task<IDatabase>> database, ResiliencePipeline? resilience, int maxBatch = 256, int maxInFlight = 2)
    : StoreCallBatcher<RedisCall, int>(maxBatch, maxInFlight, resilience)
{
    // ARGV holds three values per key: the operation (R reserve, C complete, D release), the token value and the time
    // to live in milliseconds. Results: reserve 0 reserved (new or renewed: the same token), 1 processed, 2 held by
    // another reservation; complete and release 0.
    private const string Script = """
        local r = {}
        for i, key in ipairs(KEYS) do
          local op, value, ttl = ARGV[3 * i - 2], ARGV[3 * i - 1], ARGV[3 * i]
          r[i] = 0
          if op == 'R' then
            local v = redis.call('GET', key)
            if not v then
              redis.call('SET', key, value, 'PX', ttl)
            elseif v == value then
              redis.call('PEXPIRE', key, ttl)
            elseif v == 'processed' then
              r[i] = 1
            else
              r[i] = 2
            end
          elseif op == 'C' then
            redis.call('SET', key, 'processed', 'PX', ttl)
          elseif redis.call('GET', key) == value then
            redis.call('DEL', key)
          end
        end
        return r
        """;

    private IConnectionMultiplexer? _topologyOf;
    private bool _cluster;

    protected override async Task RunAsync(IReadOnlyList<RedisCall> calls, int[] results, CancellationToken cancellationToken)
    {
        var db = await database().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (IsCluster(db.Multiplexer))
        {
            var slots = Enumerable.Range(0, calls.Count).GroupBy(i => db.Multiplexer.HashSlot(calls[i].Key));
            await Task.WhenAll(slots.Select(slot => RunAsync(db, calls, [.. slot], results, cancellationToken))).ConfigureAwait(false);
            return;
        }

        await RunAsync(db, calls, [.. Enumerable.Range(0, calls.Count)], results, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunAsync(IDatabase db, IReadOnlyList<RedisCall> calls, int[] indexes, int[] results, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[indexes.Length];
        var values = new RedisValue[indexes.Length * 3];
        for (var i = 0; i < indexes.Length; i++)
        {
            var call = calls[indexes[i]];
            keys[i] = call.Key;
            values[3 * i] = call.Operation;
            values[(3 * i) + 1] = call.Value;
            values[(3 * i) + 2] = call.TimeToLiveMs;
        }

        var replies = (RedisResult[])(await db.ScriptEvaluateAsync(Script, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        for (var i = 0; i < indexes.Length; i++)
        {
            results[indexes[i]] = (int)replies[i];
        }
    }

    /// <summary>Whether the connection talks to a Redis Cluster; asked once per connection, not per batch.</summary>
    private bool IsCluster(IConnectionMultiplexer connection)
    {
        if (!ReferenceEquals(Volatile.Read(ref _topologyOf), connection))
        {
            _cluster = connection.GetServers().Any(server => server.ServerType == ServerType.Cluster);
            Volatile.Write(ref _topologyOf, connection);
        }

        return _cluster;
    }
}

/// <summary>One call of <see cref="RedisCallBatcher"/>: <c>R</c> reserve, <c>C</c> complete or <c>D</c> release of a key.</summary>
internal readonly record struct RedisCall(RedisKey Key, string Operation, RedisValue Value, long TimeToLiveMs);
