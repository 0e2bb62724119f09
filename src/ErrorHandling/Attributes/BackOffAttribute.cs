using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Attributes;

/// <summary>
/// Base of the handler-class attributes that choose the back-off for that handler's records
/// (<see cref="FixedBackOffAttribute"/>, <see cref="ExponentialBackOffAttribute"/>, <see cref="NoRetriesAttribute"/>).
/// At most one per handler class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public abstract class BackOffAttribute : Attribute
{
    /// <summary>The back-off this attribute describes, for the handler's records.</summary>
    public abstract IBackOff CreateBackOff();
}

/// <summary>This handler's records retry after a fixed interval, at most <c>maxAttempts</c> retries: <c>[FixedBackOff(1000, 3)]</c>.</summary>
public sealed class FixedBackOffAttribute(long intervalMs, long maxAttempts) : BackOffAttribute
{
    /// <summary>Milliseconds between retries.</summary>
    public long IntervalMs { get; } = intervalMs;

    /// <summary>Retries (not deliveries) before the record goes to the recoverer.</summary>
    public long MaxAttempts { get; } = maxAttempts;

    /// <inheritdoc/>
    public override IBackOff CreateBackOff() => new FixedBackOff(TimeSpan.FromMilliseconds(IntervalMs), MaxAttempts);
}

/// <summary>
/// This handler's records retry with exponentially growing intervals: <c>[ExponentialBackOff(1000, 2.0, 60000, MaxAttempts = 5)]</c>.
/// Defaults as <see cref="BackOff.ExponentialBackOff"/>: 2000 ms, × 1.5, at most 30000 ms, unlimited.
/// </summary>
public sealed class ExponentialBackOffAttribute(long initialIntervalMs = 2000, double multiplier = 1.5, long maxIntervalMs = 30000) : BackOffAttribute
{
    /// <summary>The first interval in milliseconds. Default 2000.</summary>
    public long InitialIntervalMs { get; } = initialIntervalMs;

    /// <summary>Growth factor of the intervals, at least 1. Default 1.5.</summary>
    public double Multiplier { get; } = multiplier;

    /// <summary>The longest interval in milliseconds. Default 30000.</summary>
    public long MaxIntervalMs { get; } = maxIntervalMs;

    /// <summary>Retries before recovery; negative (default) for unlimited.</summary>
    public long MaxAttempts { get; set; } = -1;

    /// <summary>Stop once the intervals add up to this; negative (default) for unlimited.</summary>
    public long MaxElapsedTimeMs { get; set; } = -1;

    /// <summary>Random spread of each interval in milliseconds (see <see cref="BackOff.ExponentialBackOffBase.Jitter"/>). Default 0.</summary>
    public long JitterMs { get; set; }

    /// <inheritdoc/>
    public override IBackOff CreateBackOff() => new BackOff.ExponentialBackOff
    {
        InitialInterval = TimeSpan.FromMilliseconds(InitialIntervalMs),
        Multiplier = Multiplier,
        MaxInterval = TimeSpan.FromMilliseconds(MaxIntervalMs),
        MaxAttempts = MaxAttempts < 0 ? null : MaxAttempts,
        MaxElapsedTime = MaxElapsedTimeMs < 0 ? null : TimeSpan.FromMilliseconds(MaxElapsedTimeMs),
        Jitter = TimeSpan.FromMilliseconds(JitterMs),
    };
}

/// <summary>This handler's failed records go to the recoverer on the first failure, without a pause.</summary>
public sealed class NoRetriesAttribute : BackOffAttribute
{
    /// <inheritdoc/>
    public override IBackOff CreateBackOff() => FixedBackOff.NoRetries;
}
