namespace KafkaPipeline.DeadLetters;

/// <summary>A dead-letter operation failed for a reason the operator can fix; the message says what and how.</summary>
public sealed class DeadLetterOperationException : Exception
{
    public DeadLetterOperationException(DeadLetterErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public DeadLetterErrorKind Kind { get; }
}
