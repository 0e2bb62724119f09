namespace KafkaPipeline.Deduplication.Redis;

/// <summary>Settings of the Redis deduplication store (e.g. section <c>Kafka:Deduplication:Redis</c>).</summary>
public sealed class RedisDeduplicationOptions
{
    /// <summary>
    /// StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>. The store then owns its
    /// connection: <c>abortConnect</c> is forced off (it keeps reconnecting after an outage) and the backlog policy is
    /// fail-fast (while disconnected, calls fail at once instead of queueing). Null (default): the
    /// <c>IConnectionMultiplexer</c> registered in DI is used, with its own settings.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key the store writes. Default <c>kafkapipeline:dedup:</c>.</summary>
    public string KeyPrefix { get; set; } = "kafkapipeline:dedup:";

    /// <summary>Redis database number; -1 (default) is the connection's default database.</summary>
    public int Database { get; set; } = -1;

    /// <summary>Every broken rule, one per line; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ConnectionString is { } cs && string.IsNullOrWhiteSpace(cs))
        {
            errors.Add("RedisDeduplicationOptions.ConnectionString is empty: set it (e.g. \"127.0.0.1:6379\") or leave it null to use the IConnectionMultiplexer registered in DI.");
        }

        if (KeyPrefix is null)
        {
            errors.Add("RedisDeduplicationOptions.KeyPrefix is null: use \"\" for no prefix.");
        }

        if (Database < -1)
        {
            errors.Add($"RedisDeduplicationOptions.Database must be -1 (default database) or a database number (was {Database}).");
        }

        return errors;
    }
}
