using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Serialization;

/// <summary>
/// Picks a deserializer for a message type once, at start: a registered <see cref="IMessageDeserializer"/>
/// for that type, a Confluent <see cref="IDeserializer{T}"/>, raw bytes, UTF-8 text, else System.Text.Json.
/// </summary>
internal static class DeserializerSelector
{
    public static IMessageDeserializer Select(Type messageType, IServiceProvider services, JsonSerializerOptions json)
    {
        var custom = services.GetService<MessageDeserializerRegistry>()?.Find(messageType, services);
        if (custom is not null)
        {
            return custom;
        }

        var confluent = services.GetService(typeof(IDeserializer<>).MakeGenericType(messageType));
        if (confluent is not null)
        {
            return (IMessageDeserializer)Activator.CreateInstance(typeof(ConfluentMessageDeserializer<>).MakeGenericType(messageType), confluent)!;
        }

        if (messageType == typeof(byte[]))
        {
            return ByteArrayMessageDeserializer.Instance;
        }

        if (messageType == typeof(string))
        {
            return StringMessageDeserializer.Instance;
        }

        json.MakeReadOnly(populateMissingResolver: true);
        return new JsonMessageDeserializer(json.GetTypeInfo(messageType));
    }

    /// <summary>True when a type can only be read with a deserializer registered for it.</summary>
    public static bool NeedsCustomDeserializer(Type messageType) =>
        messageType.IsInterface || messageType.IsAbstract || messageType.ContainsGenericParameters || messageType == typeof(object);
}

/// <summary>User-registered deserializers by message type.</summary>
internal sealed class MessageDeserializerRegistry
{
    private readonly Dictionary<Type, Func<IServiceProvider, IMessageDeserializer>> _factories = [];

    public void Add(Type messageType, Func<IServiceProvider, IMessageDeserializer> factory) => _factories[messageType] = factory;

    public bool Contains(Type messageType) => _factories.ContainsKey(messageType);

    public IMessageDeserializer? Find(Type messageType, IServiceProvider services) =>
        _factories.TryGetValue(messageType, out var factory) ? factory(services) : null;
}
