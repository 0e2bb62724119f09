using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis.Tests.Support;

/// <summary>The real Redis of the test run (scripts/services.sh starts it): <c>KP_REDIS</c>, default 127.0.0.1:6379.</summary>
internal static class TestRedis
{
    /// <summary>A loopback port nothing listens on: every connection is refused at once.</summary>
    public const string ClosedPort = "127.0.0.1:1,connectTimeout=300,connectRetry=0";

    private static readonly Lazy<ConnectionMultiplexer> Shared = new(() => ConnectionMultiplexer.Connect(ConnectionString));

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("KP_REDIS") is { Length: > 0 } configured ? configured : "127.0.0.1:6379";

    public static IConnectionMultiplexer Connection => Shared.Value;

    public static IDatabase Database => Connection.GetDatabase();

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix() => $"kp-test:{Guid.NewGuid():N}:";

    /// <summary>Deletes every key under <paramref name="prefix"/> (test clean-up).</summary>
    public static async Task DeletePrefixAsync(string prefix)
    {
        foreach (var endpoint in Connection.GetEndPoints())
        {
            await foreach (var key in Connection.GetServer(endpoint).KeysAsync(pattern: prefix + "*"))
            {
                await Database.KeyDeleteAsync(key);
            }
        }
    }

    public static RedisDeduplicationStore Store(string prefix) => new(Connection, new RedisDeduplicationOptions { KeyPrefix = prefix });
}
