using System.Globalization;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>The validated settings shared by <see cref="ExponentialBackOff"/> and <see cref="ExponentialBackOffWithMaxRetries"/>.</summary>
internal sealed record ExponentialSettings(
    TimeSpan InitialInterval,
    double Multiplier,
    TimeSpan MaxInterval,
    TimeSpan? MaxElapsedTime,
    long? MaxAttempts,
    TimeSpan Jitter,
    Random Random)
{
    public static readonly ExponentialSettings Default = new(
        TimeSpan.FromMilliseconds(2000), 1.5, TimeSpan.FromMilliseconds(30000), null, null, TimeSpan.Zero, Random.Shared);

    public static TimeSpan NotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative. Fix: use zero or a positive duration.");
        }

        return value;
    }

    public static double ValidMultiplier(double value)
    {
        if (!(value >= 1) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ExponentialBackOff.Multiplier),
                value,
                $"Multiplier {value.ToString(CultureInfo.InvariantCulture)} is invalid: it must be at least 1 (1 gives a fixed interval). Fix: use e.g. 1.5 or 2.");
        }

        return value;
    }

    public string Describe(string name) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name}(initial {InitialInterval}, multiplier {Multiplier}, max interval {MaxInterval}, max elapsed {MaxElapsedTime?.ToString() ?? "unlimited"}, max attempts {MaxAttempts?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"})");
}

/// <summary>Spring's exponential sequence in whole milliseconds.</summary>
internal sealed class ExponentialExecution(ExponentialSettings settings) : IBackOffExecution
{
    private long _current = -1;
    private long _elapsed;
    private long _attempts;

    public TimeSpan? NextBackOff()
    {
        if ((settings.MaxElapsedTime is { } maxElapsed && _elapsed >= (long)maxElapsed.TotalMilliseconds)
            || (settings.MaxAttempts is { } maxAttempts && _attempts >= maxAttempts))
        {
            return null;
        }

        var next = Compute();
        _elapsed = next > long.MaxValue - _elapsed ? long.MaxValue : _elapsed + next;
        _attempts++;
        return TimeSpan.FromMilliseconds(next);
    }

    private long Compute()
    {
        var max = (long)settings.MaxInterval.TotalMilliseconds;
        var initial = (long)settings.InitialInterval.TotalMilliseconds;
        long next;
        if (_current < 0)
        {
            next = initial;
        }
        else if (_current >= max)
        {
            next = max;
        }
        else
        {
            var multiplied = _current * settings.Multiplier;
            next = multiplied >= max ? max : Math.Min((long)multiplied, max);
        }

        _current = next;
        return Math.Min(ApplyJitter(next, initial, max), max);
    }

    private long ApplyJitter(long interval, long initial, long max)
    {
        var jitter = (long)settings.Jitter.TotalMilliseconds;
        if (jitter <= 0)
        {
            return interval;
        }

        // Spring scales the jitter with the growth so far (interval / initial, whole number); an initial of 0 has no growth.
        var applicable = initial > 0 ? jitter * (interval / initial) : jitter;
        var low = Math.Max(interval - applicable, initial);
        var high = Math.Min(interval + applicable, max);
        return Jitters.Between(settings.Random, low, high);
    }
}
