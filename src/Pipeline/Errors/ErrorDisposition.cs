namespace KafkaPipeline.Errors;

/// <summary>What the poll loop does with a record after the error handler decided.</summary>
public enum DispositionKind
{
    /// <summary>Handled: commit its offset.</summary>
    Completed,

    /// <summary>Failed, retry later: seek the partition back to this record and pause it for <see cref="ErrorDisposition.Delay"/>.</summary>
    SeekBack,

    /// <summary>Failed for good and handed to a recoverer that succeeded (e.g. dead-lettered): commit its offset.</summary>
    Recovered,

    /// <summary>Failed and cannot be recovered: keep the partition paused at this record and report unhealthy. Nothing is committed.</summary>
    Stop,
}

/// <summary>The decision an <see cref="IConsumeErrorHandler"/> returns for one record.</summary>
public readonly record struct ErrorDisposition(DispositionKind Kind, TimeSpan Delay)
{
    public static ErrorDisposition Completed => new(DispositionKind.Completed, TimeSpan.Zero);

    public static ErrorDisposition Recovered => new(DispositionKind.Recovered, TimeSpan.Zero);

    public static ErrorDisposition Stop => new(DispositionKind.Stop, TimeSpan.Zero);

    public static ErrorDisposition SeekBack(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(DispositionKind.SeekBack, delay);
    }

    /// <summary>True when the loop commits the record's offset.</summary>
    public bool CommitsOffset => Kind is DispositionKind.Completed or DispositionKind.Recovered;
}
