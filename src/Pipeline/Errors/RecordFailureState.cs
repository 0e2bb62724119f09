using KafkaPipeline.Errors;
namespace KafkaPipeline.Errors;

/// <summary>
/// The failure state of the record at the head of a lane (spring-kafka's <c>FailedRecordTracker</c> entry, owned by the
/// lane instead of a shared map). It is created with the record and dropped with it: when the record is handled,
/// recovered, or its partition leaves the consumer. So a new record always starts a new count, and nothing has to be
/// cleared on success or revoke. The lane sets <see cref="DeliveryAttempt"/>; the error handler keeps the rest. Used by
/// one record's deliveries, one at a time: never concurrently.
/// </summary>
public sealed class RecordFailureState
{
    /// <summary>1 on the record's first delivery, then 2, 3, … on every retry by this consumer.</summary>
    public int DeliveryAttempt { get; internal set; }

    /// <summary>Failures in the current retry cycle (the attempt count Spring passes to retry listeners).</summary>
    public int Failures { get; set; }

    /// <summary>Exact type of the last failure; a different type may start a new cycle.</summary>
    public Type? ExceptionType { get; set; }

    /// <summary>The running back-off of the current cycle; null before the first failure or after a reset.</summary>
    public IBackOffExecution? BackOff { get; set; }

    /// <summary>Failed attempts to hand the record to the recoverer.</summary>
    public int RecoveryFailures { get; set; }

    /// <summary>
    /// Counts a failure (spring-kafka's <c>FailedRecordTracker</c> rule): a new retry cycle, with a back-off started from
    /// <paramref name="backOff"/>, begins on the first failure, after a reset, and, with
    /// <paramref name="resetOnExceptionChange"/>, when the exception's exact type differs from the last failure's.
    /// </summary>
    public void RecordFailure(Exception exception, bool resetOnExceptionChange, Func<IBackOff> backOff)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(backOff);
        var type = exception.GetType();
        if (BackOff is null || (resetOnExceptionChange && ExceptionType != type))
        {
            BackOff = backOff().Start();
            Failures = 1;
        }
        else
        {
            Failures++;
        }

        ExceptionType = type;
    }

    /// <summary>Counts a failed recovery; with <paramref name="resetCycle"/> the next failure starts a new retry cycle.</summary>
    public int RecoveryFailed(bool resetCycle)
    {
        RecoveryFailures++;
        if (resetCycle)
        {
            ResetCycle();
        }

        return RecoveryFailures;
    }

    /// <summary>Starts a new retry cycle: the next failure asks for a fresh back-off.</summary>
    public void ResetCycle()
    {
        BackOff = null;
        Failures = 0;
    }

    /// <summary>Forgets everything: the lane's next record starts here.</summary>
    internal void Reset()
    {
        DeliveryAttempt = 0;
        Failures = 0;
        ExceptionType = null;
        BackOff = null;
        RecoveryFailures = 0;
    }
}
