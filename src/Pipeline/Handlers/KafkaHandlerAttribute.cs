using KafkaPipeline.Options;

namespace KafkaPipeline.Handlers;

/// <summary>
/// Marks an <see cref="IMessageHandler{TMessage}"/> class as the handler of <see cref="Topic"/>.
/// Found by <c>AddHandlersFromAssembly</c>. Handlers sharing a <see cref="GroupId"/> run in one consumer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class KafkaHandlerAttribute : Attribute
{
    /// <summary>Registers the class as the handler of <paramref name="topic"/>.</summary>
    public KafkaHandlerAttribute(string topic)
    {
        Topic = topic;
    }

    /// <summary>The topic the handler serves.</summary>
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

    private OrderingMode? _ordering;
    private int? _maxConcurrency;

    /// <summary>
    /// What the handler's consumer keeps in order (<see cref="OrderingMode"/>). Applies when <c>Kafka:Consumers:&lt;group&gt;:Ordering</c>
    /// is not set; handlers of one group must agree. Default <see cref="OrderingMode.Partition"/>.
    /// </summary>
    public OrderingMode Ordering
    {
        get => _ordering ?? OrderingMode.Partition;
        set => _ordering = value;
    }

    /// <summary>
    /// Records in flight of the handler's consumer. Applies when <c>Kafka:Consumers:&lt;group&gt;:MaxConcurrency</c> is not
    /// set; handlers of one group must agree. Default 16.
    /// </summary>
    public int MaxConcurrency
    {
        get => _maxConcurrency ?? KafkaConsumerOptions.DefaultMaxConcurrency;
        set => _maxConcurrency = value;
    }

    internal OrderingMode? OrderingIfSet => _ordering;

    internal int? MaxConcurrencyIfSet => _maxConcurrency;
}
