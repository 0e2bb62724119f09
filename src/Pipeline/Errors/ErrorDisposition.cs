namespace KafkaPipeline.Errors;

/// <summary>What the consumer does with a record after the error handler decided.</summary>
public enum DispositionKind
{
    /// <summary>Handled (or skipped as a duplicate): the record is done and its offset may be committed.</summary>
    Completed,

    /// <summary>
    /// Failed, retry later: the record stays at the head of its lane, which waits <see cref="ErrorDisposition.Delay"/> in
    /// memory and delivers it again. Only what the ordering mode keeps behind it waits (its key or its partition).
    /// </summary>
    Retry,

    /// <summary>Failed for good and handed to a recoverer that succeeded (e.g. dead-lettered): the record is done.</summary>
    Recovered,

    /// <summary>
    /// Failed and cannot be recovered: the record's lane stops at it, nothing at or after it in its partition is
    /// committed, and the consumer reports unhealthy until it restarts or the partition moves.
    /// </summary>
    Stop,

    /// <summary>
    /// Not run: the record is not due yet (e.g. a retry-topic record whose back-off timestamp lies ahead). The lane waits
    /// <see cref="ErrorDisposition.Delay"/> like a retry, but the wait is neither a failed delivery nor a delivery attempt.
    /// </summary>
    Defer,
}

/// <summary>The decision an <see cref="IConsumeErrorHandler"/> returns for one delivery of a record.</summary>
public readonly record struct ErrorDisposition(DispositionKind Kind, TimeSpan Delay)
{
    /// <summary>The record was handled: its offset may be committed.</summary>
    public static ErrorDisposition Completed => new(DispositionKind.Completed, TimeSpan.Zero);

    /// <summary>The record failed for good and was recovered (e.g. dead-lettered): its offset may be committed.</summary>
    public static ErrorDisposition Recovered => new(DispositionKind.Recovered, TimeSpan.Zero);

    /// <summary>The record can be neither handled nor recovered: its partition stops (paused, nothing committed) and health turns unhealthy.</summary>
    public static ErrorDisposition Stop => new(DispositionKind.Stop, TimeSpan.Zero);

    /// <summary>Deliver the record again after <paramref name="delay"/> (zero: at once).</summary>
    public static ErrorDisposition Retry(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(DispositionKind.Retry, delay);
    }

    /// <summary>Leave the record untouched and deliver it after <paramref name="delay"/>: not a failure, not an attempt.</summary>
    public static ErrorDisposition Defer(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(DispositionKind.Defer, delay);
    }

    /// <summary>True when the record is done, so its offset may be committed.</summary>
    public bool CommitsOffset => Kind is DispositionKind.Completed or DispositionKind.Recovered;
}
