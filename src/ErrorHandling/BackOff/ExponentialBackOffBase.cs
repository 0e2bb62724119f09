using KafkaPipeline.Errors;
namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// The settings and arithmetic shared by <see cref="ExponentialBackOff"/> and
/// <see cref="ExponentialBackOffWithMaxRetries"/>: min(truncate(previous × multiplier), max interval), optional jitter.
/// </summary>
public abstract class ExponentialBackOffBase : IBackOff
{
    private protected ExponentialSettings Settings { get; set; } = ExponentialSettings.Default;

    /// <summary>The first interval. Default 2 s.</summary>
    public TimeSpan InitialInterval
    {
        get => Settings.InitialInterval;
        init => Settings = Settings with { InitialInterval = ExponentialSettings.NotNegative(value, nameof(InitialInterval)) };
    }

    /// <summary>Factor applied to the previous interval; at least 1 (1 gives fixed intervals). Default 1.5.</summary>
    public double Multiplier
    {
        get => Settings.Multiplier;
        init => Settings = Settings with { Multiplier = ExponentialSettings.ValidMultiplier(value) };
    }

    /// <summary>The longest interval. Default 30 s.</summary>
    public TimeSpan MaxInterval
    {
        get => Settings.MaxInterval;
        init => Settings = Settings with { MaxInterval = ExponentialSettings.NotNegative(value, nameof(MaxInterval)) };
    }

    /// <summary>
    /// Optional random spread (Spring 7's jitter): the interval is drawn from
    /// [max(interval - j, initial), min(interval + j, max interval)] where j = Jitter × (interval / initial). Default zero.
    /// </summary>
    public TimeSpan Jitter
    {
        get => Settings.Jitter;
        init => Settings = Settings with { Jitter = ExponentialSettings.NotNegative(value, nameof(Jitter)) };
    }

    /// <summary>Source of jitter; set a seeded <see cref="System.Random"/> for repeatable intervals. Default <see cref="Random.Shared"/>.</summary>
    public Random Random
    {
        get => Settings.Random;
        init => Settings = Settings with { Random = value ?? throw new ArgumentNullException(nameof(Random)) };
    }

    /// <inheritdoc/>
    public IBackOffExecution Start() => new ExponentialExecution(Settings);

    /// <summary>The settings, e.g. for the start-up log line.</summary>
    public override string ToString() => Settings.Describe(GetType().Name);
}
