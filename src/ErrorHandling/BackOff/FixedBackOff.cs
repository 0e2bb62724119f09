using KafkaPipeline.Errors;
namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// The same interval before each retry, at most <see cref="MaxAttempts"/> retries (Spring's <c>FixedBackOff</c>).
/// <c>MaxAttempts</c> counts retries, so a record is delivered <c>MaxAttempts + 1</c> times:
/// <c>new FixedBackOff(TimeSpan.Zero, 9)</c>, the default error handler's, means 10 deliveries.
/// </summary>
public sealed class FixedBackOff : IBackOff
{
    /// <summary>No limit on retries: a failing record is retried until it succeeds (its partition waits).</summary>
    public const long UnlimitedAttempts = long.MaxValue;

    private readonly TimeSpan _jitter;

    /// <summary>Spring's defaults: 5 s between retries, unlimited retries.</summary>
    public FixedBackOff()
        : this(TimeSpan.FromSeconds(5), UnlimitedAttempts)
    {
    }

    /// <summary>Waits <paramref name="interval"/> before each retry, at most <paramref name="maxAttempts"/> retries (deliveries = retries + 1).</summary>
    public FixedBackOff(TimeSpan interval, long maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(maxAttempts);
        Interval = interval;
        MaxAttempts = maxAttempts;
    }

    /// <summary>A back-off that stops at once: the first failure goes to the recoverer without a pause.</summary>
    public static FixedBackOff NoRetries => new(TimeSpan.Zero, 0);

    /// <summary>The wait before each retry.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Retries (not deliveries) before the record goes to the recoverer.</summary>
    public long MaxAttempts { get; }

    /// <summary>
    /// Optional random spread: each interval is drawn uniformly from
    /// [max(0, <see cref="Interval"/> - Jitter), <see cref="Interval"/> + Jitter]. Default zero.
    /// </summary>
    public TimeSpan Jitter
    {
        get => _jitter;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(Jitter));
            _jitter = value;
        }
    }

    /// <summary>Source of jitter; set a seeded <see cref="System.Random"/> for repeatable intervals. Default <see cref="Random.Shared"/>.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <inheritdoc/>
    public IBackOffExecution Start() => new Execution(this);

    /// <summary>The settings, e.g. for the start-up log line.</summary>
    public override string ToString() =>
        $"FixedBackOff(interval {Interval}, maxAttempts {(MaxAttempts == UnlimitedAttempts ? "unlimited" : MaxAttempts)})";

    private sealed class Execution(FixedBackOff backOff) : IBackOffExecution
    {
        private long _attempts;

        public TimeSpan? NextBackOff()
        {
            if (_attempts >= backOff.MaxAttempts)
            {
                return null;
            }

            _attempts++;
            var interval = (long)backOff.Interval.TotalMilliseconds;
            var jitter = (long)backOff.Jitter.TotalMilliseconds;
            if (jitter > 0)
            {
                interval = Jitters.Between(backOff.Random, Math.Max(0, interval - jitter), interval + jitter);
            }

            return backOff.Jitter > TimeSpan.Zero ? TimeSpan.FromMilliseconds(interval) : backOff.Interval;
        }
    }
}
