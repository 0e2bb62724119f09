using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis;

/// <summary>Which Redis failures the resilience pipeline retries.</summary>
internal static class RedisTransientErrors
{
    private static readonly string[] TransientServerErrors = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY"];

    public static bool IsTransient(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => Array.Exists(TransientServerErrors, p => server.Message.StartsWith(p, StringComparison.Ordinal)),
        _ => DeduplicationResilience.IsCommonTransient(exception),
    };
}
