using System.Text;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;

namespace KafkaPipeline;

/// <summary>One consumer: a group id, its topics and the handlers that serve them. Built and validated at start.</summary>
public sealed class ConsumerDescriptor
{
    private readonly Dictionary<string, HandlerDescriptor[]> _byTopic;
    private readonly string _messageTypeHeader;

    internal ConsumerDescriptor(
        string groupId,
        IReadOnlyList<HandlerDescriptor> handlers,
        KafkaConsumerOptions options,
        string messageTypeHeader,
        OrderingMode ordering = OrderingMode.Partition,
        int maxConcurrency = KafkaConsumerOptions.DefaultMaxConcurrency)
    {
        GroupId = groupId;
        Ordering = ordering;
        MaxConcurrency = maxConcurrency;
        Handlers = handlers;
        Options = options;
        _messageTypeHeader = messageTypeHeader;
        _byTopic = handlers.GroupBy(h => h.Topic, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Topics = [.. _byTopic.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The consumer group id.</summary>
    public string GroupId { get; }

    /// <summary>The topics the consumer subscribes to (those of its handlers), in ordinal order.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>The handlers of this consumer, one per topic and message type.</summary>
    public IReadOnlyList<HandlerDescriptor> Handlers { get; }

    /// <summary>The consumer's options (<c>Kafka:Consumers:&lt;groupId&gt;</c>, defaults when not configured).</summary>
    public KafkaConsumerOptions Options { get; }

    /// <summary>What the consumer keeps in order: configuration, else the handlers' attributes, else Partition.</summary>
    public OrderingMode Ordering { get; }

    /// <summary>Records in flight at most: configuration, else the handlers' attributes, else 16.</summary>
    public int MaxConcurrency { get; }

    /// <summary>
    /// The handler for a record: the topic's only handler, or the one named by the message-type header
    /// when the topic carries several message types.
    /// </summary>
    public HandlerDescriptor Route(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_byTopic.TryGetValue(context.Topic, out var candidates))
        {
            throw new HandlerNotFoundException($"Group '{GroupId}' has no handler for topic '{context.Topic}' ({context}).");
        }

        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        var typeName = context.Record.Message.Headers is { } headers && headers.TryGetLastBytes(_messageTypeHeader, out var bytes)
            ? Encoding.UTF8.GetString(bytes)
            : null;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate.MessageTypeName, typeName, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new HandlerNotFoundException(
            $"Topic '{context.Topic}' in group '{GroupId}' carries several message types; {context} has "
            + (typeName is null ? $"no '{_messageTypeHeader}' header" : $"'{_messageTypeHeader}: {typeName}'")
            + $" but the handlers expect one of: {string.Join(", ", candidates.Select(c => c.MessageTypeName))}.");
    }

    /// <summary>The group and its topics, for logs and messages.</summary>
    public override string ToString() => $"group '{GroupId}' ({string.Join(", ", Topics)})";
}
