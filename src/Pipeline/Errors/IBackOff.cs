using KafkaPipeline.Errors;
namespace KafkaPipeline.Errors;

/// <summary>
/// A back-off policy (Spring's <c>BackOff</c>): stateless configuration that starts one
/// <see cref="IBackOffExecution"/> per failing record. Instances may be shared between consumers and lanes.
/// </summary>
public interface IBackOff
{
    /// <summary>Starts a new sequence of intervals for one failing record.</summary>
    IBackOffExecution Start();
}

/// <summary>
/// One running back-off sequence (Spring's <c>BackOffExecution</c>). Not thread-safe: it belongs to one record, kept in
/// that record's <see cref="RecordFailureState"/> by the lane that runs it.
/// </summary>
public interface IBackOffExecution
{
    /// <summary>
    /// The wait before the next delivery, or <see langword="null"/> for STOP: no more retries, the record
    /// goes to the recoverer.
    /// </summary>
    TimeSpan? NextBackOff();
}
