namespace KafkaPipeline.Serialization;

/// <summary>Turns a record value into the handler's message. Chosen once per handler at start.</summary>
public interface IMessageDeserializer
{
    /// <summary>Deserializes a non-null value. Throwing is fine: the pipeline wraps it in a <see cref="DeserializationException"/>.</summary>
    object? Deserialize(ReadOnlySpan<byte> data, ConsumeContext context);
}
