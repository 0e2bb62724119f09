namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// Intervals that grow by <see cref="ExponentialBackOffBase.Multiplier"/> up to <see cref="ExponentialBackOffBase.MaxInterval"/> (Spring's <c>ExponentialBackOff</c>,
/// same arithmetic in whole milliseconds): the first interval is <see cref="ExponentialBackOffBase.InitialInterval"/>, each next one is
/// min(truncate(previous × multiplier), max interval). The sequence stops when <see cref="MaxAttempts"/> retries were
/// handed out or when the sum of intervals handed out reached <see cref="MaxElapsedTime"/> (checked before computing the
/// next one, so the last interval may cross it). Defaults: 2 s, × 1.5, at most 30 s, unlimited: 2000, 3000, 4500, 6750,
/// 10125, 15187, 22780, 30000, 30000 ms, …
/// </summary>
public sealed class ExponentialBackOff : ExponentialBackOffBase
{
    /// <summary>Stop once the intervals handed out add up to this much; <see langword="null"/> (default) for no limit.</summary>
    public TimeSpan? MaxElapsedTime
    {
        get => Settings.MaxElapsedTime;
        init => Settings = Settings with { MaxElapsedTime = value is { } v ? ExponentialSettings.NotNegative(v, nameof(MaxElapsedTime)) : null };
    }

    /// <summary>Retries before the record goes to the recoverer; <see langword="null"/> (default) for no limit.</summary>
    public long? MaxAttempts
    {
        get => Settings.MaxAttempts;
        init
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(v, nameof(MaxAttempts));
            }

            Settings = Settings with { MaxAttempts = value };
        }
    }

}
