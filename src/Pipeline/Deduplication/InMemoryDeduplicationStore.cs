using Microsoft.Extensions.Options;

namespace KafkaPipeline.Deduplication;

/// <summary>
/// Process-local store: bounded (the oldest keys are evicted past <see cref="DeduplicationOptions.InMemoryMaxEntries"/>),
/// entries expire through <see cref="TimeProvider"/>. Protects against redelivery within one process
/// (rebalances, retries); use the Redis or PostgreSQL store across processes and restarts.
/// </summary>
public sealed class InMemoryDeduplicationStore : IProcessLocalDeduplicationStore
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _age = new();
    private readonly TimeProvider _time;
    private readonly int _maxEntries;

    /// <summary>Creates the store with <paramref name="options"/>' bound and retention; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    public InMemoryDeduplicationStore(IOptions<DeduplicationOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxEntries = options.Value.InMemoryMaxEntries;
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxEntries, 1, nameof(DeduplicationOptions.InMemoryMaxEntries));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Keys currently remembered (reserved or processed).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.ExpiresAt > now)
            {
                return new(node.Value.Completed ? ReservationStatus.AlreadyProcessed : ReservationStatus.InProgress);
            }

            Set(key, completed: false, now + lease, node);
            return new(ReservationStatus.Reserved);
        }
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_entries)
        {
            _entries.TryGetValue(key, out var node);
            Set(key, completed: true, now + retention, node);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            if (_entries.Remove(key, out var node))
            {
                _age.Remove(node);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Set(string key, bool completed, DateTimeOffset expiresAt, LinkedListNode<Entry>? node)
    {
        if (node is not null)
        {
            node.Value = new Entry(key, completed, expiresAt);
            _age.Remove(node);
            _age.AddLast(node);
            return;
        }

        _entries[key] = _age.AddLast(new Entry(key, completed, expiresAt));
        while (_entries.Count > _maxEntries && _age.First is { } oldest)
        {
            _age.RemoveFirst();
            _entries.Remove(oldest.Value.Key);
        }
    }

    private readonly record struct Entry(string Key, bool Completed, DateTimeOffset ExpiresAt);
}
