namespace KafkaPipeline.ErrorHandling;

/// <summary>
/// Notified by <see cref="DefaultErrorHandler"/> as a record fails, is recovered or fails to be recovered (spring-kafka's
/// <c>RetryListener</c>). Called on the poll thread: keep it quick. A listener that throws is logged and ignored.
/// </summary>
public interface IRetryListener
{
    /// <summary>A delivery failed; <paramref name="attempt"/> counts the failures of this record in its current retry cycle (1-based).</summary>
    void FailedDelivery(ConsumeContext context, Exception exception, int attempt)
    {
    }

    /// <summary>The recoverer took the record (e.g. it is in the dead-letter topic); its offset will be committed.</summary>
    void Recovered(ConsumeContext context, Exception exception)
    {
    }

    /// <summary>The recoverer threw <paramref name="failure"/>; nothing is committed and the record is delivered again.</summary>
    void RecoveryFailed(ConsumeContext context, Exception exception, Exception failure)
    {
    }
}
