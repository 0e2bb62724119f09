namespace KafkaPipeline.Errors;

/// <summary>
/// Wraps every delivery of a record and turns its outcome into an <see cref="ErrorDisposition"/> that the record's lane
/// carries out (wait and retry, finish, or stop). Error handlers never touch the consumer. One instance serves one
/// consumer and is called from its lanes concurrently (for different records), so it must be thread-safe; per-record
/// state belongs in the <see cref="RecordFailureState"/> the lane passes in, which lives as long as the record.
/// </summary>
public interface IConsumeErrorHandler
{
    /// <summary>Runs <paramref name="pipeline"/> for one delivery of the record and decides what happens next.</summary>
    ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state);
}
