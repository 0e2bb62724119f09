namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Thrown by a recoverer that can never take this record as it is (e.g. the dead-letter broker refuses it for its size or
/// for authorization): retrying would spin for ever. <see cref="DefaultErrorHandler"/> then stops the record's lane at once
/// (nothing at or after it in its partition is committed), logs it as Critical and the consumer reports unhealthy. The
/// record is never skipped: fix the cause (e.g. raise the dead-letter topic's <c>max.message.bytes</c>, grant the ACL) and
/// restart the consumer, which delivers the record again.
/// </summary>
public sealed class RecoveryRefusedException(string message, Exception? innerException = null) : Exception(message, innerException);
