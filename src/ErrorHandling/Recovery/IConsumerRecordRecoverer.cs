namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Takes care of a record that failed for good (retries exhausted or not retryable), e.g. by publishing it to a
/// dead-letter topic (spring-kafka's <c>ConsumerRecordRecoverer</c>). Completing normally means the record is safe
/// elsewhere and its offset may be committed; throwing means it is not, and the record is delivered again.
/// </summary>
public interface IConsumerRecordRecoverer
{
    /// <summary>Takes <paramref name="context"/>'s record, which failed for good with <paramref name="exception"/>; completing means the record may be committed, throwing means it may not (it is delivered again).</summary>
    ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken);
}
