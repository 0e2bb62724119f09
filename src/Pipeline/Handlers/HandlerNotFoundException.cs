namespace KafkaPipeline.Handlers;

/// <summary>No handler matches the record (unknown topic or message-type header). Not retryable.</summary>
public sealed class HandlerNotFoundException : Exception
{
    /// <summary>Creates the exception with a message that names the record and the handlers expected.</summary>
    public HandlerNotFoundException(string message)
        : base(message)
    {
    }
}
