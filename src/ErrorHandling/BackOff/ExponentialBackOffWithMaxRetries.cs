namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// An <see cref="ExponentialBackOff"/> bounded by a number of retries instead of elapsed time (spring-kafka's
/// <c>ExponentialBackOffWithMaxRetries</c>): exactly <see cref="MaxRetries"/> intervals, then STOP.
/// </summary>
public sealed class ExponentialBackOffWithMaxRetries : ExponentialBackOffBase
{
    /// <summary>Creates the back-off with <paramref name="maxRetries"/> retries and the exponential defaults (2 s, × 1.5, at most 30 s).</summary>
    public ExponentialBackOffWithMaxRetries(int maxRetries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        Settings = ExponentialSettings.Default with { MaxAttempts = maxRetries };
    }

    /// <summary>Retries (not deliveries) before the record goes to the recoverer.</summary>
    public int MaxRetries => (int)Settings.MaxAttempts!.Value;
}
