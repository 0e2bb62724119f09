namespace KafkaPipeline.Deduplication;

/// <summary>
/// Polly guard around each call to a remote deduplication store (section <c>Kafka:Deduplication:Resilience</c>).
/// Order, outermost first: retry (transient errors and timeouts only), circuit breaker (every failure), timeout
/// (per attempt). With the defaults a call gives up after at most ~6.5 s: 3 attempts of 2 s plus ~0.3 s of back-off.
/// </summary>
public sealed class DeduplicationResilienceOptions
{
    /// <summary>False turns the guard off (calls go straight to the store; failures still name store and key). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time allowed to one attempt. Default 2 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a transient failure or timeout (0 = none). Default 2.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>First retry delay; doubled on each retry, with jitter. Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>False leaves the circuit breaker out. Default true.</summary>
    public bool CircuitBreakerEnabled { get; set; } = true;

    /// <summary>Failure ratio within <see cref="CircuitBreakerSamplingDuration"/> that opens the circuit. Default 0.5.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the circuit may open (at least 2). Default 10.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Window over which failures are counted. Default 30 seconds.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before it lets one through. Default 15 seconds.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Every broken rule, one per line; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            return errors;
        }

        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromDays(1))
        {
            errors.Add($"Resilience.Timeout must be between 10 ms and 1 day (was {Timeout}).");
        }

        if (MaxRetryAttempts < 0)
        {
            errors.Add($"Resilience.MaxRetryAttempts must be 0 or more (was {MaxRetryAttempts}).");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"Resilience.RetryDelay must be between 0 and 1 day (was {RetryDelay}).");
        }

        if (CircuitBreakerEnabled)
        {
            if (!(CircuitBreakerFailureRatio > 0 && CircuitBreakerFailureRatio <= 1))
            {
                errors.Add($"Resilience.CircuitBreakerFailureRatio must be above 0 and at most 1 (was {CircuitBreakerFailureRatio}).");
            }

            if (CircuitBreakerMinimumThroughput < 2)
            {
                errors.Add($"Resilience.CircuitBreakerMinimumThroughput must be at least 2 (was {CircuitBreakerMinimumThroughput}).");
            }

            if (CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
            {
                errors.Add($"Resilience.CircuitBreakerSamplingDuration must be at least 500 ms (was {CircuitBreakerSamplingDuration}).");
            }

            if (CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
            {
                errors.Add($"Resilience.CircuitBreakerBreakDuration must be at least 500 ms (was {CircuitBreakerBreakDuration}).");
            }
        }

        return errors;
    }
}
