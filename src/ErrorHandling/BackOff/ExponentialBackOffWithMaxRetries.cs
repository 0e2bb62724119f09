namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// An <see cref="ExponentialBackOff"/> bounded by a number of retries instead of elapsed time (spring-kafka's
/// <c>ExponentialBackOffWithMaxRetries</c>): exactly <see cref="MaxRetries"/> intervals, then STOP.
/// </summary>
public sealed class ExponentialBackOffWithMaxRetries : IBackOff
{
    private ExponentialSettings _settings;

    public ExponentialBackOffWithMaxRetries(int maxRetries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _settings = ExponentialSettings.Default with { MaxAttempts = maxRetries };
    }

    public int MaxRetries => (int)_settings.MaxAttempts!.Value;

    public TimeSpan InitialInterval
    {
        get => _settings.InitialInterval;
        init => _settings = _settings with { InitialInterval = ExponentialSettings.NotNegative(value, nameof(InitialInterval)) };
    }

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

    public TimeSpan Jitter
    {
        get => _settings.Jitter;
        init => _settings = _settings with { Jitter = ExponentialSettings.NotNegative(value, nameof(Jitter)) };
    }

    public Random Random
    {
        get => _settings.Random;
        init => _settings = _settings with { Random = value ?? throw new ArgumentNullException(nameof(Random)) };
    }

    public IBackOffExecution Start() => new ExponentialExecution(_settings);

    public override string ToString() => _settings.Describe("ExponentialBackOffWithMaxRetries");
}
