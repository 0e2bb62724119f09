namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Takes care of a record that failed for good (retries exhausted or not retryable), e.g. by publishing it to a
/// dead-letter topic (spring-kafka's <c>ConsumerRecordRecoverer</c>). Completing normally means the record is safe
/// elsewhere and its offset may be committed; throwing means it is not, and the record is delivered again.
/// </summary>
public interface IConsumerRecordRecoverer
{
    ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken);
}
