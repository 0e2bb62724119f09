using System.Globalization;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>
/// A back-off described in configuration (section <c>Kafka:ErrorHandling:BackOff</c>), e.g.
/// <c>{ "Kind": "Exponential", "InitialInterval": "00:00:01", "MaxAttempts": 5 }</c>.
/// </summary>
public sealed class BackOffOptions
{
    /// <summary>Default <see cref="BackOffKind.Fixed"/>.</summary>
    public BackOffKind Kind { get; set; } = BackOffKind.Fixed;

    /// <summary>Fixed: the wait before each retry. Default 0.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;

    /// <summary>Retries (deliveries - 1). Fixed: default 9. Exponential: default unlimited (bounded by <see cref="MaxElapsedTime"/> if set).</summary>
    public long? MaxAttempts { get; set; }

    /// <summary>Exponential: the first interval. Default 2 s.</summary>
    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Exponential: growth factor, at least 1. Default 1.5.</summary>
    public double Multiplier { get; set; } = 1.5;

    /// <summary>Exponential: the longest interval. Default 30 s.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Exponential: stop once the intervals handed out add up to this. Default unlimited.</summary>
    public TimeSpan? MaxElapsedTime { get; set; }

    /// <summary>Random spread of each interval (see <see cref="FixedBackOff.Jitter"/>, <see cref="ExponentialBackOffBase.Jitter"/>). Default 0.</summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.Zero;

    /// <summary>Adds a message naming <paramref name="path"/> and the fix for every invalid setting.</summary>
    public void Validate(string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enum.IsDefined(Kind))
        {
            errors.Add($"{path}:Kind '{Kind}' is unknown. Fix: use Fixed, Exponential or None.");
        }

        Check(Interval < TimeSpan.Zero, $"{path}:Interval is negative. Fix: use 0 or more (default 0).", errors);
        Check(MaxAttempts < 0, $"{path}:MaxAttempts is negative. Fix: use 0 (no retries) or more.", errors);
        Check(InitialInterval < TimeSpan.Zero, $"{path}:InitialInterval is negative. Fix: use 0 or more (default 2 s).", errors);
        Check(!(Multiplier >= 1) || double.IsInfinity(Multiplier),
            $"{path}:Multiplier {Multiplier.ToString(CultureInfo.InvariantCulture)} is invalid. Fix: use 1 or more (default 1.5; 1 gives a fixed interval).", errors);
        Check(MaxInterval < TimeSpan.Zero, $"{path}:MaxInterval is negative. Fix: use 0 or more (default 30 s).", errors);
        Check(MaxElapsedTime < TimeSpan.Zero, $"{path}:MaxElapsedTime is negative. Fix: remove it (unlimited) or use a positive duration.", errors);
        Check(Jitter < TimeSpan.Zero, $"{path}:Jitter is negative. Fix: use 0 (default) or a positive duration.", errors);
    }

    /// <summary>Builds the back-off; call <see cref="Validate"/> first.</summary>
    public IBackOff Create(Random? random = null) => Kind switch
    {
        BackOffKind.None => FixedBackOff.NoRetries,
        BackOffKind.Exponential => new ExponentialBackOff
        {
            InitialInterval = InitialInterval,
            Multiplier = Multiplier,
            MaxInterval = MaxInterval,
            MaxElapsedTime = MaxElapsedTime,
            MaxAttempts = MaxAttempts,
            Jitter = Jitter,
            Random = random ?? Random.Shared,
        },
        _ => new FixedBackOff(Interval, MaxAttempts ?? 9) { Jitter = Jitter, Random = random ?? Random.Shared },
    };

    private static void Check(bool broken, string message, ICollection<string> errors)
    {
        if (broken)
        {
            errors.Add(message);
        }
    }
}
