namespace KafkaPipeline.Deduplication;

/// <summary>Settings of the deduplication step (section <c>Kafka:Deduplication</c>).</summary>
public sealed class DeduplicationOptions
{
    /// <summary>Header whose UTF-8 value identifies a message. Default <c>message-id</c>.</summary>
    public string HeaderName { get; set; } = "message-id";

    /// <summary>Key when the header is absent; null falls back to topic/partition/offset.</summary>
    public Func<ConsumeContext, string?>? KeySelector { get; set; }

    /// <summary>How long a reservation protects a record in processing. Default 5 minutes.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a processed key is remembered. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Bound of the in-memory store; the oldest keys are evicted beyond it. Default 100,000.</summary>
    public int InMemoryMaxEntries { get; set; } = 100_000;

    /// <summary>Keys longer than this are replaced by their SHA-256. Default 200 characters.</summary>
    public int MaxKeyLength { get; set; } = 200;

    /// <summary>
    /// What happens when the store fails. Default false (fail-closed): a <see cref="DeduplicationStoreException"/>
    /// fails the record, which the error handler retries; nothing is processed without its check.
    /// True (fail-open): a warning is logged and the record is processed without the check, so a redelivered
    /// record may be handled twice while the store is down. Does not apply to the transactional inbox.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>Timeout, retry and circuit breaker around calls to remote stores (Redis, PostgreSQL).</summary>
    public DeduplicationResilienceOptions Resilience { get; set; } = new();
}
