using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;

namespace KafkaPipeline.Serialization;

/// <summary>System.Text.Json, typed by the handler's message type (metadata resolved once).</summary>
internal sealed class JsonMessageDeserializer(JsonTypeInfo typeInfo) : IMessageDeserializer
{
    public object? Deserialize(ReadOnlySpan<byte> data, ConsumeContext context) => JsonSerializer.Deserialize(data, typeInfo);
}

/// <summary>Hands the value bytes through unchanged.</summary>
internal sealed class ByteArrayMessageDeserializer : IMessageDeserializer
{
    public static readonly ByteArrayMessageDeserializer Instance = new();

    public object? Deserialize(ReadOnlySpan<byte> data, ConsumeContext context) => context.Value;
}

/// <summary>UTF-8 text.</summary>
internal sealed class StringMessageDeserializer : IMessageDeserializer
{
    public static readonly StringMessageDeserializer Instance = new();

    public object? Deserialize(ReadOnlySpan<byte> data, ConsumeContext context) => Encoding.UTF8.GetString(data);
}

/// <summary>Any Confluent <see cref="IDeserializer{T}"/> registered in DI.</summary>
internal sealed class ConfluentMessageDeserializer<T>(IDeserializer<T> inner) : IMessageDeserializer
{
    public object? Deserialize(ReadOnlySpan<byte> data, ConsumeContext context) =>
        inner.Deserialize(data, isNull: false, new SerializationContext(MessageComponentType.Value, context.Topic, context.Headers));
}
