using KafkaPipeline.Errors;

namespace KafkaPipeline.Deduplication;

/// <summary>The key selector failed. Not retryable: the same record would fail the same way.</summary>
public sealed class DeduplicationKeyException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>Another consumer is processing the same message (its lease has not expired). Retryable.</summary>
public sealed class DeduplicationInProgressException(string key)
    : Exception($"Message '{key}' is being processed by another consumer (its reservation lease has not expired); retrying later."), IInfrastructureFailure
{
    /// <summary>The deduplication key whose lease another consumer holds.</summary>
    public string Key { get; } = key;
}

/// <summary>
/// A deduplication store could not be reached or failed (after the resilience pipeline's retries, or at once
/// while its circuit is open). Retryable: by default (fail-closed) the record is not processed without its
/// deduplication check and the error handler retries it.
/// </summary>
public sealed class DeduplicationStoreException : Exception, IInfrastructureFailure
{
    /// <summary>Creates the exception for a failed <paramref name="operation"/> on <paramref name="key"/> in the store named <paramref name="storeName"/>.</summary>
    public DeduplicationStoreException(string storeName, string key, string operation, Exception innerException)
        : base(Describe(storeName, key, operation, innerException), innerException)
    {
        StoreName = storeName;
        Key = key;
        Operation = operation;
    }

    /// <summary>The store that failed, e.g. <c>Redis</c> or <c>PostgreSQL</c>.</summary>
    public string StoreName { get; }

    /// <summary>The deduplication key of the record.</summary>
    public string Key { get; }

    /// <summary>What was attempted: <c>reserve</c>, <c>complete</c>, <c>release</c>, or an inbox step.</summary>
    public string Operation { get; }

    private static string Describe(string storeName, string key, string operation, Exception? inner) =>
        $"The {storeName} deduplication store failed to {operation} key '{key}': {inner?.GetType().Name}: {inner?.Message} " +
        "The record is not processed without its deduplication check (fail-closed) and the error handler retries it; " +
        "check the store's availability, or set DeduplicationOptions.FailOpen = true to process records without the check during outages.";
}
