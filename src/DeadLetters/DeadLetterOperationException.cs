namespace KafkaPipeline.DeadLetters;

/// <summary>A dead-letter operation failed for a reason the operator can fix; the message says what and how.</summary>
public sealed class DeadLetterOperationException : Exception
{
    /// <summary>Creates the exception for a failed operation of kind <paramref name="kind"/>.</summary>
    public DeadLetterOperationException(DeadLetterErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What went wrong (connection, authorization, missing topic, …), for exit codes and advice.</summary>
    public DeadLetterErrorKind Kind { get; }
}
