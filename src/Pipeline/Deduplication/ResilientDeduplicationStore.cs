using Polly;

namespace KafkaPipeline.Deduplication;

/// <summary>
/// Guards a remote store: each call runs in the resilience pipeline of <see cref="DeduplicationResilience"/>
/// (timeout, retry on transient errors, circuit breaker), and any failure that remains becomes a
/// <see cref="DeduplicationStoreException"/> naming the store, the operation and the key. The Redis and PostgreSQL
/// packages register their stores behind it; wrap a custom remote store the same way.
/// </summary>
public sealed class ResilientDeduplicationStore : IDeduplicationStore
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Wraps <paramref name="inner"/> with the retries and circuit breaker of <paramref name="options"/>; <paramref name="isTransient"/> says which failures are retried.</summary>
    public ResilientDeduplicationStore(
        IDeduplicationStore inner,
        string storeName,
        DeduplicationResilienceOptions options,
        Func<Exception, bool>? isTransient = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        Inner = inner;
        StoreName = storeName;
        _pipeline = DeduplicationResilience.CreatePipeline(options, isTransient, timeProvider, PipelineName(storeName));
    }

    /// <summary>
    /// Wraps a store that runs each round trip in the resilience pipeline itself (the built-in stores, which send the
    /// calls of many lanes in one round trip): only failures become <see cref="DeduplicationStoreException"/>.
    /// </summary>
    internal ResilientDeduplicationStore(IDeduplicationStore inner, string storeName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        Inner = inner;
        StoreName = storeName;
        _pipeline = ResiliencePipeline.Empty;
    }

    /// <summary>The pipeline name of a store's resilience pipeline (for Polly telemetry).</summary>
    internal static string PipelineName(string storeName) => $"KafkaPipeline.Deduplication.{storeName}";

    /// <summary>The guarded store.</summary>
    public IDeduplicationStore Inner { get; }

    /// <summary>The name used in errors, e.g. <c>Redis</c>.</summary>
    public string StoreName { get; }

    /// <inheritdoc/>
    public async ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, ct) => state.Inner.TryReserveAsync(state.key, state.lease, ct), (Inner, key, lease), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new DeduplicationStoreException(StoreName, key, "reserve", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                static (state, ct) => state.Inner.CompleteAsync(state.key, state.retention, ct), (Inner, key, retention), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new DeduplicationStoreException(StoreName, key, "complete", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                static (state, ct) => state.Inner.ReleaseAsync(state.key, ct), (Inner, key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new DeduplicationStoreException(StoreName, key, "release", ex);
        }
    }

    private static bool IsStoreFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not DeduplicationStoreException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
