namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>Which back-off <see cref="BackOffOptions"/> builds.</summary>
public enum BackOffKind
{
    /// <summary><see cref="FixedBackOff"/>: <c>Interval</c>, <c>MaxAttempts</c> (default 9).</summary>
    Fixed,

    /// <summary><see cref="ExponentialBackOff"/>: <c>InitialInterval</c>, <c>Multiplier</c>, <c>MaxInterval</c>, <c>MaxElapsedTime</c>, <c>MaxAttempts</c>.</summary>
    Exponential,

    /// <summary>No retries: the first failure goes to the recoverer (<see cref="FixedBackOff.NoRetries"/>).</summary>
    None,
}
