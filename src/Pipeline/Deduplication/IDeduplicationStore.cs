namespace KafkaPipeline.Deduplication;

/// <summary>Outcome of <see cref="IDeduplicationStore.TryReserveAsync"/>.</summary>
public enum ReservationStatus
{
    /// <summary>The key is now reserved for this consumer for the lease time: process the record.</summary>
    Reserved,

    /// <summary>The key was processed before: skip the handler, commit the offset.</summary>
    AlreadyProcessed,

    /// <summary>Another consumer holds an unexpired lease on the key: retry later.</summary>
    InProgress,
}

/// <summary>
/// Remembers which messages were processed. A reservation is a lease: if its holder crashes, the lease
/// expires and a redelivered record can be processed again.
/// </summary>
public interface IDeduplicationStore
{
    /// <summary>Reserves <paramref name="key"/> for <paramref name="lease"/>: <see cref="ReservationStatus.Reserved"/> when this caller may process the record, otherwise why not (processed already, or another consumer holds the lease).</summary>
    ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the key processed and keeps it for <paramref name="retention"/>.</summary>
    ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Drops a reservation after a failure so a retry can reserve again.</summary>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// A store that lives and dies with the process (the in-memory store). A record identified only by its coordinates is
/// not kept in it: within the process, the consumer already recognises a redelivered offset from its partition's
/// watermark, so an entry per record would cost memory and time for nothing.
/// </summary>
public interface IProcessLocalDeduplicationStore : IDeduplicationStore
{
}
