namespace KafkaPipeline.Options;

/// <summary>Settings of all consumers (section <c>Kafka</c>).</summary>
public sealed class KafkaPipelineOptions
{
    /// <summary>The configuration section the options are usually bound from: <c>Kafka</c>.</summary>
    public const string SectionName = "Kafka";

    /// <summary>Comma-separated host:port list. Required.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Group of handlers that do not name one.</summary>
    public string? DefaultGroupId { get; set; }

    /// <summary>Header that selects the handler when one topic carries several message types. Default <c>message-type</c>.</summary>
    public string MessageTypeHeader { get; set; } = "message-type";

    /// <summary>Extra librdkafka settings for every client (e.g. security.protocol, sasl.*).</summary>
    public Dictionary<string, string> Client { get; } = new(StringComparer.Ordinal);

    /// <summary>How the health checks judge the consumers (section <c>Kafka:Health</c>).</summary>
    public Health.KafkaHealthOptions Health { get; } = new();

    /// <summary>Per-consumer settings by group id.</summary>
    public Dictionary<string, KafkaConsumerOptions> Consumers { get; } = new(StringComparer.Ordinal);

    /// <summary>The settings of a group, created (with defaults) when none are configured yet.</summary>
    public KafkaConsumerOptions Consumer(string groupId)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        if (!Consumers.TryGetValue(groupId, out var options))
        {
            Consumers[groupId] = options = new KafkaConsumerOptions();
        }

        return options;
    }

    /// <summary>The settings of a group (defaults when none are configured).</summary>
    public KafkaConsumerOptions ForGroup(string groupId) =>
        Consumers.TryGetValue(groupId, out var options) ? options : new KafkaConsumerOptions();
}
