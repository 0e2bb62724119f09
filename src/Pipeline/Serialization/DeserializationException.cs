namespace KafkaPipeline.Serialization;

/// <summary>
/// A record value could not be turned into the handler's message type. Carries the raw bytes and the
/// record's coordinates so a recoverer can dead-letter the record unchanged. Not retryable by default.
/// </summary>
public sealed class DeserializationException : Exception
{
    /// <summary>Creates the exception for <paramref name="context"/>'s record, whose value could not become a <paramref name="targetType"/>.</summary>
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

    /// <summary>The record's topic.</summary>
    public string Topic { get; }

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <summary>The record's key bytes, as consumed.</summary>
    public byte[]? RawKey { get; }

    /// <summary>The record's value bytes, as consumed (kept for the dead letter).</summary>
    public byte[]? RawValue { get; }

    /// <summary>The type the value was to be deserialized into.</summary>
    public Type TargetType { get; }
}
