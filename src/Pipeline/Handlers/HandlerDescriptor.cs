using System.Reflection;

namespace KafkaPipeline.Handlers;

/// <summary>A validated handler: which class handles which message type from which topic and group.</summary>
public sealed class HandlerDescriptor
{
    internal HandlerDescriptor(Type handlerType, Type messageType, string topic, string groupId, string messageTypeName, bool acceptsNull)
    {
        HandlerType = handlerType;
        MessageType = messageType;
        Topic = topic;
        GroupId = groupId;
        MessageTypeName = messageTypeName;
        AcceptsNull = acceptsNull;
        Invoker = HandlerInvoker.Create(handlerType, messageType);
    }

    /// <summary>The handler class.</summary>
    public Type HandlerType { get; }

    /// <summary>The message type the handler receives (<c>T</c> of its <c>IMessageHandler&lt;T&gt;</c>).</summary>
    public Type MessageType { get; }

    /// <summary>The topic the handler serves.</summary>
    public string Topic { get; }

    /// <summary>The consumer group the handler belongs to.</summary>
    public string GroupId { get; }

    /// <summary>Header value that selects this handler when a topic carries several message types.</summary>
    public string MessageTypeName { get; }

    /// <summary>True when the handler declares a nullable message parameter and so receives tombstones.</summary>
    public bool AcceptsNull { get; }

    /// <summary>Handler-class attributes (error-handling settings read them).</summary>
    public IEnumerable<TAttribute> GetAttributes<TAttribute>() where TAttribute : Attribute =>
        HandlerType.GetCustomAttributes<TAttribute>(inherit: true);

    internal HandlerInvoker Invoker { get; }

    internal Serialization.IMessageDeserializer Deserializer { get; set; } = null!;

    /// <summary>The handler, its message type and topic, for logs and messages.</summary>
    public override string ToString() => $"{HandlerType.Name} ({MessageType.Name}) for '{Topic}' in group '{GroupId}'";
}
