namespace KafkaPipeline.Errors;

/// <summary>
/// Marks an exception whose cause lies outside the record: a store the pipeline needs is unreachable, or another consumer
/// holds the record's lease. Nothing is wrong with the record, so an error handler waits and retries it without limit and
/// never hands it to a recoverer (dead-letter topic) for such a failure, whatever its classification says. Error handlers
/// look for the marker anywhere in the <see cref="Exception.InnerException"/> chain.
/// </summary>
public interface IInfrastructureFailure
{
}
