namespace KafkaPipeline.Handlers;

/// <summary>No handler matches the record (unknown topic or message-type header). Not retryable.</summary>
public sealed class HandlerNotFoundException : Exception
{
    public HandlerNotFoundException(string message)
        : base(message)
    {
    }
}
