using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling;

/// <summary>Settings of one <see cref="DefaultErrorHandler"/> (one consumer).</summary>
public sealed class DefaultErrorHandlerOptions
{
    /// <summary>Spring's default: no pause, 9 retries (10 deliveries).</summary>
    public static FixedBackOff DefaultBackOff => new(TimeSpan.Zero, 9);

    /// <summary>Takes records that failed for good. Required: no recoverer is chosen silently.</summary>
    public IConsumerRecordRecoverer? Recoverer { get; set; }

    /// <summary>The back-off of retryable failures. Default <see cref="DefaultBackOff"/>.</summary>
    public IBackOff BackOff { get; set; } = DefaultBackOff;

    /// <summary>Chooses a back-off per record and exception; return null to use the handler's attribute or <see cref="BackOff"/>.</summary>
    public Func<ConsumeContext, Exception, IBackOff?>? BackOffFunction { get; set; }

    /// <summary>Which failures are retried. Default: everything but <see cref="ExceptionClassifier.DefaultNotRetryable"/>.</summary>
    public ExceptionClassifier Classifier { get; set; } = new();

    /// <summary>
    /// Back-off while the deduplication store is unreachable or another consumer holds the record's lease
    /// (<c>DeduplicationStoreException</c>, <c>DeduplicationInProgressException</c> in the cause chain): nothing is
    /// wrong with the record, so it waits rather than being dead-lettered. Default: exponential from 1 s, × 2, at most
    /// 30 s, no limit. A <see cref="BackOffFunction"/> result takes precedence.
    /// </summary>
    public IBackOff DeduplicationBackOff { get; set; } = new ExponentialBackOff
    {
        InitialInterval = TimeSpan.FromSeconds(1),
        Multiplier = 2,
        MaxInterval = TimeSpan.FromSeconds(30),
    };

    /// <summary>Listeners told of each failed delivery, recovery and failed recovery.</summary>
    public IList<IRetryListener> RetryListeners { get; } = [];

    /// <summary>Start a new retry cycle when the same record fails with a different exception type. Default true (as Spring).</summary>
    public bool ResetStateOnExceptionChange { get; set; } = true;

    /// <summary>After a failed recovery, run the whole back-off again before the next recovery attempt. Default true (as Spring).</summary>
    public bool ResetStateOnRecoveryFailure { get; set; } = true;

    /// <summary>
    /// Failed recoveries of one record after which its partition stops (stays paused, consumer unhealthy, nothing
    /// committed) instead of retrying recovery. Default null: retry recovery for ever.
    /// </summary>
    public int? MaxRecoveryFailures { get; set; }

    /// <summary>Shortest pause before a record whose recovery failed is delivered again. Default 1 s.</summary>
    public TimeSpan RecoveryFailureDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Adds a message naming the option and the fix for every invalid setting.</summary>
    public void Validate(string path, ICollection<string> errors) => Validate(path, errors, requireRecoverer: true);

    internal void Validate(string path, ICollection<string> errors, bool requireRecoverer)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (requireRecoverer && Recoverer is null)
        {
            errors.Add($"{path}:Recoverer is not set. Fix: use a DeadLetterPublishingRecoverer (UseDefaultErrorHandler(eh => eh.DeadLetterTopic())) "
                + "or, to drop failed records knowingly, a LoggingRecoverer (eh.LogAndSkip()).");
        }

        if (BackOff is null)
        {
            errors.Add($"{path}:BackOff is null. Fix: set a FixedBackOff or ExponentialBackOff, or FixedBackOff.NoRetries.");
        }

        if (Classifier is null)
        {
            errors.Add($"{path}:Classifier is null. Fix: leave the default ExceptionClassifier or set one.");
        }

        if (MaxRecoveryFailures is < 1)
        {
            errors.Add($"{path}:MaxRecoveryFailures is {MaxRecoveryFailures}. Fix: use 1 or more, or remove it to retry recovery for ever.");
        }

        if (RecoveryFailureDelay < TimeSpan.Zero)
        {
            errors.Add($"{path}:RecoveryFailureDelay is negative. Fix: use 0 or more (default 1 s).");
        }
    }
}
