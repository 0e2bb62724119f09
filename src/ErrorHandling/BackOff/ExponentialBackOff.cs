namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// Intervals that grow by <see cref="Multiplier"/> up to <see cref="MaxInterval"/> (Spring's <c>ExponentialBackOff</c>,
/// same arithmetic in whole milliseconds): the first interval is <see cref="InitialInterval"/>, each next one is
/// min(truncate(previous × multiplier), max interval). The sequence stops when <see cref="MaxAttempts"/> retries were
/// handed out or when the sum of intervals handed out reached <see cref="MaxElapsedTime"/> (checked before computing the
/// next one, so the last interval may cross it). Defaults: 2 s, × 1.5, at most 30 s, unlimited: 2000, 3000, 4500, 6750,
/// 10125, 15187, 22780, 30000, 30000 ms, …
/// </summary>
public sealed class ExponentialBackOff : IBackOff
{
    private ExponentialSettings _settings = ExponentialSettings.Default;

    public TimeSpan InitialInterval
    {
        get => _settings.InitialInterval;
        init => _settings = _settings with { InitialInterval = ExponentialSettings.NotNegative(value, nameof(InitialInterval)) };
    }

    /// <summary>Factor applied to the previous interval; at least 1 (1 gives fixed intervals). Default 1.5.</summary>
    public double Multiplier
    {
        get => _settings.Multiplier;
        init => _settings = _settings with { Multiplier = ExponentialSettings.ValidMultiplier(value) };
    }

    public TimeSpan MaxInterval
    {
        get => _settings.MaxInterval;
        init => _settings = _settings with { MaxInterval = ExponentialSettings.NotNegative(value, nameof(MaxInterval)) };
    }

    /// <summary>Stop once the intervals handed out add up to this much; <see langword="null"/> (default) for no limit.</summary>
    public TimeSpan? MaxElapsedTime
    {
        get => _settings.MaxElapsedTime;
        init => _settings = _settings with { MaxElapsedTime = value is { } v ? ExponentialSettings.NotNegative(v, nameof(MaxElapsedTime)) : null };
    }

    /// <summary>Retries before the record goes to the recoverer; <see langword="null"/> (default) for no limit.</summary>
    public long? MaxAttempts
    {
        get => _settings.MaxAttempts;
        init
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(v, nameof(MaxAttempts));
            }

            _settings = _settings with { MaxAttempts = value };
        }
    }

    /// <summary>
    /// Optional random spread (Spring 7's jitter): the interval is drawn from
    /// [max(interval - j, initial), min(interval + j, max interval)] where j = Jitter × (interval / initial). Default zero.
    /// </summary>
    public TimeSpan Jitter
    {
        get => _settings.Jitter;
        init => _settings = _settings with { Jitter = ExponentialSettings.NotNegative(value, nameof(Jitter)) };
    }

    /// <summary>Source of jitter; set a seeded <see cref="System.Random"/> for repeatable intervals. Default <see cref="Random.Shared"/>.</summary>
    public Random Random
    {
        get => _settings.Random;
        init => _settings = _settings with { Random = value ?? throw new ArgumentNullException(nameof(Random)) };
    }

    public IBackOffExecution Start() => new ExponentialExecution(_settings);

    public override string ToString() => _settings.Describe("ExponentialBackOff");
}
