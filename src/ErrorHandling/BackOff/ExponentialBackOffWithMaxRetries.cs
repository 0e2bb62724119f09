namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// An <see cref="ExponentialBackOff"/> bounded by a number of retries instead of elapsed time (spring-kafka's
/// <c>ExponentialBackOffWithMaxRetries</c>): exactly <see cref="MaxRetries"/> intervals, then STOP.
/// </summary>
public sealed class ExponentialBackOffWithMaxRetries : ExponentialBackOffBase
{
    public ExponentialBackOffWithMaxRetries(int maxRetries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        Settings = ExponentialSettings.Default with { MaxAttempts = maxRetries };
    }

    public int MaxRetries => (int)Settings.MaxAttempts!.Value;
}
