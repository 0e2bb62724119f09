namespace KafkaPipeline.Handlers;

/// <summary>
/// Marks an <see cref="IMessageHandler{TMessage}"/> class as the handler of <see cref="Topic"/>.
/// Found by <c>AddHandlersFromAssembly</c>. Handlers sharing a <see cref="GroupId"/> run in one consumer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class KafkaHandlerAttribute : Attribute
{
    public KafkaHandlerAttribute(string topic)
    {
        Topic = topic;
    }

    public string Topic { get; }

    /// <summary>Consumer group; defaults to <c>KafkaPipelineOptions.DefaultGroupId</c>.</summary>
    public string? GroupId { get; set; }

    /// <summary>
    /// Message type when the class implements <see cref="IMessageHandler{TMessage}"/> more than once.
    /// </summary>
    public Type? MessageType { get; set; }

    /// <summary>
    /// Value of the message-type header that selects this handler when one topic carries several
    /// message types in one group. Defaults to the message type's name.
    /// </summary>
    public string? MessageTypeName { get; set; }
}
