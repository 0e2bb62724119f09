namespace KafkaPipeline.Serialization;

/// <summary>
/// A record value could not be turned into the handler's message type. Carries the raw bytes and the
/// record's coordinates so a recoverer can dead-letter the record unchanged. Not retryable by default.
/// </summary>
public sealed class DeserializationException : Exception
{
    public DeserializationException(string message, ConsumeContext context, Type targetType, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(context);
        Topic = context.Topic;
        Partition = context.Partition;
        Offset = context.Offset;
        RawKey = context.Key;
        RawValue = context.Value;
        TargetType = targetType;
    }

    public string Topic { get; }

    public int Partition { get; }

    public long Offset { get; }

    public byte[]? RawKey { get; }

    public byte[]? RawValue { get; }

    public Type TargetType { get; }
}
